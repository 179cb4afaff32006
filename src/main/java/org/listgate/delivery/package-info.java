/**
 * DELIVERY — from the spool to the recipients, until every one is delivered or reported.
 *
 * <p>{@link org.listgate.delivery.QueueManager} is the queue manager: the work set, its timers,
 * flush, delete and shutdown. It expands a queued message once and hands the recipients to the
 * spool's {@code Recipients}, which journals every change, then works it in rounds. {@code
 * DeliveryRound} tries every due recipient at once — local ones one task each on the local pool
 * ({@code delivery.threads}), relay ones in batches of {@code relay.maxRecipients} on the relay
 * pool ({@code relay.threads}) — each inside its own recipient boundary (a fault in a relay batch
 * sends it again one recipient a transaction), and records each {@link
 * org.listgate.delivery.Outcome}: its event ({@code events.Fates}), then its state and journal
 * record. After the round {@code Reporting} queues the reports owed and the next round is timed for
 * the earliest retry (exponential backoff with jitter, {@code Backoff}, given up with 4.4.7 after
 * {@code queue.maxLifetime}). The agents ({@link org.listgate.delivery.Agents}), the threads and
 * timers ({@link org.listgate.delivery.Workers}) and the clock are passed in by the composition
 * root, so the queue manager runs in a test on a clock the test moves.
 *
 * <p>{@code MaildirAgent} delivers by the maildir(5) algorithm; {@code MaildirNames} makes the
 * unique names; {@code MaildirAccess} gives each file, before it is linked into {@code new/}, and
 * each folder the agent makes the mode and group of {@code maildir.mode} and {@code maildir.group},
 * so that a mail reader running as another user (Dovecot) can read them. {@link
 * org.listgate.delivery.RelayAgent} hands a batch of recipients to the smarthost in one SMTP
 * transaction (Angus Mail), the content byte for byte as spooled ({@code SpooledMessage}), and
 * turns each reply into an outcome ({@code RemoteReply}); the smarthost being unreachable only ever
 * defers. A list member's copy, local or relayed, carries a {@code Delivered-To} for each list it
 * came through ({@code DeliveredTo}, innermost on top; relay batches are made per set of lists);
 * the queue manager reads the same fields back from a message's spooled header section before
 * expanding it, and the expansion isolates a list the message has been through already (a loop,
 * 5.4.6).
 *
 * <p>{@link org.listgate.delivery.Bouncer} decides who is told — about a recipient the poster
 * named, the envelope sender; about a list's member, the list's {@code owner-<list>}, else the
 * sender if it is a local user or authenticated, else the postmaster; never anyone for a
 * null-sender message — and queues one {@link org.listgate.delivery.DeliveryReport} per message,
 * batch and destination: RFC 3464, built with Angus DSN; {@code ReportText} writes the words,
 * {@code ReturnedHeaders} the original's header section, {@code HeaderText} keeps outside text to
 * one printable line per field.
 *
 * <p>{@link org.listgate.delivery.Deletion} is what {@code listgate queue delete} does when no
 * server is running: the outcome the queue manager gives a deletion (unfinished recipients fail
 * 5.0.0, a report unless silent, the files removed), done on a spool the command holds the lock of.
 *
 * <p>EVENTS: 2002 per list expanded, 4037 (stage {@code expansion}) per isolated member (status
 * 5.4.6, "mail forwarding loop for L", for a list L met again through Delivered-To), 2003 per copy
 * delivered, 3004 per deferral, 2007 per retry, 4037 (stage {@code delivery}) per failed recipient,
 * 2006 per report queued (with a {@code reason} when it goes to the postmaster instead of the
 * sender), 2009 when a null sender means no report, 2004 per message finished, 2008 per message
 * deleted, 9001 for a fault caught at the message or recipient boundary.
 *
 * <p>SECURITY: the envelope sender of a list message is whatever the poster wrote. A report about a
 * list's members, which returns the original's header section, is never sent to a sender that is
 * neither a local user nor authenticated: otherwise anyone could have listgate mail chosen headers
 * to a forged address by posting to a list with a bad member (backscatter). Without an {@code
 * owner-<list>}, such reports go to the postmaster ({@code postmaster.address}, or {@code
 * postmaster@<first domain>}, which should then exist as a user or list). An outside sender still
 * hears about the recipients it named at RCPT, as every MTA that accepts first and bounces later
 * does.
 *
 * <p>A poster can write any {@code Delivered-To} itself: naming a list there only keeps that list
 * from expanding that one message, which is nothing the poster could not do by not sending it. A
 * copy names every list it came through, nested ones included, so a member elsewhere learns the
 * addresses of the inner lists that reach it (RFC 9228 notes this privacy cost).
 *
 * <p>HOSTILE INPUT: a report survives any original (no headers, binary, 8-bit, lines without a
 * colon) and any reason or address: no value can start a field of its own or a MIME boundary. A
 * smarthost's reply text is passed on as the server wrote it (lines joined); it is never parsed
 * beyond the reply code and the RFC 3463 status.
 *
 * <p>LIMITS: a report returns the original's header section (at most 64 KiB), never its body.
 * Delivered-To fields are read from the first {@code limits.maxHeaderBytes} of a message only; a
 * copy names ten lists at most (for deeper nesting, the nine outermost and its own).
 */
package org.listgate.delivery;
