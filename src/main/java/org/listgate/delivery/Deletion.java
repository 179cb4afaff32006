package org.listgate.delivery;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.spool.Journal;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.RecipientState;
import org.listgate.spool.Spool;

/**
 * Deletes a message from a spool that no server is running on ({@code listgate queue delete}
 * holding {@code spool.dir/lock}), with the outcome the {@link Dispatcher} gives a deletion while
 * it runs: every unfinished recipient fails with 5.0.0 "deleted from the queue by the
 * administrator" (one 4037 each, stage delivery), the failed recipients not yet reported on are
 * reported (one {@link Bouncer} report per destination, queued in the spool and so delivered at
 * the next start) unless the deletion is silent, the message files go, and event 2008 says so.
 *
 * <p>A message whose expansion was never recorded is deleted as its envelope stands: its RCPTs
 * (a list as itself, not its members) are the recipients that fail and are reported on.
 *
 * <p>Crash safety: the failures (and that they were reported) are in the journal, forced, before
 * the files are removed; a crash in between leaves a message whose every recipient is final,
 * which the next start finishes without delivering it.
 *
 * <p>DIAGNOSTICS: a report that cannot be written is {@link Bouncer.Partial}: the message is then
 * kept, its recipients failed and not reported, and the next start reports on them and removes
 * it (a report queued before the failure may then be sent twice; none is lost).
 */
public final class Deletion {

    private Deletion() {}

    /** Recipients the deletion failed, and the reports it queued. */
    public record Result(int failed, List<QueuedMessage> reports) {}

    /** Deletes {@code stored}; reports on it through {@code bouncer} when present. */
    public static Result delete(Spool spool, Spool.Stored stored, Optional<Bouncer> bouncer, EventLog events)
            throws IOException, Bouncer.Partial {
        QueuedMessage message = stored.message();
        List<RecipientState> recipients = stored.recipientsOrRcpts();
        Journal journal = stored.recipients().isPresent() ? spool.journal(message)
                : spool.createJournal(message, recipients);
        List<QueuedMessage> reports = List.of();
        int failed = 0;
        try (journal) {
            Instant now = Instant.now();
            for (RecipientState recipient : recipients) {
                if (!recipient.state().isFinal()) {
                    failed++;
                    recipient.failed(Optional.of(now), Dispatcher.ADMINISTRATIVE, Dispatcher.DELETED);
                    events.emit(Dispatcher.failedAtDelivery(message.queueId(), recipient));
                    journal.failed(recipient);
                }
            }
            journal.sync();
            if (bouncer.isPresent()) {
                List<RecipientState> due = new ArrayList<>();
                for (RecipientState recipient : recipients) {
                    if (recipient.state() == RecipientState.State.FAILED && !recipient.reported()) {
                        due.add(recipient);
                    }
                }
                reports = bouncer.get().report(message, due, DeliveryReport.Action.FAILED, null);
                due.forEach(RecipientState::markReported);
                if (!due.isEmpty()) {
                    journal.reported(due);
                    journal.sync();
                }
            }
        }
        spool.remove(message);
        events.emit(Event.of(EventId.MESSAGE_DELETED).with("queueId", message.queueId())
                .with("recipients", failed).with("reported", bouncer.isPresent()));
        return new Result(failed, reports);
    }
}
