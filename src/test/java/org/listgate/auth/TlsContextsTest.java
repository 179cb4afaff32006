package org.listgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.listgate.config.Config;
import org.listgate.testing.SelfSignedCertificate;

/**
 * Real handshakes on loopback between a JDK client that trusts a test certificate and a {@link
 * TlsContexts} server socket layered over the accepted plain socket, as STARTTLS does. What the JDK
 * client will not offer (TLS 1.1) is sent as a hand-made ClientHello.
 */
class TlsContextsTest {

    private static final String HOST = "mx.example.test";

    @TempDir static Path dir;

    private static SelfSignedCertificate certificate;
    private static SSLContext serverContext;

    private ServerSocket listener;

    /**
     * What the server side of the one connection came to: the protocol, or the exception's message.
     */
    private CompletableFuture<String> serverSide;

    @BeforeAll
    static void makeCertificate() throws CredentialFileException {
        certificate = SelfSignedCertificate.create(dir, HOST);
        serverContext = TlsContexts.server(certificate.serverTls());
    }

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        serverSide = CompletableFuture.supplyAsync(this::acceptOne);
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    @Test
    void handshakesWithTls13() throws Exception {
        SSLSession session = handshake(List.of("TLSv1.3"), List.of());

        assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
        assertThat(TlsContexts.CIPHER_SUITES).contains(session.getCipherSuite());
        assertThat(serverOutcome()).isEqualTo("TLSv1.3");
    }

    @Test
    void handshakesWithTls12OverEcdheAndAead() throws Exception {
        SSLSession session = handshake(List.of("TLSv1.2"), List.of());

        assertThat(session.getProtocol()).isEqualTo("TLSv1.2");
        assertThat(session.getCipherSuite())
                .startsWith("TLS_ECDHE_")
                .containsAnyOf("_GCM_", "_CHACHA20_POLY1305_");
        assertThat(TlsContexts.CIPHER_SUITES).contains(session.getCipherSuite());
    }

    @Test
    void picksTheServersPreferredSuiteNotTheClients() throws Exception {
        SSLSession session =
                handshake(
                        List.of("TLSv1.2"),
                        List.of(
                                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));

        assertThat(session.getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "TLS_RSA_WITH_AES_128_CBC_SHA", // RSA key transport, CBC
                "TLS_RSA_WITH_AES_256_GCM_SHA384", // AEAD, but no forward secrecy
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", // forward secrecy, but CBC
                "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256" // finite-field DHE
            })
    void refusesALegacyCipherSuite(String suite) {
        assertThatThrownBy(() -> handshake(List.of("TLSv1.2"), List.of(suite)))
                .isInstanceOf(IOException.class);

        assertThat(serverOutcome()).contains("no cipher suites in common");
    }

    @Test
    void refusesTls11WithAProtocolVersionAlert() throws Exception {
        byte[] answer = rawClientHello(0x0302, 0xc02f, 0xc013, 0x002f);

        assertThat(answer[0]).as("record type: alert").isEqualTo((byte) 21);
        assertThat(answer[6]).as("alert: protocol_version").isEqualTo((byte) 70);
        assertThat(serverOutcome()).contains("TLSv1.1");
    }

    @Test
    void answersTheSameHandMadeHelloAsTls12WithAServerHello() throws Exception {
        // The control for the TLS 1.1 test: the probe itself is good enough to be answered.
        byte[] answer = rawClientHello(0x0303, 0xc02f, 0xc013, 0x002f);

        assertThat(answer[0]).as("record type: handshake").isEqualTo((byte) 22);
        assertThat(answer[5]).as("handshake type: server_hello").isEqualTo((byte) 2);
    }

    @Test
    void serverSocketEnablesOnlyTheListedProtocolsAndSuitesInServerOrder() throws IOException {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(other.getInetAddress(), other.getLocalPort());
                SSLSocket socket = TlsContexts.serverSocket(serverContext, other.accept())) {
            assertThat(client.isConnected()).isTrue();
            assertThat(socket.getUseClientMode()).isFalse();
            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(socket.getEnabledCipherSuites())
                    .isNotEmpty()
                    .isSubsetOf(TlsContexts.CIPHER_SUITES);
            assertThat(socket.getSSLParameters().getUseCipherSuitesOrder()).isTrue();
            assertThat(socket.getNeedClientAuth()).isFalse();
        }
    }

    @Test
    void closingTheTlsSocketClosesThePlainOne() throws IOException {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(other.getInetAddress(), other.getLocalPort())) {
            Socket plain = other.accept();
            TlsContexts.serverSocket(serverContext, plain).close();

            assertThat(plain.isClosed()).isTrue();
            assertThat(client.getInputStream().read()).as("the client sees the end").isEqualTo(-1);
        }
    }

    @Test
    void keepsOnlySuitesTheJdkHasInTheListedOrder() {
        String[] supported = {
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_AES_128_GCM_SHA256"
        };

        assertThat(TlsContexts.available(supported))
                .containsExactly("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void aMissingKeystoreIsOneLineNamingIt() {
        Path missing = dir.resolve("missing.p12");

        assertThatThrownBy(() -> TlsContexts.server(new Config.ServerTls(missing, "x", false)))
                .isInstanceOf(CredentialFileException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void aWrongPasswordIsOneLineNamingTheKeystore() {
        assertThatThrownBy(
                        () ->
                                TlsContexts.server(
                                        new Config.ServerTls(
                                                certificate.keystore(), "wrong", false)))
                .hasMessage(certificate.keystore() + ": wrong password (tls.password)");
    }

    @Test
    void aPemFileIsNotAKeystore() {
        assertThatThrownBy(
                        () ->
                                TlsContexts.server(
                                        new Config.ServerTls(certificate.pem(), "x", false)))
                .hasMessageStartingWith(certificate.pem() + ": not a PKCS12 keystore")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aKeystoreOfCertificatesOnlyHasNoKeyToServeWith() throws Exception {
        Path trustOnly = dir.resolve("trust-only.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", certificate.certificate());
        try (var out = Files.newOutputStream(trustOnly)) {
            store.store(out, "secret".toCharArray());
        }

        assertThatThrownBy(
                        () -> TlsContexts.server(new Config.ServerTls(trustOnly, "secret", false)))
                .hasMessage(trustOnly + ": holds no private key, only certificates");
    }

    @Test
    void hardenedJsseRefusesClientInitiatedRenegotiation() throws Exception {
        // Each in a JVM of its own: the JDK reads the property at its first handshake only.
        assertThat(probeRenegotiation("default"))
                .as("the probe can tell")
                .isEqualTo("renegotiated");
        assertThat(probeRenegotiation("hardened")).isEqualTo("refused");
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Accepts one connection, layers TLS over it and shakes hands; echoes one byte. */
    private String acceptOne() {
        try (Socket plain = listener.accept();
                SSLSocket socket = TlsContexts.serverSocket(serverContext, plain)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            int b = socket.getInputStream().read();
            socket.getOutputStream().write(b);
            socket.getOutputStream().flush();
            return socket.getSession().getProtocol();
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private String serverOutcome() {
        return serverSide.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /**
     * A client handshake with these protocols and, unless empty, only these suites; one byte
     * echoed.
     */
    private SSLSession handshake(List<String> protocols, List<String> suites) throws IOException {
        try (SSLSocket client =
                (SSLSocket)
                        certificate
                                .clientContext()
                                .getSocketFactory()
                                .createSocket(listener.getInetAddress(), listener.getLocalPort())) {
            client.setSoTimeout(10_000);
            client.setEnabledProtocols(protocols.toArray(String[]::new));
            if (!suites.isEmpty()) {
                client.setEnabledCipherSuites(suites.toArray(String[]::new));
            }
            client.startHandshake();
            client.getOutputStream().write('x');
            client.getOutputStream().flush();
            assertThat(client.getInputStream().read()).isEqualTo('x');
            return client.getSession();
        }
    }

    /**
     * Sends a minimal ClientHello (RFC 5246 §7.4.1.2) of {@code version} offering {@code suites},
     * with the extensions an ECDHE-RSA handshake needs, and returns the first 7 octets of the
     * answer: a record header and the start of its body.
     */
    private byte[] rawClientHello(int version, int... suites) throws IOException {
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        short16(hello, version);
        hello.write(new byte[32], 0, 32); // random
        hello.write(0); // no session id
        short16(hello, suites.length * 2);
        for (int suite : suites) {
            short16(hello, suite);
        }
        hello.write(1); // one compression method:
        hello.write(0); // null
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        extension(extensions, 0x000a, 0x0002, 0x0017); // supported_groups: secp256r1
        extension(extensions, 0x000b, 0x0100); // ec_point_formats: uncompressed
        extension(extensions, 0x000d, 0x0002, 0x0401); // signature_algorithms: rsa_pkcs1_sha256
        short16(hello, extensions.size());
        extensions.writeTo(hello);

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(22); // handshake
        short16(record, 0x0301);
        short16(record, hello.size() + 4);
        record.write(1); // client_hello
        record.write(0);
        short16(record, hello.size());
        hello.writeTo(record);

        try (Socket socket = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(record.toByteArray());
            socket.getOutputStream().flush();
            byte[] answer = new byte[7];
            try {
                new DataInputStream(socket.getInputStream()).readFully(answer);
            } catch (EOFException e) {
                throw new AssertionError("the server closed the connection without a word", e);
            }
            return answer;
        }
    }

    /** An extension: type, then a body of 16-bit words (a one-octet length shows as 0x01nn). */
    private static void extension(ByteArrayOutputStream out, int type, int... words) {
        short16(out, type);
        short16(out, words.length * 2);
        for (int word : words) {
            short16(out, word);
        }
    }

    private static void short16(ByteArrayOutputStream out, int value) {
        out.write(value >> 8);
        out.write(value & 0xff);
    }

    private static String probeRenegotiation(String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process =
                new ProcessBuilder(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                RenegotiationProbe.class.getName(),
                                mode)
                        .redirectErrorStream(true)
                        .start();
        String output =
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
