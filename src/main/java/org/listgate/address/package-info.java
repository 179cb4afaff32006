/**
 * address - RFC 5321 mailbox parsing.
 *
 * <h2>SYNOPSIS</h2>
 *
 * <pre>{@code
 * ParseResult r = Addresses.parse("<Alice@Example.ORG>");          // Valid(Alice@example.org)
 * ParseResult s = Addresses.parseReversePath("<>");                 // NullSender()
 * ParseResult t = Addresses.parse("alice@@example.org");            // Invalid(5.1.3, "more than one @")
 * }</pre>
 *
 * <h2>DESCRIPTION</h2>
 *
 * {@link org.listgate.address.Addresses} is the one entry point. It reads one mailbox as written in
 * an SMTP path ({@code <user@domain>}) or bare in a list file ({@code user@domain}) and returns a
 * sealed {@link org.listgate.address.ParseResult}: {@code Valid(Mailbox)}, {@code Invalid(Status,
 * reason)} or, for MAIL FROM only, {@code NullSender} for {@code <>}. A {@link
 * org.listgate.address.Mailbox} keeps the local part as written (quotes included) and the domain in
 * lower case; {@link org.listgate.address.Mailbox#key()} folds case for lookups.
 *
 * <p>Accepted, RFC 5321 §4.1.2: a Dot-string or Quoted-string local part, one "@", and a domain of
 * LDH labels or an address literal ({@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}). Surrounding
 * SP and HTAB are trimmed; angle brackets are optional but must pair. A source route ({@code
 * <@relay1,@relay2:user@domain>}) is checked and dropped (RFC 5321 §4.1.1.3, Appendix C).
 *
 * <h2>DIAGNOSTICS</h2>
 *
 * Invalid results carry 5.1.3 from {@code parse} and 5.1.7 from {@code parseReversePath} (RFC
 * 3463), and a short lower-case reason naming the first problem found, left to right: "empty
 * address", "control character", "8-bit character without SMTPUTF8", "unbalanced angle bracket",
 * "malformed source route", "unbalanced quote", "whitespace in address", "missing @", "more than
 * one @", "empty local part", "leading dot", "consecutive dots", "invalid character in domain",
 * "label longer than 63 octets", "invalid IPv6 address literal", "path longer than 256 octets" and
 * the like. Nothing here logs or emits events; callers decide.
 *
 * <h2>LIMITS</h2>
 *
 * RFC 5321 §4.5.3.1: local part 64 octets, domain 255, path 256 with its angle brackets (a bare
 * address is measured as if bracketed, so at most 254), DNS label 63 (RFC 1035).
 *
 * <h2>SECURITY</h2>
 *
 * Input is hostile. No input throws, {@code null} included. There are no regular expressions and no
 * recursion: each check is a single pass, so a megabyte of text costs a few milliseconds and is
 * refused. Control characters anywhere (CR LF included) are refused rather than stripped, so they
 * cannot reach a log line or a reply; callers strip line endings before parsing a file.
 *
 * <h2>BUGS</h2>
 *
 * No SMTPUTF8 (RFC 6531): any non-ASCII character is refused. {@code ""@domain} is refused although
 * the grammar allows it. A quoted local part is not unquoted when quoting is needless, so {@code
 * "alice"@x} and {@code alice@x} are distinct mailboxes. The "postmaster" special case of RFC 5321
 * §4.1.1.3 is the caller's: here it is "missing @".
 */
package org.listgate.address;
