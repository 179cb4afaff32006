package org.listgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class ImsLayoutTest {

    private final LoggerContext context = new LoggerContext();
    private final ImsLayout layout = new ImsLayout();

    @Test
    void rendersALoggedEventAsAnImsBlockFollowedByABlankLine() {
        Event event = Event.of(EventId.RECIPIENT_NOT_DELIVERED).with("recipient", "bad@x");

        String shown = layout.doLayout(logged(EventLog.LOGGER_NAME, Level.WARN, "{}", event));

        assertThat(shown).isEqualTo(ImsRendering.render(event) + System.lineSeparator());
        assertThat(shown)
                .contains(
                        "Event ID: 4037",
                        "Source: listgate",
                        EventId.RECIPIENT_NOT_DELIVERED.text());
    }

    @Test
    void rendersAnyOtherLoggingEventAsOnePlainLine() {
        String shown =
                layout.doLayout(
                        logged(
                                "org.subethamail.smtp",
                                Level.WARN,
                                "client said {}",
                                "QUIT\r\nforged"));

        assertThat(shown)
                .matches(
                        "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN org\\.subethamail\\.smtp - client said QUIT\\\\r\\\\nforged"
                                + System.lineSeparator());
    }

    private LoggingEvent logged(String logger, Level level, String message, Object argument) {
        return new LoggingEvent(
                getClass().getName(),
                context.getLogger(logger),
                level,
                message,
                null,
                new Object[] {argument});
    }
}
