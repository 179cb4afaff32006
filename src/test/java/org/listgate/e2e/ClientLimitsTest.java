package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.Heap;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * Clients that hold on, drip, never read, harvest or flood: each is cut off with its exact reply,
 * the event log grows by a bounded amount, and other clients are served meanwhile.
 */
class ClientLimitsTest extends GatewayTestBase {

    private static final List<String> USERS = List.of("alice@example.test", "bob@example.test");

    private TestSite site(String... properties) throws Exception {
        TestSite configured = new TestSite(dir).property("smtp.errorDelay", "10ms").users(USERS);
        for (int i = 0; i < properties.length; i += 2) {
            configured.property(properties[i], properties[i + 1]);
        }
        return configured.start();
    }

    private void assertAnotherClientIsServed(String from) throws Exception {
        try (SmtpClient client = new SmtpClient(site.port(), from)) {
            assertThat(client.greeting()).startsWith("220 mx.example.test");
            client.command("EHLO other.example.net");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<bob@example.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.data("Subject: still served\r\n\r\nhi\r\n"))
                    .startsWith("250 2.0.0 queued as ");
        }
    }

    @Test
    void aThousandIdleConnectionsFromOneAddressGetFiftySlotsAndAnotherClientIsServed()
            throws Exception {
        site = site();
        long before = Heap.usedAfterGc();
        List<SmtpClient> held = new ArrayList<>();
        int greeted = 0;
        int refused = 0;
        try {
            for (int i = 0; i < 1000; i++) {
                SmtpClient client = new SmtpClient(site.port(), "127.0.0.1");
                held.add(client);
                if (client.greeting().startsWith("220 ")) {
                    greeted++;
                } else {
                    assertThat(client.greeting())
                            .isEqualTo(
                                    "421 4.7.0 mx.example.test Error: too many connections from your address; try again later");
                    refused++;
                }
            }
            assertThat(greeted).isEqualTo(50);
            assertThat(refused).isEqualTo(950);
            assertAnotherClientIsServed("127.0.0.2");
        } finally {
            for (SmtpClient client : held) {
                client.close();
            }
        }
        assertThat(Heap.usedAfterGc() - before).isLessThan(64L << 20);
        // One client cannot drive the log: past 100 refusals a minute they are counted, not logged.
        assertThat(site.events(3011)).hasSizeLessThanOrEqualTo(100);
        assertThat(site.events(9001)).isEmpty();
    }

    @Test
    void aMessageReceivedForgivesTheJunkCommandsBeforeIt() throws Exception {
        // An MTA pushing its queue: one session, RSET after each message, far more messages
        // than smtp.junkCommandLimit.
        site =
                site(
                        "smtp.junkCommandLimit",
                        "5",
                        "smtp.softErrorLimit",
                        "1",
                        "smtp.hardErrorLimit",
                        "3");
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO relay.example.net");
            for (int i = 0; i < 30; i++) {
                assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250");
                assertThat(client.command("RCPT TO:<bob@example.test>")).startsWith("250");
                assertThat(client.data("Subject: " + i + "\r\n\r\nhi\r\n"))
                        .startsWith("250 2.0.0 queued as ");
                assertThat(client.command("RSET")).startsWith("250");
            }
            // Without messages in between, junk still adds up to the hard limit.
            for (int i = 0; i < 7; i++) {
                client.command("NOOP");
            }
            assertThat(client.command("NOOP")).startsWith("421 4.7.0");
        }
    }

    @Test
    void aClientDrippingDataIsCutOffByTheMinimumDataRate() throws Exception {
        site = site("smtp.commandTimeout", "2s", "smtp.minDataRate", "500");
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO drip");
            client.command("MAIL FROM:<alice@example.test>");
            client.command("RCPT TO:<bob@example.test>");
            assertThat(client.command("DATA")).startsWith("354");
            long start = System.nanoTime();
            try {
                for (int i = 0; i < 200 && !client.socket().isClosed(); i++) {
                    client.write("x");
                    Thread.sleep(100);
                    if (client.socket().getInputStream().available() > 0) {
                        break;
                    }
                }
            } catch (IOException e) {
                // The server closed the connection under the client's feet: that is the point.
            }
            assertThat(client.reply())
                    .isEqualTo("421 4.4.2 mx.example.test Error: timeout exceeded");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(15));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> site.events(3011).size() == 1);
        assertThat(site.events(3011).get(0).fields()).containsEntry("limit", "timeout");
        assertThat(site.events(2001)).isEmpty();
        assertAnotherClientIsServed("127.0.0.1");
    }

    @Test
    void aClientDrippingACommandLineIsCutOffByTheCommandDeadline() throws Exception {
        site = site("smtp.commandTimeout", "1s", "smtp.idleTimeout", "30s");
        try (SmtpClient client = new SmtpClient(site.port())) {
            try {
                for (char c : "MAIL FROM:<alice@example.test>".toCharArray()) {
                    client.write(String.valueOf(c));
                    Thread.sleep(200);
                }
            } catch (IOException e) {
                // Closed by the server mid-drip.
            }
            assertThat(client.reply())
                    .isEqualTo("421 4.4.2 mx.example.test Error: timeout exceeded");
            assertThat(client.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> site.events(3011).size() == 1);
    }

    @Test
    void anIdleClientGets421AfterTheIdleTimeout() throws Exception {
        site = site("smtp.idleTimeout", "1s");
        try (SmtpClient client = new SmtpClient(site.port())) {
            assertThat(client.reply())
                    .isEqualTo("421 4.4.2 mx.example.test Error: timeout exceeded");
        }
    }

    @Test
    void aClientThatNeverReadsLosesItsConnectionAfterTheWriteTimeout() throws Exception {
        site = site("smtp.idleTimeout", "2s");
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", site.port()));
        Thread flood =
                new Thread(
                        () -> {
                            try (OutputStream out = socket.getOutputStream()) {
                                byte[] ehlo =
                                        "EHLO never-reads.example.net\r\n"
                                                .repeat(1000)
                                                .getBytes(StandardCharsets.US_ASCII);
                                for (int i = 0; i < 2000; i++) {
                                    out.write(ehlo);
                                }
                            } catch (IOException e) {
                                // Expected: the server closes the connection.
                            }
                        });
        flood.start();
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                site.events(3011).stream()
                                        .anyMatch(
                                                e ->
                                                        "write timeout"
                                                                .equals(e.fields().get("limit"))));
        flood.join(10_000);
        assertThat(flood.isAlive()).isFalse();
        socket.close();
        assertAnotherClientIsServed("127.0.0.2");
        assertThat(site.events(9001)).isEmpty();
    }

    @Test
    void fiftyThousandRcptsWithoutMailAreCutOffAndTheLogStaysSmall() throws Exception {
        site = site();
        long logBefore = Files.size(site.dir().resolve("events.jsonl"));
        for (int connection = 0; connection < 5; connection++) {
            try (SmtpClient client = new SmtpClient(site.port())) {
                client.write("RCPT TO:<x>\r\n".repeat(10_000));
                List<String> replies = new ArrayList<>();
                for (String reply = client.reply(); reply != null; reply = client.reply()) {
                    replies.add(reply);
                }
                assertThat(replies.subList(0, 20))
                        .containsOnly("503 5.5.1 Error: need MAIL command");
                assertThat(replies.get(20))
                        .isEqualTo(
                                "421 4.7.0 mx.example.test Error: too many errors; closing connection");
                assertThat(replies).hasSize(21);
            }
        }
        assertThat(site.events(3001)).hasSize(100);
        assertThat(Files.size(site.dir().resolve("events.jsonl")) - logBefore).isLessThan(100_000);
        assertThat(site.events(9001)).isEmpty();
    }

    @Test
    void harvestingAddressesThroughRcptEndsAtTheErrorLimit() throws Exception {
        site = site();
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO harvester");
            client.command("MAIL FROM:<>");
            int refused = 0;
            for (int i = 0; i < 5000; i++) {
                String reply = client.command("RCPT TO:<guess" + i + "@example.test>");
                if (!reply.startsWith("550 5.1.1 ")) {
                    assertThat(reply)
                            .isEqualTo(
                                    "421 4.7.0 mx.example.test Error: too many errors; closing connection");
                    break;
                }
                refused++;
                if (refused == 20) {
                    assertThat(client.reply())
                            .isEqualTo(
                                    "421 4.7.0 mx.example.test Error: too many errors; closing connection");
                    break;
                }
            }
            assertThat(refused).isEqualTo(20);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void pastTheSoftLimitEachErrorReplyWaits() throws Exception {
        site = site("smtp.errorDelay", "300ms", "smtp.softErrorLimit", "2");
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("XYZZY");
            client.command("XYZZY");
            long start = System.nanoTime();
            assertThat(client.command("XYZZY"))
                    .isEqualTo("500 5.5.2 Error: command not recognized");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void connectionAndMessageRatesPerClientAreEnforcedWhenSet() throws Exception {
        site = site("smtp.clientConnectionRate", "3", "smtp.clientMessageRate", "2");
        for (int i = 0; i < 3; i++) {
            try (SmtpClient client = new SmtpClient(site.port())) {
                assertThat(client.greeting()).startsWith("220 ");
                if (i == 0) {
                    client.command("EHLO c");
                    assertThat(client.command("MAIL FROM:<alice@example.test>"))
                            .startsWith("250 2.1.0");
                    client.command("RSET");
                    assertThat(client.command("MAIL FROM:<alice@example.test>"))
                            .startsWith("250 2.1.0");
                    client.command("RSET");
                    assertThat(client.command("MAIL FROM:<alice@example.test>"))
                            .isEqualTo(
                                    "450 4.7.1 Error: too much mail from your address in the last minute; try again later");
                }
            }
        }
        try (SmtpClient client = new SmtpClient(site.port())) {
            assertThat(client.greeting())
                    .isEqualTo(
                            "421 4.7.0 mx.example.test Error: too many connections from your address in the"
                                    + " last minute; try again later");
        }
        try (SmtpClient client = new SmtpClient(site.port(), "127.0.0.2")) {
            assertThat(client.greeting()).startsWith("220 ");
        }
    }

    @Test
    void aTrustedClientIsNotChargedForRefusedRecipients() throws Exception {
        site = site("relay.networks", "127.0.0.0/8");
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO pegasus");
            client.command("MAIL FROM:<alice@example.test>");
            for (int i = 0; i < 100; i++) {
                assertThat(client.command("RCPT TO:<ghost" + i + "@example.test>"))
                        .startsWith("550 5.1.1 ");
            }
            assertThat(client.command("RCPT TO:<bob@example.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.data("Subject: list\r\n\r\nhi\r\n"))
                    .startsWith("250 2.0.0 queued as ");
        }
        assertThat(site.events(4037)).hasSize(100);
    }
}
