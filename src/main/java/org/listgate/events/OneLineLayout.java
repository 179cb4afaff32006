package org.listgate.events;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The console layout for the journal (config/logback.xml, {@code listgate.console=line}): exactly
 * one line per logging event, since journald makes every line an entry of its own. An {@link Event}
 * is shown as
 *
 * <pre>
 * 2026-11-24T19:05:01.123Z 4037 Warning An exception has occurred ... queueId=0000017F recipient=bad@x status=5.1.1 reason="unknown user"
 * </pre>
 *
 * time (the event's UTC instant, as in the JSON record), id, type, the fixed text, then each field
 * as {@code name=value}. Anything else is {@code time LEVEL logger - msg}, with a stack trace, if
 * any, folded onto the same line.
 *
 * <p>Hostile input: names and values are {@link Text#escaped} after each backslash is doubled, so
 * CR, LF and the other characters that could forge a line or drive a terminal are shown as escapes
 * ({@code \r}) that no value can imitate ({@code \\r}); a value that is empty or holds a space or a
 * quote is quoted ({@code "..."}, a quote inside as {@code \"}), so the fields still split at
 * spaces.
 */
public final class OneLineLayout extends LayoutBase<ILoggingEvent> {

    /** Always three digits of milliseconds, so the lines stay aligned. */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Override
    public String doLayout(ILoggingEvent logged) {
        Object[] arguments = logged.getArgumentArray();
        if (arguments != null && arguments.length > 0 && arguments[0] instanceof Event event) {
            return time(event.time()) + ' ' + describe(event, true) + CoreConstants.LINE_SEPARATOR;
        }
        StringBuilder out =
                new StringBuilder(128)
                        .append(time(Instant.ofEpochMilli(logged.getTimeStamp())))
                        .append(' ')
                        .append(logged.getLevel())
                        .append(' ')
                        .append(logged.getLoggerName())
                        .append(" - ")
                        .append(Text.escaped(String.valueOf(logged.getFormattedMessage())));
        IThrowableProxy thrown = logged.getThrowableProxy();
        if (thrown != null) {
            out.append(' ').append(Text.escaped(ThrowableProxyUtil.asString(thrown)));
        }
        return out.append(CoreConstants.LINE_SEPARATOR).toString();
    }

    /**
     * {@code id type [text] name=value ...} without the time: the console line after its time, and
     * the message of a syslog record ({@link EventLineConverter}), whose header has a time of its
     * own.
     */
    static String describe(Event event, boolean withText) {
        StringBuilder out =
                new StringBuilder(256)
                        .append(event.id().number())
                        .append(' ')
                        .append(event.id().type().label());
        if (withText) {
            out.append(' ').append(event.id().text());
        }
        for (Map.Entry<String, Object> field : event.fields().entrySet()) {
            out.append(' ')
                    .append(value(field.getKey()))
                    .append('=')
                    .append(value(String.valueOf(field.getValue())));
        }
        return out.toString();
    }

    private static String time(Instant instant) {
        return TIME.format(instant);
    }

    private static String value(String raw) {
        String text = Text.escaped(raw.replace("\\", "\\\\"));
        boolean plain = !text.isEmpty() && text.chars().noneMatch(c -> c == ' ' || c == '"');
        return plain ? text : '"' + text.replace("\"", "\\\"") + '"';
    }
}
