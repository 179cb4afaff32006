package org.listgate.events;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * An event as a person reads it: the way the Windows event log showed Exchange's Internet Mail
 * Service events (KB Q166570), one block per event.
 *
 * <pre>
 * Event Type: Warning
 * Event Source: listgate
 * Event Category: Isolation
 * Event ID: 4037
 * Date: 2026-11-24
 * Time: 19:05:01
 * Description:
 * An exception has occurred which was handled internally. This may have resulted in a message not being delivered.
 *   queueId: 0000017F  recipient: bad@x  status: 5.1.1  reason: unknown user  stage: expansion
 * </pre>
 *
 * Date and time are in the zone given (the system's by default), as the Event Viewer showed them;
 * the JSON record keeps the UTC instant. Used by {@link ImsLayout} on the console and by the {@code
 * events} command, so both show the same thing.
 *
 * <p>Hostile input: field values come from SMTP clients. Each label and value is {@link
 * Text#escaped}: control characters, Unicode format characters (bidi overrides), line and paragraph
 * separators and lone surrogates are shown as {@code \\uXXXX} (CR, LF and TAB as {@code \\r \\n
 * \\t}), so a value can neither break the block nor drive the terminal.
 */
public final class ImsRendering {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String NL = System.lineSeparator();

    private ImsRendering() {}

    /** The block for one event, lines separated and ended by the line separator. */
    public static String render(LoggedEvent event) {
        return render(event, ZoneId.systemDefault());
    }

    public static String render(Event event) {
        return render(LoggedEvent.of(event), ZoneId.systemDefault());
    }

    public static String render(LoggedEvent event, ZoneId zone) {
        StringBuilder out = new StringBuilder(512);
        Optional<Instant> time = event.time();
        String category = EventId.byNumber(event.id()).map(EventId::category).orElse("None");
        line(out, "Event Type: ", event.type());
        line(out, "Event Source: ", event.source());
        line(out, "Event Category: ", category);
        line(out, "Event ID: ", Integer.toString(event.id()));
        line(out, "Date: ", time.map(t -> DATE.format(t.atZone(zone))).orElse("-"));
        line(out, "Time: ", time.map(t -> TIME.format(t.atZone(zone))).orElse("-"));
        line(out, "Description:", "");
        line(out, "", event.message());
        Map<String, Object> details = event.details();
        if (!details.isEmpty()) {
            StringBuilder fields = new StringBuilder();
            details.forEach(
                    (name, value) ->
                            fields.append("  ")
                                    .append(Text.escaped(name))
                                    .append(": ")
                                    .append(Text.escaped(String.valueOf(value))));
            out.append(fields).append(NL);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(label).append(Text.escaped(value)).append(NL);
    }
}
