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
 * Date and time are in the zone given (the system's by default), as the Event Viewer showed
 * them; the JSON record keeps the UTC instant. Used by {@link ImsLayout} on the console and by
 * the {@code events} command, so both show the same thing.
 *
 * <p>Hostile input: field values come from SMTP clients. Control characters, Unicode format
 * characters (bidi overrides), line and paragraph separators and lone surrogates are shown as
 * {@code \\uXXXX} (CR, LF and TAB as {@code \\r \\n \\t}), so a value can neither break the
 * block nor drive the terminal.
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
            details.forEach((name, value) -> fields.append("  ")
                    .append(safe(name))
                    .append(": ")
                    .append(safe(String.valueOf(value))));
            out.append(fields).append(NL);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(label).append(safe(value)).append(NL);
    }

    /** The text with every character that could break a line or drive a terminal escaped. */
    public static String safe(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(text, i, c);
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String escape(String text, int i, char c) {
        switch (c) {
            case '\r' -> {
                return "\\r";
            }
            case '\n' -> {
                return "\\n";
            }
            case '\t' -> {
                return "\\t";
            }
            default -> {
                // not a named control character: the checks below decide
            }
        }
        if (Character.isHighSurrogate(c)) {
            boolean paired = i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            return paired ? null : unicode(c);
        }
        if (Character.isLowSurrogate(c)) {
            boolean paired = i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
            return paired ? null : unicode(c);
        }
        int kind = Character.getType(c);
        boolean unsafe = Character.isISOControl(c)
                || kind == Character.FORMAT
                || kind == Character.LINE_SEPARATOR
                || kind == Character.PARAGRAPH_SEPARATOR;
        return unsafe ? unicode(c) : null;
    }

    private static String unicode(char c) {
        return String.format("\\u%04X", (int) c);
    }
}
