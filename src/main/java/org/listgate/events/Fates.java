package org.listgate.events;

import java.time.Instant;
import java.util.Optional;

/**
 * The events that tell one recipient's fate, built in one place so that each carries the same
 * fields wherever it is raised: delivered (2003), deferred (3004), retried (2007), not delivered
 * (4037, exactly one per recipient that will not get the message), and the context of a fault
 * caught while handling a recipient or a message (9001).
 *
 * <p>{@code status} is an RFC 3463 enhanced status code as text ({@code 5.1.1}); {@code list} is
 * the list the recipient came through, if any; {@code stage} is where its fate was decided: {@code
 * rcpt}, {@code expansion} or {@code delivery}.
 */
public final class Fates {

    private Fates() {}

    /** 4037: the recipient will not get the message. */
    public static Event notDelivered(
            String queueId,
            String recipient,
            Optional<String> list,
            String status,
            String reason,
            String stage) {
        return Event.about(EventId.RECIPIENT_NOT_DELIVERED, queueId)
                .with(Event.RECIPIENT, recipient)
                .with(Event.LIST, list.orElse(null))
                .with(Event.STATUS, status)
                .with(Event.REASON, reason)
                .with(Event.STAGE, stage);
    }

    /**
     * 2003: delivered, to {@code where} (a Maildir file, or the smarthost's reply), by {@code
     * route} ({@code local} or {@code relay}), {@code millis} after the message was accepted.
     */
    public static Event delivered(
            String queueId,
            String recipient,
            Optional<String> list,
            String where,
            String route,
            long millis) {
        return Event.about(EventId.DELIVERED, queueId)
                .with(Event.RECIPIENT, recipient)
                .with(Event.LIST, list.orElse(null))
                .with(Event.STATUS, "2.0.0")
                .with("file", where)
                .with("route", route)
                .with("millis", millis);
    }

    /** 3004: deferred after attempt {@code attempt}, to be tried again at {@code retryAt}. */
    public static Event deferred(
            String queueId,
            String recipient,
            Optional<String> list,
            String status,
            String reason,
            int attempt,
            Instant retryAt) {
        return Event.about(EventId.DELIVERY_DEFERRED, queueId)
                .with(Event.RECIPIENT, recipient)
                .with(Event.LIST, list.orElse(null))
                .with(Event.STATUS, status)
                .with(Event.REASON, reason)
                .with("attempt", attempt)
                .with("retryAt", retryAt.toString());
    }

    /** 2007: a deferred recipient is tried again, for the {@code attempt}-th time. */
    public static Event retried(
            String queueId, String recipient, Optional<String> list, int attempt) {
        return Event.about(EventId.DELIVERY_RETRIED, queueId)
                .with(Event.RECIPIENT, recipient)
                .with(Event.LIST, list.orElse(null))
                .with("attempt", attempt);
    }

    /** The context of a 9001 caught while handling one recipient of a message at {@code stage}. */
    public static Event faultAt(
            String queueId, String recipient, Optional<String> list, String stage) {
        return Event.about(EventId.EXCEPTION, queueId)
                .with(Event.RECIPIENT, recipient)
                .with(Event.LIST, list.orElse(null))
                .with(Event.STAGE, stage);
    }

    /** The context of a 9001 caught while handling a whole message at {@code stage}. */
    public static Event faultAt(String queueId, String stage) {
        return Event.about(EventId.EXCEPTION, queueId).with(Event.STAGE, stage);
    }
}
