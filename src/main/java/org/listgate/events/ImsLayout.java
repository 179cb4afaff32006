package org.listgate.events;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The console layout (config/logback.xml). A logging event whose first argument is an {@link Event}
 * (what {@link EventLog} logs) is shown as an IMS event block followed by a blank line; anything
 * else as one plain line, {@code HH:mm:ss.SSS LEVEL logger - msg}, then the stack trace if there is
 * one.
 *
 * <p>Plain messages are escaped like event fields: libraries log what SMTP clients send, and a CR
 * or ESC in it must not forge a line or drive the terminal.
 */
public final class ImsLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Override
    public String doLayout(ILoggingEvent logged) {
        Object[] arguments = logged.getArgumentArray();
        if (arguments != null && arguments.length > 0 && arguments[0] instanceof Event) {
            return ImsRendering.render((Event) arguments[0]) + CoreConstants.LINE_SEPARATOR;
        }
        StringBuilder out =
                new StringBuilder(128)
                        .append(
                                CLOCK.format(
                                        Instant.ofEpochMilli(logged.getTimeStamp())
                                                .atZone(ZoneId.systemDefault())))
                        .append(' ')
                        .append(logged.getLevel())
                        .append(' ')
                        .append(logged.getLoggerName())
                        .append(" - ")
                        .append(Text.escaped(String.valueOf(logged.getFormattedMessage())))
                        .append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = logged.getThrowableProxy();
        if (thrown != null) {
            out.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return out.toString();
    }
}
