package org.listgate.delivery;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.listgate.address.Status;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.events.Fates;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.RecipientState;
import org.listgate.spool.Recipients;
import org.listgate.spool.Spool;

/**
 * Deletes a message from a spool that no server is running on ({@code listgate queue delete}
 * holding {@code spool.dir/lock}), with the outcome the {@link QueueManager} gives a deletion while
 * it runs: every unfinished recipient fails with 5.0.0 "deleted from the queue by the
 * administrator" (one 4037 each, stage delivery), the failed recipients not yet reported on are
 * reported (one {@link Bouncer} report per destination, queued in the spool and so delivered at the
 * next start) unless the deletion is silent, the message files go, and event 2008 says so.
 *
 * <p>A message whose expansion was never recorded is deleted as its envelope stands: its RCPTs (a
 * list as itself, not its members) are the recipients that fail and are reported on.
 *
 * <p>Crash safety: the failures (and that they were reported) are in the journal, forced, before
 * the files are removed; a crash in between leaves a message whose every recipient is final, which
 * the next start finishes without delivering it.
 *
 * <p>DIAGNOSTICS: a report that cannot be written is {@link Bouncer.Partial}: the message is then
 * kept, its recipients failed and not reported, and the next start reports on them and removes it
 * (a report queued before the failure may then be sent twice; none is lost).
 */
public final class Deletion {

    private Deletion() {}

    /** Recipients the deletion failed, and the reports it queued. */
    public record Result(int failed, List<QueuedMessage> reports) {}

    /** RFC 3463 X.0.0 "other undefined status", permanent: what Postfix gives a deleted message. */
    static final Status ADMINISTRATIVE = new Status(5, 0, 0);

    /** The reason a deleted message's unfinished recipients fail with. */
    static final String DELETED = "deleted from the queue by the administrator";

    /** Deletes {@code stored}; reports on it through {@code bouncer} when present. */
    public static Result delete(
            Spool spool,
            Spool.Stored stored,
            Optional<Bouncer> bouncer,
            EventLog events,
            Clock clock)
            throws IOException, Bouncer.Partial {
        QueuedMessage message = stored.message();
        Recipients recipients =
                stored.recipients().isPresent()
                        ? stored.recipients().get()
                        : spool.createRecipients(message, stored.recipientsOrRcpts());
        List<QueuedMessage> reports = List.of();
        int failed = 0;
        try (recipients) {
            Instant now = clock.instant();
            for (RecipientState recipient : recipients.all()) {
                if (!recipient.state().isFinal()) {
                    failed++;
                    events.emit(
                            Fates.notDelivered(
                                    message.queueId(),
                                    recipient.address(),
                                    recipient.list(),
                                    ADMINISTRATIVE.toString(),
                                    DELETED,
                                    "delivery"));
                    recipients.failed(recipient, now, ADMINISTRATIVE, DELETED);
                }
            }
            recipients.sync();
            if (bouncer.isPresent()) {
                List<RecipientState> due = new ArrayList<>();
                for (RecipientState recipient : recipients.all()) {
                    if (recipient.state() == RecipientState.State.FAILED && !recipient.reported()) {
                        due.add(recipient);
                    }
                }
                reports = bouncer.get().report(message, due, DeliveryReport.Action.FAILED, null);
                if (!due.isEmpty()) {
                    recipients.reported(due);
                    recipients.sync();
                }
            }
        }
        spool.remove(message);
        events.emit(
                Event.about(EventId.MESSAGE_DELETED, message.queueId())
                        .with("recipients", failed)
                        .with("reported", bouncer.isPresent()));
        return new Result(failed, reports);
    }
}
