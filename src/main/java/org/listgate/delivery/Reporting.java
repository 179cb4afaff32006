package org.listgate.delivery;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.RecipientState;
import org.listgate.spool.Recipients;

/**
 * The reports a message owes after a round: one on the recipients that failed and have not been
 * reported on, and, once the message is older than {@code queue.delayWarning} (zero: never), one on
 * the deferred recipients whose sender has not been warned yet. {@link Bouncer} writes each (one
 * report per destination); the recipients are then marked in their journal.
 *
 * <p>DIAGNOSTICS: a report that cannot be written ({@link Bouncer.Partial}: a full disk) is event
 * 3010 and is tried again after the next round; the reports already written go (a duplicate report
 * is possible, a lost one is not).
 */
final class Reporting {

    private final Bouncer bouncer;
    private final EventLog events;
    private final Clock clock;
    private final Duration maxLifetime;
    private final Duration delayWarning;

    Reporting(
            Bouncer bouncer,
            EventLog events,
            Clock clock,
            Duration maxLifetime,
            Duration delayWarning) {
        this.bouncer = bouncer;
        this.events = events;
        this.clock = clock;
        this.maxLifetime = maxLifetime;
        this.delayWarning = delayWarning;
    }

    /**
     * Queues the reports {@code message} owes into {@code reports}; returns false when one could
     * not be written and is still owed.
     */
    boolean reportDue(
            QueuedMessage message,
            Recipients recipients,
            List<QueuedMessage> reports,
            Consumer<IOException> notSaved) {
        boolean written =
                report(message, recipients, DeliveryReport.Action.FAILED, reports, notSaved);
        Instant warnAfter = message.envelope().received().plus(delayWarning);
        if (delayWarning.compareTo(Duration.ZERO) > 0 && !clock.instant().isBefore(warnAfter)) {
            written &=
                    report(message, recipients, DeliveryReport.Action.DELAYED, reports, notSaved);
        }
        return written;
    }

    private boolean report(
            QueuedMessage message,
            Recipients recipients,
            DeliveryReport.Action action,
            List<QueuedMessage> reports,
            Consumer<IOException> notSaved) {
        boolean failures = action == DeliveryReport.Action.FAILED;
        List<RecipientState> due = new ArrayList<>();
        for (RecipientState recipient : recipients.all()) {
            boolean owed =
                    failures
                            ? recipient.state() == RecipientState.State.FAILED
                                    && !recipient.reported()
                            : recipient.state() == RecipientState.State.DEFERRED
                                    && !recipient.warned();
            if (owed) {
                due.add(recipient);
            }
        }
        if (due.isEmpty()) {
            return true;
        }
        try {
            reports.addAll(
                    bouncer.report(
                            message, due, action, message.envelope().received().plus(maxLifetime)));
        } catch (Bouncer.Partial e) {
            reports.addAll(e.queued());
            events.emit(
                    Event.about(EventId.REPORT_DEFERRED, message.queueId())
                            .with(Event.REASON, String.valueOf(e.getMessage())));
            return false;
        }
        try {
            if (failures) {
                recipients.reported(due);
            } else {
                recipients.warned(due);
            }
        } catch (IOException e) {
            notSaved.accept(e);
        }
        return true;
    }
}
