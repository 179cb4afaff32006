package org.listgate.events;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.HashSet;
import java.util.Set;

/**
 * A Logback filter that keeps chosen event ids off an appender: config/logback.xml uses it so that
 * the console does not print one block per delivered copy (2003) of a 10,000-member list, while the
 * event log file keeps every event. {@code <deny>2003</deny>}, repeatable.
 */
public final class EventIdFilter extends Filter<ILoggingEvent> {

    private final Set<Integer> denied = new HashSet<>();

    public void addDeny(String id) {
        denied.add(Integer.parseInt(id.trim()));
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        Object[] arguments = event.getArgumentArray();
        if (arguments != null
                && arguments.length > 0
                && arguments[0] instanceof Event logged
                && denied.contains(logged.id().number())) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
