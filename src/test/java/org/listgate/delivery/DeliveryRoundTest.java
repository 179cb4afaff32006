package org.listgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.address.Mailbox;
import org.listgate.address.Route;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;
import org.listgate.spool.Envelope;
import org.listgate.spool.MessageWriter;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.RecipientState;
import org.listgate.spool.Recipients;
import org.listgate.spool.Spool;
import org.listgate.testing.EventCapture;

/**
 * A round of a large list on real threads: its local recipients go through in chunks, a few at a
 * time, and every one is delivered and recorded.
 */
class DeliveryRoundTest {

    private static final int MEMBERS = 4 * DeliveryRound.LOCAL_CHUNK + 123;

    @TempDir Path dir;

    private EventCapture events;
    private Spool spool;
    private Workers workers;

    @BeforeEach
    void setUp() throws IOException {
        events = EventCapture.in(dir);
        spool = new Spool(dir.resolve("spool"), events.log());
        spool.open();
        workers = Workers.threads(4, 1);
    }

    @AfterEach
    void tearDown() {
        workers.shutdownNow();
        spool.close();
        events.close();
    }

    /** Staged copies not yet published or abandoned, and the most there ever were. */
    private static final class Counting implements Agents.Local {
        final AtomicInteger staged = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger syncs = new AtomicInteger();
        volatile String failing = "";

        @Override
        public Outcome deliver(QueuedMessage message, Mailbox recipient, List<String> lists) {
            throw new AssertionError("copies are staged, not delivered one by one");
        }

        @Override
        public Agents.Staged stage(QueuedMessage message, Mailbox recipient, List<String> lists) {
            if (recipient.address().equals(failing)) {
                throw new InternalError("the agent broke");
            }
            most.accumulateAndGet(staged.incrementAndGet(), Math::max);
            return new Agents.Staged() {
                @Override
                public Optional<Outcome> outcome() {
                    return Optional.empty();
                }

                @Override
                public Outcome publish() {
                    staged.decrementAndGet();
                    return new Outcome.Delivered(recipient, "new/" + recipient.localPart());
                }

                @Override
                public Outcome abandon(String reason) {
                    staged.decrementAndGet();
                    throw new AssertionError("no sync fails here");
                }
            };
        }

        @Override
        public void sync() {
            syncs.incrementAndGet();
        }
    }

    @Test
    void aLargeListIsDeliveredInChunksAFewAtATimeAndEveryCopyIsRecorded() throws Exception {
        Counting agent = new Counting();
        QueuedMessage message = queue();
        List<RecipientState> due = targets();
        Recipients recipients = spool.createRecipients(message, due);

        round(agent).run(message, recipients, due, e -> {}).get(60, TimeUnit.SECONDS);

        assertThat(recipients.all())
                .extracting(RecipientState::state)
                .containsOnly(RecipientState.State.DELIVERED)
                .hasSize(MEMBERS);
        assertThat(events.withId(2003)).hasSize(MEMBERS);
        assertThat(agent.staged).hasValue(0);
        // Two chunks at once at most: never every copy of the list staged before the first is
        // published.
        assertThat(agent.most.get())
                .isGreaterThan(0)
                .isLessThanOrEqualTo(
                        DeliveryRound.LOCAL_CHUNKS_AT_ONCE * DeliveryRound.LOCAL_CHUNK);
        // Two syncs a chunk: contents, then names.
        assertThat(agent.syncs).hasValue(2 * 5);
    }

    @Test
    void aFaultPastTheBoundaryStillLetsEveryOtherChunkRunAndFailsTheRound() throws Exception {
        Counting agent = new Counting();
        agent.failing = "m7@example.test";
        QueuedMessage message = queue();
        List<RecipientState> due = targets();
        Recipients recipients = spool.createRecipients(message, due);

        assertThatThrownBy(
                        () ->
                                round(agent)
                                        .run(message, recipients, due, e -> {})
                                        .get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(InternalError.class);

        // The chunk holding m7 never finished; every other chunk did.
        long delivered =
                recipients.all().stream()
                        .filter(r -> r.state() == RecipientState.State.DELIVERED)
                        .count();
        assertThat(delivered).isEqualTo(MEMBERS - DeliveryRound.LOCAL_CHUNK);
    }

    private DeliveryRound round(Counting agent) {
        Boundary boundary = new Boundary(events.log());
        return new DeliveryRound(
                new Agents(agent, Optional.empty()),
                workers,
                boundary,
                FaultInjector.none(),
                events.log(),
                Clock.systemUTC(),
                Backoff.of(Duration.ofMinutes(1), Duration.ofHours(1)),
                Duration.ofDays(5),
                100);
    }

    private static List<RecipientState> targets() {
        List<RecipientState> targets = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            targets.add(
                    RecipientState.target(
                            i,
                            new Mailbox("m" + i, "example.test"),
                            Route.LOCAL,
                            List.of("all@example.test")));
        }
        return targets;
    }

    private QueuedMessage queue() throws IOException {
        Envelope envelope =
                new Envelope(
                        spool.newQueueId(),
                        Instant.now(),
                        "192.0.2.1",
                        "c",
                        Optional.empty(),
                        List.of(new Mailbox("all", "example.test")));
        try (MessageWriter writer = spool.begin(envelope)) {
            writer.content().write("Subject: x\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII));
            return writer.commit();
        }
    }
}
