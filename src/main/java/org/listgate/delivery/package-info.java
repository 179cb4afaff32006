/**
 * DELIVERY — from the spool to the recipients.
 *
 * <p>{@link org.listgate.delivery.Dispatcher} expands a queued message, logs the isolated members,
 * runs one task per recipient on a bounded pool ({@code delivery.threads}) inside the recipient
 * boundary, logs each {@link org.listgate.delivery.Outcome}, and removes the message from the
 * spool when every recipient has been handled. {@code MaildirAgent} delivers by the maildir(5)
 * algorithm; {@code MaildirNames} makes the unique names. {@link org.listgate.delivery.RelayAgent}
 * hands a batch of recipients to the smarthost in one SMTP transaction (Angus Mail), the content
 * byte for byte as spooled ({@code SpooledMessage}), and turns each reply into an outcome
 * ({@code RemoteReply}); the smarthost being unreachable only ever defers.
 *
 * <p>EVENTS: 2002 per list expanded, 4037 (stage {@code expansion}) per isolated member, 2003 per
 * copy delivered, 3004 per deferral, 4037 (stage {@code delivery}) per failed recipient, 2004 per
 * message finished, 9001 for a fault caught at the message or recipient boundary.
 *
 * <p>HOSTILE INPUT: a smarthost's reply text is passed on in the outcome's reason as the server
 * wrote it (lines joined); it is never parsed beyond the reply code and the RFC 3463 status.
 *
 * <p>LIMITS: relay recipients are not yet routed to the relay agent (they fail with 5.4.4 until
 * the scheduler batches them). A deferred recipient keeps its message in the spool until the
 * next start (retries with backoff come with the queue's per-recipient state).
 */
package org.listgate.delivery;
