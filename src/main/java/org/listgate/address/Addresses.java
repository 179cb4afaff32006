package org.listgate.address;

import java.util.Optional;

/**
 * RFC 5321 path parsing: the one entry point of this package.
 *
 * <p>Reads one mailbox as it appears in an SMTP path argument ({@code <user@example.org>}) or bare
 * in a list file ({@code user@example.org}). Bad input is a value, never an exception: every
 * string, including {@code null} and hostile megabyte-long ones, yields a {@link ParseResult} in
 * time linear in its length. See {@code package-info.java} for the rules.
 */
public final class Addresses {

    /** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, angle brackets included. */
    static final int MAX_PATH = 256;

    private Addresses() {}

    /**
     * Parses a forward-path or a list-file entry. Never returns {@link ParseResult.NullSender}:
     * {@code <>} is not a recipient. Invalid results carry 5.1.3 (bad destination syntax).
     */
    public static ParseResult parse(String text) {
        return parsePath(text, Status.BAD_MAILBOX_SYNTAX, false);
    }

    /**
     * Parses the argument of MAIL FROM. Like {@link #parse}, except that {@code <>} is the null
     * reverse-path ({@link ParseResult.NullSender}, RFC 5321 §4.5.5) and invalid results carry
     * 5.1.7 (bad sender syntax, RFC 3463 §3.2).
     */
    public static ParseResult parseReversePath(String text) {
        return parsePath(text, Status.BAD_SENDER_SYNTAX, true);
    }

    // RFC 5321 §4.1.2: Path = "<" [ A-d-l ":" ] Mailbox ">"
    private static ParseResult parsePath(String text, Status status, boolean nullPathAllowed) {
        if (text == null) {
            return new ParseResult.Invalid(status, "empty address");
        }
        String path = trim(text);
        if (path.isEmpty()) {
            return new ParseResult.Invalid(status, "empty address");
        }
        Optional<String> badCharacter = badCharacter(path);
        if (badCharacter.isPresent()) {
            return new ParseResult.Invalid(status, badCharacter.get());
        }
        boolean opens = path.charAt(0) == '<';
        boolean closes = path.length() > 1 && path.charAt(path.length() - 1) == '>';
        if (opens != closes || path.equals(">")) {
            return new ParseResult.Invalid(status, "unbalanced angle bracket");
        }
        String inner = opens ? path.substring(1, path.length() - 1) : path;
        if (inner.isEmpty()) {
            return opens && nullPathAllowed
                    ? new ParseResult.NullSender()
                    : new ParseResult.Invalid(status, "empty address");
        }
        int routeEnd = sourceRouteEnd(inner);
        if (routeEnd >= 0) {
            // RFC 5321 §4.1.1.3 and Appendix C: a source route MUST be accepted, SHOULD NOT be
            // generated, and SHOULD be ignored: we check its syntax and drop it.
            // "@a:@b:user@d" is a route written with colons for commas, not a mailbox after one.
            if (!MailboxSyntax.isSourceRoute(inner.substring(0, routeEnd))
                    || routeEnd == inner.length() - 1
                    || inner.charAt(routeEnd + 1) == '@') {
                return new ParseResult.Invalid(status, "malformed source route");
            }
            inner = inner.substring(routeEnd + 1);
        }
        ParseResult result = MailboxSyntax.parse(inner, status);
        // The bare form of a list file is measured as if it had its brackets.
        int pathLength = opens ? path.length() : path.length() + 2;
        if (result instanceof ParseResult.Valid && pathLength > MAX_PATH) {
            return new ParseResult.Invalid(status, "path longer than 256 octets");
        }
        return result;
    }

    /** Strips surrounding SP and HTAB; anything else outside is the caller's (CR LF included). */
    private static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isBlank(text.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Why {@code path} holds a character no RFC 5321 path may hold, if it does. An address is ASCII
     * unless SMTPUTF8 (RFC 6531) was negotiated, and listgate does not offer it; control characters
     * are never part of a path (RFC 5321 §4.1.2 qtextSMTP and atext exclude them), and letting one
     * through would smuggle CR LF into logs and replies.
     */
    private static Optional<String> badCharacter(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return Optional.of("control character");
            }
            if (c > 0x7F) {
                return Optional.of("8-bit character without SMTPUTF8");
            }
        }
        return Optional.empty();
    }

    /**
     * The index of the colon ending a source route ({@code @relay1,@relay2:}), or -1 if {@code
     * inner} has none. A route starts with "@" and its domains hold no colon; a colon after a "["
     * belongs to an address literal ({@code @[IPv6:::1]}), which is an empty local part.
     */
    private static int sourceRouteEnd(String inner) {
        if (inner.charAt(0) != '@') {
            return -1;
        }
        for (int i = 1; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == ':') {
                return i;
            }
            if (c == '[') {
                return -1;
            }
        }
        return -1;
    }
}
