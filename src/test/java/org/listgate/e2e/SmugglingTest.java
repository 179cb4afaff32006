package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.SmugglingSequences;
import org.listgate.testing.TestSite;

/**
 * SMTP smuggling (SEC Consult, December 2023; hannob/smtpsmug): a malformed end of data followed by
 * a second transaction. Each of the thirteen sequences is refused with 550 5.5.2 once the data's
 * real end has been read, nothing is delivered, the smuggled commands are never taken as commands,
 * and the session stays in step.
 */
class SmugglingTest extends GatewayTestBase {

    static Stream<String> sequences() {
        return SmugglingSequences.all();
    }

    @ParameterizedTest
    @MethodSource("sequences")
    void refusesEachMalformedEndOfDataAndDeliversNothing(String sequence) throws Exception {
        site =
                new TestSite(dir)
                        .users(
                                List.of(
                                        "alice@example.test",
                                        "bob@example.test",
                                        "eve@example.test"))
                        .start();
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO attacker.example.net");
            client.command("MAIL FROM:<alice@example.test>");
            client.command("RCPT TO:<bob@example.test>");
            assertThat(client.command("DATA")).startsWith("354");
            client.write(
                    "From: alice@example.test\r\nSubject: first\r\n\r\nfirst body"
                            + sequence
                            + "MAIL FROM:<admin@example.test>\r\nRCPT TO:<eve@example.test>\r\nDATA\r\n"
                            + "From: admin@example.test\r\nSubject: smuggled\r\n\r\nsmuggled\r\n.\r\n");
            assertThat(client.reply())
                    .isEqualTo(
                            "550 5.5.2 Message refused: bare <CR>, bare <LF> or NUL in the"
                                    + " message text (RFC 5321 2.3.8)");
            // In step: the next command is answered as a command, and no smuggled reply is pending.
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
            assertThat(client.command("QUIT")).startsWith("221 2.0.0");
        }
        assertThat(site.events(2001)).isEmpty();
        assertThat(site.events(3005)).hasSize(1);
        assertThat(site.events(9001)).isEmpty();
        assertThat(site.delivered("bob@example.test")).isEmpty();
        assertThat(site.delivered("eve@example.test")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("sequences")
    void underNormalizeEachSequenceIsContentOfOneMessage(String sequence) throws Exception {
        site =
                new TestSite(dir)
                        .property("smtp.bareLineEnds", "normalize")
                        .users(
                                List.of(
                                        "alice@example.test",
                                        "bob@example.test",
                                        "eve@example.test"))
                        .start();
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO attacker.example.net");
            client.command("MAIL FROM:<alice@example.test>");
            client.command("RCPT TO:<bob@example.test>");
            client.command("DATA");
            client.write(
                    "Subject: first\r\n\r\nfirst body"
                            + sequence
                            + "MAIL FROM:<admin@example.test>\r\nRCPT TO:<eve@example.test>\r\nDATA\r\n"
                            + "Subject: smuggled\r\n\r\nsmuggled\r\n.\r\n");
            assertThat(client.reply()).startsWith("250 2.0.0 queued as ");
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> site.delivered("bob@example.test").size() == 1);
        assertThat(site.events(2001)).hasSize(1);
        assertThat(site.delivered("eve@example.test")).isEmpty();
        assertThat(Files.readString(site.delivered("bob@example.test").get(0)))
                .contains("smuggled")
                .doesNotContain("\r", "\0");
    }

    @Test
    void underNormalizeBareLineEndsBecomeCrlfAndANulIsDropped() throws Exception {
        site =
                new TestSite(dir)
                        .property("smtp.bareLineEnds", "normalize")
                        .users(List.of("alice@example.test", "bob@example.test"))
                        .start();
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            client.command("MAIL FROM:<alice@example.test>");
            client.command("RCPT TO:<bob@example.test>");
            client.command("DATA");
            client.write("Subject: lf\r\n\r\none\nsmuggle\n.\nbare\rcr and \0nul\r\n.\r\n");
            assertThat(client.reply()).startsWith("250 2.0.0 queued as ");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> site.delivered("bob@example.test").size() == 1);
        // Maildir copies have Unix line ends: every line end was one, and no CR or NUL is left.
        String stored = Files.readString(site.delivered("bob@example.test").get(0));
        assertThat(stored)
                .endsWith("Subject: lf\n\none\nsmuggle\n.\nbare\ncr and nul\n")
                .doesNotContain("\r", "\0");
    }
}
