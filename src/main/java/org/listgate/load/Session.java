package org.listgate.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.listgate.client.Connect;
import org.listgate.client.ReplyReader;
import org.listgate.load.Refusal.Stage;

/**
 * One SMTP connection of the load client over a plain socket: a command, then its reply, never
 * pipelined (as Postfix's smtp-source speaks). A transaction's result is a value ({@link Sent}); a
 * connection that goes away is a {@link Sent.NotAccepted} with {@code connectionGone}, never an
 * exception to the caller.
 *
 * <p>The end-of-data latency is measured from the moment the last octet of the content and the
 * final dot have been handed to the socket to the moment the reply's last line has been read.
 */
final class Session implements Closeable {

    private static final byte[] CRLF = {'\r', '\n'};

    private final Socket socket;
    private final ReplyReader replies;
    private final OutputStream out;

    private Session(Socket socket) throws IOException {
        this.socket = socket;
        this.replies = new ReplyReader(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Connects; the banner is the caller's to read with {@link #reply()}. */
    static Session connect(String host, int port, Duration timeout) throws Failure {
        Socket socket;
        try {
            socket = Connect.open(host, port, timeout);
        } catch (Connect.Failure e) {
            throw new Failure(
                    Stage.CONNECT,
                    switch (e.kind()) {
                        case REFUSED -> "connection refused";
                        case TIMED_OUT -> "connect timed out";
                        case FAILED -> "cannot connect: " + e.detail();
                    });
        }
        try {
            return new Session(socket);
        } catch (IOException e) {
            Connect.closeQuietly(socket);
            throw new Failure(Stage.CONNECT, "cannot connect: " + e.getMessage());
        }
    }

    /**
     * Connects, reads the banner and says EHLO: a session ready for MAIL. A banner other than 220
     * or an EHLO answer other than 250 is a {@link Failure} with that reply.
     */
    static Session open(String host, int port, Duration timeout, String helo) throws Failure {
        Session session = connect(host, port, timeout);
        try {
            Reply banner = session.reply();
            if (banner.code() != 220) {
                throw new Failure(new Refusal(Stage.CONNECT, banner.key()));
            }
            Reply ehlo = session.command("EHLO " + helo);
            if (ehlo.code() != 250) {
                throw new Failure(new Refusal(Stage.EHLO, ehlo.key()));
            }
            return session;
        } catch (Failure e) {
            session.close();
            throw e;
        }
    }

    /**
     * One transaction: MAIL, a RCPT per recipient, DATA, the content and the final dot. After a
     * refusal the transaction is reset (RSET) so that the session can carry on; after a 421 or a
     * lost connection it cannot.
     */
    Sent transaction(String from, List<String> recipients, byte[] content) {
        List<Refusal> refusals = new ArrayList<>(0);
        try {
            Reply mail = command("MAIL FROM:<" + from + ">");
            if (mail.code() != 250) {
                return refused(refusals, Stage.MAIL, mail);
            }
            int accepted = 0;
            for (String recipient : recipients) {
                Reply rcpt = command("RCPT TO:<" + recipient + ">");
                if (rcpt.code() == 250 || rcpt.code() == 251) {
                    accepted++;
                } else if (rcpt.code() == 421) {
                    return refused(refusals, Stage.RCPT, rcpt);
                } else {
                    refusals.add(new Refusal(Stage.RCPT, rcpt.key()));
                }
            }
            if (accepted == 0) {
                return reset(refusals);
            }
            Reply data = command("DATA");
            if (data.code() != 354) {
                return refused(refusals, Stage.DATA, data);
            }
            out.write(content);
            out.flush();
            long sent = System.nanoTime();
            Reply end = reply();
            long latency = System.nanoTime() - sent;
            if (end.code() != 250) {
                refusals.add(new Refusal(Stage.END_OF_DATA, end.key()));
                return new Sent.NotAccepted(refusals, end.code() == 421);
            }
            return new Sent.Accepted(accepted, latency, refusals);
        } catch (Failure e) {
            refusals.add(e.refusal());
            return new Sent.NotAccepted(refusals, true);
        } catch (IOException e) {
            refusals.add(new Refusal(Stage.LOST, "write failed: " + e.getMessage()));
            return new Sent.NotAccepted(refusals, true);
        }
    }

    private Sent refused(List<Refusal> refusals, Stage stage, Reply reply) throws Failure {
        refusals.add(new Refusal(stage, reply.key()));
        if (reply.code() == 421) {
            return new Sent.NotAccepted(refusals, true);
        }
        return reset(refusals);
    }

    private Sent reset(List<Refusal> refusals) throws Failure {
        Reply rset = command("RSET");
        if (rset.code() != 250) {
            refusals.add(new Refusal(Stage.RSET, rset.key()));
            return new Sent.NotAccepted(refusals, true);
        }
        return new Sent.NotAccepted(refusals, false);
    }

    /** Says QUIT and closes; a server that does not answer it is not an error of the load. */
    void quit() {
        try {
            command("QUIT");
        } catch (Failure e) {
            // The messages are all answered: how the server ends the session does not count.
        }
        close();
    }

    /** Sends {@code command} and CR LF, then reads its reply. */
    Reply command(String command) throws Failure {
        try {
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.write(CRLF);
            out.flush();
        } catch (IOException e) {
            throw new Failure(Stage.LOST, "write failed: " + e.getMessage());
        }
        return reply();
    }

    /** Reads one reply, all its lines; its code and, when there is one, its enhanced status. */
    Reply reply() throws Failure {
        try {
            return Reply.parse(replies.read().last());
        } catch (ReplyReader.Unreadable e) {
            throw new Failure(
                    Stage.LOST,
                    switch (e.fault()) {
                        case CLOSED, CLOSED_MID_LINE -> "connection closed by the server";
                        case GARBLED -> "a reply that is not SMTP";
                        case LINE_TOO_LONG ->
                                "a reply line longer than " + ReplyReader.MAX_LINE + " octets";
                        case TOO_MANY_LINES ->
                                "a reply of more than " + ReplyReader.MAX_LINES + " lines";
                    });
        } catch (SocketTimeoutException e) {
            throw new Failure(Stage.LOST, "no reply in time");
        } catch (IOException e) {
            throw new Failure(Stage.LOST, "connection lost: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        Connect.closeQuietly(socket);
    }

    /**
     * No session: the connection is gone, never came, or the server would not greet; the refusal
     * says at which step and how.
     */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Refusal refusal;

        Failure(Refusal refusal) {
            super(refusal.stage().words() + ": " + refusal.reply(), null, false, false);
            this.refusal = refusal;
        }

        Failure(Stage stage, String words) {
            this(new Refusal(stage, words));
        }

        Refusal refusal() {
            return refusal;
        }
    }
}
