/**
 * SPOOL — the durable queue.
 *
 * <p>{@link org.listgate.spool.Spool} writes a message to {@code tmp/}, forces it, renames it into
 * {@code queue/} and forces the directory: only then does the SMTP side answer 250. Queue files end
 * in an END record stating the content length ({@code QueueFile}); a file without a matching END
 * record is corrupt, moved to {@code corrupt/} with event 3006, and never taken for a message.
 * {@link org.listgate.spool.Spool#recover()} returns what an earlier run left, oldest first. The
 * {@link org.listgate.spool.Envelope} a queue file keeps includes, when the client authenticated,
 * its SASL user name (the optional {@code auth} record); a file without it is from a client that
 * did not. {@link org.listgate.spool.AtomicFile} is the same sequence for a file written whole (a
 * control request or answer, a Maildir delivery): a crash leaves the old file or the new one, never
 * a torn one.
 *
 * <p>{@link org.listgate.spool.Recipients} owns a queued message's recipient states ({@link
 * org.listgate.spool.RecipientState}) and its journal in {@code state/}: each change is one call
 * that changes the state and appends its line, a {@code JournalRecord} (a sealed type, one record
 * per line kind, each formatting itself; ADR 0004 and 0006). {@code Journal} only appends, forces,
 * rewrites and reads lines. {@code Spool.createRecipients} starts a journal; {@code recover()}
 * gives each message back with its {@code Recipients} when its expansion was recorded.
 *
 * <p>A full disk: a write that fails while a message is received gives 452 4.3.1 and leaves nothing
 * behind in {@code tmp/} or {@code queue/}; the journal of a message that got its 250 but found no
 * room left is written later by the queue manager (event 3009); a journal record is never glued to
 * a torn one. Below {@code spool.minFreeBytes} new mail is refused at MAIL and DATA (event 3008,
 * once). {@code fault.inject = spool:GLOB} fails the writes of matching messages as a full disk
 * would ({@code FullDisk}).
 *
 * <p>LIMITS: one fsync of the file and one of the directory per message (group commit comes with
 * per-recipient state). A message is delivered again from the start after a crash: at least once.
 */
package org.listgate.spool;
