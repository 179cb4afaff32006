package org.listgate.smtp;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.listgate.auth.TlsContexts;

/**
 * STARTTLS (RFC 3207) on an accepted connection: a server-mode TLS socket layered over the plain
 * one as {@link TlsContexts#serverSocket} makes it (TLS 1.2 and 1.3, forward-secret AEAD suites,
 * the server's order of preference). The handshake has the time of one command; a client that
 * stalls it is cut off by the {@link Watchdog}, a client that fails it loses the connection (RFC
 * 3207 §4.1 leaves nothing to say in plaintext after 220).
 */
final class StartTls {

    private final SSLContext context;
    private final Duration timeout;
    private final Watchdog watchdog;

    StartTls(SSLContext context, Duration timeout, Watchdog watchdog) {
        this.context = context;
        this.timeout = timeout;
        this.watchdog = watchdog;
    }

    /** The handshake over {@code plain}; the TLS socket, or null if it failed. */
    SSLSocket handshake(Socket plain) {
        Watchdog.Ticket ticket = watchdog.arm(plain);
        try {
            SSLSocket tls = TlsContexts.serverSocket(context, plain);
            tls.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            tls.startHandshake();
            return tls;
        } catch (IOException e) {
            try {
                plain.close();
            } catch (IOException closing) {
                // Nothing more to do for a client whose handshake failed.
            }
            return null;
        } finally {
            ticket.disarm();
        }
    }
}
