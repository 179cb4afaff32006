package org.listgate.events;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of the event log as it was read back: the raw line and its fields in file order.
 *
 * <p>A line is an event when it is one JSON object with an integral {@code id}; anything else
 * (garbage, a torn last line, a JSON array) is not, and {@link #parse} returns empty.
 *
 * @param line the record exactly as written, without the line end
 * @param fields every key of the record in order, {@code time} and {@code id} included
 */
public record LoggedEvent(String line, Map<String, Object> fields) {

    public LoggedEvent {
        Objects.requireNonNull(line, "line");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        if (number(fields.get("id")).isEmpty()) {
            throw new IllegalArgumentException("an event record needs an integral id: " + line);
        }
    }

    /** The record of one line of the event log, or empty if the line is not one. */
    public static Optional<LoggedEvent> parse(String line) {
        return EventJson.read(line)
                .filter(fields -> number(fields.get("id")).isPresent())
                .map(fields -> new LoggedEvent(line, fields));
    }

    /** The record an event is written as, without the round trip through text. */
    public static LoggedEvent of(Event event) {
        return new LoggedEvent(EventJson.write(event), EventJson.toMap(event));
    }

    public int id() {
        return number(fields.get("id")).orElseThrow();
    }

    /** "Error", "Warning" or "Information"; the catalogue's label if the record lacks one. */
    public String type() {
        return text("type")
                .or(() -> EventId.byNumber(id()).map(known -> known.type().label()))
                .orElse("");
    }

    public String message() {
        return text("message").orElse("");
    }

    public String source() {
        return text("source").orElse("");
    }

    /** Empty if the record has no time or one that is not an ISO-8601 instant. */
    public Optional<Instant> time() {
        try {
            return text("time").map(Instant::parse);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The fields after the five every record has: queueId, recipient, status, reason, ... */
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>(fields);
        details.keySet().removeAll(EventJson.FIXED_KEYS);
        return Collections.unmodifiableMap(details);
    }

    private Optional<String> text(String key) {
        Object value = fields.get(key);
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }

    private static Optional<Integer> number(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            long n = ((Number) value).longValue();
            if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                return Optional.of((int) n);
            }
        }
        return Optional.empty();
    }
}
