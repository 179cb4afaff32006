package org.listgate.load;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.listgate.client.DotStuffing;

/**
 * The messages the load sends, as they go on the wire: an RFC 5322 message of about {@code size}
 * octets (Date, From, To, Subject, Message-ID, MIME headers, then plain text in lines of at most 78
 * characters, CR LF line ends), dot-stuffed (RFC 5321 §4.5.2) and followed by the final dot. The
 * body is the same for every message and made once; the headers name each message ({@code
 * Message-ID: <load.N.STAMP@HELO>}). One body line starts with a dot, so a server that does not
 * undo the stuffing shows it.
 */
final class MessageText {

    /** RFC 5322 §2.1.1: lines SHOULD be no more than 78 characters, excluding the CRLF. */
    static final int MAX_LINE = 78;

    private static final int WRAP = 72;

    private static final String[] WORDS = {
        "the",
        "list",
        "meeting",
        "moved",
        "to",
        "Thursday",
        "room",
        "agenda",
        "minutes",
        "please",
        "bring",
        "your",
        "notes",
        "budget",
        "review",
        "staff",
        "project",
        "deadline",
        "report",
        "quarter",
        "office",
        "closed",
        "holiday",
        "update",
        "schedule",
        "printer",
        "second",
        "floor",
        "coffee",
        "machine",
        "replaced",
        "members",
        "committee",
        "library",
        "hours",
        "weekend",
        "parking",
        "visitors",
        "badge",
        "network",
        "maintenance",
        "tonight",
        "from",
        "until",
        "and",
        "of",
        "in",
        "for",
        "with",
        "on",
        "at",
        "is",
        "will",
        "be",
        "we",
        "all"
    };

    private final String from;
    private final String helo;
    private final String date;
    private final String stamp;
    private final byte[] body;
    private final int size;

    MessageText(String from, String helo, int size, ZonedDateTime now) {
        this.from = from;
        this.helo = helo;
        this.date = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(now);
        this.stamp = Long.toString(now.toInstant().toEpochMilli(), 36);
        int headers = header(0, "x@example.test").length();
        byte[] plain = body(Math.max(0, size - headers));
        this.size = headers + plain.length;
        this.body = DotStuffing.data(plain);
    }

    /** Octets of a message as written (the first's: the header grows with the number). */
    int size() {
        return size;
    }

    /** Message {@code n} to {@code to} (the To: header), stuffed, with the final dot. */
    byte[] wire(long n, String to) {
        byte[] head = DotStuffing.stuffed(header(n, to).getBytes(StandardCharsets.US_ASCII));
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Message {@code n}'s Message-ID, angle brackets included: {@code <load.N.STAMP@HELO>}. */
    String messageId(long n) {
        return "<load." + n + "." + stamp + "@" + helo + ">";
    }

    private String header(long n, String to) {
        return "Date: "
                + date
                + "\r\nFrom: <"
                + from
                + ">\r\nTo: <"
                + to
                + ">\r\nSubject: listgate load message "
                + n
                + "\r\nMessage-ID: "
                + messageId(n)
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
    }

    /** Plain text of about {@code size} octets, paragraphs of words, the same every time. */
    static byte[] body(int size) {
        StringBuilder text = new StringBuilder(size + 80);
        StringBuilder line = new StringBuilder(80);
        long seed = 17;
        int lines = 0;
        while (text.length() + line.length() + 2 < size) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            String word = WORDS[(int) ((seed >>> 33) % WORDS.length)];
            if (line.length() + 1 + word.length() > WRAP) {
                text.append(line).append("\r\n");
                line.setLength(0);
                lines++;
                if (lines % 8 == 0) {
                    text.append("\r\n");
                }
                if (lines == 3) {
                    line.append(".");
                }
            }
            if (line.length() > 0 && line.charAt(line.length() - 1) != '.') {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            text.append(line).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
