package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/** The SMTP dialogue over a real socket: keywords, codes, limits, and hostile input. */
class SmtpProtocolTest {

    @TempDir Path dir;

    private TestSite site;

    @BeforeEach
    void start() throws Exception {
        site =
                new TestSite(dir)
                        .property("limits.maxMessageBytes", "2048")
                        .users(List.of("alice@example.test", "bob@example.test"))
                        .lists("team: bob@example.test\n")
                        .start();
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void ehloOffersPipeliningEnhancedStatusCodesSizeAnd8bitmime() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            String ehlo = client.command("EHLO client.example.test");
            assertThat(ehlo.lines())
                    .contains(
                            "250-PIPELINING",
                            "250-SIZE 2048",
                            "250-ENHANCEDSTATUSCODES",
                            "250 8BITMIME");
        }
    }

    @Test
    void heloClientIsServedLikeAnEhloOne() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            assertThat(client.command("HELO pegasus")).startsWith("250 mx.example.test");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<team@example.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.data("Subject: x\r\n\r\ny\r\n")).startsWith("250 2.0.0 queued as ");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> site.delivered("bob@example.test").size() == 1);
        assertThat(Files.readString(site.delivered("bob@example.test").get(0)))
                .contains(" with SMTP id ");
    }

    @Test
    void eachRcptGetsItsOwnEnhancedCode() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            assertThat(client.command("RCPT TO:<bob@example.test>")).startsWith("503 5.5.1");
            client.command("MAIL FROM:<alice@example.test>");
            assertThat(client.command("RCPT TO:<nobody@example.test>")).startsWith("550 5.1.1 ");
            assertThat(client.command("RCPT TO:<bob@elsewhere.test>")).startsWith("554 5.7.1 ");
            assertThat(client.command("RCPT TO:<not an address>")).startsWith("501 5.1.3 ");
            assertThat(client.command("RCPT TO:<>")).startsWith("501 5.1.3 ");
            assertThat(client.command("RCPT TO:<staff list: ;>")).startsWith("501 5.1.3 ");
            assertThat(client.command("RCPT TO:<bob@example.test> NOTIFY=NEVER"))
                    .startsWith("555 5.5.4 ");
            // RFC 5321 §4.5.3.1.4: a command line is 512 octets at most; a longer one is a refused
            // RCPT too.
            assertThat(client.command("RCPT TO:<" + "x".repeat(900) + "@example.test>"))
                    .startsWith("500 5.5.2 ");
            assertThat(client.command("RCPT bob@example.test")).startsWith("501 5.5.2 ");
            assertThat(client.command("RCPT TO:<Bob@EXAMPLE.test>")).startsWith("250 2.1.5 ");
            assertThat(client.data("Subject: x\r\n\r\ny\r\n")).startsWith("250 2.0.0 queued as ");
        }
        await().atMost(Duration.ofSeconds(10)).until(site::queueEmpty);
        assertThat(site.events(3001)).hasSize(9);
        // The RCPT before MAIL was not part of the transaction; the other eight refusals were.
        assertThat(site.events(4037))
                .hasSize(8)
                .allSatisfy(e -> assertThat(e.fields()).containsEntry("stage", "rcpt"));
        assertThat(site.events(9001)).isEmpty();
    }

    @Test
    void oversizeMessageIsRefusedWith552AfterItsDataIsDrained() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            assertThat(client.command("MAIL FROM:<alice@example.test> SIZE=4096"))
                    .startsWith("552 5.3.4 ");
            client.command("MAIL FROM:<alice@example.test>");
            client.command("RCPT TO:<bob@example.test>");
            // The body hides a whole second transaction; it must stay body, never become commands.
            String body =
                    "Subject: big\r\n\r\n"
                            + "filler line of text\r\n".repeat(200)
                            + "RSET\r\nMAIL FROM:<alice@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\nsmuggled\r\n.\r\n";
            String reply = client.data(body.replace("\r\n.\r\n", "\r\n..\r\n"));
            assertThat(reply).startsWith("552 5.3.4 ");
            assertThat(client.command("NOOP")).startsWith("250");
        }
        // The refusal is logged before the reply, and only an accepted message (2001) is delivered.
        assertThat(site.events(3005))
                .singleElement()
                .satisfies(event -> assertThat(event.fields()).containsEntry("status", "5.3.4"));
        assertThat(site.events(2001)).isEmpty();
        assertThat(site.delivered("bob@example.test")).isEmpty();
    }

    @Test
    void pipelinedTransactionGetsOneReplyPerCommandInOrder() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            client.write(
                    "MAIL FROM:<alice@example.test>\r\nRCPT TO:<bob@example.test>\r\n"
                            + "RCPT TO:<ghost@example.test>\r\nDATA\r\n");
            assertThat(client.reply()).startsWith("250 2.1.0");
            assertThat(client.reply()).startsWith("250 2.1.5");
            assertThat(client.reply()).startsWith("550 5.1.1");
            assertThat(client.reply()).startsWith("354");
            client.write("Subject: p\r\n\r\nbody\r\n.\r\nQUIT\r\n");
            assertThat(client.reply()).startsWith("250 2.0.0");
            assertThat(client.reply()).startsWith("221");
        }
    }

    @Test
    void bareLineFeedsRefuseTheMessageAfterItsRealEndAndALoneDotAfterOneIsContent()
            throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            client.command("MAIL FROM:<alice@example.test>");
            client.command("RCPT TO:<bob@example.test>");
            client.command("DATA");
            client.write("Subject: lf\r\n\r\none\nsmuggle\n.\nstill body\r\n.\r\n");
            assertThat(client.reply())
                    .isEqualTo(
                            "550 5.5.2 Message refused: bare <CR>, bare <LF> or NUL in the"
                                    + " message text (RFC 5321 2.3.8)");
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
        assertThat(site.events(3005))
                .singleElement()
                .satisfies(e -> assertThat(e.fields()).containsEntry("status", "5.5.2"));
        assertThat(site.events(2001)).isEmpty();
        assertThat(site.delivered("bob@example.test")).isEmpty();
    }

    @Test
    void nullSenderAndBadSenderSyntax() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            assertThat(client.command("MAIL FROM:<a@@b>")).startsWith("501 5.1.7 ");
            assertThat(client.command("MAIL FROM:<>")).startsWith("250 2.1.0");
            assertThat(client.command("MAIL FROM:<>")).startsWith("503 5.5.1");
            assertThat(client.command("RSET")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("503 5.5.1");
            assertThat(client.command("MAIL FROM:<alice@example.test> BODY=8BITMIME"))
                    .startsWith("250 2.1.0");
            assertThat(client.command("DATA")).startsWith("503 5.5.1");
        }
    }
}
