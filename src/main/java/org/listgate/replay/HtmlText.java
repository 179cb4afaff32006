package org.listgate.replay;

/**
 * Text from a scenario or a server made safe for an HTML (and XML) page: the five markup characters
 * as references, control characters shown as {@code \xNN}, a lone surrogate as U+FFFD.
 *
 * <p>SECURITY: member addresses hold {@code <}, {@code &}, quotes and control characters on
 * purpose, and a server's replies are whatever it sends; everything the report prints goes through
 * {@link #of}, in element content and in quoted attribute values alike. Control characters are not
 * written as character references because XML 1.0 forbids even a reference to U+0007; showing them
 * as text also matches the terminal report ({@link Printable}).
 */
final class HtmlText {

    private HtmlText() {}

    static String of(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                        out.append(String.format("\\x%02X", (int) c));
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
