/**
 * SPOOL — the durable queue.
 *
 * <p>{@link org.listgate.spool.Spool} writes a message to {@code tmp/}, forces it, renames it into
 * {@code queue/} and forces the directory: only then does the SMTP side answer 250. Queue files
 * end in an END record stating the content length ({@code QueueFile}); a file without a matching
 * END record is corrupt, moved to {@code corrupt/} with event 3006, and never taken for a message.
 * {@link org.listgate.spool.Spool#recover()} returns what an earlier run left, oldest first.
 *
 * <p>LIMITS: one fsync of the file and one of the directory per message (group commit comes with
 * per-recipient state). A message is delivered again from the start after a crash: at least once.
 */
package org.listgate.spool;
