package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.listgate.address.Mailbox;
import org.listgate.address.Route;
import org.listgate.events.EventLog;
import org.listgate.spool.Envelope;
import org.listgate.spool.MessageWriter;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.RecipientState;
import org.listgate.spool.Recipients;
import org.listgate.spool.Spool;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * A gateway started on a spool an earlier run left damaged: a torn queue file, a garbage file, a
 * journal unreadable in the middle, a journal with a torn last line, and good messages. The bad
 * ones go to corrupt/ with a 3006 each; the start does not fail; every good one is delivered.
 */
class CorruptSpoolTest extends GatewayTestBase {

    private static final List<String> USERS =
            List.of(
                    "alice@example.test",
                    "good1@example.test",
                    "good2@example.test",
                    "good3@example.test",
                    "torn@example.test",
                    "badstate@example.test",
                    "tornstate@example.test",
                    "resume1@example.test",
                    "resume2@example.test",
                    "half@example.test");

    private Spool spool;

    /**
     * A one-recipient journal is kept in memory until its first sync: synced here, as a server that
     * had worked on the message would have, so that it is on disk.
     */
    private static void written(Recipients recipients) throws java.io.IOException {
        recipients.sync();
        recipients.close();
    }

    @Test
    void badFilesAreQuarantinedWithAWarningEachAndEveryGoodMessageIsDelivered() throws Exception {
        spool = new Spool(dir.resolve("spool"), new EventLog());
        spool.open();
        List<QueuedMessage> good = new ArrayList<>();
        for (String user : List.of("good1", "good2", "good3")) {
            good.add(queue(user));
        }
        // Torn: the crash came before the END record was written.
        QueuedMessage torn = queue("torn");
        try (RandomAccessFile file = new RandomAccessFile(torn.file().toFile(), "rw")) {
            file.setLength(torn.contentOffset() + torn.contentLength());
        }
        Path garbage = dir.resolve("spool/queue/00000000000DEAD");
        Files.write(
                garbage,
                "\u0000\u00ffnot a queue file\nEND 3\n".getBytes(StandardCharsets.ISO_8859_1));
        // A journal with an unreadable line that is not its last: not a crash, damage.
        QueuedMessage badState = queue("badstate");
        written(spool.createRecipients(badState, List.of(target(0, "badstate"))));
        Files.writeString(
                journal(badState), "D zero\nN 1764011111000\n", StandardOpenOption.APPEND);
        // A journal whose last line was torn by a crash: that record never happened.
        QueuedMessage tornState = queue("tornstate");
        written(spool.createRecipients(tornState, List.of(target(0, "tornstate"))));
        Files.writeString(journal(tornState), "D 0 1764011111000", StandardOpenOption.APPEND);
        // Half delivered before the stop: only the rest is delivered.
        QueuedMessage resumed = queue("resume1", "resume2");
        List<RecipientState> halfDone = List.of(target(0, "resume1"), target(1, "resume2"));
        try (Recipients journal = spool.createRecipients(resumed, halfDone)) {
            journal.delivered(halfDone.get(0), Instant.now());
            journal.sync();
        }
        // Being written when the server stopped: no 250 was given for it.
        Files.writeString(
                dir.resolve("spool/tmp/00000000000BEEF"),
                "listgate-queue 1\nid 00000000000BEEF\n"
                        + "time 1764011111000\nclient 192.0.2.1\nhelo c\nsender \nrcpt half@example.test\ndata\nSubj");
        spool.close();

        site = new TestSite(dir).users(USERS).start();

        await().atMost(Duration.ofSeconds(20)).until(site::queueEmpty);
        assertThat(names("corrupt"))
                .containsExactlyInAnyOrder(
                        torn.queueId(),
                        "00000000000DEAD",
                        badState.queueId(),
                        badState.queueId() + ".state");
        assertThat(site.events(3006))
                .hasSize(3)
                .allSatisfy(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("type", "Warning")
                                        .containsKey("reason"));
        assertThat(site.events(3006))
                .extracting(event -> event.fields().get("file"))
                .containsExactlyInAnyOrder(
                        torn.file().toString(), garbage.toString(), badState.file().toString());
        assertThat(site.events(9001)).isEmpty();
        assertThat(site.events(1000)).hasSize(1);

        Map<String, QueuedMessage> expected =
                Map.of(
                        "good1",
                        good.get(0),
                        "good2",
                        good.get(1),
                        "good3",
                        good.get(2),
                        "tornstate",
                        tornState,
                        "resume2",
                        resumed);
        expected.forEach(
                (user, message) ->
                        assertThat(site.delivered(user + "@example.test"))
                                .as(user)
                                .singleElement()
                                .satisfies(
                                        file ->
                                                assertThat(Files.readString(file))
                                                        .contains(
                                                                "Message-ID: <"
                                                                        + message.queueId()
                                                                        + "@test>")));
        for (String user : List.of("torn", "badstate", "resume1", "half")) {
            assertThat(site.delivered(user + "@example.test")).as(user).isEmpty();
        }
        assertThat(names("tmp")).isEmpty();
        assertThat(names("state")).isEmpty();
        try (SmtpClient client = new SmtpClient(site.port())) {
            assertThat(client.greeting()).startsWith("220");
            assertThat(client.command("NOOP")).startsWith("250");
        }
    }

    private Envelope envelope(String... users) {
        List<Mailbox> recipients =
                Stream.of(users).map(user -> new Mailbox(user, TestSite.DOMAIN)).toList();
        return new Envelope(
                spool.newQueueId(),
                Instant.now(),
                "192.0.2.1",
                "earlier.run",
                Optional.of(new Mailbox("alice", TestSite.DOMAIN)),
                recipients);
    }

    private QueuedMessage queue(String... users) throws IOException {
        Envelope envelope = envelope(users);
        try (MessageWriter writer = spool.begin(envelope)) {
            String content =
                    "Message-ID: <"
                            + envelope.queueId()
                            + "@test>\r\nSubject: left in the spool\r\n\r\n";
            writer.content().write(content.getBytes(StandardCharsets.US_ASCII));
            return writer.commit();
        }
    }

    private static RecipientState target(int index, String user) {
        return RecipientState.target(
                index, new Mailbox(user, TestSite.DOMAIN), Route.LOCAL, List.of());
    }

    private Path journal(QueuedMessage message) {
        return dir.resolve("spool/state").resolve(message.queueId());
    }

    private List<String> names(String folder) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("spool").resolve(folder))) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
