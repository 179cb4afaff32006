package org.listgate.events;

import java.util.Optional;

/**
 * Events one a line, in aligned columns, for a terminal: the default rendering of {@code listgate
 * events}.
 *
 * <pre>
 * time                     id   type         queueId          recipient                         status  reason
 * 2026-11-24T19:05:00.123Z 4037 Warning      0192A3F00000001  ghost@example.org                 5.1.1   unknown user
 * </pre>
 *
 * The columns have fixed widths so that the table can be printed as it is read (a million lines, or
 * {@code --follow}) without first measuring every value; a longer value is cut with {@code ...}
 * ({@link Text#cut}). {@code recipient} shows the report's {@code to} for a 2006 and the {@code
 * sender} for a 2001; {@code reason} falls back on the event's message, so that every line says
 * something. Every value is {@link Text#escaped} first, so a client's text cannot break the line or
 * drive the terminal. The time is the record's own, in UTC.
 */
public final class EventTable {

    private static final int TIME = 24;
    private static final int ID = 4;
    private static final int TYPE = 11;

    /** A queue id: 15 hex digits and a gateway id of up to 4. */
    private static final int QUEUE = 19;

    private static final int RECIPIENT = 32;
    private static final int STATUS = 6;
    private static final int REASON = 72;

    private EventTable() {}

    /** The first line: the column names. */
    public static String header() {
        return row("time", "id", "type", "queueId", "recipient", "status", "reason");
    }

    /** One line, without its line end. */
    public static String row(LoggedEvent event) {
        return row(
                field(event, "time").orElse("-"),
                Integer.toString(event.id()),
                event.type(),
                field(event, Event.QUEUE_ID).orElse("-"),
                field(event, Event.RECIPIENT)
                        .or(() -> field(event, "to"))
                        .or(() -> field(event, "sender"))
                        .orElse("-"),
                field(event, Event.STATUS).orElse("-"),
                field(event, Event.REASON).orElse(event.message()));
    }

    private static String row(
            String time,
            String id,
            String type,
            String queue,
            String recipient,
            String status,
            String reason) {
        StringBuilder line = new StringBuilder(200);
        column(line, time, TIME);
        column(line, id, ID);
        column(line, type, TYPE);
        column(line, queue, QUEUE);
        column(line, recipient, RECIPIENT);
        column(line, status, STATUS);
        line.append(fit(reason, REASON));
        return line.toString().stripTrailing();
    }

    private static void column(StringBuilder line, String value, int width) {
        String shown = fit(value, width);
        line.append(shown);
        line.append(" ".repeat(Math.max(0, width - shown.length()) + 1));
    }

    /** Escaped, then cut so that it takes at most {@code width} characters, its "..." included. */
    static String fit(String value, int width) {
        String escaped = Text.escaped(value);
        return escaped.length() <= width ? escaped : Text.cut(escaped, width - 3);
    }

    static Optional<String> field(LoggedEvent event, String name) {
        Object value = event.fields().get(name);
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }
}
