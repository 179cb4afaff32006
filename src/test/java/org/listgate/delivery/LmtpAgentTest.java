package org.listgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.address.Mailbox;
import org.listgate.config.Config;
import org.listgate.events.EventLog;
import org.listgate.spool.Envelope;
import org.listgate.spool.MessageWriter;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.Spool;
import org.listgate.testing.Dovecot;

/**
 * LMTP delivery against Debian's Dovecot on loopback (the mail read back over IMAP), and against a
 * server that goes away in the middle of its replies.
 */
class LmtpAgentTest {

    private static final Mailbox ALICE = new Mailbox("alice", "example.test");
    private static final Mailbox BOB = new Mailbox("bob", "example.test");
    private static final Mailbox NOBODY = new Mailbox("nobody", "example.test");
    private static final List<String> STAFF = List.of("staff@example.test");

    @TempDir Path dir;

    private Spool spool;

    @BeforeEach
    void setUp() throws IOException {
        spool = new Spool(dir.resolve("spool"), new EventLog());
        spool.open();
    }

    @AfterEach
    void tearDown() {
        spool.close();
    }

    @Test
    void eachRecipientHasTheOutcomeOfItsOwnReplyAndTheCopiesAreReadBackOverImap() throws Exception {
        try (Dovecot dovecot =
                Dovecot.start(dir.resolve("dovecot"), List.of(ALICE.address(), BOB.address()))) {
            LmtpAgent agent = agent(tcp(dovecot.lmtpPort()));
            QueuedMessage message = queued("Subject: staff meeting\r\n\r\n.hidden dot\r\nbody\r\n");

            List<Outcome> outcomes = agent.deliver(message, List.of(ALICE, NOBODY, BOB), STAFF);

            assertThat(outcomes.get(0)).as(dovecot::logText).isInstanceOf(Outcome.Delivered.class);
            assertThat(outcomes.get(2)).isInstanceOf(Outcome.Delivered.class);
            assertThat(outcomes.get(1))
                    .isInstanceOfSatisfying(
                            Outcome.Failed.class,
                            failed -> {
                                assertThat(failed.status().toString()).isEqualTo("5.1.1");
                                assertThat(failed.reason()).contains("nobody@example.test");
                            });
            for (Mailbox reader : List.of(ALICE, BOB)) {
                assertThat(dovecot.messages(reader.address()))
                        .singleElement()
                        .satisfies(
                                text ->
                                        assertThat(text)
                                                .contains("Delivered-To: staff@example.test")
                                                .contains("Subject: staff meeting")
                                                .contains("\r\n.hidden dot\r\nbody"));
            }
        }
    }

    @Test
    void aUnixDomainSocketIsUsedAsWell() throws Exception {
        try (Dovecot dovecot = Dovecot.start(dir.resolve("dovecot"), List.of(ALICE.address()))) {
            LmtpAgent agent =
                    agent(
                            new Config.Lmtp(
                                    Optional.empty(),
                                    0,
                                    Optional.of(dovecot.lmtpSocket()),
                                    Duration.ofSeconds(10)));

            List<Outcome> outcomes =
                    agent.deliver(queued("Subject: by socket\r\n\r\nx\r\n"), List.of(ALICE), STAFF);

            assertThat(outcomes).singleElement().isInstanceOf(Outcome.Delivered.class);
            assertThat(dovecot.messages(ALICE.address()))
                    .singleElement()
                    .satisfies(text -> assertThat(text).contains("Subject: by socket"));
        }
    }

    @Test
    void aStoppedServerDefersEveryRecipient() throws Exception {
        int port;
        try (Dovecot dovecot = Dovecot.start(dir.resolve("dovecot"), List.of(ALICE.address()))) {
            port = dovecot.lmtpPort();
            dovecot.stop();
        }

        List<Outcome> outcomes =
                agent(tcp(port))
                        .deliver(queued("Subject: x\r\n\r\nx\r\n"), List.of(ALICE, BOB), STAFF);

        assertThat(outcomes)
                .hasSize(2)
                .allSatisfy(
                        outcome ->
                                assertThat(outcome)
                                        .isInstanceOfSatisfying(
                                                Outcome.Deferred.class,
                                                deferred ->
                                                        assertThat(deferred.status().toString())
                                                                .isEqualTo("4.4.1")));
    }

    @Test
    void aServerGoneAfterTheFirstReplyToTheDataDefersOnlyTheRecipientsNotAnswered()
            throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread lmtp =
                    new Thread(
                            () -> {
                                try (Socket socket = server.accept()) {
                                    BufferedReader in =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            socket.getInputStream(),
                                                            StandardCharsets.US_ASCII));
                                    OutputStream out = socket.getOutputStream();
                                    send(out, "220 test LMTP");
                                    in.readLine(); // LHLO
                                    send(out, "250 test");
                                    in.readLine(); // MAIL
                                    send(out, "250 2.1.0 ok");
                                    in.readLine(); // RCPT alice
                                    send(out, "250 2.1.5 ok");
                                    in.readLine(); // RCPT bob
                                    send(out, "250 2.1.5 ok");
                                    in.readLine(); // DATA
                                    send(out, "354 go on");
                                    String line;
                                    while ((line = in.readLine()) != null && !line.equals(".")) {
                                        // the content
                                    }
                                    send(out, "250 2.0.0 <alice@example.test> saved");
                                    // ... and gone before bob's reply.
                                } catch (IOException e) {
                                    // The test sees what the agent made of it.
                                }
                            });
            lmtp.start();

            List<Outcome> outcomes =
                    agent(tcp(server.getLocalPort()))
                            .deliver(queued("Subject: x\r\n\r\nx\r\n"), List.of(ALICE, BOB), STAFF);
            lmtp.join(10_000);

            assertThat(outcomes.get(0)).isInstanceOf(Outcome.Delivered.class);
            assertThat(outcomes.get(1))
                    .isInstanceOfSatisfying(
                            Outcome.Deferred.class,
                            deferred ->
                                    assertThat(deferred.status().toString()).isEqualTo("4.4.2"));
        }
    }

    @Test
    void aServerThatAnswersWithSomethingElseThanLmtpDefersEveryRecipientAndSaysWhat()
            throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread lmtp =
                    new Thread(
                            () -> {
                                try (Socket socket = server.accept()) {
                                    BufferedReader in =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            socket.getInputStream(),
                                                            StandardCharsets.US_ASCII));
                                    OutputStream out = socket.getOutputStream();
                                    send(out, "220 test LMTP");
                                    in.readLine(); // LHLO
                                    send(out, "HTTP/1.1 400 Bad Request");
                                    in.readLine(); // whatever comes, or the end
                                } catch (IOException e) {
                                    // The test sees what the agent made of it.
                                }
                            });
            lmtp.start();

            List<Outcome> outcomes =
                    agent(tcp(server.getLocalPort()))
                            .deliver(queued("Subject: x\r\n\r\nx\r\n"), List.of(ALICE, BOB), STAFF);
            lmtp.join(10_000);

            assertThat(outcomes)
                    .hasSize(2)
                    .allSatisfy(
                            outcome ->
                                    assertThat(outcome)
                                            .isInstanceOfSatisfying(
                                                    Outcome.Deferred.class,
                                                    deferred -> {
                                                        assertThat(deferred.status().toString())
                                                                .isEqualTo("4.4.2");
                                                        assertThat(deferred.reason())
                                                                .endsWith(
                                                                        "a reply that is not LMTP:"
                                                                                + " 'HTTP/1.1 400 Bad Request'");
                                                    }));
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static Config.Lmtp tcp(int port) {
        return new Config.Lmtp(
                Optional.of("127.0.0.1"), port, Optional.empty(), Duration.ofSeconds(10));
    }

    private static LmtpAgent agent(Config.Lmtp target) {
        return new LmtpAgent(target, "mx.example.test");
    }

    private QueuedMessage queued(String content) throws IOException {
        Envelope envelope =
                new Envelope(
                        spool.newQueueId(),
                        Instant.now(),
                        "127.0.0.1",
                        "client.test",
                        Optional.of(new Mailbox("carol", "example.test")),
                        List.of(new Mailbox("staff", "example.test")));
        try (MessageWriter writer = spool.begin(envelope)) {
            writer.content().write(content.getBytes(StandardCharsets.US_ASCII));
            return writer.commit();
        }
    }
}
