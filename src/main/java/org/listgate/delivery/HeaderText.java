package org.listgate.delivery;

/**
 * Makes text from outside — an address, a remote server's reply — safe to write as one field
 * value of a delivery report.
 *
 * <p>SECURITY: a value may not break its line. CR, LF and every other control or line separator
 * become a space, so {@code "550 no\r\nBcc: victim@example"} is one field, not two. Values are
 * cut at {@link DeliveryReport#MAX_VALUE} characters, keeping each line under RFC 5322's 998.
 */
final class HeaderText {

    private HeaderText() {}

    /** One line of text, whitespace runs made one space, at most {@code MAX_VALUE} characters. */
    static String oneLine(String text) {
        StringBuilder line = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (breaksLine(c) || Character.isWhitespace(c)) {
                space = true;
            } else {
                if (space && line.length() > 0) {
                    line.append(' ');
                }
                space = false;
                line.append(c);
            }
        }
        if (line.length() <= DeliveryReport.MAX_VALUE) {
            return line.toString();
        }
        int end = DeliveryReport.MAX_VALUE;
        if (Character.isHighSurrogate(line.charAt(end - 1))) {
            end--; // do not split a surrogate pair
        }
        return line.substring(0, end) + "...";
    }

    /** {@link #oneLine}, with every character outside US-ASCII shown as {@code ?} (RFC 3464 §2.1). */
    static String ascii(String text) {
        String line = oneLine(text);
        if (isAscii(line)) {
            return line;
        }
        StringBuilder ascii = new StringBuilder(line.length());
        line.codePoints().forEach(c -> ascii.append(c < 0x7F ? (char) c : '?'));
        return ascii.toString();
    }

    static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static boolean breaksLine(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
