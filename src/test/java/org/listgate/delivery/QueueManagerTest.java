package org.listgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.address.Mailbox;
import org.listgate.address.Status;
import org.listgate.config.Config;
import org.listgate.directory.Directory;
import org.listgate.events.LoggedEvent;
import org.listgate.expansion.Expander;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;
import org.listgate.spool.Envelope;
import org.listgate.spool.MessageWriter;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.Spool;
import org.listgate.testing.EventCapture;
import org.listgate.testing.ManualTime;

/**
 * The queue manager on a clock that only the test moves, with scripted agents and every thread
 * inline: what it tries when, and what it does with each outcome, without waiting for anything. The
 * spool and the event log are real files.
 */
class QueueManagerTest {

    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final Duration RETRY = Duration.ofMinutes(1);
    private static final Duration LIFETIME = Duration.ofDays(5);
    private static final Mailbox ALICE = new Mailbox("alice", "example.test");
    private static final Mailbox STAFF = new Mailbox("staff", "example.test");

    @TempDir Path dir;

    private EventCapture events;
    private Directory directory;
    private Spool spool;
    private ManualTime time;
    private final Script local = new Script();
    private final List<List<String>> relayed = Collections.synchronizedList(new ArrayList<>());
    private QueueManager manager;

    /** The outcomes a scripted agent gives, per recipient, in order; then Delivered. */
    private final class Script implements Agents.Local {
        final Map<String, Deque<String>> plans = new HashMap<>();
        final List<String> attempts = Collections.synchronizedList(new ArrayList<>());

        Script defer(String address, int times) {
            Deque<String> plan = plans.computeIfAbsent(address, key -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                plan.add("defer");
            }
            return this;
        }

        long attemptsOf(String address) {
            return attempts.stream().filter(address::equals).count();
        }

        @Override
        public Outcome deliver(QueuedMessage message, Mailbox recipient, List<String> lists) {
            attempts.add(recipient.address());
            String next =
                    Optional.ofNullable(plans.get(recipient.address()))
                            .map(Deque::poll)
                            .orElse("deliver");
            return next.equals("defer")
                    ? new Outcome.Deferred(recipient, new Status(4, 2, 2), "mailbox full")
                    : new Outcome.Delivered(
                            recipient, "new/" + recipient.localPart() + "." + time.millis());
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        events = EventCapture.in(dir);
        Files.write(
                dir.resolve("users"),
                List.of("alice@example.test", "bob@example.test", "carol@example.test"));
        Files.writeString(
                dir.resolve("lists"),
                "staff: bob@example.test, carol@example.test\nfar: x@remote.test, bad@remote.test, y@remote.test\n");
        directory =
                new Directory(
                        List.of("example.test"),
                        dir.resolve("users"),
                        dir.resolve("lists"),
                        events.log());
        directory.reload();
        spool = new Spool(dir.resolve("spool"), events.log());
        spool.open();
        time = new ManualTime(T0);
        manager = manager(time);
    }

    @AfterEach
    void tearDown() {
        manager.close(Duration.ZERO);
        spool.close();
        directory.close();
        events.close();
    }

    private QueueManager manager(ManualTime clock) {
        Boundary boundary = new Boundary(events.log());
        Config.Queue policy =
                new Config.Queue(RETRY, Duration.ofHours(1), LIFETIME, Duration.ZERO, 0, false);
        Expander expander = new Expander(directory, 1000, true, FaultInjector.none(), boundary);
        Bouncer bouncer =
                new Bouncer(
                        spool, directory, "mx.example.test", directory.postmaster(), events.log());
        Agents agents =
                new Agents(
                        local,
                        Optional.of(
                                (message, recipients, lists) -> {
                                    List<String> batch =
                                            recipients.stream().map(Mailbox::address).toList();
                                    relayed.add(batch);
                                    if (batch.contains("bad@remote.test")) {
                                        throw new IllegalStateException(
                                                "the smarthost's reply could not be read");
                                    }
                                    return recipients.stream()
                                            .<Outcome>map(
                                                    rcpt ->
                                                            new Outcome.Delivered(
                                                                    rcpt, "250 2.0.0 ok"))
                                            .toList();
                                }));
        return new QueueManager(
                policy,
                100 * 1024,
                100,
                expander,
                spool,
                bouncer,
                events.log(),
                boundary,
                FaultInjector.none(),
                agents,
                clock.workers(),
                clock);
    }

    @Test
    void aDeferredRecipientIsTriedAgainWhenItsBackoffIsOverAndNotBefore() throws Exception {
        local.defer("bob@example.test", 1);

        QueuedMessage message = queue(T0, STAFF);

        assertThat(local.attempts)
                .containsExactlyInAnyOrder("bob@example.test", "carol@example.test");
        // The first wait is queue.retry.initial less up to a quarter at random.
        assertThat(time.pending())
                .singleElement()
                .satisfies(
                        due ->
                                assertThat(due)
                                        .isBetween(
                                                T0.plus(RETRY.multipliedBy(3).dividedBy(4)),
                                                T0.plus(RETRY)));
        Instant due = time.pending().get(0);
        assertThat(events.field(3004, "retryAt")).containsExactly(due.toString());
        assertThat(events.field(3004, "attempt")).containsExactly(1);

        time.advance(Duration.between(T0, due).minusMillis(1));
        assertThat(local.attemptsOf("bob@example.test")).isEqualTo(1);

        time.advance(Duration.ofMillis(1));
        assertThat(local.attemptsOf("bob@example.test")).isEqualTo(2);
        assertThat(local.attemptsOf("carol@example.test")).isEqualTo(1);
        assertThat(events.field(2007, "attempt")).containsExactly(2);
        assertThat(completion(message))
                .containsEntry("delivered", 2)
                .containsEntry("deferred", 0)
                .containsEntry("failed", 0)
                .containsEntry("isolated", 0)
                .containsEntry("millis", Math.toIntExact(Duration.between(T0, due).toMillis()));
        assertThat(files("queue")).isEmpty();
        assertThat(files("state")).isEmpty();
        assertThat(time.pending()).isEmpty();
    }

    @Test
    void aRecipientStillDeferredWhenTheLifetimeEndsFailsWith447AndIsReported() throws Exception {
        local.defer("bob@example.test", 100);
        // Received long ago: thirty seconds of its lifetime are left.
        QueuedMessage message = queue(T0.minus(LIFETIME).plusSeconds(30), STAFF);

        // The retry is brought forward to the end of the lifetime, not past it.
        assertThat(time.pending()).containsExactly(T0.plusSeconds(30));
        time.advance(Duration.ofSeconds(30));

        assertThat(local.attemptsOf("bob@example.test")).isEqualTo(2);
        assertThat(events.withId(4037))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("queueId", message.queueId())
                                        .containsEntry("recipient", "bob@example.test")
                                        .containsEntry("list", "staff@example.test")
                                        .containsEntry("status", "4.4.7")
                                        .containsEntry("stage", "delivery")
                                        .containsEntry(
                                                "reason",
                                                "delivery time expired after 2 attempts; last: mailbox full"));
        assertThat(completion(message)).containsEntry("delivered", 1).containsEntry("failed", 1);
        // The report went to the sender, as a message of its own, delivered like any other.
        assertThat(events.withId(2006)).hasSize(1);
        assertThat(local.attemptsOf("alice@example.test")).isEqualTo(1);
        assertThat(files("queue")).isEmpty();
    }

    @Test
    void aFlushTriesEveryDeferredRecipientAtOnce() throws Exception {
        local.defer("bob@example.test", 1);
        QueuedMessage message = queue(T0, STAFF);

        assertThat(manager.flush(Optional.of(message.queueId()))).isEqualTo(1);

        assertThat(local.attemptsOf("bob@example.test")).isEqualTo(2);
        assertThat(events.field(2010, "queueId")).containsExactly(message.queueId());
        assertThat(completion(message)).containsEntry("delivered", 2).containsEntry("millis", 0);
        assertThat(manager.flush(Optional.of(message.queueId()))).isZero();
    }

    @Test
    void deletingAMessageFailsWhatIsUnfinishedAndReportsItToTheSender() throws Exception {
        local.defer("bob@example.test", 1);
        QueuedMessage message = queue(T0, STAFF);

        assertThat(manager.delete(message.queueId(), true)).isTrue();

        assertThat(events.withId(4037))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("recipient", "bob@example.test")
                                        .containsEntry("status", "5.0.0")
                                        .containsEntry(
                                                "reason",
                                                "deleted from the queue by the administrator")
                                        .containsEntry("stage", "delivery"));
        assertThat(events.withId(2008))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("queueId", message.queueId())
                                        .containsEntry("recipients", 1)
                                        .containsEntry("reported", true));
        assertThat(local.attemptsOf("alice@example.test")).isEqualTo(1);
        assertThat(manager.inFlight()).isZero();
        assertThat(files("queue")).isEmpty();
        assertThat(time.pending()).isEmpty();
        assertThat(manager.delete(message.queueId(), true)).isFalse();
    }

    @Test
    void aRestartResumesFromTheJournalAndTriesOnlyWhatIsLeft() throws Exception {
        local.defer("bob@example.test", 1);
        QueuedMessage message = queue(T0, STAFF);
        manager.close(Duration.ZERO);
        assertThat(files("queue")).hasSize(1);

        ManualTime later = new ManualTime(T0.plus(Duration.ofMinutes(10)));
        manager = manager(later);
        List<Spool.Stored> stored = spool.recover();
        assertThat(stored)
                .singleElement()
                .satisfies(found -> assertThat(found.recipients()).isPresent());
        stored.forEach(manager::resume);

        assertThat(local.attemptsOf("bob@example.test")).isEqualTo(2);
        assertThat(local.attemptsOf("carol@example.test")).isEqualTo(1);
        assertThat(completion(message)).containsEntry("delivered", 2);
        assertThat(files("queue")).isEmpty();
    }

    @Test
    void aFaultInARelayBatchFailsOnlyTheRecipientItBelongsTo() throws Exception {
        QueuedMessage message = queue(T0, new Mailbox("far", "example.test"));

        // The batch, then each recipient alone.
        assertThat(relayed)
                .containsExactly(
                        List.of("x@remote.test", "bad@remote.test", "y@remote.test"),
                        List.of("x@remote.test"),
                        List.of("bad@remote.test"),
                        List.of("y@remote.test"));
        assertThat(events.withId(2003))
                .filteredOn(event -> message.queueId().equals(event.fields().get("queueId")))
                .extracting(event -> event.fields().get("recipient"))
                .containsExactly("x@remote.test", "y@remote.test");
        assertThat(events.withId(9001))
                .extracting(event -> event.fields().get("boundary"))
                .containsExactly("message", "recipient");
        assertThat(events.withId(4037))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("recipient", "bad@remote.test")
                                        .containsEntry("status", "5.3.0"));
        assertThat(completion(message)).containsEntry("delivered", 2).containsEntry("failed", 1);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Queues a message from alice, received at {@code received}, and hands it to the manager. */
    private QueuedMessage queue(Instant received, Mailbox rcpt) throws IOException {
        Envelope envelope =
                new Envelope(
                        spool.newQueueId(),
                        received,
                        "192.0.2.1",
                        "client.example.test",
                        Optional.of(ALICE),
                        List.of(rcpt));
        QueuedMessage message;
        try (MessageWriter writer = spool.begin(envelope)) {
            writer.content()
                    .write(
                            "Subject: minutes\r\n\r\nSee you.\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
            message = writer.commit();
        }
        manager.submit(message);
        return message;
    }

    /** The fields of the message's completion event (2004), which must be its only one. */
    private Map<String, Object> completion(QueuedMessage message) {
        List<LoggedEvent> completed =
                events.withId(2004).stream()
                        .filter(event -> message.queueId().equals(event.fields().get("queueId")))
                        .toList();
        assertThat(completed).hasSize(1);
        return completed.get(0).fields();
    }

    private List<Path> files(String folder) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("spool").resolve(folder))) {
            return files.filter(file -> !file.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
