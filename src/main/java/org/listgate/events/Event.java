package org.listgate.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One numbered event: its id, when it happened, and the fields that apply (queueId, recipient,
 * list, status, reason, stage, ...), in the order they were added.
 *
 * <p>Build with {@code Event.of(EventId.DELIVERED).with("queueId", id).with("recipient", rcpt)}. A
 * field whose value is null is left out.
 */
public final class Event {

    /** Field names that many events share (see DESIGN.md, "Events"). */
    public static final String QUEUE_ID = "queueId";

    public static final String RECIPIENT = "recipient";
    public static final String LIST = "list";
    public static final String STATUS = "status";
    public static final String REASON = "reason";
    public static final String STAGE = "stage";

    /** The name of the gateway that logged it ({@code smtp.hostname}): written after source. */
    public static final String GATEWAY = "gateway";

    private final EventId id;
    private final Instant time;
    private final Map<String, Object> fields;

    private Event(EventId id, Instant time, Map<String, Object> fields) {
        this.id = id;
        this.time = time;
        this.fields = fields;
    }

    public static Event of(EventId id) {
        return new Event(id, Instant.now(), new LinkedHashMap<>());
    }

    /** An event about one queued message: its {@code queueId} is the first field. */
    public static Event about(EventId id, String queueId) {
        return of(id).with(QUEUE_ID, queueId);
    }

    /** A copy with one more field; values are strings, numbers or booleans. */
    public Event with(String name, Object value) {
        if (value == null) {
            return this;
        }
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.put(
                name,
                value instanceof Number || value instanceof Boolean ? value : value.toString());
        return new Event(id, time, copy);
    }

    /** A copy that happened at {@code time} instead (replayed events, tests). */
    public Event at(Instant time) {
        return new Event(id, java.util.Objects.requireNonNull(time, "time"), fields);
    }

    public EventId id() {
        return id;
    }

    public Instant time() {
        return time;
    }

    public Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }

    /** The event as one JSON Lines record (without the line end). */
    @Override
    public String toString() {
        return EventJson.write(this);
    }
}
