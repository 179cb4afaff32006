/**
 * LOAD — the load client: many SMTP sessions at once against any server, listgate or another, and
 * what they measured.
 *
 * <p>{@link org.listgate.load.Load} is the entry point. Its senders (one thread a connection) share
 * only the number of the next message; each keeps a {@code Tally} of its own, added up when all are
 * done. A {@code Session} is one plain-socket SMTP connection, one command and one reply at a time,
 * never pipelined; a transaction's result is a value ({@code Sent}: accepted, with its end-of-data
 * latency, or not accepted, with the {@link org.listgate.load.Refusal}s that say where). {@code
 * MessageText} makes the messages (RFC 5322, lines of at most 78 characters, CR LF, dot-stuffed), a
 * {@link org.listgate.load.Target} their recipients. {@code IdleConnections} opens silent
 * connections first, one by one. With the server's Maildirs, {@code MaildirCount} counts the copies
 * until all expected have arrived, and says when the last did; {@link org.listgate.load.LoadReport}
 * holds it all, {@link org.listgate.load.LoadReportText} prints it.
 *
 * <p>DIAGNOSTICS: a refusal (a reply other than the one expected at a step) is counted by step and
 * reply ({@code RCPT 550 5.1.1}); a lost connection by how it was lost; the session carries on
 * after a refusal (RSET) and opens a new connection after a 421 or a loss. Nothing is retried: a
 * message not accepted counts as such.
 *
 * <p>SECURITY: a client; it reads replies of at most 8,192 octets a line and 100 lines, and gives
 * up on a server that says anything else.
 *
 * <p>BUGS: the end of the deliveries is the latest time a {@code new/} or {@code cur/} folder
 * changed, so anything else that writes into the Maildirs meanwhile moves it. Copies are counted as
 * files: a server that delivers elsewhere, or reports to the sender in the same Maildirs, is
 * counted as it writes.
 */
package org.listgate.load;
