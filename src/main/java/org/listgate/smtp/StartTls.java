package org.listgate.smtp;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * STARTTLS (RFC 3207) on an accepted connection: a server-mode TLS socket layered over the plain
 * one, TLS 1.2 and 1.3 only, forward-secret AEAD suites only, the server's order of preference.
 * The handshake has the time of one command; a client that stalls it is cut off by the
 * {@link Watchdog}, a client that fails it loses the connection (RFC 3207 §4.1 leaves nothing to
 * say in plaintext after 220).
 */
final class StartTls {

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    private final Duration timeout;
    private final Watchdog watchdog;
    private final String[] suites;

    StartTls(SSLContext context, Duration timeout, Watchdog watchdog) {
        this.context = context;
        this.timeout = timeout;
        this.watchdog = watchdog;
        this.suites = Arrays.stream(context.getSupportedSSLParameters().getCipherSuites())
                .filter(StartTls::isModern)
                .toArray(String[]::new);
    }

    /** TLS 1.3's suites, and TLS 1.2's with ECDHE and AES-GCM or ChaCha20-Poly1305. */
    static boolean isModern(String suite) {
        if (List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")
                .contains(suite)) {
            return true;
        }
        return suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("CHACHA20_POLY1305"));
    }

    /** The handshake over {@code plain}; the TLS socket, or null if it failed. */
    SSLSocket handshake(Socket plain) {
        Watchdog.Ticket ticket = watchdog.arm(plain);
        try {
            SSLSocket tls = (SSLSocket) context.getSocketFactory()
                    .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
            tls.setUseClientMode(false);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setProtocols(PROTOCOLS);
            parameters.setCipherSuites(suites);
            parameters.setUseCipherSuitesOrder(true);
            parameters.setNeedClientAuth(false);
            tls.setSSLParameters(parameters);
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
