/**
 * REPLAY — the Pegasus scenario client and its report: KB Q166570 re-enacted against any SMTP
 * server.
 *
 * <p>{@link org.listgate.replay.Replay} is the entry point. A {@link org.listgate.replay.Scenario}
 * is a distribution list drawn from a seed: valid members and members of the fifteen invalid {@link
 * org.listgate.replay.Kind}s, each tagged with the fate a correct server gives it. {@code
 * ScenarioDirectory} writes the users and lists files and a listgate.properties that serve it; with
 * --ldif, {@code LdapDirectory} writes the same list as an LDIF directory (and a slapd.conf), each
 * member in an {@code LdapForm} that keeps its fate, and {@code Scenario.inLdapForm()} names the
 * members as listgate names them when it reads that directory (--ldap). {@code Send} plays one send
 * over one connection ({@code Conversation}: one command, one reply, never pipelined), in
 * server-list or client-list {@link org.listgate.replay.Mode}, trying several servers in turn as an
 * MTA tries MX hosts when told of more than one (a lost or refused connection or a 421 moves what
 * is not settled to the next); {@code Survival} probes each server afterwards (220 banner, NOOP).
 * With listgate's event logs and Maildirs (one of each a gateway), {@code EventLogTail} and {@code
 * MaildirScan} gather {@code Evidence} of each recipient's fate until all are in; {@code Judge}
 * sets expected against observed fates per member ({@code Fate}, a sealed type) and {@link
 * org.listgate.replay.Report} sums them up, rendered by {@link org.listgate.replay.ReportText}, as
 * JSON, or by {@link org.listgate.replay.ReportHtml} as a self-contained page ({@code ReportChart}
 * draws its SVG chart; {@code HtmlText} escapes every text from the scenario or the server, which
 * holds markup characters and control characters on purpose).
 *
 * <p>DIAGNOSTICS: a lost connection is a value ({@code Send.Failure}) with the command it happened
 * at; so is every reply. The package reads listgate only through its documented files (events.file
 * JSON Lines, Maildir layout), never through its classes, so it judges listgate as it would judge
 * any server.
 *
 * <p>BUGS: without an event log a server's isolation (its NDRs) is not seen: against another
 * server, use SMTP-level results, or {@code --maildir} for delivered copies.
 */
package org.listgate.replay;
