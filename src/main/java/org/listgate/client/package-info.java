/**
 * CLIENT — what listgate's own SMTP and LMTP clients ({@code replay}, {@code load}, and the LMTP
 * delivery agent) share: {@code Connect} opens a connection to a server, with its failures told
 * apart (refused, timed out, anything else); {@code MxList} reads a list of servers to try in turn
 * ({@code --host a,b:2526,[::1]:25}); {@code ReplyReader} reads a server's replies, multi-line ones
 * included, and says why when it cannot (closed, garbled, too long); {@code DotStuffing} writes a
 * message's content as it goes after DATA. Each client reports failures in its own terms.
 *
 * <p>SECURITY: a client; it only connects where it is told to. Replies are bounded (8192 octets a
 * line, 100 lines a reply), so a hostile server cannot make a client hold more.
 */
package org.listgate.client;
