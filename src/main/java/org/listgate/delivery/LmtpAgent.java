package org.listgate.delivery;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.listgate.address.Mailbox;
import org.listgate.address.Status;
import org.listgate.client.Connect;
import org.listgate.client.DotStuffing;
import org.listgate.client.ReplyReader;
import org.listgate.config.Config;
import org.listgate.spool.QueuedMessage;

/**
 * Local delivery by LMTP (RFC 2033) to a mailbox server such as Dovecot, instead of Maildirs: one
 * transaction for a batch of recipients that came through the same lists, and one reply per
 * accepted recipient after the data, each mapped onto that recipient's outcome — 2xx delivered, 4xx
 * deferred, 5xx failed (its 4037 and bounce follow as for any failure).
 *
 * <p>The copy is the message as spooled, with the lists' {@code Delivered-To} fields first (they
 * are the same for the whole batch: the batch is made per lists); the per-recipient {@code
 * Delivered-To} of a Maildir copy is the mailbox server's to add (Dovecot: {@code
 * lmtp_hdr_delivery_address}), since one content goes to every recipient of the batch.
 *
 * <p>DIAGNOSTICS: a server that cannot be reached, refuses the transaction, stops answering within
 * {@code delivery.lmtpTimeout} or goes away defers every recipient whose own reply did not come
 * (4.4.1 no answer, 4.4.2 connection lost): a recipient whose copy the server had saved but whose
 * reply was lost is tried again, a duplicate, never a loss.
 */
final class LmtpAgent implements Agents.Relay {

    /** A reply's code and the enhanced status code after it (RFC 2034). */
    private static final java.util.regex.Pattern ENHANCED_CODE =
            java.util.regex.Pattern.compile(
                    "^[245][0-9][0-9][ -]([245]\\.[0-9]{1,3}\\.[0-9]{1,3})\\b");

    private final Config.Lmtp target;
    private final String hostname;
    private final ScheduledExecutorService deadlines =
            Executors.newSingleThreadScheduledExecutor(
                    runnable -> {
                        Thread thread = new Thread(runnable, "lmtp-deadline");
                        thread.setDaemon(true);
                        return thread;
                    });

    LmtpAgent(Config.Lmtp target, String hostname) {
        this.target = target;
        this.hostname = hostname;
    }

    @Override
    public List<Outcome> deliver(
            QueuedMessage message, List<Mailbox> recipients, List<String> lists) {
        Outcome[] outcomes = new Outcome[recipients.size()];
        try (Connection connection = connect()) {
            transaction(connection, message, recipients, lists, outcomes);
        } catch (Unanswered e) {
            fillDeferred(outcomes, recipients, e.status, e.getMessage());
        } catch (IOException e) {
            fillDeferred(
                    outcomes,
                    recipients,
                    Status.parse("4.4.2"),
                    "connection to " + target + " lost: " + e.getMessage());
        }
        fillDeferred(outcomes, recipients, Status.parse("4.4.2"), "no reply from " + target);
        return List.of(outcomes);
    }

    private void transaction(
            Connection connection,
            QueuedMessage message,
            List<Mailbox> recipients,
            List<String> lists,
            Outcome[] outcomes)
            throws IOException {
        expect(connection.reply(), 2, "greeting");
        expect(connection.command("LHLO " + hostname), 2, "LHLO");
        expect(connection.command("MAIL FROM:" + message.envelope().reversePath()), 2, "MAIL");
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            String reply = connection.command("RCPT TO:<" + recipients.get(i).address() + ">");
            if (reply.startsWith("2")) {
                accepted.add(i);
            } else {
                outcomes[i] = outcome(recipients.get(i), reply);
            }
        }
        if (accepted.isEmpty()) {
            connection.quietly("QUIT");
            return;
        }
        expect(connection.command("DATA"), 3, "DATA");
        connection.content(DeliveredTo.fields(lists, "\r\n"), message);
        // RFC 2033 §4.2: one reply for each recipient accepted, in the order of the RCPTs.
        for (int i : accepted) {
            outcomes[i] = outcome(recipients.get(i), connection.reply());
        }
        connection.quietly("QUIT");
    }

    /**
     * A reply for the whole transaction: anything but {@code expected}xx defers every recipient.
     */
    private void expect(String reply, int expected, String step) throws Unanswered {
        if (reply.charAt(0) != (char) ('0' + expected)) {
            throw new Unanswered(
                    reply.startsWith("5") ? Status.parse("4.3.0") : statusOf(reply, "4.3.0"),
                    target + " answered " + step + " with: " + reply);
        }
    }

    private Outcome outcome(Mailbox recipient, String reply) {
        if (reply.startsWith("2")) {
            return new Outcome.Delivered(recipient, "lmtp " + target + ": " + reply);
        }
        if (reply.startsWith("5")) {
            return new Outcome.Failed(recipient, statusOf(reply, "5.0.0"), "LMTP: " + reply);
        }
        return new Outcome.Deferred(recipient, statusOf(reply, "4.0.0"), "LMTP: " + reply);
    }

    /** The enhanced status code after the reply code, or {@code otherwise}. */
    static Status statusOf(String reply, String otherwise) {
        java.util.regex.Matcher code = ENHANCED_CODE.matcher(reply);
        return Status.parse(
                code.find() && code.group(1).charAt(0) == reply.charAt(0)
                        ? code.group(1)
                        : otherwise);
    }

    private static void fillDeferred(
            Outcome[] outcomes, List<Mailbox> recipients, Status status, String reason) {
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                outcomes[i] = new Outcome.Deferred(recipients.get(i), status, reason);
            }
        }
    }

    /** The transaction cannot go on: no answer, or an answer that refuses all of it. */
    private static final class Unanswered extends IOException {
        private static final long serialVersionUID = 1L;
        final transient Status status;

        Unanswered(Status status, String message) {
            super(message);
            this.status = status;
        }
    }

    private Connection connect() throws Unanswered {
        try {
            if (target.socket().isPresent()) {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(target.socket().get()));
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                return new Connection(
                        channel,
                        Channels.newInputStream(channel),
                        Channels.newOutputStream(channel));
            }
            Socket socket =
                    Connect.open(target.host().orElseThrow(), target.port(), target.timeout());
            return new Connection(socket, socket.getInputStream(), socket.getOutputStream());
        } catch (Connect.Failure e) {
            throw new Unanswered(
                    Status.parse("4.4.1"), "cannot connect to " + target + ": " + e.detail());
        } catch (IOException e) {
            throw new Unanswered(
                    Status.parse("4.4.1"), "cannot connect to " + target + ": " + e.getMessage());
        }
    }

    /**
     * One LMTP connection: a command and its reply at a time, each reply within the timeout (the
     * connection is closed when it runs out, which ends a blocked read, UNIX-domain sockets
     * included).
     */
    private final class Connection implements AutoCloseable {
        private final java.io.Closeable closeable;
        private final ReplyReader replies;
        private final OutputStream out;

        Connection(java.io.Closeable closeable, InputStream in, OutputStream out) {
            this.closeable = closeable;
            this.replies = new ReplyReader(new BufferedInputStream(in));
            this.out = new BufferedOutputStream(out, 64 * 1024);
        }

        String command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply();
        }

        void quietly(String line) {
            try {
                command(line);
            } catch (IOException e) {
                // The transaction is over; how the server takes its end does not matter.
            }
        }

        /** The message, dot-stuffed, after {@code prepended} (CR LF lines), then the final dot. */
        void content(String prepended, QueuedMessage message) throws IOException {
            DotStuffing stuffing = new DotStuffing(out);
            stuffing.write(prepended.getBytes(StandardCharsets.US_ASCII));
            try (InputStream content = message.openContent()) {
                content.transferTo(stuffing);
            }
            stuffing.end();
            out.flush();
        }

        /** One reply, its last line (a multi-line reply's code is on every line). */
        String reply() throws IOException {
            ScheduledFuture<?> deadline =
                    deadlines.schedule(
                            this::close, target.timeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                return read();
            } catch (IOException e) {
                if (deadline.isDone()) {
                    throw new Unanswered(
                            Status.parse("4.4.1"),
                            "no reply from "
                                    + target
                                    + " within "
                                    + target.timeout().toSeconds()
                                    + " s");
                }
                throw e;
            } finally {
                deadline.cancel(false);
            }
        }

        /** The next reply's last line; one that cannot be read is an {@code IOException}. */
        private String read() throws IOException {
            try {
                return replies.read().last();
            } catch (ReplyReader.Unreadable e) {
                throw new IOException(
                        switch (e.fault()) {
                            case CLOSED, CLOSED_MID_LINE -> "connection closed by " + target;
                            case GARBLED ->
                                    e.line().length() < 3
                                            ? "a reply shorter than its code: '" + e.line() + "'"
                                            : "a reply that is not LMTP: '" + shown(e.line()) + "'";
                            case LINE_TOO_LONG ->
                                    "a reply line longer than " + ReplyReader.MAX_LINE + " octets";
                            case TOO_MANY_LINES ->
                                    "a reply of more than " + ReplyReader.MAX_LINES + " lines";
                        });
            }
        }

        @Override
        public void close() {
            try {
                closeable.close();
            } catch (IOException e) {
                // Being dropped.
            }
        }
    }

    /**
     * A server's line as a reason may show it: its first 80 characters, anything but printable
     * ASCII as {@code ?}.
     */
    private static String shown(String line) {
        StringBuilder shown = new StringBuilder(Math.min(line.length(), 80) + 3);
        for (int i = 0; i < line.length() && i < 80; i++) {
            char c = line.charAt(i);
            shown.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return line.length() > 80 ? shown.append("...").toString() : shown.toString();
    }
}
