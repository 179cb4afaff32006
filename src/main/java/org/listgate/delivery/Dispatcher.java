package org.listgate.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.address.Status;
import org.listgate.config.Config;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.expansion.Expander;
import org.listgate.expansion.Expansion;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;
import org.listgate.spool.Journal;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.RecipientState;
import org.listgate.spool.Spool;

/**
 * The queue manager: takes each queued message from the spool to its recipients and keeps at it
 * until every recipient is delivered or has failed and been reported.
 *
 * <p>A message is expanded once; its recipients and their state go to its {@link Journal} so a
 * restart resumes where it stopped. The expansion is told which lists the message has been
 * through already (the {@code Delivered-To} fields of its spooled header section, read at most
 * {@code limits.maxHeaderBytes}), so that a list met again is isolated as a loop. Then it is
 * worked in rounds: every recipient that is due (new, or deferred and its time has come) is tried
 * at once — local ones one task each on the local pool, relay ones in batches of
 * {@code relay.maxRecipients} (one set of lists a batch) on the relay pool — and when
 * the round is over, failures are reported (one {@link Bouncer} report per destination), and the
 * next round is timed for the earliest retry. Backoff doubles from {@code queue.retry.initial} to
 * {@code queue.retry.max}, less up to a quarter at random so that recipients deferred together do
 * not come back together; a recipient still deferred after {@code queue.maxLifetime} fails with
 * 4.4.7.
 *
 * <p>Boundaries: the expansion runs inside the message boundary (a fault there leaves the message
 * in the spool for the next start), each attempt inside the recipient boundary (a fault fails that
 * recipient with 5.3.0: 9001, then its 4037; it is not retried).
 */
public final class Dispatcher implements AutoCloseable {

    private final Config config;
    private final Config.Queue policy;
    private final Expander expander;
    private final Spool spool;
    private final Bouncer bouncer;
    private final EventLog events;
    private final Boundary boundary;
    private final FaultInjector faults;
    private final MaildirAgent maildir;
    private final Optional<RelayAgent> relay;
    private final Backoff backoff;
    private final ExecutorService coordinator;
    private final ExecutorService local;
    private final ExecutorService remote;
    private final ScheduledExecutorService timers;
    private final Map<String, Work> queue = new ConcurrentHashMap<>();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean closing;

    /** One message in the queue, and the round being worked on it. Guarded by itself. */
    private static final class Work {
        final QueuedMessage message;
        List<RecipientState> recipients = List.of();
        Journal journal;
        boolean running;
        boolean rerun;
        Optional<Boolean> deletion = Optional.empty();
        ScheduledFuture<?> timer;
        final long started = System.nanoTime();
        boolean stateWarningGiven;

        Work(QueuedMessage message) {
            this.message = message;
        }

        String queueId() {
            return message.queueId();
        }
    }

    public Dispatcher(Config config, Expander expander, Spool spool, Bouncer bouncer, EventLog events,
            Boundary boundary, FaultInjector faults) {
        this.config = config;
        this.policy = config.queue();
        this.expander = expander;
        this.spool = spool;
        this.bouncer = bouncer;
        this.events = events;
        this.boundary = boundary;
        this.faults = faults;
        String hostname = config.smtp().hostname();
        this.maildir = new MaildirAgent(config.maildirRoot(), new MaildirNames(ProcessHandle.current().pid(), hostname));
        this.relay = config.relay().map(settings -> new RelayAgent(settings, hostname));
        this.backoff = Backoff.of(policy.retryInitial(), policy.retryMax());
        this.coordinator = Executors.newFixedThreadPool(2, named("queue-manager"));
        this.local = Executors.newFixedThreadPool(config.delivery().threads(), named("delivery"));
        this.remote = Executors.newFixedThreadPool(config.relay().map(Config.Relay::threads).orElse(1), named("relay"));
        this.timers = Executors.newSingleThreadScheduledExecutor(named("queue-timer"));
    }

    /** Hands a durably queued message over; returns at once. */
    public void submit(QueuedMessage message) {
        resume(new Spool.Stored(message, Optional.empty()));
    }

    /** Hands over a message found in the spool at start-up, with its recipients' state if known. */
    public void resume(Spool.Stored stored) {
        Work work = new Work(stored.message());
        if (queue.putIfAbsent(work.queueId(), work) != null) {
            return;
        }
        busy.incrementAndGet();
        try {
            coordinator.execute(() -> {
                try {
                    start(work, stored.recipients());
                } finally {
                    busy.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Stopping: the message is in the spool and is taken up at the next start.
            queue.remove(work.queueId());
            busy.decrementAndGet();
        }
    }

    /** Messages in the queue: accepted or found at start, not yet finished. */
    public int inFlight() {
        return queue.size();
    }

    /** Makes every deferred recipient (of one message, or all) due now; returns the messages concerned. */
    public int flush(Optional<String> queueId) {
        List<Work> chosen = new ArrayList<>();
        if (queueId.isPresent()) {
            Optional.ofNullable(queue.get(queueId.get())).ifPresent(chosen::add);
        } else {
            chosen.addAll(queue.values());
        }
        for (Work work : chosen) {
            synchronized (work) {
                work.recipients.forEach(RecipientState::retryNow);
            }
            events.emit(Event.of(EventId.QUEUE_FLUSHED).with("queueId", work.queueId()));
            coordinator.execute(() -> round(work));
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
            if (work.running || work.journal == null) {
                return true;
            }
            work.running = true;
        }
        busy.incrementAndGet();
        coordinator.execute(() -> settle(work));
        return true;
    }

    // ---- a message's life ---------------------------------------------------------------------

    private void start(Work work, Optional<List<RecipientState>> known) {
        Event context = Event.of(EventId.EXCEPTION).with("queueId", work.queueId()).with("stage", "expansion");
        Optional<List<RecipientState>> recipients = boundary.guard(Boundary.Scope.MESSAGE, context,
                () -> Optional.of(known.isPresent() ? known.get() : expand(work.message)), fault -> Optional.empty());
        if (recipients.isEmpty()) {
            // A fault: the message stays in the spool and is taken up again at the next start.
            queue.remove(work.queueId());
            return;
        }
        if (known.isPresent()) {
            begin(work, recipients.get(), spool.journal(work.message));
        } else {
            createJournal(work, recipients.get());
        }
    }

    /**
     * Writes the journal of a newly expanded message, then works it. The message is already
     * safe (it got its 250), so a journal that cannot be written — the spool's disk is full — is
     * tried again after {@code queue.retry.initial}, not left until the next start: the mail
     * that filled the disk is what frees it, once delivered.
     */
    private void createJournal(Work work, List<RecipientState> recipients) {
        Event context = Event.of(EventId.EXCEPTION).with("queueId", work.queueId()).with("stage", "expansion");
        Optional<Journal> journal = boundary.guard(Boundary.Scope.MESSAGE, context, () -> {
            try {
                return Optional.of(spool.createJournal(work.message, recipients));
            } catch (IOException e) {
                stateNotSaved(work, e);
                retryJournal(work, recipients);
                return Optional.<Journal>empty();
            }
        }, fault -> {
            queue.remove(work.queueId());
            return Optional.empty();
        });
        journal.ifPresent(written -> begin(work, recipients, written));
    }

    private void retryJournal(Work work, List<RecipientState> recipients) {
        if (!closing) {
            try {
                timers.schedule(() -> coordinator.execute(() -> createJournal(work, recipients)),
                        policy.retryInitial().toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Stopping: below.
            }
        }
        // The message stays in the spool and is expanded again at the next start.
        queue.remove(work.queueId());
    }

    private void begin(Work work, List<RecipientState> recipients, Journal journal) {
        synchronized (work) {
            work.recipients = recipients;
            work.journal = journal;
        }
        round(work);
    }

    private List<RecipientState> expand(QueuedMessage message) {
        String queueId = message.queueId();
        Expansion expansion = expander.expand(queueId, message.envelope().recipients(), deliveredTo(message));
        for (Expansion.ListSummary list : expansion.lists()) {
            events.emit(Event.of(EventId.LIST_EXPANDED).with("queueId", queueId).with("list", list.list())
                    .with("members", list.members()).with("recipients", list.delivered())
                    .with("isolated", list.isolated()));
        }
        List<RecipientState> recipients = new ArrayList<>();
        for (Expansion.Target target : expansion.targets()) {
            recipients.add(RecipientState.target(recipients.size(), target.mailbox().address(),
                    target.route() == Expansion.Route.LOCAL ? RecipientState.Route.LOCAL : RecipientState.Route.RELAY,
                    target.lists()));
        }
        for (Expansion.Isolated isolated : expansion.isolated()) {
            events.emit(Event.of(EventId.RECIPIENT_NOT_DELIVERED).with("queueId", queueId)
                    .with("recipient", isolated.recipient()).with("list", isolated.list().orElse(null))
                    .with("status", isolated.status().toString()).with("reason", isolated.reason())
                    .with("stage", "expansion"));
            recipients.add(RecipientState.isolated(recipients.size(), isolated.recipient(), isolated.list(),
                    isolated.status(), isolated.reason()));
        }
        return recipients;
    }

    /**
     * The lists the message has been through already, from the Delivered-To fields of its
     * spooled header section: read at each expansion, so a restart finds them too. A queue file
     * that cannot be read is a fault: the message stays in the spool (the message boundary).
     */
    private Set<String> deliveredTo(QueuedMessage message) {
        try (InputStream content = message.openContent()) {
            return DeliveredTo.read(content, config.content().maxHeaderBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tries every due recipient at once; when all are done, {@link #settle}. */
    private void round(Work work) {
        List<RecipientState> due = new ArrayList<>();
        Instant now = Instant.now();
        synchronized (work) {
            if (work.journal == null || !queue.containsKey(work.queueId())) {
                return;
            }
            if (work.running) {
                work.rerun = true;
                return;
            }
            work.running = true;
            if (work.timer != null) {
                work.timer.cancel(false);
                work.timer = null;
            }
            for (RecipientState recipient : work.recipients) {
                if (recipient.route() != RecipientState.Route.ISOLATED && recipient.isDue(now)) {
                    due.add(recipient);
                }
            }
        }
        busy.incrementAndGet();
        List<CompletableFuture<Void>> attempts = new ArrayList<>();
        List<RecipientState> relayed = new ArrayList<>();
        for (RecipientState recipient : due) {
            if (recipient.state() == RecipientState.State.DEFERRED) {
                events.emit(Event.of(EventId.DELIVERY_RETRIED).with("queueId", work.queueId())
                        .with("recipient", recipient.address()).with("list", recipient.list().orElse(null))
                        .with("attempt", recipient.attempts() + 1));
            }
            if (recipient.route() == RecipientState.Route.LOCAL) {
                attempts.add(CompletableFuture.runAsync(() -> deliverLocally(work, recipient), local));
            } else {
                relayed.add(recipient);
            }
        }
        // One copy a transaction: recipients that came through different lists get different
        // Delivered-To fields, so they go in different batches.
        Map<List<String>, List<RecipientState>> byLists = new LinkedHashMap<>();
        relayed.forEach(recipient -> byLists.computeIfAbsent(recipient.lists(), lists -> new ArrayList<>())
                .add(recipient));
        int batch = config.relay().map(Config.Relay::maxRecipients).orElse(100);
        for (Map.Entry<List<String>, List<RecipientState>> group : byLists.entrySet()) {
            List<RecipientState> members = group.getValue();
            for (int from = 0; from < members.size(); from += batch) {
                List<RecipientState> chunk = members.subList(from, Math.min(members.size(), from + batch));
                attempts.add(CompletableFuture.runAsync(() -> deliverByRelay(work, chunk, group.getKey()), remote));
            }
        }
        CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new))
                .whenComplete((ignored, fault) -> {
                    if (fault != null) {
                        // Only an Error gets past the recipient boundary: make it a 9001, not a silent loss.
                        boundary.report(Boundary.Scope.MESSAGE,
                                Event.of(EventId.EXCEPTION).with("queueId", work.queueId()), fault);
                    }
                    coordinator.execute(() -> settle(work));
                });
    }

    private void deliverLocally(Work work, RecipientState recipient) {
        Event context = Event.of(EventId.EXCEPTION).with("queueId", work.queueId())
                .with("recipient", recipient.address()).with("list", recipient.list().orElse(null))
                .with("stage", "delivery");
        Outcome outcome = boundary.guard(Boundary.Scope.RECIPIENT, context, () -> {
            Mailbox mailbox = mailbox(recipient.address());
            faults.check(FaultInjector.Stage.DELIVERY, mailbox.address());
            return maildir.deliver(work.message, mailbox, recipient.lists());
        }, fault -> faulted(recipient, fault));
        record(work, recipient, outcome);
    }

    /** A batch of relay recipients that all came through {@code lists}. */
    private void deliverByRelay(Work work, List<RecipientState> chunk, List<String> lists) {
        List<RecipientState> sending = new ArrayList<>();
        List<Mailbox> mailboxes = new ArrayList<>();
        for (RecipientState recipient : chunk) {
            Event context = Event.of(EventId.EXCEPTION).with("queueId", work.queueId())
                    .with("recipient", recipient.address()).with("list", recipient.list().orElse(null))
                    .with("stage", "delivery");
            Optional<Outcome> early = boundary.guard(Boundary.Scope.RECIPIENT, context, () -> {
                faults.check(FaultInjector.Stage.DELIVERY, recipient.address());
                if (relay.isEmpty()) {
                    return Optional.<Outcome>of(new Outcome.Failed(mailbox(recipient.address()), Status.NO_ROUTE,
                            "non-local domain and no relay host"));
                }
                mailboxes.add(mailbox(recipient.address()));
                sending.add(recipient);
                return Optional.<Outcome>empty();
            }, fault -> Optional.of(faulted(recipient, fault)));
            early.ifPresent(outcome -> record(work, recipient, outcome));
        }
        if (sending.isEmpty()) {
            return;
        }
        Event context = Event.of(EventId.EXCEPTION).with("queueId", work.queueId())
                .with("recipient", sending.get(0).address()).with("recipients", sending.size())
                .with("stage", "delivery");
        List<Outcome> outcomes = boundary.guard(Boundary.Scope.RECIPIENT, context,
                () -> relay.get().deliver(work.message, mailboxes, lists), fault -> {
                    List<Outcome> failed = new ArrayList<>();
                    sending.forEach(recipient -> failed.add(faulted(recipient, fault)));
                    return failed;
                });
        for (int i = 0; i < sending.size(); i++) {
            record(work, sending.get(i), outcomes.get(i));
        }
    }

    private static Outcome faulted(RecipientState recipient, Throwable fault) {
        return new Outcome.Failed(mailboxOrNull(recipient.address()), Status.SYSTEM_ERROR,
                "unexpected fault during delivery: " + fault.getClass().getSimpleName());
    }

    /**
     * Applies one attempt's outcome to the recipient's state, the event log and its journal, in
     * that order: a journal that cannot be written (a full disk) costs at most a duplicate after
     * a crash, never the event.
     */
    private void record(Work work, RecipientState recipient, Outcome outcome) {
        Instant now = Instant.now();
        String queueId = work.queueId();
        String list = recipient.list().orElse(null);
        synchronized (work) {
            try {
                if (outcome instanceof Outcome.Delivered delivered) {
                    recipient.delivered(now);
                    events.emit(Event.of(EventId.DELIVERED).with("queueId", queueId)
                            .with("recipient", recipient.address()).with("list", list)
                            .with("status", Status.OK.toString()).with("file", delivered.where()));
                    work.journal.delivered(recipient);
                } else if (outcome instanceof Outcome.Deferred deferred) {
                    int attempts = recipient.attempts() + 1;
                    Instant expiry = work.message.envelope().received().plus(policy.maxLifetime());
                    if (!now.isBefore(expiry)) {
                        fail(work, recipient, now, Status.DELIVERY_TIME_EXPIRED, "delivery time expired after "
                                + attempts + (attempts == 1 ? " attempt" : " attempts") + "; last: " + deferred.reason());
                    } else {
                        Instant retryAt = now.plus(backoff.after(attempts));
                        if (retryAt.isAfter(expiry)) {
                            retryAt = expiry;
                        }
                        recipient.deferred(now, attempts, retryAt, deferred.status(), deferred.reason());
                        events.emit(Event.of(EventId.DELIVERY_DEFERRED).with("queueId", queueId)
                                .with("recipient", recipient.address()).with("list", list)
                                .with("status", deferred.status().toString()).with("reason", deferred.reason())
                                .with("attempt", attempts).with("retryAt", retryAt.toString()));
                        work.journal.deferred(recipient);
                    }
                } else if (outcome instanceof Outcome.Failed failed) {
                    fail(work, recipient, now, failed.status(), failed.reason());
                }
            } catch (IOException e) {
                stateNotSaved(work, e);
            }
        }
    }

    private void fail(Work work, RecipientState recipient, Instant now, Status status, String reason)
            throws IOException {
        recipient.failed(Optional.of(now), status, reason);
        events.emit(failedAtDelivery(work.queueId(), recipient));
        work.journal.failed(recipient);
    }

    /** The recipient's one 4037, stage {@code delivery}, from the failure just recorded in it. */
    static Event failedAtDelivery(String queueId, RecipientState recipient) {
        return Event.of(EventId.RECIPIENT_NOT_DELIVERED).with("queueId", queueId)
                .with("recipient", recipient.address()).with("list", recipient.list().orElse(null))
                .with("status", recipient.status().map(Status::toString).orElse(null))
                .with("reason", recipient.reason()).with("stage", "delivery");
    }

    private void stateNotSaved(Work work, IOException e) {
        if (!work.stateWarningGiven) {
            work.stateWarningGiven = true;
            events.emit(Event.of(EventId.SPOOL_STATE_NOT_SAVED).with("queueId", work.queueId())
                    .with("reason", String.valueOf(e.getMessage())));
        }
    }

    /**
     * After a round: reports what failed (and, past {@code queue.delayWarning}, what is late),
     * then either finishes the message or times its next round.
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
                Instant now = Instant.now();
                boolean reportsPending = !report(work, DeliveryReport.Action.FAILED, reports);
                if (policy.delayWarning().compareTo(Duration.ZERO) > 0
                        && !now.isBefore(work.message.envelope().received().plus(policy.delayWarning()))) {
                    reportsPending |= !report(work, DeliveryReport.Action.DELAYED, reports);
                }
                boolean finished = !reportsPending && work.recipients.stream().allMatch(r -> r.state().isFinal());
                if (finished) {
                    finish(work);
                    return;
                }
                try {
                    work.journal.sync();
                    if (work.journal.appended() > 2 * work.recipients.size() + 100) {
                        work.journal.rewrite(work.queueId(), work.recipients);
                    }
                } catch (IOException e) {
                    stateNotSaved(work, e);
                }
                work.journal.close();
                if (work.rerun) {
                    work.rerun = false;
                    coordinator.execute(() -> round(work));
                } else {
                    schedule(work, reportsPending ? Optional.of(now.plus(policy.retryInitial())) : Optional.empty());
                }
            }
        } finally {
            busy.decrementAndGet();
            reports.forEach(this::submit);
        }
    }

    /** Queues the reports due; returns false when one could not be written (tried again later). */
    private boolean report(Work work, DeliveryReport.Action action, List<QueuedMessage> reports) {
        List<RecipientState> due = new ArrayList<>();
        for (RecipientState recipient : work.recipients) {
            boolean failedUnreported = recipient.state() == RecipientState.State.FAILED && !recipient.reported();
            boolean lateUnwarned = recipient.state() == RecipientState.State.DEFERRED && !recipient.warned();
            if (action == DeliveryReport.Action.FAILED ? failedUnreported : lateUnwarned) {
                due.add(recipient);
            }
        }
        if (due.isEmpty()) {
            return true;
        }
        Instant until = work.message.envelope().received().plus(policy.maxLifetime());
        try {
            reports.addAll(bouncer.report(work.message, due, action, until));
        } catch (Bouncer.Partial e) {
            // Reports already written go; the rest is tried again (a duplicate report is possible,
            // a lost one is not).
            reports.addAll(e.queued());
            events.emit(Event.of(EventId.REPORT_DEFERRED).with("queueId", work.queueId())
                    .with("reason", String.valueOf(e.getMessage())));
            return false;
        }
        for (RecipientState recipient : due) {
            if (action == DeliveryReport.Action.FAILED) {
                recipient.markReported();
            } else {
                recipient.markWarned();
            }
        }
        try {
            if (action == DeliveryReport.Action.FAILED) {
                work.journal.reported(due);
            } else {
                work.journal.warned(due);
            }
        } catch (IOException e) {
            stateNotSaved(work, e);
        }
        return true;
    }

    private void schedule(Work work, Optional<Instant> atLatest) {
        Instant next = atLatest.orElse(null);
        for (RecipientState recipient : work.recipients) {
            if (recipient.state() == RecipientState.State.DEFERRED
                    && (next == null || recipient.retryAt().isBefore(next))) {
                next = recipient.retryAt();
            } else if (recipient.state() == RecipientState.State.PENDING) {
                next = Instant.now();
            }
        }
        if (next == null || closing) {
            return;
        }
        long delay = Math.max(0, Duration.between(Instant.now(), next).toMillis());
        try {
            work.timer = timers.schedule(() -> coordinator.execute(() -> round(work)), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Stopping: the message stays in the spool and resumes at the next start.
        }
    }

    private void finish(Work work) {
        work.journal.close();
        int delivered = 0;
        int failed = 0;
        int isolated = 0;
        int unfinished = 0; // a message finishes when none is left: counted, not assumed
        for (RecipientState recipient : work.recipients) {
            if (recipient.state() == RecipientState.State.DELIVERED) {
                delivered++;
            } else if (recipient.route() == RecipientState.Route.ISOLATED) {
                isolated++;
            } else if (!recipient.state().isFinal()) {
                unfinished++;
            } else {
                failed++;
            }
        }
        try {
            spool.remove(work.message);
        } catch (IOException e) {
            // Left in the spool: its state says it is done, so the next start only removes it.
            stateNotSaved(work, e);
        }
        queue.remove(work.queueId());
        events.emit(Event.of(EventId.MESSAGE_COMPLETED).with("queueId", work.queueId())
                .with("delivered", delivered).with("deferred", unfinished).with("failed", failed).with("isolated", isolated)
                .with("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - work.started)));
    }

    /** A deletion asked for while the server runs: the same outcome as {@link Deletion} offline. */
    private void deleteNow(Work work, boolean report, List<QueuedMessage> reports) {
        if (work.timer != null) {
            work.timer.cancel(false);
            work.timer = null;
        }
        work.journal.close();
        try {
            reports.addAll(Deletion.delete(spool, new Spool.Stored(work.message, Optional.of(work.recipients)),
                    report ? Optional.of(bouncer) : Optional.empty(), events).reports());
        } catch (Bouncer.Partial e) {
            // Every recipient is failed and journalled; the reports not written are tried again
            // by the ordinary rounds, which then finish the message.
            reports.addAll(e.queued());
            events.emit(Event.of(EventId.REPORT_DEFERRED).with("queueId", work.queueId())
                    .with("reason", String.valueOf(e.getMessage())));
            work.deletion = Optional.empty();
            schedule(work, Optional.of(Instant.now().plus(policy.retryInitial())));
            return;
        } catch (IOException e) {
            stateNotSaved(work, e);
        }
        queue.remove(work.queueId());
    }

    /** RFC 3463 X.0.0 "other undefined status", permanent: what Postfix gives a deleted message. */
    static final Status ADMINISTRATIVE = new Status(5, 0, 0);

    /** The reason a deleted message's unfinished recipients fail with. */
    static final String DELETED = "deleted from the queue by the administrator";

    private static Mailbox mailbox(String address) {
        if (Addresses.parse(address) instanceof ParseResult.Valid valid) {
            return valid.mailbox();
        }
        throw new IllegalStateException("a queued target is not a valid address: " + address);
    }

    private static Mailbox mailboxOrNull(String address) {
        return Addresses.parse(address) instanceof ParseResult.Valid valid ? valid.mailbox() : null;
    }

    /**
     * Stops taking work, lets the rounds running finish for up to {@code grace}, then stops;
     * whatever is not finished stays in the spool, with its state, for the next start.
     */
    public void close(Duration grace) {
        closing = true;
        timers.shutdownNow();
        long deadline = System.nanoTime() + grace.toNanos();
        while (busy.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        coordinator.shutdownNow();
        local.shutdownNow();
        remote.shutdownNow();
        for (Work work : queue.values()) {
            synchronized (work) {
                if (work.journal != null) {
                    try {
                        work.journal.sync();
                    } catch (IOException e) {
                        stateNotSaved(work, e);
                    }
                    work.journal.close();
                }
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
