package org.listgate.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.listgate.events.Text;

/**
 * The line discipline between one client's socket and SubEtha SMTP. Everything the client sends
 * passes through here first, so SubEtha only ever reads short, well-formed CRLF lines whose verb it
 * can dispatch; everything listgate says goes out through a write that a stalled client cannot hold
 * for ever.
 *
 * <ul>
 *   <li>RFC 5321 §4.5.3.1.4: a command line is at most 512 octets with its CRLF. A longer one is
 *       read to its end and dropped, never held in memory.
 *   <li>RFC 5321 §2.3.8: lines end in CRLF. A bare LF ends a line, a bare CR or a NUL taints it;
 *       such a line, a line too long, an unknown verb and an HTTP or proxy request reach SubEtha as
 *       {@link #FAULT_LINE}, and {@link #fault()} says what was wrong.
 *   <li>Bytes that are not UTF-8 become U+FFFD, so SubEtha's decoder never ends the session; the
 *       commands refuse 8-bit text where it is not allowed.
 *   <li>Deadlines: the first byte of a command within {@code idle}; the rest of the line within
 *       {@code command} of it; DATA within {@code command} plus one second per {@code minDataRate}
 *       octets received (Postfix's {@code smtpd_min_data_rate}), so a client dripping one byte at a
 *       time is cut off. Past a deadline the client gets {@code 421 4.4.2} and the input ends.
 *   <li>Reads hand SubEtha at most one line at a time, so its buffer never holds a byte past the
 *       current command: DATA, AUTH and STARTTLS read from here directly and find the next byte
 *       where the client put it.
 * </ul>
 *
 * <p>One file, longer than most here, because the deadlines, the line limit and the byte-level
 * checks all act on the same read loop and the same buffer: split apart, each would need to see
 * every byte the others see.
 */
final class Wire {

    /** What SubEtha reads instead of a line that cannot be dispatched as sent. */
    static final String FAULT_LINE = "\u0001FLT";

    /** RFC 5321 §4.5.3.1.4: 512 octets including the CRLF. */
    static final int MAX_COMMAND_LINE = 510;

    /** What was wrong with the last line; {@code verb} as far as it could be read. */
    record Fault(Kind kind, String verb) {
        enum Kind {
            TOO_LONG,
            BARE_LF,
            BARE_CR,
            NUL,
            UNKNOWN_COMMAND,
            FORBIDDEN_COMMAND
        }
    }

    /** The deadlines and limits of one connection. */
    record Timing(Duration idle, Duration command, long minDataRate) {}

    /** How the input ended early: a deadline passed (the 421 has been sent) or the client left. */
    static final class Closed extends IOException {
        private static final long serialVersionUID = 1L;

        Closed(String message) {
            super(message);
        }
    }

    private static final Set<String> FORBIDDEN =
            Set.of("GET", "POST", "CONNECT", "HEAD", "PUT", "OPTIONS");

    private final Socket socket;
    private final InputStream in;
    private final GuardedOutput out;
    private final Timing timing;
    private final Set<String> verbs;
    private final String timeoutReply;
    private final byte[] buffer = new byte[4096];
    private int position;
    private int limit;
    private long deadline = Long.MAX_VALUE;
    private Fault fault;
    private String faultText = "";
    private byte[] pending = new byte[0];
    private int pendingPosition;
    private volatile boolean closed;
    private boolean timedOut;

    /**
     * {@code verbs}: the commands SubEtha has been given (upper case); {@code hostname} names the
     * server in the timeout reply.
     */
    Wire(Socket socket, Timing timing, Set<String> verbs, String hostname, Watchdog watchdog)
            throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new GuardedOutput(socket.getOutputStream(), watchdog, socket);
        this.timing = timing;
        this.verbs = Set.copyOf(verbs);
        this.timeoutReply = Reply.TIMEOUT.closingFrom(hostname) + "\r\n";
    }

    Socket socket() {
        return socket;
    }

    /** The stream SubEtha reads commands from. */
    InputStream commands() {
        return commands;
    }

    /** The stream every reply goes out on. */
    OutputStream output() {
        return out;
    }

    /** What was wrong with the line SubEtha last read as {@link #FAULT_LINE}. */
    Fault fault() {
        return fault;
    }

    /** The last line that came as {@link #FAULT_LINE}, printable and cut, for the event log. */
    String faultText() {
        return faultText;
    }

    boolean timedOut() {
        return timedOut;
    }

    /**
     * Reads one line for a command that takes more than one (AUTH's responses): the same limits as
     * a command line; a line with a fault is returned as empty. Empty at the end of input.
     */
    java.util.Optional<String> readResponseLine() throws IOException {
        byte[] line = readLine();
        if (line == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(fault == null ? decode(line) : "");
    }

    /**
     * The DATA section, read straight off the socket: within the command timeout plus the time
     * {@code minDataRate} allows for what has arrived.
     */
    InputStream data() {
        long start = System.nanoTime();
        return new InputStream() {
            private long received;

            @Override
            public int read() throws IOException {
                if (position == limit && !fill(dataDeadline())) {
                    return -1;
                }
                received++;
                return buffer[position++] & 0xff;
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                if (position == limit && !fill(dataDeadline())) {
                    return -1;
                }
                int count = Math.min(length, limit - position);
                System.arraycopy(buffer, position, target, offset, count);
                position += count;
                received += count;
                return count;
            }

            private long dataDeadline() {
                long allowed = timing.command().toNanos();
                if (timing.minDataRate() > 0) {
                    allowed += received * 1_000_000_000L / timing.minDataRate();
                }
                return start + allowed;
            }
        };
    }

    /**
     * Drops what the client has sent but listgate has not read. After STARTTLS, plaintext the
     * client pipelined behind the command must not be taken as sent under TLS (CVE-2011-0411).
     * Returns the number of octets dropped.
     */
    int discardBuffered() {
        int dropped = limit - position;
        position = limit;
        return dropped;
    }

    /** Sends {@code 421 4.4.2} once a deadline has passed, and ends the input. */
    private void timeOut() {
        if (!closed) {
            timedOut = true;
            closed = true;
            try {
                out.write(timeoutReply.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // The client is gone or not reading: nothing more to tell it.
            }
        }
    }

    /**
     * Refills the buffer, waiting no longer than {@code until} (System.nanoTime); false at the end.
     */
    private boolean fill(long until) throws IOException {
        if (closed) {
            return false;
        }
        long left = until - System.nanoTime();
        long idle = timing.idle().toNanos();
        long wait = Math.min(left, idle);
        if (wait <= 0) {
            timeOut();
            throw new Closed("timeout");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, wait / 1_000_000)));
        int count;
        try {
            count = in.read(buffer, 0, buffer.length);
        } catch (SocketTimeoutException e) {
            timeOut();
            throw new Closed("timeout");
        } catch (IOException e) {
            closed = true;
            throw new Closed("connection lost: " + e.getMessage());
        }
        if (count < 0) {
            closed = true;
            return false;
        }
        position = 0;
        limit = count;
        return true;
    }

    private int next() throws IOException {
        if (position == limit && !fill(deadline)) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /**
     * One line without its end, or null at the end of input. Sets {@link #fault} for a bare CR, a
     * bare LF (which ends the line), a NUL or a line over 510 octets (the rest is skipped).
     */
    private byte[] readLine() throws IOException {
        fault = null;
        byte[] line = new byte[MAX_COMMAND_LINE];
        int length = 0;
        boolean tooLong = false;
        boolean carriageReturn = false;
        Fault.Kind kind = null;
        deadline = System.nanoTime() + timing.idle().toNanos();
        boolean first = true;
        while (true) {
            int b = next();
            if (b < 0) {
                return null;
            }
            if (first) {
                first = false;
                deadline = System.nanoTime() + timing.command().toNanos();
            }
            if (carriageReturn) {
                carriageReturn = false;
                if (b == '\n') {
                    break;
                }
                kind = kind == null ? Fault.Kind.BARE_CR : kind;
                if (length < MAX_COMMAND_LINE) {
                    line[length++] = '\r';
                } else {
                    tooLong = true;
                }
            }
            if (b == '\r') {
                carriageReturn = true;
                continue;
            }
            if (b == '\n') {
                kind = kind == null ? Fault.Kind.BARE_LF : kind;
                break;
            }
            if (b == 0) {
                kind = kind == null ? Fault.Kind.NUL : kind;
            }
            if (length < MAX_COMMAND_LINE) {
                line[length++] = (byte) b;
            } else {
                tooLong = true;
            }
        }
        byte[] result = java.util.Arrays.copyOf(line, length);
        if (tooLong) {
            kind = Fault.Kind.TOO_LONG;
        }
        if (kind != null) {
            fault = new Fault(kind, verbOf(decode(result)));
            faultText = Text.cut(Text.visible(decode(result)));
        }
        return result;
    }

    /** The line SubEtha is given for {@code raw}: the line itself, or {@link #FAULT_LINE}. */
    private String dispatchable(byte[] raw) {
        String text = decode(raw);
        if (fault != null) {
            return FAULT_LINE;
        }
        String verb = verbOf(text);
        if (FORBIDDEN.contains(verb) || verb.endsWith(":")) {
            fault = new Fault(Fault.Kind.FORBIDDEN_COMMAND, verb);
        } else if (text.length() < 4 || !verbs.contains(verb)) {
            fault = new Fault(Fault.Kind.UNKNOWN_COMMAND, verb);
        }
        if (fault != null) {
            faultText = Text.cut(Text.visible(text));
            return FAULT_LINE;
        }
        return text;
    }

    static String verbOf(String line) {
        int space = line.indexOf(' ');
        return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    }

    /** UTF-8, with every byte that is not part of a valid sequence made U+FFFD. */
    private static String decode(byte[] bytes) {
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("a replacing decoder does not throw", e);
        }
    }

    /** The command stream: one line per read, CRLF-terminated, nothing past it. */
    private final InputStream commands =
            new InputStream() {
                @Override
                public int read() throws IOException {
                    if (pendingPosition == pending.length && !nextLine()) {
                        return -1;
                    }
                    return pending[pendingPosition++] & 0xff;
                }

                @Override
                public int read(byte[] target, int offset, int length) throws IOException {
                    if (length == 0) {
                        return 0;
                    }
                    if (pendingPosition == pending.length && !nextLine()) {
                        return -1;
                    }
                    int count = Math.min(length, pending.length - pendingPosition);
                    System.arraycopy(pending, pendingPosition, target, offset, count);
                    pendingPosition += count;
                    return count;
                }

                private boolean nextLine() throws IOException {
                    byte[] raw;
                    try {
                        raw = readLine();
                    } catch (Closed e) {
                        return false;
                    }
                    if (raw == null) {
                        return false;
                    }
                    pending = (dispatchable(raw) + "\r\n").getBytes(StandardCharsets.UTF_8);
                    pendingPosition = 0;
                    return true;
                }
            };
}
