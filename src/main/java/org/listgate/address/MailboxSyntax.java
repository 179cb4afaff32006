package org.listgate.address;

import java.util.Optional;

/**
 * The RFC 5321 §4.1.2 Mailbox grammar: {@code Local-part "@" ( Domain / address-literal )}.
 *
 * <p>Callers pass text that is non-empty, printable ASCII (no control or 8-bit characters) and
 * without angle brackets or source route; {@link Addresses} makes it so. Every check is one pass
 * over the text, with no regular expressions, so hostile input costs linear time.
 */
final class MailboxSyntax {

    /** RFC 5321 §4.5.3.1.1. */
    static final int MAX_LOCAL_PART = 64;

    /** RFC 5321 §4.5.3.1.2: "a domain name or number". */
    static final int MAX_DOMAIN = 255;

    /** RFC 1035 §2.3.4. */
    static final int MAX_LABEL = 63;

    // RFC 5322 §3.2.3 atext, besides ALPHA and DIGIT.
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private MailboxSyntax() {}

    static ParseResult parse(String text, Status status) {
        Optional<String> problem = splitProblem(text);
        if (problem.isPresent()) {
            return new ParseResult.Invalid(status, problem.get());
        }
        int at = localPartEnd(text);
        String localPart = text.substring(0, at);
        String domain = text.substring(at + 1);
        problem = localPartProblem(localPart).or(() -> domainProblem(domain, true));
        if (problem.isPresent()) {
            return new ParseResult.Invalid(status, problem.get());
        }
        return new ParseResult.Valid(Mailbox.parsed(text, domain));
    }

    /** RFC 5321 §4.1.2: {@code A-d-l = At-domain *( "," At-domain )}, At-domain = "@" Domain. */
    static boolean isSourceRoute(String route) {
        int start = 0;
        while (start <= route.length()) {
            int comma = route.indexOf(',', start);
            int end = comma < 0 ? route.length() : comma;
            if (end == start
                    || route.charAt(start) != '@'
                    || domainProblem(route.substring(start + 1, end), false).isPresent()) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /** Whether the text splits into one local part, one unquoted "@" and a domain. */
    private static Optional<String> splitProblem(String text) {
        if (text.isEmpty()) {
            return Optional.of("empty address");
        }
        int at = localPartEnd(text);
        if (at < 0) {
            return Optional.of("unbalanced quote");
        }
        // A quoted local part may hold spaces (qtextSMTP includes %d32); nothing else may.
        int unquoted = text.charAt(0) == '"' ? at : 0;
        if (text.indexOf(' ', unquoted) >= 0) {
            return Optional.of("whitespace in address");
        }
        if (at == text.length()) {
            return Optional.of("missing @");
        }
        if (text.charAt(at) != '@') {
            return Optional.of("text after quoted local part");
        }
        if (text.indexOf('@', at + 1) >= 0) {
            return Optional.of("more than one @");
        }
        return Optional.empty();
    }

    /**
     * Where the local part ends: the first "@" of a Dot-string, or just after the closing quote of
     * a Quoted-string (text length if there is no "@"; -1 if the quote is never closed).
     */
    private static int localPartEnd(String text) {
        if (text.charAt(0) != '"') {
            int at = text.indexOf('@');
            return at < 0 ? text.length() : at;
        }
        // RFC 5321 §4.1.2: quoted-pairSMTP = %d92 %d32-126, so a backslash escapes any character.
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        return -1;
    }

    // RFC 5321 §4.1.2: Local-part = Dot-string / Quoted-string
    private static Optional<String> localPartProblem(String localPart) {
        if (localPart.isEmpty()) {
            return Optional.of("empty local part");
        }
        if (localPart.length() > MAX_LOCAL_PART) {
            return Optional.of("local part longer than 64 octets");
        }
        if (localPart.charAt(0) == '"') {
            // The grammar allows "" but no mailbox can be named by nothing; RFC 5321 §4.1.2
            // asks hosts not to define local parts that need quoting at all.
            return localPart.length() == 2 ? Optional.of("empty local part") : Optional.empty();
        }
        // Dot-string = Atom *("." Atom)
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            if (c == '.') {
                if (i == 0) {
                    return Optional.of("leading dot");
                }
                if (localPart.charAt(i - 1) == '.') {
                    return Optional.of("consecutive dots");
                }
                if (i == localPart.length() - 1) {
                    return Optional.of("trailing dot");
                }
            } else if (!isAtext(c)) {
                return Optional.of("invalid character in local part");
            }
        }
        return Optional.empty();
    }

    /**
     * RFC 5321 §4.1.2: {@code Domain = sub-domain *("." sub-domain)}, {@code sub-domain = Let-dig
     * [Ldh-str]}; or, where a mailbox allows it, an address-literal.
     */
    static Optional<String> domainProblem(String domain, boolean literalAllowed) {
        if (domain.isEmpty()) {
            return Optional.of("empty domain");
        }
        if (domain.length() > MAX_DOMAIN) {
            return Optional.of("domain longer than 255 octets");
        }
        if (literalAllowed && domain.charAt(0) == '[') {
            return AddressLiteral.problem(domain);
        }
        int labelStart = 0;
        for (int i = 0; i <= domain.length(); i++) {
            char c = i < domain.length() ? domain.charAt(i) : '.';
            if (c != '.') {
                if (!isLetDig(c) && c != '-') {
                    return Optional.of("invalid character in domain");
                }
                continue;
            }
            Optional<String> problem = labelProblem(domain, labelStart, i);
            if (problem.isPresent()) {
                return problem;
            }
            labelStart = i + 1;
        }
        return Optional.empty();
    }

    /** The label {@code domain[start, end)}, whose characters are already known to be Ldh. */
    private static Optional<String> labelProblem(String domain, int start, int end) {
        if (start == end) {
            if (start == 0) {
                return Optional.of("leading dot in domain");
            }
            return end == domain.length()
                    ? Optional.of("trailing dot in domain")
                    : Optional.of("consecutive dots in domain");
        }
        if (end - start > MAX_LABEL) {
            return Optional.of("label longer than 63 octets");
        }
        if (domain.charAt(start) == '-') {
            return Optional.of("label starts with hyphen");
        }
        if (domain.charAt(end - 1) == '-') {
            return Optional.of("label ends with hyphen");
        }
        return Optional.empty();
    }

    private static boolean isAtext(char c) {
        return isLetDig(c) || ATEXT_SPECIALS.indexOf(c) >= 0;
    }

    private static boolean isLetDig(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
