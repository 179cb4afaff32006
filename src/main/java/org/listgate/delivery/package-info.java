/**
 * DELIVERY — from the spool to the recipients.
 *
 * <p>{@link org.listgate.delivery.Dispatcher} expands a queued message, logs the isolated members,
 * runs one task per recipient on a bounded pool ({@code delivery.threads}) inside the recipient
 * boundary, logs each {@link org.listgate.delivery.Outcome}, and removes the message from the
 * spool when every recipient has been handled. {@code MaildirAgent} delivers by the maildir(5)
 * algorithm; {@code MaildirNames} makes the unique names.
 *
 * <p>EVENTS: 2002 per list expanded, 4037 (stage {@code expansion}) per isolated member, 2003 per
 * copy delivered, 3004 per deferral, 4037 (stage {@code delivery}) per failed recipient, 2004 per
 * message finished, 9001 for a fault caught at the message or recipient boundary.
 *
 * <p>LIMITS: a deferred recipient keeps its message in the spool until the next start (retries
 * with backoff come with the queue's per-recipient state).
 */
package org.listgate.delivery;
