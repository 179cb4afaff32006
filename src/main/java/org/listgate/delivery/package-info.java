/**
 * DELIVERY — from the spool to the recipients.
 *
 * <p>{@link org.listgate.delivery.Dispatcher} expands a queued message, logs the isolated members,
 * runs one task per recipient on a bounded pool ({@code delivery.threads}) inside the recipient
 * boundary, logs each {@link org.listgate.delivery.Outcome}, and removes the message from the
 * spool when every recipient has been handled. {@code MaildirAgent} delivers by the maildir(5)
 * algorithm; {@code MaildirNames} makes the unique names.
 *
 * <p>{@link org.listgate.delivery.DeliveryReport} builds the RFC 3464 report — a bounce or a delay
 * warning — for the recipients of one message, as a message to spool with the null sender:
 * {@code ReportText} writes the words, {@code ReturnedHeaders} the original's header section,
 * {@code HeaderText} keeps outside text to one printable line per field.
 *
 * <p>EVENTS: 2002 per list expanded, 4037 (stage {@code expansion}) per isolated member, 2003 per
 * copy delivered, 3004 per deferral, 4037 (stage {@code delivery}) per failed recipient, 2004 per
 * message finished, 9001 for a fault caught at the message or recipient boundary.
 *
 * <p>HOSTILE INPUT: a report survives any original (no headers, binary, 8-bit, lines without a
 * colon) and any reason or address: no value can start a field of its own or a MIME boundary.
 *
 * <p>LIMITS: a deferred recipient keeps its message in the spool until the next start (retries
 * with backoff come with the queue's per-recipient state). A report returns the original's
 * header section (at most 64 KiB), never its body.
 */
package org.listgate.delivery;
