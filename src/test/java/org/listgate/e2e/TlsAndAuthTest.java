package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.listgate.auth.PasswordFile;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.SelfSignedCertificate;
import org.listgate.testing.Smarthost;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * STARTTLS and AUTH over real sockets, with listgate's own client code and with msmtp and swaks: a
 * user who authenticates after STARTTLS may send anywhere; plaintext pipelined behind STARTTLS is
 * dropped; AUTH is not offered in the clear; brute force is cut off.
 */
class TlsAndAuthTest extends GatewayTestBase {

    private static final String PASSWORD = "correct horse battery staple";

    private Smarthost smarthost;
    private SelfSignedCertificate certificate;

    @AfterEach
    void stopSmarthost() {
        if (smarthost != null) {
            smarthost.close();
        }
    }

    private TestSite start(String... properties) throws Exception {
        smarthost = Smarthost.start();
        certificate =
                SelfSignedCertificate.create(
                        Files.createDirectories(dir.resolve("tls")), "mx.example.test");
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, PasswordFile.entry("alice@example.test", PASSWORD) + "\n");
        TestSite configured =
                new TestSite(dir)
                        .property("relay.host", Smarthost.HOST)
                        .property("relay.port", Integer.toString(smarthost.port()))
                        .property("relay.tls", "none")
                        .property("tls.keystore", certificate.keystore().toString())
                        .property("tls.password", certificate.password())
                        .property("auth.passwordFile", passwd.toString())
                        .property("smtp.errorDelay", "10ms")
                        .users(List.of("alice@example.test", "bob@example.test"));
        for (int i = 0; i < properties.length; i += 2) {
            configured.property(properties[i], properties[i + 1]);
        }
        return configured.start();
    }

    /** A client that can switch to TLS mid-session. */
    private final class Conversation implements AutoCloseable {
        private Socket socket;
        private BufferedReader in;
        private OutputStream out;

        Conversation() throws Exception {
            use(new Socket("127.0.0.1", site.port()));
            assertThat(reply()).startsWith("220 mx.example.test");
        }

        private void use(Socket next) throws Exception {
            socket = next;
            socket.setSoTimeout(10_000);
            in =
                    new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        String command(String line) throws Exception {
            write(line + "\r\n");
            return reply();
        }

        void write(String raw) throws Exception {
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String reply() throws Exception {
            StringBuilder reply = new StringBuilder();
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    return reply.length() == 0 ? null : reply.toString();
                }
                reply.append(reply.length() == 0 ? "" : "\n").append(line);
            } while (line.length() > 3 && line.charAt(3) == '-');
            return reply.toString();
        }

        SSLSocket startTls() throws Exception {
            SSLSocket tls =
                    (SSLSocket)
                            certificate
                                    .clientContext()
                                    .getSocketFactory()
                                    .createSocket(
                                            socket, "mx.example.test", socket.getPort(), true);
            tls.startHandshake();
            use(tls);
            return tls;
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder()
                .encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void afterStartTlsAndAuthAUserMaySendAnywhere() throws Exception {
        site = start();
        try (Conversation client = new Conversation()) {
            String ehlo = client.command("EHLO laptop.example.test");
            assertThat(ehlo).contains("250-STARTTLS").doesNotContain("AUTH");
            assertThat(client.command("AUTH PLAIN " + plain("alice@example.test", PASSWORD)))
                    .isEqualTo(
                            "538 5.7.11 Encryption required for requested authentication mechanism");
            assertThat(client.command("STARTTLS")).isEqualTo("220 2.0.0 Ready to start TLS");
            SSLSocket tls = client.startTls();
            assertThat(tls.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(client.command("EHLO laptop.example.test"))
                    .contains("250-AUTH PLAIN LOGIN")
                    .doesNotContain("STARTTLS");
            assertThat(client.command("STARTTLS")).isEqualTo("503 5.5.1 Error: TLS already active");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<friend@elsewhere.test>"))
                    .isEqualTo("554 5.7.1 Relay access denied");
            client.command("RSET");
            assertThat(client.command("AUTH PLAIN " + plain("alice@example.test", PASSWORD)))
                    .isEqualTo("235 2.7.0 Authentication successful");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<friend@elsewhere.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Subject: out\r\n\r\nhi\r\n."))
                    .startsWith("250 2.0.0 queued as ");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> smarthost.received().size() == 1);
        assertThat(smarthost.received().get(0).recipients())
                .containsExactly("friend@elsewhere.test");
        assertThat(site.events(2011))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("user", "alice@example.test")
                                        .containsEntry("mechanism", "PLAIN"));
    }

    @Test
    void plaintextPipelinedBehindStartTlsIsDiscarded() throws Exception {
        site = start();
        try (Conversation client = new Conversation()) {
            client.command("EHLO c");
            // CVE-2011-0411: the injected commands must not be read as if sent under TLS.
            client.write(
                    "STARTTLS\r\nMAIL FROM:<injected@example.net>\r\nRCPT TO:<bob@example.test>\r\n");
            assertThat(client.reply()).isEqualTo("220 2.0.0 Ready to start TLS");
            client.startTls();
            assertThat(client.command("EHLO c")).startsWith("250-mx.example.test");
            assertThat(client.command("RCPT TO:<bob@example.test>"))
                    .isEqualTo("503 5.5.1 Error: need MAIL command");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("250 2.1.0 Ok");
        }
    }

    @Test
    void underTlsRequiredMailBeforeStartTlsIsRefused() throws Exception {
        site = start("tls.required", "true");
        try (Conversation client = new Conversation()) {
            client.command("EHLO c");
            assertThat(client.command("MAIL FROM:<alice@example.test>"))
                    .isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            client.command("STARTTLS");
            client.startTls();
            client.command("EHLO c");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("250 2.1.0 Ok");
        }
    }

    @Test
    void bruteForceIsCutOffAfterFiveFailuresEvenWithTheRightPassword() throws Exception {
        site = start();
        try (Conversation client = new Conversation()) {
            client.command("EHLO c");
            client.command("STARTTLS");
            client.startTls();
            client.command("EHLO c");
            for (int i = 0; i < 5; i++) {
                assertThat(client.command("AUTH PLAIN " + plain("alice@example.test", "guess" + i)))
                        .isEqualTo("535 5.7.8 Error: authentication failed");
            }
            assertThat(client.command("AUTH PLAIN " + plain("alice@example.test", PASSWORD)))
                    .isEqualTo(
                            "454 4.7.0 Error: too many failed authentications from your address; try again later");
        }
        assertThat(site.events(3013)).hasSize(5);
        assertThat(site.events(2011)).isEmpty();
        assertThat(site.events(9001)).isEmpty();
    }

    @Test
    void authLoginAndItsCancellation() throws Exception {
        site = start("auth.allowPlaintext", "true");
        try (SmtpClient client = new SmtpClient(site.port())) {
            assertThat(client.command("EHLO c")).contains("250-AUTH PLAIN LOGIN");
            assertThat(client.command("AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
            assertThat(client.command("*")).isEqualTo("501 5.5.2 Error: authentication aborted");
            assertThat(client.command("AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
            assertThat(
                            client.command(
                                    Base64.getEncoder()
                                            .encodeToString(
                                                    "alice@example.test"
                                                            .getBytes(StandardCharsets.UTF_8))))
                    .isEqualTo("334 UGFzc3dvcmQ6");
            assertThat(
                            client.command(
                                    Base64.getEncoder()
                                            .encodeToString(
                                                    PASSWORD.getBytes(StandardCharsets.UTF_8))))
                    .isEqualTo("235 2.7.0 Authentication successful");
            assertThat(client.command("AUTH PLAIN x"))
                    .isEqualTo("503 5.5.1 Error: already authenticated");
        }
    }

    @Test
    void msmtpSendsThroughListgateWithStartTlsAndAuthPlain() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/msmtp")) || System.getenv("CI") != null,
                "msmtp is not installed");
        site = start();
        Process msmtp =
                new ProcessBuilder(
                                "msmtp",
                                "--host=127.0.0.1",
                                "--port=" + site.port(),
                                "--tls=on",
                                "--tls-starttls=on",
                                "--tls-trust-file=" + certificate.pem(),
                                "--tls-host-override=mx.example.test",
                                "--auth=plain",
                                "--user=alice@example.test",
                                "--passwordeval=echo '" + PASSWORD + "'",
                                "--from=alice@example.test",
                                "friend@elsewhere.test")
                        .redirectErrorStream(true)
                        .start();
        try (OutputStream in = msmtp.getOutputStream()) {
            in.write(
                    "From: alice@example.test\r\nTo: friend@elsewhere.test\r\nSubject: via msmtp\r\n\r\nhi\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
        }
        String output = new String(msmtp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(msmtp.waitFor()).as(output).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> smarthost.received().size() == 1);
        assertThat(new String(smarthost.received().get(0).content(), StandardCharsets.UTF_8))
                .contains("via msmtp");
    }

    @Test
    void swaksSendsWithStartTlsAndAuth() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/swaks")) || System.getenv("CI") != null,
                "swaks is not installed");
        site = start();
        Process swaks =
                new ProcessBuilder(
                                "swaks",
                                "--server",
                                "127.0.0.1",
                                "--port",
                                String.valueOf(site.port()),
                                "--tls",
                                "--auth",
                                "LOGIN",
                                "--auth-user",
                                "alice@example.test",
                                "--auth-password",
                                PASSWORD,
                                "--from",
                                "alice@example.test",
                                "--to",
                                "friend@elsewhere.test",
                                "--header",
                                "Subject: via swaks")
                        .redirectErrorStream(true)
                        .start();
        String transcript =
                new String(swaks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(swaks.waitFor()).as(transcript).isZero();
        assertThat(transcript).contains("235 2.7.0 Authentication successful");
        await().atMost(Duration.ofSeconds(20)).until(() -> smarthost.received().size() == 1);
    }
}
