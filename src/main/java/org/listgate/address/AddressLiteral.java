package org.listgate.address;

import java.util.Optional;

/**
 * RFC 5321 §4.1.3 address literals: {@code [192.0.2.1]} and {@code [IPv6:2001:db8::1]}.
 *
 * <p>The General-address-literal ({@code [tag:content]} with any other tag) is refused: no tag
 * besides IPv6 is registered, so nothing could deliver to it.
 */
final class AddressLiteral {

    private static final String IPV6_TAG = "IPv6:";

    private AddressLiteral() {}

    /** Why {@code literal}, brackets included, is not an address literal, if it is not. */
    static Optional<String> problem(String literal) {
        if (literal.length() < 2 || literal.charAt(literal.length() - 1) != ']') {
            return Optional.of("invalid address literal");
        }
        String content = literal.substring(1, literal.length() - 1);
        // ABNF literal strings are case-insensitive (RFC 5234 §2.3): "ipv6:" is the same tag.
        if (content.regionMatches(true, 0, IPV6_TAG, 0, IPV6_TAG.length())) {
            return isIpv6(content.substring(IPV6_TAG.length()))
                    ? Optional.empty()
                    : Optional.of("invalid IPv6 address literal");
        }
        return isIpv4(content) ? Optional.empty() : Optional.of("invalid address literal");
    }

    /** {@code IPv4-address-literal = Snum 3("." Snum)}, {@code Snum = 1*3DIGIT} up to 255. */
    static boolean isIpv4(String text) {
        int parts = 0;
        int digits = 0;
        int value = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return false;
                }
                value = value * 10 + (c - '0');
            } else if (c == '.') {
                if (digits == 0 || value > 255 || ++parts > 4) {
                    return false;
                }
                digits = 0;
                value = 0;
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    /**
     * {@code IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp}: eight 16-bit groups of one to four
     * hex digits, the last two of which may be written as an IPv4 address; one "::" may stand for
     * at least two zero groups (RFC 5321 §4.1.3, as RFC 5952 §4.2.2), so a compressed address
     * writes at most six.
     */
    static boolean isIpv6(String text) {
        int compression = text.indexOf("::");
        if (compression >= 0 && text.indexOf("::", compression + 1) >= 0) {
            return false; // two "::", or ":::"
        }
        if (compression < 0) {
            return groupCount(text, true) == 8;
        }
        String head = text.substring(0, compression);
        String tail = text.substring(compression + 2);
        int headGroups = head.isEmpty() ? 0 : groupCount(head, false);
        int tailGroups = tail.isEmpty() ? 0 : groupCount(tail, true);
        return headGroups >= 0 && tailGroups >= 0 && headGroups + tailGroups <= 6;
    }

    /**
     * The number of 16-bit groups in {@code text} (colon-separated, non-empty), or -1 if one is
     * malformed. If {@code ipv4Last}, the last group may be an IPv4 address, which counts two.
     */
    private static int groupCount(String text, boolean ipv4Last) {
        int groups = 0;
        int start = 0;
        while (start <= text.length()) {
            int colon = text.indexOf(':', start);
            int end = colon < 0 ? text.length() : colon;
            String group = text.substring(start, end);
            if (colon < 0 && ipv4Last && group.indexOf('.') >= 0) {
                return isIpv4(group) ? groups + 2 : -1;
            }
            if (!isHexGroup(group)) {
                return -1;
            }
            groups++;
            start = end + 1;
        }
        return groups;
    }

    private static boolean isHexGroup(String group) {
        if (group.isEmpty() || group.length() > 4) {
            return false;
        }
        for (int i = 0; i < group.length(); i++) {
            char c = group.charAt(i);
            boolean hex =
                    (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }
}
