package org.listgate.events;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The Logback conversion word {@code %event} (config/logback.xml, the syslog appender): an {@link
 * Event} as {@code id type name=value ...} on one line ({@link OneLineLayout#describe}), without
 * time or text, since a syslog record has a time of its own and rules match on the id. Any other
 * logging event is its message, escaped to one line.
 *
 * <p>SECURITY: no CR or LF survives, so a field from an SMTP client cannot forge a second syslog
 * record.
 */
public final class EventLineConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent logged) {
        Object[] arguments = logged.getArgumentArray();
        if (arguments != null && arguments.length > 0 && arguments[0] instanceof Event event) {
            return OneLineLayout.describe(event, false);
        }
        return Text.escaped(String.valueOf(logged.getFormattedMessage()));
    }
}
