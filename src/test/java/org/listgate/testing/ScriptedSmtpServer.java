package org.listgate.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare SMTP server for replay tests, with no isolation at all: it says 250 to every RCPT and
 * queues every message ({@link #acceptAll}), or it behaves as the IMS of KB Q166570 did and dies in
 * the middle of a list's RCPTs ({@link #crashAtRcpt}): the connection is reset, and the listener is
 * gone; or it wedges there ({@link #hangAtRcpt}): no reply, and no banner for anyone after. For the
 * MX tests, it closes every connection at DATA without a word ({@link #closeAtData}), or greets
 * with a permanent refusal ({@link #refusingBanner}).
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    private final ServerSocket listener;
    private final int crashAtRcpt;
    private final int hangAtRcpt;
    private final boolean closeAtData;
    private final String banner;
    private volatile boolean wedged;
    private volatile boolean crashed;
    private final AtomicInteger rcpts = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();

    private ScriptedSmtpServer(int crashAtRcpt, int hangAtRcpt) throws IOException {
        this(crashAtRcpt, hangAtRcpt, false, "220 scripted.test ESMTP");
    }

    private ScriptedSmtpServer(int crashAtRcpt, int hangAtRcpt, boolean closeAtData, String banner)
            throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.crashAtRcpt = crashAtRcpt;
        this.hangAtRcpt = hangAtRcpt;
        this.closeAtData = closeAtData;
        this.banner = banner;
        Thread acceptor = new Thread(this::serve, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static ScriptedSmtpServer acceptAll() throws IOException {
        return new ScriptedSmtpServer(0, 0);
    }

    /** Resets the connection on the {@code n}-th RCPT it is sent, and stops listening. */
    public static ScriptedSmtpServer crashAtRcpt(int n) throws IOException {
        return new ScriptedSmtpServer(n, 0);
    }

    /** Stops answering on the {@code n}-th RCPT, and gives no banner to any connection after. */
    public static ScriptedSmtpServer hangAtRcpt(int n) throws IOException {
        return new ScriptedSmtpServer(0, n);
    }

    /** Says 250 up to DATA, then closes the connection without a reply; keeps listening. */
    public static ScriptedSmtpServer closeAtData() throws IOException {
        return new ScriptedSmtpServer(0, 0, true, "220 scripted.test ESMTP");
    }

    /** Greets every connection with {@code 554 5.3.2}: no service here, for good. */
    public static ScriptedSmtpServer refusingBanner() throws IOException {
        return new ScriptedSmtpServer(0, 0, false, "554 5.3.2 scripted.test no SMTP service here");
    }

    public int port() {
        return listener.getLocalPort();
    }

    public int rcpts() {
        return rcpts.get();
    }

    public int queued() {
        return queued.get();
    }

    private void serve() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread session = new Thread(() -> session(socket), "scripted-smtp-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void session(Socket socket) {
        try (socket) {
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            if (wedged) {
                hang();
                return;
            }
            if (crashed) {
                // A connection the listener took just before it closed: a dead process answers
                // none.
                socket.setSoLinger(true, 0);
                return;
            }
            say(out, banner);
            String line;
            while ((line = in.readLine()) != null) {
                String verb =
                        line.length() >= 4
                                ? line.substring(0, 4).toUpperCase(Locale.ROOT)
                                : line.toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "RCPT" -> {
                        int rcpt = rcpts.incrementAndGet();
                        if (rcpt == hangAtRcpt) {
                            wedged = true;
                            hang();
                            return;
                        }
                        if (rcpt == crashAtRcpt) {
                            crashed = true;
                            socket.setSoLinger(
                                    true, 0); // RST, not FIN: an access violation, not a goodbye
                            listener.close();
                            return;
                        }
                        say(out, "250 2.1.5 Ok");
                    }
                    case "DATA" -> {
                        if (closeAtData) {
                            return;
                        }
                        say(out, "354 End data with <CR><LF>.<CR><LF>");
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            // the content is not kept
                        }
                        say(out, "250 2.0.0 Ok: queued as S" + queued.incrementAndGet());
                    }
                    case "QUIT" -> {
                        say(out, "221 2.0.0 Bye");
                        return;
                    }
                    case "EHLO", "HELO" -> say(out, "250 scripted.test");
                    default -> say(out, "250 2.0.0 Ok");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private void hang() {
        while (!listener.isClosed()) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
