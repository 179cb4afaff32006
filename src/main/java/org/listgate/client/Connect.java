package org.listgate.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Opens a plain TCP connection to an SMTP server, without delay on small writes and with {@code
 * timeout} both for the connection and for every read after it:
 *
 * <pre>
 * try (Socket socket = Connect.open("127.0.0.1", 25, Duration.ofSeconds(30))) { ... }
 * catch (Connect.Failure e) { ... e.kind() ... }
 * </pre>
 */
public final class Connect {

    /** Why there is no connection. */
    public enum Kind {
        /** Nobody listens there (ECONNREFUSED). */
        REFUSED,
        /** No answer within the timeout. */
        TIMED_OUT,
        /** Anything else: no route, an unknown host, ... (the detail says). */
        FAILED
    }

    /** No connection; {@link #detail()} is the system's own words. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        private final Kind kind;
        private final String detail;

        Failure(Kind kind, String detail) {
            super(kind + ": " + detail);
            this.kind = kind;
            this.detail = detail;
        }

        public Kind kind() {
            return kind;
        }

        public String detail() {
            return detail;
        }
    }

    private Connect() {}

    /** A connected socket; never a half-open one (closed before a failure is thrown). */
    public static Socket open(String host, int port, Duration timeout) throws Failure {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            return socket;
        } catch (ConnectException e) {
            closeQuietly(socket);
            throw new Failure(Kind.REFUSED, String.valueOf(e.getMessage()));
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new Failure(Kind.TIMED_OUT, "connect timed out");
        } catch (IOException e) {
            closeQuietly(socket);
            throw new Failure(Kind.FAILED, String.valueOf(e.getMessage()));
        }
    }

    /** Closes {@code socket}; a failure to do so is nobody's concern, it is being dropped. */
    public static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing is left to tell the server.
        }
    }
}
