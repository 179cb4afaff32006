package org.listgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.listgate.address.Mailbox;
import org.listgate.address.Status;
import org.listgate.config.Config;
import org.listgate.events.EventLog;
import org.listgate.spool.Envelope;
import org.listgate.spool.MessageWriter;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.Spool;
import org.listgate.testing.Smarthost;

class RelayAgentTest {

    private static final Mailbox SENDER = new Mailbox("owner-staff", "example.test");
    private static final Mailbox OK = new Mailbox("ok", "remote.test");
    private static final Mailbox OK_TOO = new Mailbox("ok2", "remote.test");
    private static final Mailbox TEMP = new Mailbox("temp1", "remote.test");
    private static final Mailbox PERM = new Mailbox("perm1", "remote.test");

    /**
     * Our trace header first, CRLF line ends, a Bcc and a Content-Length a MIME library would drop,
     * a To naming people who are not recipients, a body line starting with a dot, 8-bit text.
     */
    private static final String CONTENT =
            "Received: from client.test ([192.0.2.1]) by mx.example.test"
                    + " with ESMTP id 0001; Mon, 1 Jan 2024 10:00:00 +0000\r\n"
                    + "Message-ID: <original@client.test>\r\n"
                    + "From: Alice <alice@client.test>\r\n"
                    + "To: staff@example.test, someone-else@elsewhere.test\r\n"
                    + "Bcc: hidden@elsewhere.test\r\n"
                    + "Content-Length: 3\r\n"
                    + "Subject: folded\r\n"
                    + "\tsubject line\r\n"
                    + "\r\n"
                    + "first line\r\n"
                    + ".a line starting with a dot\r\n"
                    + "caf\u00e9 in Latin-1\r\n";

    @TempDir Path dir;

    private Spool spool;
    private Smarthost smarthost;

    @BeforeEach
    void setUp() throws IOException {
        spool = new Spool(dir.resolve("spool"), new EventLog());
        spool.open();
    }

    @AfterEach
    void tearDown() {
        if (smarthost != null) {
            smarthost.close();
        }
    }

    private QueuedMessage queued(Optional<Mailbox> sender) throws IOException {
        Envelope envelope =
                new Envelope(
                        spool.newQueueId(),
                        Instant.now(),
                        "192.0.2.1",
                        "client.test",
                        sender,
                        List.of(new Mailbox("staff", "example.test")));
        try (MessageWriter writer = spool.begin(envelope)) {
            writer.content().write(CONTENT.getBytes(StandardCharsets.ISO_8859_1));
            return writer.commit();
        }
    }

    private static byte[] spooled(QueuedMessage message) throws IOException {
        try (InputStream in = message.openContent()) {
            return in.readAllBytes();
        }
    }

    private static RelayAgent agent(Config.Relay relay) {
        return new RelayAgent(relay, "mx.example.test");
    }

    @Test
    void eachRecipientGetsItsOwnOutcomeInOrderAndOnlyTheAcceptedOnesGetTheMessage()
            throws IOException {
        smarthost = Smarthost.start();
        QueuedMessage message = queued(Optional.of(SENDER));

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.NONE))
                        .deliver(message, List.of(OK, TEMP, PERM, OK_TOO));

        assertThat(outcomes).extracting(Outcome::recipient).containsExactly(OK, TEMP, PERM, OK_TOO);
        assertThat(outcomes.get(0))
                .isInstanceOfSatisfying(
                        Outcome.Delivered.class,
                        delivered ->
                                assertThat(delivered.where())
                                        .isEqualTo(
                                                "relay 127.0.0.1:"
                                                        + smarthost.port()
                                                        + " (250 2.0.0 Ok queued as 1)"));
        assertThat(outcomes.get(1))
                .isEqualTo(
                        new Outcome.Deferred(
                                TEMP,
                                Status.parse("4.2.0"),
                                "450 4.2.0 mailbox busy (in reply to RCPT TO)"));
        assertThat(outcomes.get(2))
                .isEqualTo(
                        new Outcome.Failed(
                                PERM,
                                Status.BAD_MAILBOX,
                                "550 5.1.1 <perm1@remote.test>: user unknown (in reply to RCPT TO)"));
        assertThat(outcomes.get(3)).isInstanceOf(Outcome.Delivered.class);
        assertThat(smarthost.received())
                .singleElement()
                .satisfies(
                        received -> {
                            assertThat(received.sender()).isEqualTo("owner-staff@example.test");
                            assertThat(received.recipients())
                                    .containsExactly("ok@remote.test", "ok2@remote.test");
                            assertThat(received.content()).isEqualTo(spooled(message));
                            assertThat(received.tls()).isFalse();
                        });
    }

    @Test
    void aListMembersCopyCarriesADeliveredToForEachListOnTopOfTheSpooledBytes() throws IOException {
        smarthost = Smarthost.start();
        QueuedMessage message = queued(Optional.of(SENDER));

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.NONE))
                        .deliver(
                                message,
                                List.of(OK),
                                List.of("staff@example.test", "sales@example.test"));

        assertThat(outcomes).singleElement().isInstanceOf(Outcome.Delivered.class);
        byte[] prefix =
                "Delivered-To: sales@example.test\r\nDelivered-To: staff@example.test\r\n"
                        .getBytes(StandardCharsets.US_ASCII);
        byte[] expected = new byte[prefix.length + spooled(message).length];
        System.arraycopy(prefix, 0, expected, 0, prefix.length);
        System.arraycopy(spooled(message), 0, expected, prefix.length, spooled(message).length);
        assertThat(smarthost.received())
                .singleElement()
                .satisfies(received -> assertThat(received.content()).isEqualTo(expected));
    }

    @Test
    void aBatchTheServerTakesWhollyIsDeliveredWithTheFinalReply() throws IOException {
        smarthost = Smarthost.start();

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.NONE))
                        .deliver(queued(Optional.of(SENDER)), List.of(OK, OK_TOO));

        assertThat(outcomes)
                .allSatisfy(
                        outcome ->
                                assertThat(outcome)
                                        .isInstanceOfSatisfying(
                                                Outcome.Delivered.class,
                                                delivered ->
                                                        assertThat(delivered.where())
                                                                .endsWith(
                                                                        "(250 2.0.0 Ok queued as 1)")));
        assertThat(smarthost.received())
                .singleElement()
                .satisfies(received -> assertThat(received.text()).isEqualTo(CONTENT));
    }

    @Test
    void theNullSenderGoesOutAsAnEmptyMailFrom() throws IOException {
        smarthost = Smarthost.start();

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.NONE))
                        .deliver(queued(Optional.empty()), List.of(OK));

        assertThat(outcomes).singleElement().isInstanceOf(Outcome.Delivered.class);
        // Not the From header's alice@client.test, which is what the transport falls back to.
        assertThat(smarthost.received())
                .singleElement()
                .satisfies(received -> assertThat(received.sender()).isEmpty());
    }

    @Test
    void aSmarthostThatIsDownDefersEveryRecipientWith441() throws IOException {
        smarthost = Smarthost.start();
        smarthost.stop();

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.MAY))
                        .deliver(queued(Optional.of(SENDER)), List.of(OK, PERM));

        assertThat(outcomes).extracting(Outcome::recipient).containsExactly(OK, PERM);
        assertThat(outcomes)
                .allSatisfy(
                        outcome ->
                                assertThat(outcome)
                                        .isInstanceOfSatisfying(
                                                Outcome.Deferred.class,
                                                deferred -> {
                                                    assertThat(deferred.status())
                                                            .isEqualTo(Status.NO_ANSWER_FROM_HOST);
                                                    assertThat(deferred.reason())
                                                            .isEqualTo(
                                                                    "connect to 127.0.0.1:"
                                                                            + smarthost.port()
                                                                            + ": Connection refused");
                                                }));
    }

    @Test
    void anUnknownSmarthostDefersWith441() throws IOException {
        Config.Relay relay =
                new Config.Relay(
                        "smarthost.invalid",
                        25,
                        Config.Tls.MAY,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5),
                        100,
                        4);

        List<Outcome> outcomes = agent(relay).deliver(queued(Optional.of(SENDER)), List.of(OK));

        assertThat(outcomes)
                .singleElement()
                .isEqualTo(
                        new Outcome.Deferred(
                                OK,
                                Status.NO_ANSWER_FROM_HOST,
                                "connect to smarthost.invalid:25: host not found"));
    }

    @Test
    void aTemporaryFailureAtTheEndOfDataDefersTheAcceptedRecipientsAndKeepsTheRcptFailures()
            throws IOException {
        smarthost = Smarthost.start().answerEndOfData(451, "4.3.0 queue trouble");

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.NONE))
                        .deliver(queued(Optional.of(SENDER)), List.of(OK, PERM, OK_TOO, TEMP));

        assertThat(outcomes)
                .containsExactly(
                        new Outcome.Deferred(
                                OK,
                                Status.SYSTEM_ERROR_TRANSIENT,
                                "451 4.3.0 queue trouble (in reply to end of DATA)"),
                        new Outcome.Failed(
                                PERM,
                                Status.BAD_MAILBOX,
                                "550 5.1.1 <perm1@remote.test>: user unknown (in reply to RCPT TO)"),
                        new Outcome.Deferred(
                                OK_TOO,
                                Status.SYSTEM_ERROR_TRANSIENT,
                                "451 4.3.0 queue trouble (in reply to end of DATA)"),
                        new Outcome.Deferred(
                                TEMP,
                                Status.parse("4.2.0"),
                                "450 4.2.0 mailbox busy (in reply to RCPT TO)"));
        assertThat(smarthost.received()).isEmpty();
    }

    @Test
    void aPermanentFailureAtTheEndOfDataFailsTheAcceptedRecipients() throws IOException {
        smarthost = Smarthost.start().answerEndOfData(554, "5.6.0 content rejected");

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.NONE))
                        .deliver(queued(Optional.of(SENDER)), List.of(OK, TEMP));

        assertThat(outcomes)
                .containsExactly(
                        new Outcome.Failed(
                                OK,
                                Status.parse("5.6.0"),
                                "554 5.6.0 content rejected (in reply to end of DATA)"),
                        new Outcome.Deferred(
                                TEMP,
                                Status.parse("4.2.0"),
                                "450 4.2.0 mailbox busy (in reply to RCPT TO)"));
    }

    @Test
    void whenEveryRcptIsRefusedEachKeepsItsOwnReplyAndNoDataIsSent() throws IOException {
        smarthost = Smarthost.start();

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.NONE))
                        .deliver(queued(Optional.of(SENDER)), List.of(PERM, TEMP));

        assertThat(outcomes)
                .extracting(Object::getClass)
                .containsExactly(Outcome.Failed.class, Outcome.Deferred.class);
        assertThat(smarthost.received()).isEmpty();
    }

    @Test
    void aReplyWithoutAnEnhancedCodeGetsTheGenericStatusOfItsClass() throws IOException {
        smarthost =
                Smarthost.start()
                        .answerRecipients(
                                address ->
                                        address.startsWith("temp")
                                                ? new Smarthost.Reply(421, "closing, try later")
                                                : new Smarthost.Reply(553, "no such user"));

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.NONE))
                        .deliver(queued(Optional.of(SENDER)), List.of(TEMP, PERM));

        assertThat(outcomes)
                .containsExactly(
                        new Outcome.Deferred(
                                TEMP,
                                Status.parse("4.0.0"),
                                "421 closing, try later (in reply to RCPT TO)"),
                        new Outcome.Failed(
                                PERM,
                                Status.parse("5.0.0"),
                                "553 no such user (in reply to RCPT TO)"));
    }

    @Test
    void a552ToRcptIsTreatedAsTooManyRecipientsForNow() throws IOException {
        // RFC 5321 §4.5.3.1.10
        smarthost =
                Smarthost.start()
                        .answerRecipients(
                                address ->
                                        address.startsWith("ok2")
                                                ? new Smarthost.Reply(
                                                        552, "5.5.3 too many recipients")
                                                : Smarthost.Reply.OK);

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.NONE))
                        .deliver(queued(Optional.of(SENDER)), List.of(OK, OK_TOO));

        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Delivered.class);
        assertThat(outcomes.get(1))
                .isEqualTo(
                        new Outcome.Deferred(
                                OK_TOO,
                                Status.TOO_MANY_RECIPIENTS,
                                "552 5.5.3 too many recipients (in reply to RCPT TO)"));
    }

    @Test
    void aRefusedSessionDefersEveryRecipientEvenWithA5xxGreeting() throws IOException {
        smarthost = Smarthost.start().refuseSessions(554, "5.7.1 go away");

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.MAY))
                        .deliver(queued(Optional.of(SENDER)), List.of(OK, TEMP));

        assertThat(outcomes)
                .containsExactly(
                        new Outcome.Deferred(
                                OK,
                                Status.NETWORK_ERROR_TRANSIENT,
                                "554 5.7.1 go away (in reply to initial greeting)"),
                        new Outcome.Deferred(
                                TEMP,
                                Status.NETWORK_ERROR_TRANSIENT,
                                "554 5.7.1 go away (in reply to initial greeting)"));
    }

    @Test
    void aServerThatNeverGreetsTimesOutWith442() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName(Smarthost.HOST))) {
            List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());
            Thread acceptor =
                    new Thread(
                            () -> {
                                try {
                                    while (true) {
                                        accepted.add(silent.accept());
                                    }
                                } catch (IOException closed) {
                                    // the test is over
                                }
                            });
            acceptor.setDaemon(true);
            acceptor.start();
            Config.Relay relay =
                    new Config.Relay(
                            Smarthost.HOST,
                            silent.getLocalPort(),
                            Config.Tls.MAY,
                            Duration.ofSeconds(2),
                            Duration.ofMillis(500),
                            100,
                            4);

            long start = System.nanoTime();
            List<Outcome> outcomes =
                    agent(relay).deliver(queued(Optional.of(SENDER)), List.of(OK, PERM));

            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(outcomes)
                    .allSatisfy(
                            outcome ->
                                    assertThat(outcome)
                                            .isInstanceOfSatisfying(
                                                    Outcome.Deferred.class,
                                                    deferred -> {
                                                        assertThat(deferred.status())
                                                                .isEqualTo(Status.BAD_CONNECTION);
                                                        assertThat(deferred.reason())
                                                                .contains("timed out");
                                                    }));
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RCPT", "DATA", "."})
    void aConnectionLostMidTransactionDefersEveryRecipientWith442(String droppedAt)
            throws Exception {
        try (ServerSocket listener =
                new ServerSocket(0, 5, InetAddress.getByName(Smarthost.HOST))) {
            Thread server = new Thread(() -> dropAt(listener, droppedAt));
            server.setDaemon(true);
            server.start();
            Config.Relay relay =
                    new Config.Relay(
                            Smarthost.HOST,
                            listener.getLocalPort(),
                            Config.Tls.MAY,
                            Duration.ofSeconds(2),
                            Duration.ofSeconds(5),
                            100,
                            4);

            List<Outcome> outcomes =
                    agent(relay).deliver(queued(Optional.of(SENDER)), List.of(OK, OK_TOO));

            assertThat(outcomes).extracting(Outcome::recipient).containsExactly(OK, OK_TOO);
            assertThat(outcomes)
                    .allSatisfy(
                            outcome ->
                                    assertThat(outcome)
                                            .isInstanceOfSatisfying(
                                                    Outcome.Deferred.class,
                                                    deferred -> {
                                                        assertThat(deferred.status())
                                                                .isEqualTo(Status.BAD_CONNECTION);
                                                        assertThat(deferred.reason())
                                                                .startsWith(
                                                                        "lost connection with 127.0.0.1:"
                                                                                + listener
                                                                                        .getLocalPort());
                                                    }));
        }
    }

    /**
     * A server that answers well until the command starting with {@code droppedAt}, then hangs up.
     */
    private static void dropAt(ServerSocket listener, String droppedAt) {
        try (Socket socket = listener.accept();
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(
                                        socket.getInputStream(), StandardCharsets.ISO_8859_1));
                Writer out =
                        new OutputStreamWriter(
                                socket.getOutputStream(), StandardCharsets.ISO_8859_1)) {
            out.write("220 scripted ESMTP\r\n");
            out.flush();
            boolean inData = false;
            String line;
            while ((line = in.readLine()) != null) {
                if (inData && !line.equals(".")) {
                    continue;
                }
                if (line.startsWith(droppedAt)) {
                    return;
                }
                String reply =
                        inData
                                ? "250 2.0.0 queued"
                                : line.startsWith("DATA") ? "354 go ahead" : "250 ok";
                inData = line.startsWith("DATA");
                out.write(reply + "\r\n");
                out.flush();
            }
        } catch (IOException e) {
            // the client went away first
        }
    }

    @Test
    void withTlsMayTheSessionIsUpgradedWhenOffered() throws IOException {
        smarthost = Smarthost.builder().offeringStartTls().start();
        QueuedMessage message = queued(Optional.of(SENDER));

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.MAY)).deliver(message, List.of(OK));

        assertThat(outcomes)
                .singleElement()
                .isInstanceOfSatisfying(
                        Outcome.Delivered.class,
                        delivered ->
                                assertThat(delivered.where())
                                        .startsWith(
                                                "relay 127.0.0.1:"
                                                        + smarthost.port()
                                                        + " with TLS (250 "));
        assertThat(smarthost.received())
                .singleElement()
                .satisfies(
                        received -> {
                            assertThat(received.tls()).isTrue();
                            assertThat(received.content()).isEqualTo(spooled(message));
                        });
    }

    @Test
    void withTlsMayAServerWithoutStartTlsGetsThePlainSession() throws IOException {
        smarthost = Smarthost.start();

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.MAY))
                        .deliver(queued(Optional.of(SENDER)), List.of(OK));

        assertThat(outcomes).singleElement().isInstanceOf(Outcome.Delivered.class);
        assertThat(smarthost.received())
                .singleElement()
                .satisfies(received -> assertThat(received.tls()).isFalse());
    }

    @Test
    void withTlsEncryptAServerWithoutStartTlsDefersWith474() throws IOException {
        smarthost = Smarthost.start();

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.ENCRYPT))
                        .deliver(queued(Optional.of(SENDER)), List.of(OK, PERM));

        assertThat(outcomes)
                .containsExactly(
                        new Outcome.Deferred(
                                OK,
                                Status.SECURITY_FEATURES_NOT_SUPPORTED,
                                "TLS is required, but was not offered by host 127.0.0.1:"
                                        + smarthost.port()),
                        new Outcome.Deferred(
                                PERM,
                                Status.SECURITY_FEATURES_NOT_SUPPORTED,
                                "TLS is required, but was not offered by host 127.0.0.1:"
                                        + smarthost.port()));
        assertThat(smarthost.received()).isEmpty();
    }

    @Test
    void withTlsEncryptAServerOfferingStartTlsGetsTheMessage() throws IOException {
        smarthost = Smarthost.builder().offeringStartTls().start();

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.ENCRYPT))
                        .deliver(queued(Optional.of(SENDER)), List.of(OK));

        assertThat(outcomes).singleElement().isInstanceOf(Outcome.Delivered.class);
        assertThat(smarthost.received())
                .singleElement()
                .satisfies(received -> assertThat(received.tls()).isTrue());
    }

    @Test
    void withTlsNoneStartTlsIsNotUsedEvenWhenOffered() throws IOException {
        smarthost = Smarthost.builder().offeringStartTls().start();

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.NONE))
                        .deliver(queued(Optional.of(SENDER)), List.of(OK));

        assertThat(outcomes)
                .singleElement()
                .isInstanceOfSatisfying(
                        Outcome.Delivered.class,
                        delivered -> assertThat(delivered.where()).doesNotContain("TLS"));
        assertThat(smarthost.received())
                .singleElement()
                .satisfies(received -> assertThat(received.tls()).isFalse());
    }

    @Test
    void aSpoolFileGoneBeforeDataDefersWith430AndSendsNothing() throws IOException {
        smarthost = Smarthost.start();
        QueuedMessage message = queued(Optional.of(SENDER));
        Files.delete(message.file());

        List<Outcome> outcomes =
                agent(smarthost.relay(Config.Tls.NONE)).deliver(message, List.of(OK));

        assertThat(outcomes)
                .singleElement()
                .isInstanceOfSatisfying(
                        Outcome.Deferred.class,
                        deferred -> {
                            assertThat(deferred.status()).isEqualTo(Status.SYSTEM_ERROR_TRANSIENT);
                            assertThat(deferred.reason())
                                    .startsWith("cannot read the queued message");
                        });
        assertThat(smarthost.received()).isEmpty();
    }

    @Test
    void aSmarthostBackOnTheSamePortTakesTheNextAttempt() throws IOException {
        smarthost = Smarthost.start();
        RelayAgent agent = agent(smarthost.relay(Config.Tls.NONE));
        QueuedMessage message = queued(Optional.of(SENDER));
        smarthost.stop();
        assertThat(agent.deliver(message, List.of(OK)))
                .singleElement()
                .isInstanceOf(Outcome.Deferred.class);

        smarthost.restart();

        assertThat(agent.deliver(message, List.of(OK)))
                .singleElement()
                .isInstanceOf(Outcome.Delivered.class);
        assertThat(smarthost.received()).hasSize(1);
    }

    @Test
    void oneAgentServesSeveralThreadsAtOnce() throws Exception {
        smarthost = Smarthost.builder().offeringStartTls().start();
        RelayAgent agent = agent(smarthost.relay(Config.Tls.MAY));
        QueuedMessage message = queued(Optional.of(SENDER));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<List<Outcome>>> batches =
                    IntStream.range(0, 8)
                            .mapToObj(
                                    i ->
                                            CompletableFuture.supplyAsync(
                                                    () ->
                                                            agent.deliver(
                                                                    message,
                                                                    List.of(
                                                                            new Mailbox(
                                                                                    "ok" + i,
                                                                                    "remote.test"),
                                                                            PERM)),
                                                    threads))
                            .toList();

            for (CompletableFuture<List<Outcome>> batch : batches) {
                assertThat(batch.get())
                        .extracting(Object::getClass)
                        .containsExactly(Outcome.Delivered.class, Outcome.Failed.class);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(smarthost.received())
                .hasSize(8)
                .allSatisfy(received -> assertThat(received.text()).isEqualTo(CONTENT));
    }
}
