package org.listgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.address.Status;
import org.listgate.directory.Directory;
import org.listgate.spool.Envelope;
import org.listgate.spool.MessageWriter;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.RecipientState;
import org.listgate.spool.Spool;
import org.listgate.testing.EventCapture;

/**
 * Who is told about a recipient that will not get a message: the poster about the recipients it
 * named; about a list's members, the list's owner, else a poster that is ours (a local user, or
 * authenticated), else the postmaster — never an outside sender, who may be forged.
 */
class BouncerTest {

    private static final Mailbox POSTMASTER = new Mailbox("postmaster", "example.test");

    @TempDir Path dir;

    private EventCapture events;
    private Spool spool;
    private Bouncer bouncer;

    @BeforeEach
    void setUp() throws IOException {
        events = EventCapture.in(dir);
        Files.write(
                dir.resolve("users"),
                List.of("alice@example.test", "carol@example.test", "postmaster@example.test"),
                StandardCharsets.UTF_8);
        Files.write(
                dir.resolve("lists"),
                List.of(
                        "staff: alice@example.test, ghost@example.test",
                        "owner-staff: carol@example.test",
                        "open: alice@example.test, phantom@example.test"),
                StandardCharsets.UTF_8);
        Directory directory =
                new Directory(
                        List.of("example.test"),
                        dir.resolve("users"),
                        dir.resolve("lists"),
                        events.log());
        directory.reload();
        spool = new Spool(dir.resolve("spool"), events.log());
        spool.open();
        bouncer = new Bouncer(spool, directory, "mx.example.test", POSTMASTER, events.log());
    }

    @AfterEach
    void tearDown() {
        spool.close();
        events.close();
    }

    private QueuedMessage posted(Optional<Mailbox> sender, Optional<String> authenticated)
            throws IOException {
        Envelope envelope =
                new Envelope(
                        spool.newQueueId(),
                        Instant.now(),
                        "192.0.2.1",
                        "client.test",
                        sender,
                        List.of(new Mailbox("open", "example.test")),
                        authenticated);
        try (MessageWriter writer = spool.begin(envelope)) {
            writer.content()
                    .write(
                            "From: someone\r\nSubject: hi\r\n\r\nbody\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
            return writer.commit();
        }
    }

    private static RecipientState failed(String address, String list) {
        return RecipientState.isolated(
                0,
                address,
                list.isEmpty() ? Optional.empty() : Optional.of(list),
                Status.BAD_MAILBOX,
                "unknown user");
    }

    private List<String> reportedTo(QueuedMessage message, RecipientState recipient)
            throws Bouncer.Partial {
        return bouncer
                .report(message, List.of(recipient), DeliveryReport.Action.FAILED, null)
                .stream()
                .flatMap(report -> report.envelope().recipients().stream())
                .map(Mailbox::address)
                .toList();
    }

    private static Optional<Mailbox> mailbox(String address) {
        return address.isEmpty()
                ? Optional.empty()
                : Optional.of(((ParseResult.Valid) Addresses.parse(address)).mailbox());
    }

    @ParameterizedTest(name = "{0} (auth: {1}) about {2} of [{3}] -> {4}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            textBlock =
                    """
            # sender            | authenticated | recipient            | list               | told
            mallory@out.test    | none          | phantom@example.test | open@example.test  | postmaster@example.test
            alice@example.test  | none          | phantom@example.test | open@example.test  | alice@example.test
            mallory@out.test    | mallory       | phantom@example.test | open@example.test  | mallory@out.test
            nobody@example.test | none          | phantom@example.test | open@example.test  | postmaster@example.test
            staff@example.test  | none          | phantom@example.test | open@example.test  | postmaster@example.test
            mallory@out.test    | none          | ghost@example.test   | staff@example.test | owner-staff@example.test
            alice@example.test  | none          | ghost@example.test   | staff@example.test | owner-staff@example.test
            mallory@out.test    | none          | bob@example.test     | ''                 | mallory@out.test
            """)
    void reportsGoToTheOwnerALocalOrAuthenticatedPosterOrThePostmaster(
            String sender, String authenticated, String recipient, String list, String told)
            throws Exception {
        QueuedMessage message = posted(mailbox(sender), Optional.ofNullable(authenticated));

        assertThat(reportedTo(message, failed(recipient, list))).containsExactly(told);
        assertThat(events.withId(2006))
                .singleElement()
                .satisfies(event -> assertThat(event.fields()).containsEntry("to", told));
    }

    @Test
    void aReportRedirectedToThePostmasterSaysWhyInItsEvent() throws Exception {
        QueuedMessage message = posted(mailbox("mallory@outside.test"), Optional.empty());

        reportedTo(message, failed("phantom@example.test", "open@example.test"));

        assertThat(events.withId(2006))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("to", "postmaster@example.test")
                                        .hasEntrySatisfying(
                                                "reason",
                                                reason ->
                                                        assertThat((String) reason)
                                                                .contains("mallory@outside.test")
                                                                .contains(
                                                                        "open@example.test has no owner")
                                                                .contains("postmaster")));
    }

    @Test
    void aReportToTheSenderOrTheOwnerHasNoReason() throws Exception {
        QueuedMessage message = posted(mailbox("alice@example.test"), Optional.empty());

        reportedTo(message, failed("phantom@example.test", "open@example.test"));
        reportedTo(message, failed("ghost@example.test", "staff@example.test"));

        assertThat(events.withId(2006))
                .hasSize(2)
                .allSatisfy(event -> assertThat(event.fields()).doesNotContainKey("reason"));
    }

    @Test
    void aForgedPostersRecipientsAreSplitBetweenItselfAndThePostmaster() throws Exception {
        QueuedMessage message = posted(mailbox("mallory@outside.test"), Optional.empty());
        RecipientState named =
                RecipientState.isolated(
                        0,
                        "bob@example.test",
                        Optional.empty(),
                        Status.BAD_MAILBOX,
                        "unknown user");
        RecipientState member =
                RecipientState.isolated(
                        1,
                        "phantom@example.test",
                        Optional.of("open@example.test"),
                        Status.BAD_MAILBOX,
                        "unknown user");

        List<QueuedMessage> reports =
                bouncer.report(message, List.of(named, member), DeliveryReport.Action.FAILED, null);

        assertThat(reports)
                .extracting(report -> report.envelope().recipients().get(0).address())
                .containsExactly("mallory@outside.test", "postmaster@example.test");
    }

    @Test
    void theNullSenderIsNeverReportedOnWhoeverPosted() throws Exception {
        QueuedMessage message = posted(Optional.empty(), Optional.of("alice"));

        assertThat(reportedTo(message, failed("phantom@example.test", "open@example.test")))
                .isEmpty();
        assertThat(events.withId(2006)).isEmpty();
        assertThat(events.withId(2009)).hasSize(1);
    }
}
