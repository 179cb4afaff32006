/**
 * SMTP — the listener, the wire beneath SubEtha SMTP and the one adapter above it.
 *
 * <p>{@link org.listgate.smtp.SmtpListener} runs SubEtha SMTP on a server socket whose connections
 * come through a {@code Wire} (line discipline, deadlines, write watchdog); {@code SubethaAdapter}
 * hands every command to the connection's {@code Dialogue}, which decides every reply; {@code
 * Clients} counts each client's connections, rates, AUTH failures and logged refusals; {@code
 * Transaction} holds one mail transaction; {@code RecipientPolicy} decides one RCPT (local, relay,
 * refused); {@code DataReader} reads DATA off the wire into the spool as RFC 5321 text; {@code
 * AuthExchange} runs one SASL exchange; {@code StartTls} the handshake; {@link
 * org.listgate.smtp.Reply} names every reply listgate gives.
 *
 * <p>EVENTS: 3001 per refused RCPT (at once; at most 100 a minute per client, then 3012 with the
 * count), 3005 per refused message, 2001 per accepted message, then 4037 (stage {@code rcpt}) per
 * refused RCPT of that transaction; 3011 when a client is cut off or refused for a limit; 2011 and
 * 3013 for AUTH; 9001 when the session boundary catches a fault (the reply is {@code 451 4.3.0}).
 *
 * <p>LIMITS: see README, "Security": command lines of 512 octets, {@code smtp.commandTimeout},
 * {@code smtp.minDataRate}, {@code smtp.idleTimeout} (reads and writes), {@code
 * smtp.soft/hardErrorLimit} (every reply of 400 or more, RSET does not forgive it), {@code
 * smtp.junkCommandLimit}, {@code smtp.maxConnections}, {@code smtp.maxConnectionsPerClient} (IPv6
 * by /64), the optional client rates, {@code limits.maxRecipients} (repeats count), {@code
 * limits.maxMessageBytes}, {@code limits.maxHeaderBytes}, {@code limits.maxHops}. A client in
 * {@code relay.networks} or authenticated is trusted: it may relay and is not charged for refused
 * recipients.
 *
 * <p>HOSTILE INPUT: SubEtha only ever reads lines the wire lets through, so none of its own replies
 * is reached; a long line is skipped, never buffered; memory per connection is one command line,
 * one data line and the transaction's recipients (bounded by the limits). DATA ends only at
 * CRLF.CRLF; a bare CR, LF or NUL refuses the message after its real end (or is normalised), so no
 * message can be smuggled inside another and no downstream MTA reads what listgate did not.
 * Plaintext pipelined behind STARTTLS is dropped (CVE-2011-0411). RCPT and MAIL arguments go
 * through the RFC 5321 parser, never into a header unescaped; a client's words are cut to 256
 * visible characters in events; HELO is reduced to printable ASCII in Received.
 *
 * <p>BUGS: an AUTH response line is held to the 512 octets of a command line, short of the 12,288
 * RFC 4954 allows; no mechanism needs more for a password of a sane length.
 */
package org.listgate.smtp;
