/**
 * DIRECTORY — who exists: local users and distribution lists.
 *
 * <p>{@link org.listgate.directory.Directory} serves lookups from an immutable snapshot of the
 * users file and the aliases(5)-style lists file, replaced whole on reload (SIGHUP, or a change
 * seen by the poll every {@code directory.pollInterval}).
 *
 * <p>EVENTS: 1002 per load; 3002 per invalid list member (kept, isolated at expansion); 3003 per
 * line that cannot be read (skipped), with {@code file:line}.
 *
 * <p>HOSTILE INPUT: loading never fails on content; bytes that are not UTF-8 become invalid
 * members; a user whose local part could escape {@code maildir.root} ({@code /}, leading dot,
 * quoted) is refused at load. Reading the lists file never takes time quadratic in its length,
 * however many quotes a line or continuation lines a list holds.
 */
package org.listgate.directory;
