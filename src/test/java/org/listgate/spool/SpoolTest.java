package org.listgate.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.address.Mailbox;
import org.listgate.testing.EventCapture;

class SpoolTest {

    @TempDir Path dir;

    private EventCapture events;
    private Spool spool;

    @BeforeEach
    void setUp() throws IOException {
        events = EventCapture.in(dir);
        spool = new Spool(dir.resolve("spool"), events.log());
        spool.open();
    }

    @AfterEach
    void tearDown() {
        events.close();
    }

    private Envelope envelope(Optional<Mailbox> sender) {
        return new Envelope(
                spool.newQueueId(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                "192.0.2.1",
                "pegasus.example\r\nX-Injected: 1",
                sender,
                List.of(
                        new Mailbox("staff", "example.test"),
                        new Mailbox("\"a b\"", "example.test")));
    }

    private QueuedMessage commit(Envelope envelope, byte[] content) throws IOException {
        try (MessageWriter writer = spool.begin(envelope)) {
            writer.content().write(content);
            return writer.commit();
        }
    }

    private static byte[] content(QueuedMessage message) throws IOException {
        try (InputStream in = message.openContent()) {
            return in.readAllBytes();
        }
    }

    private List<Path> files(String folder) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("spool").resolve(folder))) {
            return files.toList();
        }
    }

    @Test
    void queueIdsSortByArrivalAndEndInTheGatewayId() throws Exception {
        try (Spool gateway = new Spool(dir.resolve("other"), events.log(), "9B1C")) {
            String first = gateway.newQueueId();
            Thread.sleep(2);
            String second = gateway.newQueueId();

            assertThat(first).matches("[0-9A-F]{15}9B1C");
            assertThat(second).matches("[0-9A-F]{15}9B1C").isGreaterThan(first);
        }
        assertThat(spool.newQueueId()).matches("[0-9A-F]{15}");
        assertThatThrownBy(() -> new Spool(dir.resolve("x"), events.log(), "gw1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCommittedMessageReadsBackWithTheSameEnvelopeAndContent() throws Exception {
        Envelope envelope = envelope(Optional.of(new Mailbox("alice", "example.test")));
        byte[] content = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

        QueuedMessage committed = commit(envelope, content);
        QueuedMessage read = QueueFile.read(committed.file());

        assertThat(committed.file().getParent()).isEqualTo(dir.resolve("spool/queue"));
        assertThat(files("tmp")).isEmpty();
        assertThat(read.envelope())
                .usingRecursiveComparison()
                .ignoringFields("helo")
                .isEqualTo(envelope);
        // Control characters cannot break the header into records.
        assertThat(read.envelope().helo()).isEqualTo("pegasus.example??X-Injected: 1");
        assertThat(content(read)).isEqualTo(content);
        assertThat(read.contentOffset()).isEqualTo(committed.contentOffset());
        assertThat(read.contentLength()).isEqualTo(content.length);
    }

    @Test
    void theNullSenderAndEmptyContentSurviveTheRoundTrip() throws Exception {
        QueuedMessage committed = commit(envelope(Optional.empty()), new byte[0]);

        QueuedMessage read = QueueFile.read(committed.file());

        assertThat(read.envelope().sender()).isEmpty();
        assertThat(read.envelope().reversePath()).isEqualTo("<>");
        assertThat(content(read)).isEmpty();
    }

    @Test
    void theAuthenticatedUserIsKeptAsAnAuthRecordAndReadBack() throws Exception {
        Envelope plain = envelope(Optional.of(new Mailbox("alice", "example.test")));
        Envelope envelope =
                new Envelope(
                        plain.queueId(),
                        plain.received(),
                        plain.client(),
                        "pegasus.example",
                        plain.sender(),
                        plain.recipients(),
                        Optional.of("alice@example.test"));

        QueuedMessage committed = commit(envelope, "hi\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(Files.readString(committed.file(), StandardCharsets.UTF_8))
                .contains(
                        "\nsender alice@example.test\nauth alice@example.test\nrcpt staff@example.test\n");
        assertThat(QueueFile.read(committed.file()).envelope()).isEqualTo(envelope);
    }

    @Test
    void aQueueFileWithoutAnAuthRecordIsFromAClientThatDidNotAuthenticate() throws Exception {
        // As every queue file written before the auth record existed.
        Path file = dir.resolve("spool/queue/0000019AB3C4D1F2A");
        Files.writeString(
                file,
                "listgate-queue 1\nid 0000019AB3C4D1F2A\ntime 1764011111000\nclient 127.0.0.1\n"
                        + "helo pegasus.example\nsender alice@example.test\nrcpt staff@example.test\ndata\nhi\r\nEND 4\n",
                StandardCharsets.UTF_8);

        Envelope read = QueueFile.read(file).envelope();

        assertThat(read.authenticated()).isEmpty();
        assertThat(read.recipients()).containsExactly(new Mailbox("staff", "example.test"));
    }

    @Test
    void anEmptyAuthRecordMakesTheQueueFileCorrupt() throws Exception {
        Path file = dir.resolve("spool/queue/0000019AB3C4D1F2A");
        Files.writeString(
                file,
                "listgate-queue 1\nid 0000019AB3C4D1F2A\ntime 1764011111000\nclient 127.0.0.1\n"
                        + "helo h\nsender \nauth \nrcpt staff@example.test\ndata\nEND 0\n",
                StandardCharsets.UTF_8);

        assertThatThrownBy(() -> QueueFile.read(file))
                .isInstanceOf(QueueFile.CorruptException.class)
                .hasMessageContaining("authenticated user name");
    }

    @Test
    void anAuthenticatedUserNameCannotBreakTheQueueFileIntoRecords() {
        assertThatThrownBy(
                        () ->
                                new Envelope(
                                        "Q",
                                        Instant.EPOCH,
                                        "c",
                                        "h",
                                        Optional.empty(),
                                        List.of(new Mailbox("staff", "example.test")),
                                        Optional.of("alice\nrcpt x@example.test")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contentHoldingEndRecordsDoesNotConfuseTheEndRecord() throws Exception {
        String[] contents = {
            "END 5\n", "a\nEND 5\n", "END 5\r\nEND 12\n", "x\nEND 1\n", "END 0\nEND 6\nEND 12\n"
        };
        for (String text : contents) {
            byte[] content = text.getBytes(StandardCharsets.US_ASCII);
            QueuedMessage committed = commit(envelope(Optional.empty()), content);

            assertThat(content(QueueFile.read(committed.file()))).as(text).isEqualTo(content);
        }
        assertThat(spool.recover()).hasSize(contents.length);
    }

    @Test
    void aWriterClosedWithoutCommitLeavesNothing() throws IOException {
        try (MessageWriter writer = spool.begin(envelope(Optional.empty()))) {
            writer.content().write("half a message".getBytes(StandardCharsets.US_ASCII));
        }

        assertThat(files("tmp")).isEmpty();
        assertThat(files("queue")).isEmpty();
    }

    @Test
    void openEmptiesTmp() throws IOException {
        Files.writeString(dir.resolve("spool/tmp/0000019AB3C4D1F2A"), "left by a crash");

        spool.open();

        assertThat(files("tmp")).isEmpty();
    }

    @Test
    void openRemovesJournalRewritesLeftByACrash() throws IOException {
        Files.writeString(dir.resolve("spool/state/0000019AB3C4D1F2A.tmp"), "left by a crash");

        spool.open();

        assertThat(files("state")).isEmpty();
    }

    @Test
    void recoverRemovesOrphanJournalsButNotOneBeingWrittenForAMessageAcceptedMeanwhile()
            throws IOException {
        // The listener starts before recover(): a message accepted meanwhile may be writing its
        // journal (tmp, force, rename) while recover() clears what a crash left.
        QueuedMessage accepted =
                commit(envelope(Optional.empty()), "new\r\n".getBytes(StandardCharsets.US_ASCII));
        Path beingWritten =
                Files.writeString(dir.resolve("spool/state/" + accepted.queueId() + ".tmp"), "x");
        Path orphan =
                Files.writeString(
                        dir.resolve("spool/state/0000019AB3C4D1F2A"), "finished before a crash");

        spool.recover();

        assertThat(beingWritten).exists();
        assertThat(orphan).doesNotExist();
    }

    @Test
    void recoverQuarantinesUnreadableFilesAndReturnsTheGoodOnes() throws IOException {
        QueuedMessage good =
                commit(envelope(Optional.empty()), "good\r\n".getBytes(StandardCharsets.US_ASCII));
        Path truncated =
                commit(envelope(Optional.empty()), "torn\r\n".getBytes(StandardCharsets.US_ASCII))
                        .file();
        try (RandomAccessFile file = new RandomAccessFile(truncated.toFile(), "rw")) {
            file.setLength(file.length() - 3);
        }
        Path garbage = dir.resolve("spool/queue/00000000000GARB");
        Files.write(garbage, new byte[] {0, (byte) 0xff, 'E', 'N', 'D', ' ', '0', '\n'});
        Path empty = Files.createFile(dir.resolve("spool/queue/00000000000ZERO"));
        Path badHeader = dir.resolve("spool/queue/00000000000HEAD");
        Files.writeString(
                badHeader,
                QueueFile.MAGIC + "\nid X\ntime soon\nsender \nrcpt a@b.test\ndata\nEND 0\n");

        List<Spool.Stored> recovered = spool.recover();

        assertThat(recovered)
                .extracting(stored -> stored.message().queueId())
                .containsExactly(good.queueId());
        assertThat(files("corrupt"))
                .extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder(
                        truncated.getFileName().toString(),
                        "00000000000GARB",
                        "00000000000ZERO",
                        "00000000000HEAD");
        assertThat(files("queue")).containsExactly(good.file());
        assertThat(events.field(3006, "file"))
                .containsExactlyInAnyOrder(
                        truncated.toString(),
                        garbage.toString(),
                        empty.toString(),
                        badHeader.toString());
        assertThat(events.withId(3006))
                .allSatisfy(event -> assertThat(event.fields()).containsKey("reason"));
    }
}
