/**
 * SMTP — the listener and the one adapter to SubEtha SMTP.
 *
 * <p>{@link org.listgate.smtp.SmtpListener} runs SubEtha SMTP with listgate's EHLO, MAIL, RCPT and
 * DATA installed by {@code SubethaAdapter}; {@code Transaction} holds one mail transaction and
 * decides every reply; {@code RecipientPolicy} decides one RCPT; {@code DataReader} reads DATA
 * off the socket into the spool; {@link org.listgate.smtp.Reply} names every reply listgate gives.
 *
 * <p>EVENTS: 3001 per refused RCPT (at once), 3005 per refused message, 2001 per accepted
 * message, then 4037 (stage {@code rcpt}) per refused RCPT of that transaction; 9001 when the
 * session boundary catches a fault (the reply is {@code 451 4.3.0}).
 *
 * <p>LIMITS: {@code limits.maxRecipients} accepted RCPTs (then 452 4.5.3), twice that many refused
 * ones (then 421 and the connection is closed), {@code limits.maxMessageBytes} (552 5.3.4 after
 * the data is drained), {@code smtp.maxConnections}, {@code smtp.idleTimeout}.
 *
 * <p>HOSTILE INPUT: RCPT and MAIL arguments go through the RFC 5321 parser, never into a header
 * unescaped; arguments are cut to 256 characters in events; the client's HELO is reduced to
 * printable ASCII in Received; DATA ends only at CRLF.CRLF and bare LF is normalised, so no
 * message can be smuggled inside another; an oversize body is drained, never read as commands.
 */
package org.listgate.smtp;
