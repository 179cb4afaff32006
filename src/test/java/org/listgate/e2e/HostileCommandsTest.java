package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.Heap;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * Hostile and malformed commands over a real socket: each gets its exact reply with an enhanced
 * status code, never a 9001, the server keeps serving, and memory stays bounded.
 */
class HostileCommandsTest extends GatewayTestBase {

    private static final String ENHANCED = "[245][0-9][0-9] [245]\\.[0-9]{1,3}\\.[0-9]{1,3} .*";

    @BeforeEach
    void start() throws Exception {
        site =
                new TestSite(dir)
                        .property("smtp.errorDelay", "10ms")
                        .property("limits.maxRecipients", "1000")
                        .property("postmaster.address", "alice@example.test")
                        .users(List.of("alice@example.test", "bob@example.test"))
                        .lists("team: bob@example.test\n")
                        .start();
    }

    private void assertServerAliveAndNoFault() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            assertThat(client.greeting()).startsWith("220 mx.example.test");
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
        assertThat(site.events(9001)).isEmpty();
    }

    @Test
    void aCommandLineOfOneMebibyteGets500AndIsNeverHeldInMemory() throws Exception {
        long before = Heap.usedAfterGc();
        try (SmtpClient client = new SmtpClient(site.port())) {
            for (int i = 0; i < 8; i++) {
                client.write("NOOP " + "x".repeat(1 << 20) + "\r\n");
                assertThat(client.reply()).isEqualTo("500 5.5.2 Error: line too long");
            }
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
        assertThat(Heap.usedAfterGc() - before).isLessThan(32L << 20);
        assertServerAliveAndNoFault();
    }

    @Test
    void aBareLineEndOrANulInACommandGets500AndTheSessionGoesOn() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.write("NOOP\n");
            assertThat(client.reply()).isEqualTo("500 5.5.2 Error: bare <LF> received");
            client.write("NO\0OP\r\n");
            assertThat(client.reply()).isEqualTo("500 5.5.2 Error: NUL character received");
            client.write("NOOP\rQUIT\r\n");
            assertThat(client.reply()).isEqualTo("500 5.5.2 Error: bare <CR> received");
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
        assertServerAliveAndNoFault();
    }

    @Test
    void binaryGarbageIsAnsweredWithEnhancedCodesUntilTheErrorLimitEndsTheSession()
            throws Exception {
        Random random = new Random(20231218);
        List<String> replies = new ArrayList<>();
        try (SmtpClient client = new SmtpClient(site.port())) {
            byte[] garbage = new byte[64 * 1024];
            random.nextBytes(garbage);
            client.write(garbage);
            client.write("\r\n".repeat(40));
            for (String reply = client.reply(); reply != null; reply = client.reply()) {
                replies.add(reply);
            }
        }
        assertThat(replies).isNotEmpty().allSatisfy(reply -> assertThat(reply).matches(ENHANCED));
        assertThat(replies.get(replies.size() - 1))
                .isEqualTo("421 4.7.0 mx.example.test Error: too many errors; closing connection");
        assertServerAliveAndNoFault();
    }

    @Test
    void unknownCommandsAreErrorsAndTheTwentiethEndsTheSessionEvenAcrossRset() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            for (int i = 1; i <= 19; i++) {
                assertThat(client.command(i == 10 ? "RSET" : "XYZZY " + i))
                        .isEqualTo(
                                i == 10
                                        ? "250 2.0.0 Ok"
                                        : "500 5.5.2 Error: command not recognized");
            }
            assertThat(client.command("XYZZY"))
                    .isEqualTo("500 5.5.2 Error: command not recognized");
            assertThat(client.command("XYZZY"))
                    .isEqualTo("500 5.5.2 Error: command not recognized");
            assertThat(client.reply())
                    .isEqualTo(
                            "421 4.7.0 mx.example.test Error: too many errors; closing connection");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(site.events(3011))
                .singleElement()
                .satisfies(e -> assertThat(e.fields()).containsEntry("limit", "errors"));
        assertServerAliveAndNoFault();
    }

    @Test
    void vrfyExpnAndHelpRevealNothingAndHelpEndsInCrlf() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            assertThat(client.command("VRFY bob")).isEqualTo("502 5.5.1 VRFY command is disabled");
            assertThat(client.command("VRFY nobody"))
                    .isEqualTo("502 5.5.1 VRFY command is disabled");
            assertThat(client.command("EXPN team")).isEqualTo("502 5.5.1 EXPN command is disabled");
            assertThat(client.command("HELP MAIL")).startsWith("214 2.0.0 ");
            assertThat(client.lastRawReply())
                    .endsWith("\r\n")
                    .doesNotContain("\n\n")
                    .hasLineCount(1);
            String ehlo = client.command("EHLO c");
            assertThat(ehlo).doesNotContain("VRFY", "EXPN", "CHUNKING", "STARTTLS", "AUTH");
            assertThat(client.command("DATA extra")).isEqualTo("501 5.5.4 Syntax: DATA");
            assertThat(client.command("BDAT 10 LAST"))
                    .isEqualTo("502 5.5.1 Error: command not implemented");
        }
        assertServerAliveAndNoFault();
    }

    @Test
    void httpAndProxyRequestsEndTheSession() throws Exception {
        for (String request :
                List.of(
                        "GET / HTTP/1.0",
                        "POST /x HTTP/1.1",
                        "CONNECT example.net:25 HTTP/1.1",
                        "Host: example.test")) {
            try (SmtpClient client = new SmtpClient(site.port())) {
                assertThat(client.command(request))
                        .as(request)
                        .isEqualTo(
                                "421 4.7.0 mx.example.test Error: this is an SMTP server, not"
                                        + " a web or proxy server; closing connection");
                assertThat(client.closedByServer()).isTrue();
            }
        }
        assertServerAliveAndNoFault();
    }

    @Test
    void eightBitAddressesGet553AndMalformedHeloGets501AndTheSessionGoesOn() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.write("HELO h\u00f6st\r\n".getBytes(StandardCharsets.ISO_8859_1)); // not UTF-8
            assertThat(client.reply()).isEqualTo("501 5.5.2 Error: invalid host name");
            assertThat(client.command("EHLO c")).startsWith("250-mx.example.test");
            String refused =
                    "553 5.6.7 Address contains non-ASCII characters; SMTPUTF8 is not offered";
            assertThat(client.command("MAIL FROM:<j\u00f6rg@ex\u00e4mple.test>"))
                    .isEqualTo(refused);
            assertThat(client.command("MAIL FROM:<j\u00f6rg@ex\u00e4mple.test> SMTPUTF8"))
                    .isEqualTo(refused);
            client.write(
                    "MAIL FROM:<j\u00f6rg@example.test>\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(client.reply()).isEqualTo(refused);
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<b\u00f6b@example.test>")).isEqualTo(refused);
            assertThat(client.command("RCPT TO:<bob@example.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.data("Subject: x\r\n\r\nhi\r\n")).startsWith("250 2.0.0 queued as ");
        }
        assertServerAliveAndNoFault();
    }

    @Test
    void postmasterIsAlwaysAcceptedAndReachesThePostmasterAddress() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("HELO c");
            assertThat(client.command("MAIL FROM:<>")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<postmaster>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("RCPT TO:<PostMaster@example.test>"))
                    .isEqualTo("250 2.1.5 Ok");
            assertThat(client.data("Subject: to the postmaster\r\n\r\nhi\r\n"))
                    .startsWith("250 2.0.0 queued as ");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> site.delivered("alice@example.test").size() == 1);
        assertThat(site.events(4037)).isEmpty();
    }

    @Test
    void moreThanFiftyReceivedHeadersIsALoopAndIsRefusedWith554() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            for (int hops : new int[] {200, 51, 50}) {
                client.command("MAIL FROM:<alice@example.test>");
                client.command("RCPT TO:<bob@example.test>");
                String received =
                        "Received: from relay.example.net by mx.example.net; Mon, 1 Dec 2026 10:00:00 +0000\r\n";
                String reply = client.data(received.repeat(hops) + "Subject: hops\r\n\r\nloop\r\n");
                if (hops > 50) {
                    assertThat(reply)
                            .as(hops + " hops")
                            .isEqualTo(
                                    "554 5.4.6 Error: too many hops (Received: headers); mail forwarding loop?");
                } else {
                    assertThat(reply).as(hops + " hops").startsWith("250 2.0.0 queued as ");
                }
            }
        }
        assertThat(site.events(3005)).hasSize(2);
        assertThat(site.events(2001)).hasSize(1);
    }

    @Test
    void aHeaderOverOneHundredKibibytesIsRefusedWith552AfterTheData() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            client.command("MAIL FROM:<alice@example.test>");
            client.command("RCPT TO:<bob@example.test>");
            String header = ("X-Filler: " + "f".repeat(90) + "\r\n").repeat(1100);
            assertThat(client.data(header + "\r\nbody\r\n"))
                    .isEqualTo("552 5.3.4 Error: message header too big");
            assertThat(client.command("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
        assertThat(site.events(2001)).isEmpty();
        assertServerAliveAndNoFault();
    }

    @Test
    void tenThousandRcptsGetTheLimitThenAnOvershootOf452sThenErrorsUntilTheLimit()
            throws Exception {
        List<String> replies = new ArrayList<>();
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            client.command("MAIL FROM:<alice@example.test>");
            // Duplicates count toward limits.maxRecipients: every accepted RCPT is work asked for.
            client.write("RCPT TO:<bob@example.test>\r\n".repeat(10_000));
            for (String reply = client.reply(); reply != null; reply = client.reply()) {
                replies.add(reply);
            }
        }
        assertThat(replies.subList(0, 1000)).containsOnly("250 2.1.5 Ok");
        // As many again past the limit are not the client's fault
        // (smtpd_recipient_overshoot_limit);
        // then each 452 is an error, and the twentieth ends the session.
        assertThat(replies.subList(1000, 2020)).containsOnly("452 4.5.3 Too many recipients");
        assertThat(replies.get(2020))
                .isEqualTo("421 4.7.0 mx.example.test Error: too many errors; closing connection");
        assertThat(replies).hasSize(2021);
        assertServerAliveAndNoFault();
    }

    @Test
    void aClientThatPipelinesPastTheLimitGetsItsMessageQueued() throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            client.write(
                    "MAIL FROM:<alice@example.test>\r\n"
                            + "RCPT TO:<bob@example.test>\r\n".repeat(1500)
                            + "DATA\r\n");
            for (int i = 0; i < 1501; i++) {
                assertThat(client.reply())
                        .startsWith(i == 0 ? "250 2.1.0" : i <= 1000 ? "250 2.1.5" : "452 4.5.3");
            }
            assertThat(client.reply()).startsWith("354");
            client.write("Subject: many\r\n\r\nhi\r\n.\r\n");
            assertThat(client.reply()).startsWith("250 2.0.0 queued as ");
        }
    }
}
