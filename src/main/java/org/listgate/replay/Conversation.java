package org.listgate.replay;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.listgate.address.Status;
import org.listgate.client.Connect;
import org.listgate.client.DotStuffing;
import org.listgate.client.ReplyReader;

/**
 * One SMTP connection, spoken the way Pegasus Mail spoke it: a command, then its reply, never
 * pipelined. Commands go out as UTF-8 bytes (an 8-bit address stays 8-bit on the wire); replies are
 * read by {@link ReplyReader}, as ISO-8859-1, so no byte a server sends can break the reading.
 *
 * <p>DIAGNOSTICS: whatever ends the connection unasked for is a {@link Lost}: the connection reset
 * or closed by the server, no reply in time, or a line that is not an SMTP reply. A {@code 421} is
 * a reply: the server says goodbye, which a server that survives may do.
 */
final class Conversation implements Closeable {

    /** How a connection was lost. */
    enum Loss {
        REFUSED("connection refused"),
        RESET("connection reset by the server"),
        CLOSED("connection closed by the server"),
        TIMEOUT("no reply in time"),
        GARBLED("a reply that is not SMTP");

        private final String words;

        Loss(String words) {
            this.words = words;
        }

        String words() {
            return words;
        }
    }

    /** The connection is gone: how, and what was said last. */
    static final class Lost extends Exception {
        private static final long serialVersionUID = 1L;
        private final Loss loss;

        Lost(Loss loss, String detail) {
            super(detail, null, false, false);
            this.loss = loss;
        }

        Loss loss() {
            return loss;
        }
    }

    /** A reply: its code, its enhanced status if it has one (RFC 2034), and its lines' text. */
    record Reply(int code, String status, String text) {
        boolean positive() {
            return code / 100 == 2 || code / 100 == 3;
        }

        @Override
        public String toString() {
            return status.isEmpty() ? code + " " + text : code + " " + status + " " + text;
        }
    }

    private final Socket socket;
    private final ReplyReader replies;
    private final OutputStream out;

    private Conversation(Socket socket) throws IOException {
        this.socket = socket;
        this.replies = new ReplyReader(new BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
    }

    /** Connects; the first reply (the banner) is the caller's to read. */
    static Conversation open(String host, int port, Duration timeout) throws Lost {
        Socket socket;
        try {
            socket = Connect.open(host, port, timeout);
        } catch (Connect.Failure e) {
            throw switch (e.kind()) {
                case REFUSED, FAILED -> new Lost(Loss.REFUSED, e.detail());
                case TIMED_OUT -> new Lost(Loss.TIMEOUT, "connect timed out");
            };
        }
        try {
            return new Conversation(socket);
        } catch (IOException e) {
            Connect.closeQuietly(socket);
            throw new Lost(Loss.REFUSED, e.getMessage());
        }
    }

    /** Sends {@code command} and CR LF, then reads its reply. */
    Reply command(String command) throws Lost {
        write(command.concat("\r\n").getBytes(StandardCharsets.UTF_8));
        return reply();
    }

    /** Sends a message's content (CR LF lines), dot-stuffed, and the end-of-data line. */
    void content(byte[] message) throws Lost {
        write(DotStuffing.data(message));
    }

    /** Reads one reply, all its lines. */
    Reply reply() throws Lost {
        ReplyReader.Reply reply;
        try {
            reply = replies.read();
        } catch (ReplyReader.Unreadable e) {
            throw switch (e.fault()) {
                case CLOSED -> new Lost(Loss.CLOSED, "end of stream");
                case CLOSED_MID_LINE -> new Lost(Loss.CLOSED, "end of stream mid-line");
                case GARBLED -> new Lost(Loss.GARBLED, "\"" + Printable.of(e.line(), 80) + "\"");
                case LINE_TOO_LONG ->
                        new Lost(
                                Loss.GARBLED,
                                "a reply line longer than " + ReplyReader.MAX_LINE + " octets");
                case TOO_MANY_LINES ->
                        new Lost(
                                Loss.GARBLED,
                                "a reply of more than " + ReplyReader.MAX_LINES + " lines");
            };
        } catch (SocketTimeoutException e) {
            throw new Lost(Loss.TIMEOUT, "no reply within " + timeoutSeconds() + " s");
        } catch (IOException e) {
            throw lost(e);
        }
        return reply(reply.code(), reply.texts());
    }

    private static Reply reply(int code, List<String> texts) {
        String first = texts.get(0);
        int space = first.indexOf(' ');
        String head = space < 0 ? first : first.substring(0, space);
        if (code >= 200 && Status.isEnhanced(head, code)) {
            return new Reply(code, head, space < 0 ? "" : first.substring(space + 1));
        }
        return new Reply(code, "", first);
    }

    private void write(byte[] bytes) throws Lost {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw lost(e);
        }
    }

    private static Lost lost(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof SocketException
                && (message.contains("reset") || message.contains("Broken pipe"))) {
            return new Lost(Loss.RESET, message);
        }
        return new Lost(Loss.CLOSED, message);
    }

    private long timeoutSeconds() {
        try {
            return Duration.ofMillis(socket.getSoTimeout()).toSeconds();
        } catch (SocketException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        Connect.closeQuietly(socket);
    }
}
