package org.listgate.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.listgate.events.Text;

/**
 * The argument of MAIL FROM: or RCPT TO:, split into the path and the ESMTP parameters (RFC 5321
 * §4.1.2: {@code "FROM:" Reverse-path [SP Mail-parameters]}). Liberal in what it takes: a space
 * after the colon and a path without angle brackets are accepted, as Postfix does; the path itself
 * is checked by the address parser.
 */
record PathArgument(String path, List<String> parameters) {

    PathArgument {
        parameters = List.copyOf(parameters);
    }

    /** Splits {@code line} ("MAIL FROM:<a@b> SIZE=10"); empty if it is not of that form. */
    static Optional<PathArgument> parse(String line, String verb, String keyword) {
        String rest =
                line.length() > verb.length() ? line.substring(verb.length()).stripLeading() : "";
        if (!rest.toUpperCase(Locale.ROOT).startsWith(keyword)) {
            return Optional.empty();
        }
        rest = rest.substring(keyword.length()).stripLeading();
        if (rest.isEmpty()) {
            return Optional.empty();
        }
        int end;
        if (rest.charAt(0) == '<') {
            end = closingBracket(rest);
            if (end < 0) {
                // Unbalanced: hand the whole text to the address parser, which says why.
                return Optional.of(new PathArgument(rest, List.of()));
            }
            end++;
        } else {
            end = rest.indexOf(' ');
            end = end < 0 ? rest.length() : end;
        }
        String path = rest.substring(0, end);
        List<String> parameters = new ArrayList<>();
        for (String parameter : rest.substring(end).trim().split(" +", -1)) {
            if (!parameter.isEmpty()) {
                parameters.add(parameter);
            }
        }
        return Optional.of(new PathArgument(path, parameters));
    }

    /** The index of the '>' that closes the path, skipping quoted text; -1 if none. */
    private static int closingBracket(String text) {
        boolean quoted = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '>') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the path holds a character past ASCII (as sent in UTF-8, or a byte that was not
     * UTF-8): RFC 6531, such an address needs SMTPUTF8, which listgate does not offer.
     */
    static boolean isEightBit(String path) {
        return path.chars().anyMatch(c -> c >= 0x80);
    }

    boolean isEightBit() {
        return isEightBit(path);
    }

    /** The SIZE the client declared (0 when none; call after {@link #checkMailParameters}). */
    long declaredSize() {
        for (String parameter : parameters) {
            String upper = parameter.toUpperCase(Locale.ROOT);
            if (upper.startsWith("SIZE=") && upper.substring(5).matches("[0-9]{1,18}")) {
                return Long.parseLong(upper.substring(5));
            }
        }
        return 0;
    }

    /**
     * MAIL parameters: SIZE (RFC 1870: refused with 552 5.3.4 when over the limit) and BODY (RFC
     * 6152: 7BIT or 8BITMIME), and AUTH (RFC 4954 §5) when AUTH is offered. Anything else is not
     * offered: 555 5.5.4.
     */
    Optional<Reply> checkMailParameters(long maxMessageBytes, boolean authOffered) {
        for (String parameter : parameters) {
            String upper = parameter.toUpperCase(Locale.ROOT);
            if (upper.startsWith("SIZE=")) {
                String value = upper.substring(5);
                if (!value.matches("[0-9]{1,20}")) {
                    return Optional.of(Reply.UNSUPPORTED_PARAMETER.withText("Bad SIZE parameter"));
                }
                if (value.length() > 18 || Long.parseLong(value) > maxMessageBytes) {
                    return Optional.of(
                            Reply.MESSAGE_TOO_BIG.withText("Message size exceeds fixed limit"));
                }
            } else if (upper.equals("BODY=7BIT") || upper.equals("BODY=8BITMIME")) {
                // accepted: the content goes on as it came
            } else if (authOffered && upper.startsWith("AUTH=")) {
                // RFC 4954 §5: the identity a relaying server vouches for; listgate trusts only its
                // own AUTH, so the value is accepted and not used.
            } else {
                return Optional.of(
                        Reply.UNSUPPORTED_PARAMETER.withText(
                                "Unsupported option: " + Text.cut(parameter)));
            }
        }
        return Optional.empty();
    }
}
