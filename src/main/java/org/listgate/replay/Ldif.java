package org.listgate.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * LDIF (RFC 2849) as replay writes it: entries of attribute lines, and the escaping of a value put
 * into a distinguished name (RFC 4514).
 *
 * <p>A value is written as it is ({@code attr: value}) when it is a SAFE-STRING of RFC 2849 §2 and
 * base64 ({@code attr:: ...}, its UTF-8 octets) otherwise: when it starts with a space, a colon or
 * a {@code <}, ends with a space (RFC 2849 note 8: SHOULD), or holds a character outside printable
 * ASCII. RFC 2849 would let most control characters through as they are (SAFE-CHAR excludes only
 * NUL, LF and CR), but a BEL or an ESC in a file meant to be read and mailed about is base64 here
 * too, as most LDIF writers do. Lines are not folded: a reader must take them of any length.
 */
final class Ldif {

    /** One attribute value of an entry. */
    record Attribute(String name, String value) {}

    /** One entry: its DN and its attribute values, written in this order. */
    record Entry(String dn, List<Attribute> attributes) {
        Entry {
            attributes = List.copyOf(attributes);
        }

        /** The values of attribute {@code name}, in order. */
        List<String> values(String name) {
            List<String> values = new ArrayList<>();
            for (Attribute attribute : attributes) {
                if (attribute.name().equalsIgnoreCase(name)) {
                    values.add(attribute.value());
                }
            }
            return values;
        }
    }

    private Ldif() {}

    /** The entry as an LDIF record, ending in its blank line. */
    static String render(Entry entry) {
        StringBuilder out = new StringBuilder(64 + 40 * entry.attributes().size());
        line(out, "dn", entry.dn());
        for (Attribute attribute : entry.attributes()) {
            line(out, attribute.name(), attribute.value());
        }
        return out.append('\n').toString();
    }

    /** {@code name: value} or {@code name:: base64}, and a line end. */
    static void line(StringBuilder out, String name, String value) {
        out.append(name);
        if (needsBase64(value)) {
            out.append(":: ")
                    .append(
                            Base64.getEncoder()
                                    .encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        } else {
            out.append(": ").append(value);
        }
        out.append('\n');
    }

    /** Whether {@code value} is not an RFC 2849 SAFE-STRING, or is one only by the letter. */
    static boolean needsBase64(String value) {
        if (value.isEmpty()) {
            return false;
        }
        char first = value.charAt(0);
        if (first == ' ' || first == ':' || first == '<' || value.endsWith(" ")) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7F) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code value} made fit for the value of an RDN (RFC 4514 §2.4): a backslash before {@code " +
     * , ; < > \ =}, before a leading {@code #} or space and a trailing space; a control character
     * as {@code \XX}. Non-ASCII stays as it is: a DN is UTF-8.
     */
    static String rdnValue(String value) {
        StringBuilder out = new StringBuilder(value.length() + 4);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean edgeSpace = c == ' ' && (i == 0 || i == value.length() - 1);
            if ("\"+,;<>\\=".indexOf(c) >= 0 || edgeSpace || (c == '#' && i == 0)) {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7F) {
                out.append(String.format(Locale.ROOT, "\\%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
