package org.listgate.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.address.Status;
import org.listgate.directory.Directory;
import org.listgate.directory.DirectoryUnavailable;
import org.listgate.directory.Entry;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.events.Text;
import org.listgate.spool.Envelope;
import org.listgate.spool.MessageWriter;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.RecipientState;
import org.listgate.spool.Spool;

/**
 * Tells the right person about recipients that will not get a message (or are late): one RFC 3464
 * report per message, batch and destination, queued in the spool with the null sender like any
 * other message. The destination:
 *
 * <ul>
 *   <li>a recipient the poster named at RCPT: the envelope sender;
 *   <li>a list member: the list's owner ({@code owner-<list>}, RFC 5321 §3.9) when the directory
 *       has one; else the envelope sender when it is one of ours — a local mailbox the directory
 *       knows as a user, or a client that authenticated; else the postmaster ({@code
 *       postmaster.address}, or {@code postmaster@<first domain>}).
 * </ul>
 *
 * <p>SECURITY: anyone can post to a list under any sender address. A report about a list's members
 * sent to an outside sender would go to whoever the poster forged, carrying the poster's header
 * section (backscatter); it goes to the postmaster instead, and event 2006 says why. An outside
 * sender still hears about the recipients it named itself.
 *
 * <p>A message with the null sender {@code <>} is never reported on: it is a report itself (or
 * asked for none), and reporting on reports is how mail loops start.
 */
public final class Bouncer {

    private final Spool spool;
    private final Directory directory;
    private final String hostname;
    private final Mailbox postmaster;
    private final EventLog events;

    /** {@code postmaster}: who hears about list members when neither owner nor sender may. */
    public Bouncer(
            Spool spool,
            Directory directory,
            String hostname,
            Mailbox postmaster,
            EventLog events) {
        this.spool = spool;
        this.directory = directory;
        this.hostname = hostname;
        this.postmaster = postmaster;
        this.events = events;
    }

    /**
     * Where a report goes; {@code redirected} says why, when it is the postmaster instead of the
     * sender.
     */
    record Destination(Mailbox to, Optional<String> redirected) {}

    /**
     * Queues the reports on {@code recipients} of {@code message}: failed ones when {@code action}
     * is FAILED, deferred ones (a delay warning, until {@code retryUntil}) when DELAYED. Returns
     * the reports queued, to be delivered like any message; throws when one could not be written
     * (the caller tries again later; reports already written are returned in the exception's place
     * by being queued first — see {@link Partial}).
     */
    public List<QueuedMessage> report(
            QueuedMessage message,
            List<RecipientState> recipients,
            DeliveryReport.Action action,
            Instant retryUntil)
            throws Partial {
        List<QueuedMessage> queued = new ArrayList<>();
        if (recipients.isEmpty()) {
            return queued;
        }
        Envelope envelope = message.envelope();
        if (envelope.sender().isEmpty()) {
            events.emit(
                    Event.about(EventId.REPORT_NOT_SENT, message.queueId())
                            .with("recipients", recipients.size())
                            .with("action", action.field()));
            return queued;
        }
        Map<Destination, List<RecipientState>> byDestination = new LinkedHashMap<>();
        for (RecipientState recipient : recipients) {
            // A list named at RCPT and isolated as a loop (5.4.6) is reported as a list's members
            // are: its Delivered-To field is as easily forged as the sender.
            Optional<String> list =
                    recipient.list().isPresent()
                                    || !Status.ROUTING_LOOP.equals(recipient.status().orElse(null))
                            ? recipient.list()
                            : Optional.of(recipient.address());
            Destination destination;
            try {
                destination = destination(envelope, list);
            } catch (DirectoryUnavailable e) {
                // Who is told depends on the directory: nothing is sent rather than sent amiss.
                throw new Partial(queued, e);
            }
            byDestination.computeIfAbsent(destination, to -> new ArrayList<>()).add(recipient);
        }
        Instant now = Instant.now();
        for (Map.Entry<Destination, List<RecipientState>> batch : byDestination.entrySet()) {
            try {
                queued.add(
                        queue(message, batch.getKey(), batch.getValue(), action, retryUntil, now));
            } catch (IOException e) {
                throw new Partial(queued, e);
            }
        }
        return queued;
    }

    /** Some reports could not be written: those that were are in {@link #queued()}. */
    public static final class Partial extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient List<QueuedMessage> queued;

        Partial(List<QueuedMessage> queued, IOException cause) {
            super(Text.problem(cause), cause);
            this.queued = List.copyOf(queued);
        }

        public List<QueuedMessage> queued() {
            return queued;
        }
    }

    /**
     * The sender for a recipient it named; for a member of {@code list}: owner-&lt;list&gt; when
     * the list has one in the directory, else the sender when it is local or authenticated, else
     * the postmaster. The envelope has a sender (null-sender messages are never reported on).
     */
    Destination destination(Envelope envelope, Optional<String> list) throws DirectoryUnavailable {
        Mailbox sender = envelope.sender().orElseThrow();
        if (list.isEmpty()) {
            return new Destination(sender, Optional.empty());
        }
        Optional<Mailbox> owner = owner(list.get());
        if (owner.isPresent()) {
            return new Destination(owner.get(), Optional.empty());
        }
        if (envelope.authenticated().isPresent() || isLocalUser(sender)) {
            return new Destination(sender, Optional.empty());
        }
        return new Destination(
                postmaster,
                Optional.of(
                        "the sender "
                                + sender.address()
                                + " is neither a local user nor authenticated, and "
                                + list.get()
                                + " has no owner: reported to the postmaster, not the sender"));
    }

    private Optional<Mailbox> owner(String list) throws DirectoryUnavailable {
        if (Addresses.parse(list) instanceof ParseResult.Valid valid) {
            try {
                Mailbox owner =
                        new Mailbox(
                                "owner-" + valid.mailbox().localPart(), valid.mailbox().domain());
                if (directory.lookup(owner).isPresent()) {
                    return Optional.of(owner);
                }
            } catch (IllegalArgumentException e) {
                // The list's name is too long to have an owner- address.
            }
        }
        return Optional.empty();
    }

    /**
     * A mailbox of ours: in a local domain, and a user (not a list, not unknown) in the directory.
     */
    private boolean isLocalUser(Mailbox sender) throws DirectoryUnavailable {
        return directory.isLocal(sender.domain())
                && directory.lookup(sender).orElse(null) instanceof Entry.User;
    }

    private QueuedMessage queue(
            QueuedMessage message,
            Destination destination,
            List<RecipientState> recipients,
            DeliveryReport.Action action,
            Instant retryUntil,
            Instant now)
            throws IOException {
        Mailbox to = destination.to();
        List<DeliveryReport.Entry> entries = new ArrayList<>();
        for (RecipientState recipient : recipients) {
            Status status =
                    recipient
                            .status()
                            .orElse(
                                    action == DeliveryReport.Action.FAILED
                                            ? Status.SYSTEM_ERROR
                                            : Status.SYSTEM_ERROR_TRANSIENT);
            entries.add(
                    new DeliveryReport.Entry(
                            recipient.address(),
                            recipient.list(),
                            action,
                            status,
                            recipient.reason().isEmpty()
                                    ? "no reason recorded"
                                    : recipient.reason(),
                            recipient.lastAttempt(),
                            action == DeliveryReport.Action.DELAYED
                                    ? Optional.ofNullable(retryUntil)
                                    : Optional.empty()));
        }
        byte[] report;
        try (InputStream original = message.openContent()) {
            report =
                    DeliveryReport.build(
                            hostname,
                            message.queueId(),
                            message.envelope().received(),
                            to.address(),
                            original,
                            entries,
                            now);
        }
        String queueId = spool.newQueueId();
        Envelope envelope =
                new Envelope(queueId, now, "127.0.0.1", hostname, Optional.empty(), List.of(to));
        QueuedMessage queued;
        try (MessageWriter writer = spool.begin(envelope)) {
            writer.content().write(report);
            queued = writer.commit();
        }
        events.emit(
                Event.about(EventId.REPORT_QUEUED, message.queueId())
                        .with("reportId", queueId)
                        .with("to", to.address())
                        .with("recipients", recipients.size())
                        .with("action", action.field())
                        .with("reason", destination.redirected().orElse(null)));
        return queued;
    }
}
