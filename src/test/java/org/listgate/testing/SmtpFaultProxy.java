package org.listgate.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands on a loopback port in front of a real SMTP server and relays every session to it, byte for
 * byte, except one: the {@code n}-th DATA command it sees (counted over all sessions) it answers
 * itself with {@code 421 4.3.2} and closes both sides, as a server that is going away does. The
 * server behind never gets that DATA, so the transaction it holds is given up, not queued.
 */
public final class SmtpFaultProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final int faultAtData;
    private final AtomicInteger datas = new AtomicInteger();

    private SmtpFaultProxy(int target, int faultAtData) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.faultAtData = faultAtData;
        Thread acceptor = new Thread(this::serve, "fault-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Relays to 127.0.0.1:{@code target}, and answers the {@code n}-th DATA with 421. */
    public static SmtpFaultProxy says421AtData(int target, int n) throws IOException {
        return new SmtpFaultProxy(target, n);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The DATA commands seen so far, the one answered with 421 included. */
    public int datas() {
        return datas.get();
    }

    private void serve() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread session = new Thread(() -> session(client), "fault-proxy-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void session(Socket client) {
        try (client;
                Socket server = new Socket(Loopback.ADDRESS, target)) {
            Thread replies = new Thread(() -> copy(server, client), "fault-proxy-replies");
            replies.setDaemon(true);
            replies.start();
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = server.getOutputStream();
            boolean data = false;
            byte[] line;
            while ((line = line(in)) != null) {
                String text = new String(line, StandardCharsets.ISO_8859_1).strip();
                if (data) {
                    data = !text.equals(".");
                } else if (text.toUpperCase(Locale.ROOT).equals("DATA")) {
                    if (datas.incrementAndGet() == faultAtData) {
                        OutputStream toClient = client.getOutputStream();
                        toClient.write(
                                "421 4.3.2 proxy.test Service shutting down\r\n"
                                        .getBytes(StandardCharsets.US_ASCII));
                        toClient.flush();
                        return; // both sides closed
                    }
                    data = true;
                }
                out.write(line);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: the session is over
        }
    }

    /** One line, its line end included; null at the end of the stream. */
    private static byte[] line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // closed
        } finally {
            try {
                to.close();
            } catch (IOException e) {
                // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
