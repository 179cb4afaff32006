package org.listgate.delivery;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.listgate.address.Status;
import org.listgate.config.Config;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.events.Fates;
import org.listgate.events.Text;
import org.listgate.expansion.Expander;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.RecipientState;
import org.listgate.spool.Recipients;
import org.listgate.spool.Spool;

/**
 * The queue manager: takes each queued message from the spool to its recipients and keeps at it
 * until every recipient is delivered or has failed and been reported.
 *
 * <p>A message is expanded once; its recipients go to the spool's {@link Recipients}, which
 * journals every change, so a restart resumes where it stopped. The expansion is told which lists
 * the message has been through already (the {@code Delivered-To} fields of its spooled header
 * section, read at most {@code limits.maxHeaderBytes}), so that a list met again is isolated as a
 * loop. Then it is worked in rounds ({@link DeliveryRound}): every recipient that is due is tried
 * at once, and when the round is over the reports it owes are queued ({@link Reporting}) and the
 * next round is timed for the earliest retry. A message is finished (removed, event 2004) when
 * every recipient is final and reported on.
 *
 * <p>Also: {@link #flush} (every deferred recipient due now), {@link #delete} (the unfinished ones
 * fail, as {@link Deletion} does offline) and {@link #close} (what is unfinished stays in the spool
 * for the next start). Time is {@code clock}'s; threads and timers are {@code workers}'.
 *
 * <p>One file, longer than most here, because it is every transition of a message in the queue
 * (start, round, settle, schedule, finish, delete, close) and they share one lock, the message's
 * {@code Work}: split apart, the locking discipline would be spread over several classes.
 *
 * <p>Boundaries: the expansion runs inside the message boundary (a fault there leaves the message
 * in the spool for the next start); each attempt inside the recipient boundary (DeliveryRound).
 */
public final class QueueManager implements AutoCloseable {

    private final Config.Queue policy;
    private final Intake intake;
    private final Spool spool;
    private final Bouncer bouncer;
    private final EventLog events;
    private final Boundary boundary;
    private final Workers workers;
    private final Clock clock;
    private final DeliveryRound rounds;
    private final Reporting reporting;
    private final Backoff backoff;

    /** Local delivery is to Maildirs here, not to another server (LMTP) a round may wait on. */
    private final boolean localIsQuick;

    private final Map<String, Work> queue = new ConcurrentHashMap<>();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean closing;

    /** One message in the queue, and the round being worked on it. Guarded by itself. */
    private static final class Work {
        final QueuedMessage message;
        final long started;
        Recipients recipients;
        boolean running;
        boolean rerun;
        Optional<Boolean> deletion = Optional.empty();
        Future<?> timer;
        boolean stateWarningGiven;
        int expansionAttempts;

        Work(QueuedMessage message, long started) {
            this.message = message;
            this.started = started;
        }

        String queueId() {
            return message.queueId();
        }
    }

    /**
     * {@code relayBatch}: recipients a relay transaction ({@code relay.maxRecipients}); {@code
     * maxHeaderBytes}: how much of a header section is read for its Delivered-To fields.
     */
    public QueueManager(
            Config.Queue policy,
            int maxHeaderBytes,
            int relayBatch,
            Expander expander,
            Spool spool,
            Bouncer bouncer,
            EventLog events,
            Boundary boundary,
            FaultInjector faults,
            Agents agents,
            Workers workers,
            Clock clock) {
        this.policy = policy;
        this.intake = new Intake(expander, events, maxHeaderBytes);
        this.spool = spool;
        this.bouncer = bouncer;
        this.events = events;
        this.boundary = boundary;
        this.workers = workers;
        this.clock = clock;
        this.backoff = Backoff.of(policy.retryInitial(), policy.retryMax());
        this.localIsQuick = agents.lmtp().isEmpty();
        this.rounds =
                new DeliveryRound(
                        agents,
                        workers,
                        boundary,
                        faults,
                        events,
                        clock,
                        backoff,
                        policy.maxLifetime(),
                        relayBatch);
        this.reporting =
                new Reporting(bouncer, events, clock, policy.maxLifetime(), policy.delayWarning());
    }

    /** Hands a durably queued message over; returns at once. */
    public void submit(QueuedMessage message) {
        resume(new Spool.Stored(message, Optional.empty()));
    }

    /** Hands over a message found in the spool at start-up, with its recipients if known. */
    public void resume(Spool.Stored stored) {
        Work work = new Work(stored.message(), clock.millis());
        if (queue.putIfAbsent(work.queueId(), work) != null) {
            return;
        }
        busy.incrementAndGet();
        try {
            workers.coordinator()
                    .execute(
                            () -> {
                                try {
                                    start(work, stored.recipients());
                                } finally {
                                    busy.decrementAndGet();
                                }
                            });
        } catch (RejectedExecutionException e) {
            // Stopping: the message is in the spool and is taken up at the next start.
            queue.remove(work.queueId());
            busy.decrementAndGet();
        }
    }

    /** Messages in the queue: accepted or found at start, not yet finished. */
    public int inFlight() {
        return queue.size();
    }

    /** How long the oldest message in the queue has waited since it was accepted; zero if none. */
    public Duration oldestAge() {
        Instant now = clock.instant();
        return queue.values().stream()
                .map(work -> work.message.envelope().received())
                .min(Instant::compareTo)
                .map(received -> Duration.between(received, now))
                .filter(age -> !age.isNegative())
                .orElse(Duration.ZERO);
    }

    /**
     * Makes every deferred recipient (of one message, or all) due now; returns the messages
     * concerned.
     */
    public int flush(Optional<String> queueId) {
        List<Work> chosen = new ArrayList<>();
        if (queueId.isPresent()) {
            Optional.ofNullable(queue.get(queueId.get())).ifPresent(chosen::add);
        } else {
            chosen.addAll(queue.values());
        }
        for (Work work : chosen) {
            synchronized (work) {
                if (work.recipients != null) {
                    work.recipients.retryNow();
                }
            }
            events.emit(Event.about(EventId.QUEUE_FLUSHED, work.queueId()));
            workers.coordinator().execute(() -> round(work));
        }
        return chosen.size();
    }

    /**
     * Deletes a message from the queue: its unfinished recipients fail ("deleted by the
     * administrator", each its 4037), reported to the sender unless {@code report} is false.
     * Returns false when there is no such message.
     */
    public boolean delete(String queueId, boolean report) {
        Work work = queue.get(queueId);
        if (work == null) {
            return false;
        }
        synchronized (work) {
            work.deletion = Optional.of(report);
            if (work.running || work.recipients == null) {
                return true;
            }
            work.running = true;
        }
        busy.incrementAndGet();
        workers.coordinator().execute(() -> settle(work));
        return true;
    }

    // ---- a message's life ---------------------------------------------------------------------

    private void start(Work work, Optional<Recipients> known) {
        if (known.isPresent()) {
            begin(work, known.get());
            return;
        }
        Optional<List<RecipientState>> expanded;
        try {
            expanded =
                    boundary.guardIo(
                            Boundary.Scope.MESSAGE,
                            Fates.faultAt(work.queueId(), "expansion"),
                            () -> Optional.of(intake.expand(work.message)),
                            fault -> Optional.empty());
        } catch (IOException e) { // DirectoryUnavailable: the only IOException of an expansion
            expansionDeferred(work, e);
            return;
        }
        if (expanded.isEmpty()) {
            // A fault: the message stays in the spool and is taken up again at the next start.
            queue.remove(work.queueId());
            return;
        }
        record(work, expanded.get());
    }

    /**
     * The directory could not answer during the expansion: the whole expansion waits, with the
     * queue's backoff, and is done again from the start (event 3015). Nobody is isolated, bounced
     * or dropped for an outage; the message is safe in the spool meanwhile.
     */
    private void expansionDeferred(Work work, IOException e) {
        int attempt;
        synchronized (work) {
            attempt = ++work.expansionAttempts;
        }
        Duration wait = backoff.after(attempt);
        events.emit(
                Event.about(EventId.EXPANSION_DEFERRED, work.queueId())
                        .with(Event.STATUS, Status.DIRECTORY_UNAVAILABLE.toString())
                        .with(Event.REASON, String.valueOf(e.getMessage()))
                        .with("attempt", attempt)
                        .with("retryAt", clock.instant().plus(wait).toString()));
        if (later(wait, () -> start(work, Optional.empty())).isEmpty()) {
            // Stopping: the message stays in the spool and is expanded at the next start.
            queue.remove(work.queueId());
        }
    }

    /**
     * Writes the journal of a newly expanded message, then works it. The message is already safe
     * (it got its 250), so a journal that cannot be written — the spool's disk is full — is tried
     * again after {@code queue.retry.initial}, not left until the next start: the mail that filled
     * the disk is what frees it, once delivered.
     */
    private void record(Work work, List<RecipientState> expanded) {
        Optional<Recipients> recipients =
                boundary.guard(
                        Boundary.Scope.MESSAGE,
                        Fates.faultAt(work.queueId(), "expansion"),
                        () -> {
                            try {
                                return Optional.of(
                                        spool.createRecipients(
                                                work.message, expanded, localIsQuick));
                            } catch (IOException e) {
                                stateNotSaved(work, e);
                                if (later(policy.retryInitial(), () -> record(work, expanded))
                                        .isEmpty()) {
                                    // Stopping: the message stays in the spool and is expanded
                                    // again at the next start.
                                    queue.remove(work.queueId());
                                }
                                return Optional.<Recipients>empty();
                            }
                        },
                        fault -> {
                            queue.remove(work.queueId());
                            return Optional.empty();
                        });
        recipients.ifPresent(written -> begin(work, written));
    }

    private void begin(Work work, Recipients recipients) {
        synchronized (work) {
            work.recipients = recipients;
        }
        round(work);
    }

    /** Tries every due recipient at once; when all are done, {@link #settle}. */
    private void round(Work work) {
        List<RecipientState> due = new ArrayList<>();
        Instant now = clock.instant();
        synchronized (work) {
            if (work.recipients == null || !queue.containsKey(work.queueId())) {
                return;
            }
            if (work.running) {
                work.rerun = true;
                return;
            }
            work.running = true;
            cancelTimer(work);
            for (RecipientState recipient : work.recipients.all()) {
                if (recipient.isDue(now)) {
                    due.add(recipient);
                }
            }
        }
        busy.incrementAndGet();
        CompletableFuture<?> unused =
                rounds.run(work.message, work.recipients, due, e -> stateNotSaved(work, e))
                        .whenComplete((ignored, fault) -> afterRound(work, fault));
    }

    private void afterRound(Work work, Throwable fault) {
        if (fault != null) {
            // Only an Error gets past the recipient boundary: make it a 9001, not a silent loss.
            boundary.report(
                    Boundary.Scope.MESSAGE, Fates.faultAt(work.queueId(), "delivery"), fault);
        }
        try {
            workers.coordinator().execute(() -> settle(work));
        } catch (RejectedExecutionException e) {
            // Stopping: what the round did is journalled (close forces it); the rest resumes at the
            // next start.
            busy.decrementAndGet();
        }
    }

    /**
     * After a round: queues the reports owed, then either finishes the message or times its next
     * round. The reports are handed over once the message's lock is let go.
     */
    private void settle(Work work) {
        List<QueuedMessage> reports = new ArrayList<>();
        try {
            synchronized (work) {
                work.running = false;
                if (work.deletion.isPresent()) {
                    deleteNow(work, work.deletion.get(), reports);
                    return;
                }
                boolean reportsPending =
                        !reporting.reportDue(
                                work.message,
                                work.recipients,
                                reports,
                                e -> stateNotSaved(work, e));
                if (!reportsPending && work.recipients.allFinal()) {
                    finish(work);
                    return;
                }
                try {
                    work.recipients.sync();
                    work.recipients.compact();
                } catch (IOException e) {
                    stateNotSaved(work, e);
                }
                work.recipients.close();
                if (work.rerun) {
                    work.rerun = false;
                    workers.coordinator().execute(() -> round(work));
                } else {
                    schedule(
                            work,
                            reportsPending
                                    ? Optional.of(clock.instant().plus(policy.retryInitial()))
                                    : Optional.empty());
                }
            }
        } finally {
            busy.decrementAndGet();
            reports.forEach(this::submit);
        }
    }

    /**
     * Times the next round: the earliest retry, at once for a recipient not tried, {@code
     * atLatest}.
     */
    private void schedule(Work work, Optional<Instant> atLatest) {
        Instant next = atLatest.orElse(null);
        Instant now = clock.instant();
        for (RecipientState recipient : work.recipients.all()) {
            if (recipient.state() == RecipientState.State.DEFERRED
                    && (next == null || recipient.retryAt().isBefore(next))) {
                next = recipient.retryAt();
            } else if (recipient.state() == RecipientState.State.PENDING && !recipient.isolated()) {
                next = now;
            }
        }
        if (next != null) {
            Duration delay = Duration.between(now, next);
            work.timer =
                    later(delay.isNegative() ? Duration.ZERO : delay, () -> round(work))
                            .orElse(null);
        }
    }

    /** Runs {@code task} on the queue manager after {@code delay}; empty when it is stopping. */
    private Optional<Future<?>> later(Duration delay, Runnable task) {
        if (!closing) {
            try {
                return Optional.of(
                        workers.timers()
                                .schedule(() -> workers.coordinator().execute(task), delay));
            } catch (RejectedExecutionException e) {
                // Stopping: below.
            }
        }
        return Optional.empty();
    }

    private static void cancelTimer(Work work) {
        if (work.timer != null) {
            work.timer.cancel(false);
            work.timer = null;
        }
    }

    private void finish(Work work) {
        work.recipients.close();
        try {
            spool.remove(work.message);
        } catch (IOException e) {
            // Left in the spool: its state says it is done, so the next start only removes it. A
            // journal kept in memory so far must say so on disk.
            stateNotSaved(work, e);
            try {
                work.recipients.sync();
            } catch (IOException notWritten) {
                // Then the next start delivers it again: a duplicate, never a loss.
                stateNotSaved(work, notWritten);
            }
            work.recipients.close();
        }
        queue.remove(work.queueId());
        Recipients.Tally tally = work.recipients.tally();
        events.emit(
                Event.about(EventId.MESSAGE_COMPLETED, work.queueId())
                        .with("delivered", tally.delivered())
                        .with("deferred", tally.unfinished())
                        .with("failed", tally.failed())
                        .with("isolated", tally.isolated())
                        .with("millis", clock.millis() - work.started));
    }

    /** A deletion asked for while the server runs: the same outcome as {@link Deletion} offline. */
    private void deleteNow(Work work, boolean report, List<QueuedMessage> reports) {
        cancelTimer(work);
        work.recipients.close();
        try {
            reports.addAll(
                    Deletion.delete(
                                    spool,
                                    new Spool.Stored(work.message, Optional.of(work.recipients)),
                                    report ? Optional.of(bouncer) : Optional.empty(),
                                    events,
                                    clock)
                            .reports());
        } catch (Bouncer.Partial e) {
            // Every recipient is failed and journalled; the reports not written are tried again
            // by the ordinary rounds, which then finish the message.
            reports.addAll(e.queued());
            events.emit(
                    Event.about(EventId.REPORT_DEFERRED, work.queueId())
                            .with(Event.REASON, String.valueOf(e.getMessage())));
            work.deletion = Optional.empty();
            schedule(work, Optional.of(clock.instant().plus(policy.retryInitial())));
            return;
        } catch (IOException e) {
            stateNotSaved(work, e);
        }
        queue.remove(work.queueId());
    }

    private void stateNotSaved(Work work, IOException e) {
        if (!work.stateWarningGiven) {
            work.stateWarningGiven = true;
            events.emit(
                    Event.about(EventId.SPOOL_STATE_NOT_SAVED, work.queueId())
                            .with(Event.REASON, Text.problem(e)));
        }
    }

    /**
     * Stops taking work, lets the rounds running finish for up to {@code grace}, then stops;
     * whatever is not finished stays in the spool, with its state, for the next start.
     */
    public void close(Duration grace) {
        closing = true;
        workers.timers().shutdownNow();
        long deadline = System.nanoTime() + grace.toNanos();
        while (busy.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.shutdownNow();
        for (Work work : queue.values()) {
            synchronized (work) {
                if (work.recipients != null) {
                    try {
                        work.recipients.sync();
                    } catch (IOException e) {
                        stateNotSaved(work, e);
                    }
                    work.recipients.close();
                }
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
