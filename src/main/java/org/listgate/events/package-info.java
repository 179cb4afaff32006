/**
 * EVENTS — the event catalogue and the event log.
 *
 * <h2>SYNOPSIS</h2>
 *
 * <pre>
 * Logging.configure(Path.of("config/logback.xml"), Path.of("data/events.jsonl"));
 * EventLog events = new EventLog();
 * events.emit(Event.about(EventId.QUEUE_FLUSHED, queueId));             // any event: id, fields
 * events.emit(Fates.notDelivered(queueId, "bad@x", Optional.of("staff@x"), // a recipient's fate
 *         "5.1.1", "unknown user", "expansion"));
 *
 * listgate events --file data/events.jsonl --id 4037 [--follow] [--json]
 * listgate events --config config/listgate.properties --since 1h --recipient '*@example.org'
 * listgate events --config config/listgate.properties --trace 19ABCDEF0120001
 * listgate events --file data/events.jsonl --summary [--json]
 * </pre>
 *
 * <h2>DESCRIPTION</h2>
 *
 * Every outcome that matters is one numbered {@link org.listgate.events.Event}. The events that
 * tell one recipient's fate (4037, 2003, 3004, 2007) and the context of a 9001 are built by {@link
 * org.listgate.events.Fates} only, so each carries the same fields wherever it is raised. {@link
 * org.listgate.events.EventLog} logs it to the SLF4J logger {@code listgate.events}; Logback
 * (config/logback.xml, loaded by {@link org.listgate.events.Logging}) appends it to {@code
 * events.file} and shows it on the console ({@link org.listgate.events.ConsoleLayout}): in the
 * style of the Windows event log ({@link org.listgate.events.ImsLayout}, {@link
 * org.listgate.events.ImsRendering}) or, the default under systemd, one line per event ({@link
 * org.listgate.events.OneLineLayout}). {@link org.listgate.events.EventReader} reads the file back
 * for the {@code events} command, streaming: {@link org.listgate.events.EventFilter} picks records,
 * {@link org.listgate.events.EventTable} shows them one a line, {@link org.listgate.events.Trace}
 * tells one message's story and {@link org.listgate.events.Summary} counts them per id per hour.
 * {@link org.listgate.events.Text} is how every package makes text from outside fit for an event
 * field, a line of a file, a header or a terminal.
 *
 * <h2>FORMAT</h2>
 *
 * JSON Lines, one object a line, appended and flushed as each event happens:
 *
 * <pre>
 * {"time":"2026-11-24T19:05:00.123Z","id":4037,"type":"Warning","source":"listgate",
 *  "message":"An exception has occurred which was handled internally. ...",
 *  "queueId":"0000017F","recipient":"bad@x","status":"5.1.1","reason":"unknown user","stage":"expansion"}
 * </pre>
 *
 * (one line in the file). {@code time} is a UTC instant with milliseconds, {@code id} an integer,
 * {@code type} Error, Warning or Information, {@code source} always listgate, {@code message} the
 * fixed text of the id; then the event's own fields in the order added, numbers and booleans as
 * JSON numbers and booleans, the rest as strings.
 *
 * <h2>EVENTS</h2>
 *
 * <pre>
 * id    type         category   meaning
 * 1000  Information  Service    the service has started
 * 1001  Information  Service    the service has shut down
 * 1002  Information  Directory  the directory has been loaded
 * 2001  Information  Spool      a message has been accepted and queued
 * 2002  Information  Expansion  a distribution list has been expanded
 * 2003  Information  Delivery   a message has been delivered to a recipient
 * 2004  Information  Delivery   every recipient of a queued message has been handled
 * 2005  Information  Spool      a message left in the spool is being delivered
 * 3001  Warning      SMTP       a recipient has been refused (at RCPT, at once)
 * 3002  Warning      Directory  a list holds a member that is not a valid address
 * 3003  Warning      Directory  a directory line cannot be read; skipped
 * 3004  Warning      Delivery   delivery to a recipient has been deferred
 * 3005  Warning      SMTP       a message has been refused
 * 3006  Warning      Spool      a spool file could not be read; moved aside
 * 4037  Warning      Isolation  a recipient of an accepted message will not receive it;
 *                               queueId, recipient, status, reason, stage (rcpt|expansion|delivery);
 *                               5.4.6 at expansion: a list the message has been through (a loop)
 * 9001  Error        Isolation  an unexpected exception was caught at an isolation boundary;
 *                               code, flags, address, exception
 * </pre>
 *
 * Numbers 9001 and 4037 and their texts are those of Exchange's Internet Mail Service (KB Q166570);
 * the rest are listgate's own ({@link org.listgate.events.EventId}).
 *
 * <h2>DIAGNOSTICS</h2>
 *
 * {@code EventLog.emit} never throws: if the logging backend fails, one line goes to stderr with
 * the lost record. {@code Logging.configure} fails with an {@code IllegalStateException} naming the
 * file when logback.xml has errors or the events directory cannot be made.
 *
 * <h2>SECURITY</h2>
 *
 * Field values come from SMTP clients. The JSON writer escapes every character outside printable
 * ASCII, so a record is always one ASCII line; the human rendering escapes control, format and
 * separator characters, so a value cannot forge a line or drive a terminal. The reader skips
 * anything that is not a JSON object with an integral id and never holds more than one MiB of a
 * line.
 *
 * <h2>BUGS</h2>
 *
 * The human rendering shows the system's time zone, as the Event Viewer did; the record keeps UTC.
 * Two processes appending to one events file may interleave within a record.
 */
package org.listgate.events;
