/**
 * DIRECTORY — who exists: local users and distribution lists.
 *
 * <p>{@link org.listgate.directory.Directory} answers lookups (and the postmaster rule) from a
 * source. {@code FileSource} ({@code directory.type = files}): an immutable snapshot of the users
 * file and the aliases(5)-style lists file, replaced whole on reload (SIGHUP, or a change seen by
 * the poll every {@code directory.pollInterval}). {@code LdapSource} ({@code ldap}): searches over
 * a failover connection pool (UnboundID LDAP SDK), a group's member DNs fetched 200 to a search,
 * ranged attributes read whole, answers cached ({@code LookupCache}, cleared on SIGHUP), an outage
 * told once at each end ({@code Outage}). A {@link org.listgate.directory.Member} may carry its
 * {@link org.listgate.directory.Entry} when the source already knows it, so the expansion does not
 * look it up again. {@link org.listgate.directory.Directory#distributionLists()} names every list
 * (the files' lists; LDAP: the entries {@code groupFilter} matches with {@code %s} as {@code *}, in
 * RFC 2696 pages) for {@code listgate lists check}.
 *
 * <p>DIAGNOSTICS: {@link org.listgate.directory.DirectoryUnavailable} (a checked IOException) when
 * LDAP cannot answer: RCPT answers 451 4.4.3, an expansion waits; never a 9001, never a 550.
 *
 * <p>EVENTS: 1002 per load; 3002 per invalid list member (kept, isolated at expansion); 3003 per
 * line that cannot be read (skipped), with {@code file:line}; 3014 when LDAP becomes unavailable,
 * 1003 when it answers again.
 *
 * <p>HOSTILE INPUT: loading never fails on content; bytes that are not UTF-8 become invalid
 * members; a user whose local part could escape {@code maildir.root} ({@code /}, leading dot,
 * quoted) is refused at load. Reading the lists file never takes time quadratic in its length,
 * however many quotes a line or continuation lines a list holds.
 */
package org.listgate.directory;
