package org.listgate.delivery;

import org.listgate.events.Text;

/**
 * Makes text from outside — an address, a remote server's reply — safe to write as one field value
 * of a delivery report.
 *
 * <p>SECURITY: a value may not break its line. CR, LF and every other control or line separator
 * become a space ({@link Text#oneLine}), so {@code "550 no\r\nBcc: victim@example"} is one field,
 * not two. Values are cut at {@link DeliveryReport#MAX_VALUE} characters, keeping each line under
 * RFC 5322's 998.
 */
final class HeaderText {

    private HeaderText() {}

    /** One line of text, whitespace runs made one space, at most {@code MAX_VALUE} characters. */
    static String oneLine(String text) {
        return Text.oneLine(text, DeliveryReport.MAX_VALUE);
    }

    /**
     * {@link #oneLine}, with every character outside US-ASCII shown as {@code ?} (RFC 3464 §2.1).
     */
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
}
