package org.listgate.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.eclipse.angus.mail.dsn.MessageHeaders;

/**
 * The third part of a delivery report: the original message's header section, so the sender can
 * tell which message it was (RFC 6522 §4, {@code text/rfc822-headers}).
 *
 * <p>The original may be anything a client sent: no header section, binary junk, bare LFs, 8-bit
 * bytes, lines without a colon. What is returned is the header fields that parse, possibly none,
 * and never a reason to fail the report:
 *
 * <ul>
 *   <li>at most {@link #MAX_BYTES} of the original are read; a header cut there is dropped;
 *   <li>a line is kept only if it starts with an RFC 5322 §3.6.8 field name (printable US-ASCII, no
 *       colon) followed by a colon; names starting with {@code -} are dropped too, so no kept line
 *       can read as a MIME boundary of the report;
 *   <li>bytes other than printable US-ASCII and TAB become {@code ?}: raw 8-bit is not allowed in
 *       RFC 5322 headers, and this keeps the part 7bit for any relay. Encoded words (RFC 2047) are
 *       ASCII and survive.
 * </ul>
 */
final class ReturnedHeaders {

    /** Postfix's {@code header_size_limit} is 100 KiB; a report needs less. */
    static final int MAX_BYTES = 64 * 1024;

    private static final byte[] CRLF = {'\r', '\n'};

    private ReturnedHeaders() {}

    /**
     * Reads the header section from the start of {@code original}. The result is parsed from bytes
     * so that it is written back exactly (see {@link DeliveryReport}'s BUGS).
     */
    static MessageHeaders read(InputStream original) throws IOException, MessagingException {
        byte[] head = original.readNBytes(MAX_BYTES);
        ByteArrayInputStream in = new ByteArrayInputStream(head);
        // InternetHeaders stops at the first empty line; CR, LF and CRLF all end a line. However
        // it decodes 8-bit bytes, printable() below keeps only US-ASCII.
        List<String> lines = Collections.list(new InternetHeaders(in).getAllHeaderLines());
        if (head.length == MAX_BYTES && in.available() == 0 && !lines.isEmpty()) {
            // The section went on past the cap: its last field may be cut short.
            lines.remove(lines.size() - 1);
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream(head.length + 2);
        for (String line : lines) {
            if (isField(line)) {
                kept.write(printable(line).getBytes(StandardCharsets.US_ASCII));
                kept.write(CRLF);
            }
        }
        kept.write(CRLF);
        return new MessageHeaders(new ByteArrayInputStream(kept.toByteArray()));
    }

    /** RFC 5322 §3.6.8: {@code field-name = 1*ftext}, ftext being %d33-57 / %d59-126. */
    static boolean isField(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0 || line.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = line.charAt(i);
            if (c < 33 || c > 126) {
                return false;
            }
        }
        return true;
    }

    /**
     * Replaces what is not printable US-ASCII; the CRLFs that Jakarta Mail keeps between a folded
     * field's lines stay, each followed by the folding white space that begins a continuation.
     */
    private static String printable(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            boolean fold =
                    c == '\r'
                            && i + 2 < field.length()
                            && field.charAt(i + 1) == '\n'
                            && (field.charAt(i + 2) == ' ' || field.charAt(i + 2) == '\t');
            if (fold) {
                out.append("\r\n");
                i++;
            } else {
                out.append(c == '\t' || (c >= 32 && c < 127) ? c : '?');
            }
        }
        return out.toString();
    }
}
