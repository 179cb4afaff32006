package org.listgate.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.listgate.config.Config;

/**
 * The server side of TLS for STARTTLS (RFC 3207): a context from the configured PKCS12 keystore,
 * and server sockets layered over a connected plain socket that speak TLS 1.3 and 1.2 only, with
 * AEAD cipher suites and forward secrecy only, in the server's order of preference.
 */
public final class TlsContexts {

    /** RFC 8996: TLS 1.0 and 1.1 are deprecated; RFC 9325 §3.1.1: TLS 1.2 and 1.3 only. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * RFC 9325 §4.1 and §4.2 (BCP 195): forward secrecy (ECDHE; no static RSA key transport) and
     * AEAD (AES-GCM, or ChaCha20-Poly1305 of RFC 7905), strongest first. TLS 1.3's own suites (RFC
     * 8446 §9.1) all qualify. Suites the running JDK lacks are left out.
     */
    public static final List<String> CIPHER_SUITES =
            List.of(
                    "TLS_AES_256_GCM_SHA384",
                    "TLS_AES_128_GCM_SHA256",
                    "TLS_CHACHA20_POLY1305_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    private TlsContexts() {}

    /**
     * Sets, for the whole JVM, the JSSE properties listgate's TLS depends on. The JDK reads them
     * once, at its first TLS handshake: call this first thing in {@code main}.
     */
    public static void hardenJsse() {
        // RFC 5746 made renegotiation safe from splicing, but each one a client asks for is a full
        // handshake at the server's expense, and SMTP never needs it (TLS 1.3 has none at all).
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
    }

    /**
     * A server context holding the key and certificate chain of {@code tls.keystore()} (PKCS12,
     * opened with {@code tls.password()}, which must also be the key's). Errors are one line naming
     * the keystore.
     */
    public static SSLContext server(Config.ServerTls tls) throws CredentialFileException {
        char[] password = tls.password().toCharArray();
        KeyStore store;
        try (InputStream in = Files.newInputStream(tls.keystore())) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (NoSuchFileException e) {
            throw new CredentialFileException(tls.keystore(), "no such file");
        } catch (AccessDeniedException e) {
            throw new CredentialFileException(tls.keystore(), "permission denied");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new CredentialFileException(tls.keystore(), "wrong password (tls.password)");
            }
            throw new CredentialFileException(
                    tls.keystore(), "not a PKCS12 keystore: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new CredentialFileException(
                    tls.keystore(), "not a usable PKCS12 keystore: " + e.getMessage());
        }
        try {
            if (!hasKey(store)) {
                throw new CredentialFileException(
                        tls.keystore(), "holds no private key, only certificates");
            }
            KeyManagerFactory keys =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (UnrecoverableKeyException e) {
            throw new CredentialFileException(
                    tls.keystore(), "the key's password is not the keystore's (tls.password)");
        } catch (GeneralSecurityException e) {
            throw new CredentialFileException(
                    tls.keystore(), "cannot make a TLS context: " + e.getMessage());
        }
    }

    /**
     * A server-mode TLS socket over {@code plain}, which must be connected. Whatever the caller has
     * buffered from {@code plain} is its to throw away: commands pipelined after STARTTLS came in
     * the clear and must not be read as if over TLS (RFC 3207 §4.2, CVE-2011-0411). Closing the TLS
     * socket closes {@code plain}. The handshake starts at the first read or write, or at {@link
     * SSLSocket#startHandshake()}.
     */
    public static SSLSocket serverSocket(SSLContext context, Socket plain) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, null, true);
        socket.setUseClientMode(false);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        parameters.setCipherSuites(available(socket.getSupportedCipherSuites()));
        parameters.setUseCipherSuitesOrder(true);
        parameters.setNeedClientAuth(false);
        parameters.setWantClientAuth(false);
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** {@link #CIPHER_SUITES} that {@code supported} holds, in their order. */
    static String[] available(String[] supported) {
        Set<String> have = Set.copyOf(List.of(supported));
        return CIPHER_SUITES.stream().filter(have::contains).toArray(String[]::new);
    }

    private static boolean hasKey(KeyStore store) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return true;
            }
        }
        return false;
    }
}
