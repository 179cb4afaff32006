package org.listgate.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.listgate.address.Mailbox;
import org.listgate.address.Route;
import org.listgate.address.Status;
import org.listgate.testing.EventCapture;

/**
 * The per-recipient journal, written through {@link Spool#createRecipients} and its changes and
 * read back the way a restart reads it: through {@link Spool#recover()}.
 */
class JournalTest {

    private static final Instant T0 = Instant.ofEpochMilli(1_764_011_111_000L);

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
        spool.close();
        events.close();
    }

    @Test
    void everyKindOfRecordReadsBackAsTheSameState() throws Exception {
        QueuedMessage message = queue();
        List<RecipientState> recipients = expansion();
        try (Recipients journal = spool.createRecipients(message, recipients)) {
            journal.delivered(recipients.get(0), T0);
            journal.deferred(
                    recipients.get(1),
                    T0,
                    2,
                    T0.plusSeconds(60),
                    new Status(4, 4, 1),
                    "connection refused");
            journal.failed(
                    recipients.get(2), T0.plusMillis(5), new Status(5, 1, 1), "no such user");
            journal.deferred(
                    recipients.get(3),
                    T0,
                    1,
                    T0.plusSeconds(30),
                    new Status(4, 2, 2),
                    "mailbox full");
            journal.reported(List.of(recipients.get(2), recipients.get(4)));
            journal.warned(List.of(recipients.get(3)));
            journal.sync();
        }

        assertThat(recoveredState(message)).usingRecursiveComparison().isEqualTo(recipients);
        assertThat(recipients)
                .extracting(RecipientState::state)
                .containsExactly(
                        RecipientState.State.DELIVERED,
                        RecipientState.State.DEFERRED,
                        RecipientState.State.FAILED,
                        RecipientState.State.DEFERRED,
                        RecipientState.State.FAILED);
        assertThat(events.withId(3006)).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "a b",
                "tab\there",
                "cr\r\nlf",
                "100% sure",
                "%",
                "%25",
                "",
                "-",
                " ",
                "Grüße",
                "nul\u0000",
                "del\u007f",
                "trailing ",
                "%%",
                "a%2"
            })
    void awkwardAddressesAndReasonsSurviveTheRoundTrip(String text) throws Exception {
        QueuedMessage message = queue();
        List<RecipientState> recipients = new ArrayList<>();
        recipients.add(
                RecipientState.target(
                        0,
                        at(
                                "\""
                                        + text.replaceAll("[\\x00-\\x1f\\x7f\"\\\\]", "x")
                                        + "\"@example.test"),
                        Route.LOCAL,
                        List.of("list " + text)));
        recipients.add(
                RecipientState.isolated(
                        1, text, Optional.of(text + "@example.test"), new Status(5, 1, 3), text));
        try (Recipients journal = spool.createRecipients(message, recipients)) {
            journal.deferred(
                    recipients.get(0), T0, 1, T0.plusSeconds(1), new Status(4, 0, 0), text);
            journal.sync();
        }

        assertThat(recoveredState(message)).usingRecursiveComparison().isEqualTo(recipients);
        // Escaped, the text cannot break a record into two nor add a field.
        List<String> lines = Files.readAllLines(journalFile(message), StandardCharsets.UTF_8);
        assertThat(lines)
                .hasSize(5)
                .allSatisfy(line -> assertThat(line).doesNotContain("\r", "\t", "\u0000"));
        assertThat(lines.get(2).split(" ", -1)).hasSize(6);
        assertThat(lines.get(4).split(" ", -1)).hasSize(7);
    }

    @Test
    void aMemberOfANestedListKeepsEveryListItCameThrough() throws Exception {
        QueuedMessage message = queue();
        List<RecipientState> recipients =
                List.of(
                        RecipientState.target(
                                0,
                                at("x@remote.test"),
                                Route.RELAY,
                                List.of(
                                        "staff@example.test",
                                        "sales@example.test",
                                        "ops@example.test")),
                        RecipientState.target(
                                1,
                                at("bob@example.test"),
                                Route.LOCAL,
                                List.of("staff@example.test")),
                        RecipientState.target(2, at("carol@example.test"), Route.LOCAL, List.of()));
        spool.createRecipients(message, recipients).close();

        assertThat(Files.readAllLines(journalFile(message), StandardCharsets.UTF_8))
                .contains(
                        "T 0 R x@remote.test ops@example.test staff@example.test sales@example.test",
                        "T 1 L bob@example.test staff@example.test",
                        "T 2 L carol@example.test -");
        List<RecipientState> read = recoveredState(message);
        assertThat(read).usingRecursiveComparison().isEqualTo(recipients);
        assertThat(read.get(0).list()).contains("ops@example.test");
    }

    @Test
    void listsAroundNoListMakeTheJournalCorrupt() throws Exception {
        QueuedMessage message = queue();
        Files.writeString(
                journalFile(message),
                "listgate-state 1 "
                        + message.queueId()
                        + "\nT 0 L bob@example.test - staff@example.test\nX\n",
                StandardCharsets.UTF_8);

        assertThat(spool.recover()).isEmpty();
        assertThat(events.withId(3006))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat((String) e.fields().get("reason"))
                                        .contains("lists around no list"));
    }

    @Test
    void aTornLastLineIsIgnoredNotQuarantined() throws Exception {
        QueuedMessage message = queue();
        List<RecipientState> recipients = expansion();
        spool.createRecipients(message, recipients).close();
        appendRaw(message, "D 0 1764011111000"); // no newline: the crash came first

        assertThat(recoveredState(message)).usingRecursiveComparison().isEqualTo(recipients);
        assertThat(recipients.get(0).state()).isEqualTo(RecipientState.State.PENDING);
        assertThat(files("corrupt")).isEmpty();
        assertThat(events.withId(3006)).isEmpty();
    }

    @Test
    void aRecordAppendedAfterATornLineIsNotGluedToIt() throws Exception {
        QueuedMessage message = queue();
        List<RecipientState> recipients = expansion();
        spool.createRecipients(message, recipients).close();
        appendRaw(message, "D 0 99999"); // torn by a crash
        Recipients journal = recovered(message);
        List<RecipientState> resumed = journal.all();

        try (journal) {
            journal.deferred(
                    resumed.get(0), T0, 1, T0.plusSeconds(60), new Status(4, 2, 0), "busy");
        }

        assertThat(recoveredState(message)).usingRecursiveComparison().isEqualTo(resumed);
        assertThat(Files.readString(journalFile(message)))
                .doesNotContain("D 0 99999")
                .endsWith("busy\n");
        assertThat(events.withId(3006)).isEmpty();
    }

    @Test
    void anUnreadableLineBeforeTheLastQuarantinesTheMessageWithItsState() throws Exception {
        QueuedMessage message = queue();
        QueuedMessage other = queue();
        List<RecipientState> recipients = expansion();
        try (Recipients journal = spool.createRecipients(message, recipients)) {
            journal.delivered(recipients.get(0), T0);
        }
        spool.createRecipients(other, expansion()).close();
        List<String> lines =
                new ArrayList<>(Files.readAllLines(journalFile(message), StandardCharsets.UTF_8));
        lines.add(lines.size() - 1, "D 9 x%zz");
        Files.write(journalFile(message), lines, StandardCharsets.UTF_8);

        List<Spool.Stored> recovered = spool.recover();

        assertThat(recovered)
                .extracting(stored -> stored.message().queueId())
                .containsExactly(other.queueId());
        assertThat(files("corrupt"))
                .extracting(file -> file.getFileName().toString())
                .containsExactlyInAnyOrder(message.queueId(), message.queueId() + ".state");
        assertThat(files("state"))
                .extracting(file -> file.getFileName().toString())
                .containsExactly(other.queueId());
        assertThat(events.withId(3006))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("type", "Warning")
                                        .containsEntry("file", message.file().toString())
                                        .hasEntrySatisfying(
                                                "reason",
                                                reason ->
                                                        assertThat((String) reason)
                                                                .startsWith(
                                                                        "state file line "
                                                                                + (lines.size() - 1)
                                                                                + " cannot be read")));
    }

    @Test
    void rewritingTheJournalKeepsItsState() throws Exception {
        QueuedMessage message = queue();
        List<RecipientState> recipients = expansion();
        try (Recipients journal = spool.createRecipients(message, recipients)) {
            for (int attempt = 1; attempt <= 20; attempt++) {
                journal.deferred(
                        recipients.get(1),
                        T0.plusSeconds(attempt),
                        attempt,
                        T0.plusSeconds(60L * attempt),
                        new Status(4, 4, 1),
                        "attempt " + attempt);
            }
            journal.delivered(recipients.get(0), T0);
            journal.reported(List.of(recipients.get(4)));
            journal.warned(List.of(recipients.get(1)));
            long before = Files.size(journalFile(message));
            assertThat(journal.appended()).isEqualTo(23);

            journal.rewrite();

            assertThat(journal.appended()).isZero();
            assertThat(Files.size(journalFile(message))).isLessThan(before);
        }

        assertThat(files("state"))
                .extracting(file -> file.getFileName().toString())
                .containsExactly(message.queueId());
        assertThat(recoveredState(message)).usingRecursiveComparison().isEqualTo(recipients);
    }

    @Test
    void aFlushRequestMakesEveryDeferredRecipientDueAtTheNextStart() throws Exception {
        QueuedMessage message = queue();
        List<RecipientState> recipients = expansion();
        try (Recipients journal = spool.createRecipients(message, recipients)) {
            journal.deferred(
                    recipients.get(1),
                    T0,
                    3,
                    Instant.now().plusSeconds(3600),
                    new Status(4, 4, 1),
                    "later");
        }

        spool.requestFlush(message);

        RecipientState flushed = recoveredState(message).get(1);
        assertThat(flushed.state()).isEqualTo(RecipientState.State.DEFERRED);
        assertThat(flushed.attempts()).isEqualTo(3);
        assertThat(flushed.isDue(Instant.now())).isTrue();
    }

    @Test
    void aStateFileOfAnotherMessageIsCorrupt() throws Exception {
        QueuedMessage mine = queue();
        QueuedMessage theirs = queue();
        spool.createRecipients(mine, expansion()).close();
        spool.createRecipients(theirs, expansion()).close();
        Files.copy(
                journalFile(theirs),
                journalFile(mine),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        List<Spool.Stored> recovered = spool.recover();

        assertThat(recovered)
                .extracting(stored -> stored.message().queueId())
                .containsExactly(theirs.queueId());
        assertThat(files("corrupt"))
                .extracting(file -> file.getFileName().toString())
                .containsExactlyInAnyOrder(mine.queueId(), mine.queueId() + ".state");
        assertThat(events.field(3006, "reason"))
                .containsExactly("state file does not belong to " + mine.queueId());
    }

    @Test
    void aJournalCutBeforeItsXRecordMeansTheExpansionIsDoneAgain() throws Exception {
        QueuedMessage message = queue();
        spool.createRecipients(message, expansion()).close();
        List<String> lines = Files.readAllLines(journalFile(message), StandardCharsets.UTF_8);
        Files.write(journalFile(message), lines.subList(0, 3), StandardCharsets.UTF_8);

        assertThat(spool.recover())
                .singleElement()
                .satisfies(stored -> assertThat(stored.recipients()).isEmpty());
        assertThat(events.withId(3006)).isEmpty();
    }

    @Test
    void aJournalEmptiedByAPowerCutMeansTheExpansionIsDoneAgain() throws Exception {
        // A new journal is not forced: a power cut may leave its name with none of its lines, or
        // half of its header.
        for (String left : List.of("", "H 1")) {
            QueuedMessage message = queue();
            spool.createRecipients(message, expansion()).close();
            Files.writeString(journalFile(message), left, StandardCharsets.UTF_8);

            assertThat(spool.recover())
                    .filteredOn(stored -> stored.message().queueId().equals(message.queueId()))
                    .singleElement()
                    .satisfies(stored -> assertThat(stored.recipients()).isEmpty());
        }
        assertThat(events.withId(3006)).isEmpty();
        assertThat(files("corrupt")).isEmpty();
    }

    @Test
    void aFewLocalRecipientsKeepTheirJournalInMemoryUntilItsFirstSync() throws Exception {
        QueuedMessage message = queue();
        List<RecipientState> recipients = localExpansion(2);
        try (Recipients journal = spool.createRecipients(message, recipients)) {
            journal.delivered(recipients.get(0), T0);
            assertThat(journalFile(message)).doesNotExist();

            journal.sync();
            assertThat(journalFile(message)).exists();
            journal.deferred(
                    recipients.get(1),
                    T0,
                    1,
                    T0.plusSeconds(60),
                    new Status(4, 2, 2),
                    "mailbox full");
            journal.sync();
        }

        assertThat(recoveredState(message)).usingRecursiveComparison().isEqualTo(recipients);
        assertThat(recipients)
                .extracting(RecipientState::state)
                .containsExactly(
                        RecipientState.State.DELIVERED,
                        RecipientState.State.DEFERRED,
                        RecipientState.State.FAILED);
    }

    @Test
    void aCrashBeforeTheFirstSyncOfAJournalInMemoryMeansTheExpansionIsDoneAgain() throws Exception {
        QueuedMessage message = queue();
        List<RecipientState> recipients = localExpansion(1);
        Recipients journal = spool.createRecipients(message, recipients);
        journal.delivered(recipients.get(0), T0);
        journal.close(); // the process dies here: nothing was synced

        assertThat(journalFile(message)).doesNotExist();
        assertThat(spool.recover())
                .filteredOn(stored -> stored.message().queueId().equals(message.queueId()))
                .singleElement()
                .satisfies(stored -> assertThat(stored.recipients()).isEmpty());
    }

    @Test
    void aMessageFinishedBeforeItsJournalWasNeededLeavesNoFileBehind() throws Exception {
        QueuedMessage message = queue();
        List<RecipientState> recipients = localExpansion(1);
        try (Recipients journal = spool.createRecipients(message, recipients)) {
            journal.delivered(recipients.get(0), T0);
        }
        spool.remove(message);

        assertThat(files("queue")).isEmpty();
        assertThat(files("state")).isEmpty();
        assertThat(spool.recover()).isEmpty();
    }

    @Test
    void aLargerListOrARelayedRecipientHasItsJournalOnDiskFromTheStart() throws Exception {
        QueuedMessage many = queue();
        spool.createRecipients(many, localExpansion(Recipients.DEFERRED_JOURNAL_LIMIT + 1)).close();
        assertThat(journalFile(many)).exists();

        QueuedMessage relayed = queue();
        spool.createRecipients(relayed, expansion()).close();
        assertThat(journalFile(relayed)).exists();

        QueuedMessage few = queue();
        spool.createRecipients(few, localExpansion(Recipients.DEFERRED_JOURNAL_LIMIT - 1)).close();
        assertThat(journalFile(few)).doesNotExist();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private QueuedMessage queue() throws IOException {
        Envelope envelope =
                new Envelope(
                        spool.newQueueId(),
                        T0,
                        "192.0.2.1",
                        "c",
                        Optional.empty(),
                        List.of(new Mailbox("staff", "example.test")));
        try (MessageWriter writer = spool.begin(envelope)) {
            writer.content().write("Subject: x\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII));
            return writer.commit();
        }
    }

    /**
     * Four targets (local from a list, relay, local, local) and one member isolated at expansion.
     */
    private static List<RecipientState> expansion() {
        List<RecipientState> recipients = new ArrayList<>();
        Optional<String> staff = Optional.of("staff@example.test");
        recipients.add(
                RecipientState.target(
                        0, at("bob@example.test"), Route.LOCAL, List.of(staff.get())));
        recipients.add(RecipientState.target(1, at("carol@remote.test"), Route.RELAY, List.of()));
        recipients.add(
                RecipientState.target(
                        2, at("dave@example.test"), Route.LOCAL, List.of(staff.get())));
        recipients.add(
                RecipientState.target(
                        3, at("eve@example.test"), Route.LOCAL, List.of(staff.get())));
        recipients.add(
                RecipientState.isolated(
                        4, "not an address", staff, new Status(5, 1, 3), "bad syntax"));
        return recipients;
    }

    /**
     * {@code targets} local recipients from staff@, and one member isolated at expansion: {@code
     * targets + 1} in all.
     */
    private static List<RecipientState> localExpansion(int targets) {
        List<RecipientState> recipients = new ArrayList<>();
        for (int i = 0; i < targets; i++) {
            recipients.add(
                    RecipientState.target(
                            i,
                            at("u" + i + "@example.test"),
                            Route.LOCAL,
                            List.of("staff@example.test")));
        }
        recipients.add(
                RecipientState.isolated(
                        targets,
                        "not an address",
                        Optional.of("staff@example.test"),
                        new Status(5, 1, 3),
                        "bad syntax"));
        return recipients;
    }

    private List<RecipientState> recoveredState(QueuedMessage message) throws IOException {
        return recovered(message).all();
    }

    private Recipients recovered(QueuedMessage message) throws IOException {
        return spool.recover().stream()
                .filter(stored -> stored.message().queueId().equals(message.queueId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(message.queueId() + " was not recovered"))
                .recipients()
                .orElseThrow();
    }

    private static Mailbox at(String address) {
        int at = address.lastIndexOf('@');
        return new Mailbox(address.substring(0, at), address.substring(at + 1));
    }

    private Path journalFile(QueuedMessage message) {
        return dir.resolve("spool/state").resolve(message.queueId());
    }

    private void appendRaw(QueuedMessage message, String text) throws IOException {
        Files.writeString(
                journalFile(message), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private List<Path> files(String folder) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("spool").resolve(folder))) {
            return files.toList();
        }
    }
}
