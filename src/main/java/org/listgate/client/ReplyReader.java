package org.listgate.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a server's replies, SMTP (RFC 5321 §4.2) or LMTP (RFC 2033 §4.2, the same form), one at a
 * time from the stream it is given (buffer it): {@code 250-first}, {@code 250-more}, then {@code
 * 250 last}, each line ended by LF, a CR before it dropped. Octets are read as ISO-8859-1, so no
 * byte a server sends can break the reading.
 *
 * <pre>
 * ReplyReader replies = new ReplyReader(new BufferedInputStream(socket.getInputStream()));
 * try { ReplyReader.Reply banner = replies.read(); ... }
 * catch (ReplyReader.Unreadable e) { ... e.fault() ... }   // closed, garbled, too long
 * catch (IOException e) { ... }                             // the socket's own: timeout, reset
 * </pre>
 *
 * <p>Each client maps an {@link Unreadable} onto its own failure, in its own words.
 *
 * <p>SECURITY: a line is at most {@value #MAX_LINE} octets and a reply at most {@value #MAX_LINES}
 * lines, so a hostile server cannot make the client hold more; a line that is not a reply line (no
 * three-digit code, or neither space nor hyphen after it) is a fault, never guessed at.
 *
 * <p>Not thread-safe: one reader a connection.
 */
public final class ReplyReader {

    /**
     * The longest reply line read, in octets before its LF (a CR included); RFC 5321 §4.5.3.1.5
     * allows 512, servers say more.
     */
    public static final int MAX_LINE = 8192;

    /** The most lines one reply may have (an EHLO answer has a dozen). */
    public static final int MAX_LINES = 100;

    /**
     * One reply: the code of its last line, and its lines as sent, without their line ends ({@code
     * 250-mx.example.test}, {@code 250 HELP}).
     */
    public record Reply(int code, List<String> lines) {
        public Reply {
            lines = List.copyOf(lines);
        }

        /** The last line, whole: {@code 250 2.0.0 Ok: queued as 1A2B}. */
        public String last() {
            return lines.get(lines.size() - 1);
        }

        /** Each line's text after its code and separator ({@code ""} for a bare code). */
        public List<String> texts() {
            return lines.stream().map(line -> line.length() > 4 ? line.substring(4) : "").toList();
        }
    }

    /** Why no reply could be read. */
    public enum Fault {
        /** The stream ended between lines: before a reply, or between the lines of one. */
        CLOSED,
        /** The stream ended in the middle of a line (no line end after its last octets). */
        CLOSED_MID_LINE,
        /** A line that is not a reply line; {@link Unreadable#line()} is it. */
        GARBLED,
        /** A line longer than {@value ReplyReader#MAX_LINE} octets. */
        LINE_TOO_LONG,
        /** More than {@value ReplyReader#MAX_LINES} lines in one reply. */
        TOO_MANY_LINES
    }

    /** No reply: the fault, and for {@link Fault#GARBLED} the line (else empty). */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        private final Fault fault;
        private final String line;

        Unreadable(Fault fault, String line) {
            super(fault + (line.isEmpty() ? "" : ": " + line), null, false, false);
            this.fault = fault;
            this.line = line;
        }

        public Fault fault() {
            return fault;
        }

        public String line() {
            return line;
        }
    }

    private final InputStream in;
    private final StringBuilder line = new StringBuilder(128);

    public ReplyReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads one reply, all its lines. The stream's own exceptions ({@code SocketTimeoutException},
     * a reset) come through as they are.
     */
    public Reply read() throws Unreadable, IOException {
        List<String> lines = new ArrayList<>(1);
        while (lines.size() < MAX_LINES) {
            String text = line();
            if (text.length() < 3
                    || !isDigit(text.charAt(0))
                    || !isDigit(text.charAt(1))
                    || !isDigit(text.charAt(2))
                    || (text.length() > 3 && text.charAt(3) != ' ' && text.charAt(3) != '-')) {
                throw new Unreadable(Fault.GARBLED, text);
            }
            lines.add(text);
            if (text.length() == 3 || text.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(text.substring(0, 3)), lines);
            }
        }
        throw new Unreadable(Fault.TOO_MANY_LINES, "");
    }

    private String line() throws Unreadable, IOException {
        line.setLength(0);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new Unreadable(line.length() == 0 ? Fault.CLOSED : Fault.CLOSED_MID_LINE, "");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new Unreadable(Fault.LINE_TOO_LONG, "");
            }
            line.append((char) b); // ISO-8859-1: one octet, one char
        }
    }

    /** An ASCII digit (not any Unicode one: an octet above 127 is no digit here). */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
