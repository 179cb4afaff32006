package org.listgate.delivery;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.listgate.address.Status;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.expansion.Expander;
import org.listgate.expansion.Expansion;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.Spool;

/**
 * Takes a queued message from the spool to its recipients: expands it, logs every isolated member
 * (4037, stage {@code expansion}), delivers one task per recipient on a bounded pool, logs each
 * outcome, and removes the message from the spool once every recipient has been handled.
 *
 * <p>Boundaries: the whole message runs inside the message boundary (a fault there leaves the
 * message in the spool for the next start), each recipient inside the recipient boundary (a fault
 * there fails that recipient with 5.3.0: 9001, then its 4037; it is not retried). One
 * recipient's outcome never touches another's.
 */
public final class Dispatcher implements AutoCloseable {

    private final Expander expander;
    private final Spool spool;
    private final EventLog events;
    private final Boundary boundary;
    private final FaultInjector faults;
    private final MaildirAgent maildir;
    private final ExecutorService coordinator;
    private final ExecutorService deliveries;
    private final AtomicInteger inFlight = new AtomicInteger();

    public Dispatcher(Expander expander, Spool spool, Path maildirRoot, int threads, String hostname,
            EventLog events, Boundary boundary, FaultInjector faults) {
        this.expander = expander;
        this.spool = spool;
        this.events = events;
        this.boundary = boundary;
        this.faults = faults;
        this.maildir = new MaildirAgent(maildirRoot,
                new MaildirNames(ProcessHandle.current().pid(), hostname));
        this.coordinator = Executors.newFixedThreadPool(2, named("queue-manager"));
        this.deliveries = Executors.newFixedThreadPool(threads, named("delivery"));
    }

    /** Hands a durably queued message over; returns at once. */
    public void submit(QueuedMessage message) {
        inFlight.incrementAndGet();
        coordinator.execute(() -> {
            AtomicBoolean handedOn = new AtomicBoolean();
            Event context = Event.of(EventId.EXCEPTION).with("queueId", message.queueId()).with("stage", "expansion");
            boundary.guard(Boundary.Scope.MESSAGE, context, () -> {
                process(message, handedOn);
                return null;
            }, fault -> null);
            if (!handedOn.get()) {
                // The message boundary caught a fault before the deliveries were started: the
                // message stays in the spool for the next start.
                inFlight.decrementAndGet();
            }
        });
    }

    /** Messages handed over and not yet finished. */
    public int inFlight() {
        return inFlight.get();
    }

    private void process(QueuedMessage message, AtomicBoolean handedOn) {
        long start = System.nanoTime();
        String queueId = message.queueId();
        Expansion expansion = expander.expand(queueId, message.envelope().recipients());
        for (Expansion.ListSummary list : expansion.lists()) {
            events.emit(Event.of(EventId.LIST_EXPANDED).with("queueId", queueId).with("list", list.list())
                    .with("members", list.members()).with("recipients", list.delivered())
                    .with("isolated", list.isolated()));
        }
        for (Expansion.Isolated isolated : expansion.isolated()) {
            events.emit(Event.of(EventId.RECIPIENT_NOT_DELIVERED).with("queueId", queueId)
                    .with("recipient", isolated.recipient()).with("list", isolated.list().orElse(null))
                    .with("status", isolated.status().toString()).with("reason", isolated.reason())
                    .with("stage", "expansion"));
        }
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        for (Expansion.Target target : expansion.targets()) {
            outcomes.add(CompletableFuture.supplyAsync(() -> deliver(message, target), deliveries));
        }
        handedOn.set(true);
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).whenComplete((ignored, fault) -> {
            try {
                finish(message, outcomes, expansion.isolated().size(), start);
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    private Outcome deliver(QueuedMessage message, Expansion.Target target) {
        String recipient = target.mailbox().address();
        Event context = Event.of(EventId.EXCEPTION).with("queueId", message.queueId()).with("recipient", recipient)
                .with("list", target.list().orElse(null)).with("stage", "delivery");
        Outcome outcome = boundary.guard(Boundary.Scope.RECIPIENT, context, () -> {
            faults.check(FaultInjector.Stage.DELIVERY, recipient);
            return switch (target.route()) {
                case LOCAL -> maildir.deliver(message, target.mailbox());
                case RELAY -> new Outcome.Failed(target.mailbox(), Status.NO_ROUTE, "no relay host");
            };
        }, fault -> new Outcome.Failed(target.mailbox(), Status.SYSTEM_ERROR,
                "unexpected fault during delivery: " + fault.getClass().getSimpleName()));
        report(message.queueId(), target, outcome);
        return outcome;
    }

    private void report(String queueId, Expansion.Target target, Outcome outcome) {
        String list = target.list().orElse(null);
        String recipient = target.mailbox().address();
        if (outcome instanceof Outcome.Delivered delivered) {
            events.emit(Event.of(EventId.DELIVERED).with("queueId", queueId).with("recipient", recipient)
                    .with("list", list).with("status", Status.OK.toString()).with("file", delivered.where()));
        } else if (outcome instanceof Outcome.Deferred deferred) {
            events.emit(Event.of(EventId.DELIVERY_DEFERRED).with("queueId", queueId).with("recipient", recipient)
                    .with("list", list).with("status", deferred.status().toString()).with("reason", deferred.reason()));
        } else if (outcome instanceof Outcome.Failed failed) {
            events.emit(Event.of(EventId.RECIPIENT_NOT_DELIVERED).with("queueId", queueId)
                    .with("recipient", recipient).with("list", list).with("status", failed.status().toString())
                    .with("reason", failed.reason()).with("stage", "delivery"));
        } else {
            throw new AssertionError(outcome);
        }
    }

    private void finish(QueuedMessage message, List<CompletableFuture<Outcome>> outcomes, int isolated, long start) {
        int delivered = 0;
        int deferred = 0;
        int failed = 0;
        for (CompletableFuture<Outcome> future : outcomes) {
            Outcome outcome = future.isCompletedExceptionally() ? null : future.getNow(null);
            if (outcome == null) {
                // Only an Error gets past the recipient boundary; make it a 9001, not a silent loss.
                future.exceptionally(thrown -> {
                    boundary.report(Boundary.Scope.MESSAGE,
                            Event.of(EventId.EXCEPTION).with("queueId", message.queueId()), thrown);
                    return null;
                });
            }
            if (outcome instanceof Outcome.Delivered) {
                delivered++;
            } else if (outcome instanceof Outcome.Deferred) {
                deferred++;
            } else {
                failed++;
            }
        }
        events.emit(Event.of(EventId.MESSAGE_COMPLETED).with("queueId", message.queueId())
                .with("delivered", delivered).with("deferred", deferred).with("failed", failed)
                .with("isolated", isolated)
                .with("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
        if (deferred == 0) {
            try {
                spool.remove(message);
            } catch (IOException e) {
                // Left in the spool: delivered again at the next start (at least once, never lost).
                events.emit(Event.of(EventId.DELIVERY_DEFERRED).with("queueId", message.queueId())
                        .with("reason", "cannot remove the queue file: " + e.getMessage()));
            }
        }
    }

    /** Stops taking work, lets what is running finish for up to {@code grace}, then stops. */
    public void close(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        coordinator.shutdownNow();
        deliveries.shutdownNow();
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
