package org.listgate.delivery;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.listgate.address.Mailbox;
import org.listgate.address.Route;
import org.listgate.address.Status;
import org.listgate.events.Event;
import org.listgate.events.EventLog;
import org.listgate.events.Fates;
import org.listgate.events.Text;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.RecipientState;
import org.listgate.spool.Recipients;

/**
 * One round of a message: every recipient that is due is tried at once — a local one a task each on
 * the local pool, relay ones in batches of {@code relay.maxRecipients} (one set of lists a batch,
 * since the lists make the copy's Delivered-To) on the relay pool — and each outcome is recorded:
 * its event, then its state and journal record through {@link Recipients}.
 *
 * <p>A deferred recipient waits {@link Backoff} from its last attempt; one still deferred after
 * {@code queue.maxLifetime} from the message's arrival fails with 4.4.7 instead.
 *
 * <p>Boundaries: each recipient is handled inside its own recipient boundary. A fault fails that
 * recipient with 5.3.0 (9001, then its 4037) and it is not retried. A relay batch is one SMTP
 * transaction; a fault in it (9001, boundary {@code message}) sends the batch again one recipient a
 * transaction, each inside its own boundary, so a fault fails only the recipient it belongs to.
 */
final class DeliveryRound {

    /**
     * Local recipients staged and synced together: enough to share one syncfs among many copies,
     * few enough that the first of a large list are delivered, and recorded, early.
     */
    static final int LOCAL_CHUNK = 500;

    /**
     * Chunks of one message staged or being published at once: one syncing while the next is
     * written. All at once, every copy of a large list would be staged before the first was
     * published, its names and paths all held meanwhile.
     */
    static final int LOCAL_CHUNKS_AT_ONCE = 2;

    private final Agents agents;
    private final Workers workers;
    private final Boundary boundary;
    private final FaultInjector faults;
    private final EventLog events;
    private final Clock clock;
    private final Backoff backoff;
    private final Duration maxLifetime;
    private final int relayBatch;

    DeliveryRound(
            Agents agents,
            Workers workers,
            Boundary boundary,
            FaultInjector faults,
            EventLog events,
            Clock clock,
            Backoff backoff,
            Duration maxLifetime,
            int relayBatch) {
        this.agents = agents;
        this.workers = workers;
        this.boundary = boundary;
        this.faults = faults;
        this.events = events;
        this.clock = clock;
        this.backoff = backoff;
        this.maxLifetime = maxLifetime;
        this.relayBatch = relayBatch;
    }

    /**
     * Tries each of {@code due}; completes when every one has its outcome recorded. A journal
     * record that cannot be written goes to {@code notSaved}.
     */
    CompletableFuture<Void> run(
            QueuedMessage message,
            Recipients recipients,
            List<RecipientState> due,
            Consumer<IOException> notSaved) {
        Attempt attempt = new Attempt(message, recipients, notSaved);
        List<CompletableFuture<Void>> tasks = new ArrayList<>();
        Map<List<String>, List<RecipientState>> relayedByLists = new LinkedHashMap<>();
        Map<List<String>, List<RecipientState>> byLmtp = new LinkedHashMap<>();
        List<RecipientState> local = new ArrayList<>();
        for (RecipientState recipient : due) {
            if (recipient.state() == RecipientState.State.DEFERRED) {
                events.emit(
                        Fates.retried(
                                message.queueId(),
                                recipient.address(),
                                recipient.list(),
                                recipient.attempts() + 1));
            }
            if (recipient.route() == Route.LOCAL && agents.lmtp().isPresent()) {
                byLmtp.computeIfAbsent(recipient.lists(), lists -> new ArrayList<>())
                        .add(recipient);
            } else if (recipient.route() == Route.LOCAL) {
                local.add(recipient);
            } else {
                relayedByLists
                        .computeIfAbsent(recipient.lists(), lists -> new ArrayList<>())
                        .add(recipient);
            }
        }
        List<List<RecipientState>> chunks = pieces(local, LOCAL_CHUNK);
        if (!chunks.isEmpty()) {
            tasks.add(new InTurn(chunks, attempt::locally).start(LOCAL_CHUNKS_AT_ONCE));
        }
        batches(byLmtp, attempt, agents.lmtp(), workers.local(), tasks);
        batches(relayedByLists, attempt, agents.relay(), workers.remote(), tasks);
        return CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new));
    }

    /**
     * One task for each batch of at most {@code relay.maxRecipients} recipients of the same lists,
     * handed to {@code agent} (the smarthost, or the LMTP server) on {@code pool}.
     */
    private void batches(
            Map<List<String>, List<RecipientState>> byLists,
            Attempt attempt,
            Optional<Agents.Relay> agent,
            java.util.concurrent.Executor pool,
            List<CompletableFuture<Void>> tasks) {
        byLists.forEach(
                (lists, members) -> {
                    for (List<RecipientState> batch : pieces(members, relayBatch)) {
                        tasks.add(
                                CompletableFuture.runAsync(
                                        () -> attempt.batch(batch, lists, agent), pool));
                    }
                });
    }

    /** {@code all} in consecutive pieces of at most {@code size}, in order. */
    private static <T> List<List<T>> pieces(List<T> all, int size) {
        List<List<T>> pieces = new ArrayList<>();
        for (int from = 0; from < all.size(); from += size) {
            pieces.add(all.subList(from, Math.min(all.size(), from + size)));
        }
        return pieces;
    }

    /**
     * The chunks of a round, a few at a time, each next one started as one finishes. Completes once
     * every chunk has: normally, or with the first chunk's fault (an Error past the boundaries),
     * which the queue manager reports as a 9001.
     */
    private static final class InTurn {
        private final List<List<RecipientState>> chunks;
        private final java.util.function.Function<List<RecipientState>, CompletableFuture<Void>>
                attempt;
        private final java.util.concurrent.atomic.AtomicInteger next =
                new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger open;
        private final java.util.concurrent.atomic.AtomicReference<Throwable> fault =
                new java.util.concurrent.atomic.AtomicReference<>();
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        InTurn(
                List<List<RecipientState>> chunks,
                java.util.function.Function<List<RecipientState>, CompletableFuture<Void>>
                        attempt) {
            this.chunks = chunks;
            this.attempt = attempt;
            this.open = new java.util.concurrent.atomic.AtomicInteger(chunks.size());
        }

        CompletableFuture<Void> start(int atOnce) {
            for (int i = 0; i < atOnce; i++) {
                startNext();
            }
            return done;
        }

        private void startNext() {
            int index = next.getAndIncrement();
            if (index >= chunks.size()) {
                return;
            }
            CompletableFuture<Void> one;
            try {
                one = attempt.apply(List.copyOf(chunks.get(index)));
            } catch (RuntimeException e) { // isolation: a pool shut down; counted, not lost
                one = CompletableFuture.failedFuture(e);
            }
            CompletableFuture<Void> unused =
                    one.whenComplete(
                            (ignored, failure) -> {
                                if (failure != null) {
                                    fault.compareAndSet(null, failure);
                                }
                                if (open.decrementAndGet() > 0) {
                                    startNext();
                                } else if (fault.get() != null) {
                                    done.completeExceptionally(fault.get());
                                } else {
                                    done.complete(null);
                                }
                            });
        }
    }

    /** The attempts of one round on one message. */
    private final class Attempt {
        private final QueuedMessage message;
        private final Recipients recipients;
        private final Consumer<IOException> notSaved;

        Attempt(QueuedMessage message, Recipients recipients, Consumer<IOException> notSaved) {
            this.message = message;
            this.recipients = recipients;
            this.notSaved = notSaved;
        }

        /**
         * Local recipients, made durable together: each copy staged on the local pool, then one
         * sync for the chunk's contents, each copy published (linked into new/), one sync for their
         * names, and only then each outcome recorded — a copy is journalled as delivered once it is
         * whole and named on disk.
         */
        CompletableFuture<Void> locally(List<RecipientState> chunk) {
            List<CompletableFuture<Agents.Staged>> staged = new ArrayList<>(chunk.size());
            for (RecipientState recipient : chunk) {
                staged.add(CompletableFuture.supplyAsync(() -> stage(recipient), workers.local()));
            }
            return CompletableFuture.allOf(staged.toArray(CompletableFuture[]::new))
                    .thenRunAsync(
                            () ->
                                    finish(
                                            chunk,
                                            staged.stream().map(CompletableFuture::join).toList()),
                            workers.local());
        }

        private Agents.Staged stage(RecipientState recipient) {
            return guarded(
                    recipient,
                    () -> {
                        faults.check(FaultInjector.Stage.DELIVERY, recipient.address());
                        return agents.local()
                                .stage(message, recipient.mailbox(), recipient.lists());
                    },
                    Agents.Staged::done);
        }

        private void finish(List<RecipientState> chunk, List<Agents.Staged> staged) {
            Outcome[] outcomes = new Outcome[chunk.size()];
            boolean pending = false;
            for (int i = 0; i < chunk.size(); i++) {
                Optional<Outcome> done = staged.get(i).outcome();
                if (done.isPresent()) {
                    outcomes[i] = done.get();
                } else {
                    pending = true;
                }
            }
            if (pending) {
                Optional<String> contents = sync();
                for (int i = 0; i < chunk.size(); i++) {
                    if (outcomes[i] == null) {
                        Agents.Staged copy = staged.get(i);
                        outcomes[i] =
                                contents.isPresent()
                                        ? copy.abandon(contents.get())
                                        : guarded(chunk.get(i), copy::publish);
                    }
                }
                Optional<String> names = sync();
                if (names.isPresent()) {
                    // Named but not known to be on disk: tried again, which may cost a duplicate
                    // after a crash, never a loss.
                    for (int i = 0; i < chunk.size(); i++) {
                        if (staged.get(i).outcome().isEmpty()
                                && outcomes[i] instanceof Outcome.Delivered) {
                            outcomes[i] =
                                    new Outcome.Deferred(
                                            chunk.get(i).mailbox(),
                                            Status.LOCAL_MAILBOX_ERROR_TRANSIENT,
                                            "cannot write to the mailbox: " + names.get());
                        }
                    }
                }
            }
            for (int i = 0; i < chunk.size(); i++) {
                record(chunk.get(i), outcomes[i]);
            }
        }

        /** The local agent's sync; what went wrong, if it failed. */
        private Optional<String> sync() {
            try {
                agents.local().sync();
                return Optional.empty();
            } catch (IOException e) {
                return Optional.of(Text.problem(e));
            }
        }

        /**
         * A batch of recipients that all came through {@code lists}, to the smarthost or the LMTP
         * server ({@code agent}); with no agent, each fails as having no route.
         */
        void batch(List<RecipientState> batch, List<String> lists, Optional<Agents.Relay> agent) {
            List<RecipientState> sending = new ArrayList<>();
            for (RecipientState recipient : batch) {
                Optional<Outcome> early =
                        guarded(
                                recipient,
                                () -> {
                                    faults.check(FaultInjector.Stage.DELIVERY, recipient.address());
                                    return agent.isEmpty()
                                            ? Optional.of(
                                                    new Outcome.Failed(
                                                            recipient.mailbox(),
                                                            Status.NO_ROUTE,
                                                            "non-local domain and no relay host"))
                                            : Optional.<Outcome>empty();
                                },
                                Optional::of);
                early.ifPresentOrElse(
                        outcome -> record(recipient, outcome), () -> sending.add(recipient));
            }
            if (sending.isEmpty()) {
                return;
            }
            List<Mailbox> mailboxes = sending.stream().map(RecipientState::mailbox).toList();
            Event context =
                    Fates.faultAt(message.queueId(), "delivery").with("recipients", sending.size());
            Optional<List<Outcome>> outcomes =
                    boundary.guard(
                            Boundary.Scope.MESSAGE,
                            context,
                            () -> Optional.of(agent.get().deliver(message, mailboxes, lists)),
                            fault -> Optional.empty());
            if (outcomes.isPresent()) {
                for (int i = 0; i < sending.size(); i++) {
                    record(sending.get(i), outcomes.get().get(i));
                }
                return;
            }
            for (RecipientState recipient : sending) {
                Outcome outcome =
                        guarded(
                                recipient,
                                () ->
                                        agent.get()
                                                .deliver(
                                                        message,
                                                        List.of(recipient.mailbox()),
                                                        lists)
                                                .get(0));
                record(recipient, outcome);
            }
        }

        private Outcome guarded(
                RecipientState recipient, java.util.function.Supplier<Outcome> work) {
            return guarded(recipient, work, outcome -> outcome);
        }

        /**
         * Runs {@code work} inside the recipient boundary: a fault becomes the recipient's failure.
         */
        private <T> T guarded(
                RecipientState recipient,
                java.util.function.Supplier<T> work,
                java.util.function.Function<Outcome, T> onFault) {
            java.util.function.Supplier<Event> context =
                    () ->
                            Fates.faultAt(
                                    message.queueId(),
                                    recipient.address(),
                                    recipient.list(),
                                    "delivery");
            return boundary.guard(
                    Boundary.Scope.RECIPIENT,
                    context,
                    work,
                    fault ->
                            onFault.apply(
                                    new Outcome.Failed(
                                            recipient.mailbox(),
                                            Status.SYSTEM_ERROR,
                                            "unexpected fault during delivery: "
                                                    + fault.getClass().getSimpleName())));
        }

        /**
         * Applies one attempt's outcome: the event first, then the state and its journal record.
         * The event log is flushed line by line while the journal is forced at the end of the
         * round, so a crash between the two costs at most a duplicate delivery, never the event.
         */
        void record(RecipientState recipient, Outcome outcome) {
            Instant now = clock.instant();
            String queueId = message.queueId();
            try {
                if (outcome instanceof Outcome.Delivered delivered) {
                    events.emit(
                            Fates.delivered(
                                    queueId,
                                    recipient.address(),
                                    recipient.list(),
                                    delivered.where(),
                                    recipient.route().name().toLowerCase(java.util.Locale.ROOT),
                                    Math.max(
                                            0,
                                            now.toEpochMilli()
                                                    - message.envelope()
                                                            .received()
                                                            .toEpochMilli())));
                    recipients.delivered(recipient, now);
                } else if (outcome instanceof Outcome.Deferred deferred) {
                    int attempts = recipient.attempts() + 1;
                    Instant expiry = message.envelope().received().plus(maxLifetime);
                    if (!now.isBefore(expiry)) {
                        fail(
                                recipient,
                                now,
                                Status.DELIVERY_TIME_EXPIRED,
                                "delivery time expired after "
                                        + attempts
                                        + (attempts == 1 ? " attempt" : " attempts")
                                        + "; last: "
                                        + deferred.reason());
                        return;
                    }
                    Instant retryAt = now.plus(backoff.after(attempts));
                    if (retryAt.isAfter(expiry)) {
                        retryAt = expiry;
                    }
                    events.emit(
                            Fates.deferred(
                                    queueId,
                                    recipient.address(),
                                    recipient.list(),
                                    deferred.status().toString(),
                                    deferred.reason(),
                                    attempts,
                                    retryAt));
                    recipients.deferred(
                            recipient,
                            now,
                            attempts,
                            retryAt,
                            deferred.status(),
                            deferred.reason());
                } else if (outcome instanceof Outcome.Failed failed) {
                    fail(recipient, now, failed.status(), failed.reason());
                }
            } catch (IOException e) {
                notSaved.accept(e);
            }
        }

        private void fail(RecipientState recipient, Instant now, Status status, String reason)
                throws IOException {
            events.emit(
                    Fates.notDelivered(
                            message.queueId(),
                            recipient.address(),
                            recipient.list(),
                            status.toString(),
                            reason,
                            "delivery"));
            recipients.failed(recipient, now, status, reason);
        }
    }
}
