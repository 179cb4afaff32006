package org.listgate.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.listgate.directory.DirectoryUnavailable;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.events.Fates;
import org.listgate.expansion.Expander;
import org.listgate.expansion.Expansion;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.RecipientState;

/**
 * A queued message's recipients, from its expansion: the targets, then the members isolated at
 * expansion, each with its index. Says so in the event log: 2002 per list expanded, 4037 (stage
 * {@code expansion}) per isolated member.
 *
 * <p>The expansion is told which lists the message has been through already: the {@code
 * Delivered-To} fields of its spooled header section (read at most {@code limits.maxHeaderBytes}),
 * read at each expansion so that a restart finds them too. A queue file that cannot be read is a
 * fault (an unchecked exception): the caller's message boundary keeps the message in the spool.
 */
final class Intake {

    private final Expander expander;
    private final EventLog events;
    private final int maxHeaderBytes;

    Intake(Expander expander, EventLog events, int maxHeaderBytes) {
        this.expander = expander;
        this.events = events;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    List<RecipientState> expand(QueuedMessage message) throws DirectoryUnavailable {
        String queueId = message.queueId();
        Expansion expansion =
                expander.expand(queueId, message.envelope().recipients(), deliveredTo(message));
        for (Expansion.ListSummary list : expansion.lists()) {
            events.emit(
                    Event.about(EventId.LIST_EXPANDED, queueId)
                            .with(Event.LIST, list.list())
                            .with("members", list.members())
                            .with("recipients", list.delivered())
                            .with("isolated", list.isolated()));
        }
        List<RecipientState> recipients = new ArrayList<>();
        for (Expansion.Target target : expansion.targets()) {
            recipients.add(
                    RecipientState.target(
                            recipients.size(), target.mailbox(), target.route(), target.lists()));
        }
        for (Expansion.Isolated isolated : expansion.isolated()) {
            events.emit(
                    Fates.notDelivered(
                            queueId,
                            isolated.recipient(),
                            isolated.list(),
                            isolated.status().toString(),
                            isolated.reason(),
                            "expansion"));
            recipients.add(
                    RecipientState.isolated(
                            recipients.size(),
                            isolated.recipient(),
                            isolated.list(),
                            isolated.status(),
                            isolated.reason()));
        }
        return recipients;
    }

    private Set<String> deliveredTo(QueuedMessage message) {
        try (InputStream content = message.openContent()) {
            return DeliveredTo.read(content, maxHeaderBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
