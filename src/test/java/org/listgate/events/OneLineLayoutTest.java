package org.listgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OneLineLayoutTest {

    private static final String NL = System.lineSeparator();

    private final LoggerContext context = new LoggerContext();
    private final OneLineLayout layout = new OneLineLayout();

    @Test
    void rendersAnEventAsTimeIdTypeTextAndItsFieldsOnOneLine() {
        Event event =
                Event.about(EventId.RECIPIENT_NOT_DELIVERED, "0000017F")
                        .with(Event.RECIPIENT, "bad@x")
                        .with(Event.STATUS, "5.1.1")
                        .with(Event.REASON, "unknown user")
                        .at(Instant.parse("2026-11-24T19:05:01.123456Z"));

        String shown = layout.doLayout(logged(EventLog.LOGGER_NAME, Level.WARN, "{}", event));

        assertThat(shown)
                .isEqualTo(
                        "2026-11-24T19:05:01.123Z 4037 Warning "
                                + EventId.RECIPIENT_NOT_DELIVERED.text()
                                + " queueId=0000017F recipient=bad@x status=5.1.1"
                                + " reason=\"unknown user\""
                                + NL);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "plain           | bad@x                   | bad@x",
                "empty           | ''                      | \"\"",
                "space           | a b                     | \"a b\"",
                "quote           | say \"hi\"              | \"say \\\"hi\\\"\"",
                "backslash       | a\\b                    | a\\\\b",
                "escape-like     | a\\r b                 | \"a\\\\r b\"",
            })
    void quotesAValueThatWouldNotSplitAtSpacesAndDoublesBackslashes(
            String kind, String value, String expected) {
        Event event = Event.of(EventId.RECIPIENT_REFUSED).with("recipient", value);

        assertThat(OneLineLayout.describe(event, false))
                .isEqualTo("3001 Warning recipient=" + expected);
    }

    @Test
    void aFieldWithLineBreaksOrEscapesStaysOnOneLine() {
        Event event =
                Event.of(EventId.RECIPIENT_REFUSED)
                        .with("recipient", "bad\r\n2026-01-01T00:00:00Z 9001 Error forged\u001b[2J")
                        .with("na\nme", "x");

        String shown = layout.doLayout(logged(EventLog.LOGGER_NAME, Level.WARN, "{}", event));

        assertThat(shown).endsWith(NL);
        assertThat(shown.substring(0, shown.length() - NL.length()))
                .doesNotContain("\r", "\n", "\u001b")
                .contains("recipient=\"bad\\r\\n2026-01-01T00:00:00Z 9001 Error forged\\u001B[2J\"")
                .contains(" na\\nme=x");
    }

    @Test
    void rendersAnyOtherLoggingEventAndItsStackTraceOnOneLine() {
        LoggingEvent logged =
                logged("org.subethamail.smtp", Level.WARN, "client said {}", "QUIT\r\nforged");
        logged.setThrowableProxy(
                new ch.qos.logback.classic.spi.ThrowableProxy(
                        new IllegalStateException("broken\npipe")));

        String shown = layout.doLayout(logged);

        assertThat(shown)
                .matches(
                        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z WARN org\\.subethamail\\.smtp"
                                + " - client said QUIT\\\\r\\\\nforged"
                                + " java\\.lang\\.IllegalStateException: broken\\\\npipe\\\\n.*"
                                + NL);
        assertThat(shown.substring(0, shown.length() - NL.length())).doesNotContain("\n");
    }

    @ParameterizedTest(name = "{0} with {1} → {2}")
    @CsvSource({
        "auto, '',                        ImsLayout",
        "auto, INVOCATION_ID,             OneLineLayout",
        "auto, JOURNAL_STREAM,            OneLineLayout",
        "'',   JOURNAL_STREAM,            OneLineLayout",
        "ims,  JOURNAL_STREAM,            ImsLayout",
        "IMS,  '',                        ImsLayout",
        "line, '',                        OneLineLayout",
        "' line ', '',                    OneLineLayout",
    })
    void theConsoleFormatIsChosenByNameOrUnderSystemdByTheEnvironment(
            String format, String variable, String layoutName) {
        Map<String, String> environment =
                variable == null || variable.isEmpty() ? Map.of() : Map.of(variable, "x");
        ConsoleLayout console = new ConsoleLayout(environment);
        console.setContext(context);
        console.setFormat(format == null ? "" : format);

        console.start();

        assertThat(console.isStarted()).isTrue();
        assertThat(console.chosen().getClass().getSimpleName()).isEqualTo(layoutName);
    }

    @Test
    void anUnknownConsoleFormatIsAnErrorNamingIt() {
        ConsoleLayout console = new ConsoleLayout(Map.of());
        console.setContext(context);
        console.setFormat("json");

        console.start();

        assertThat(console.isStarted()).isFalse();
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .anySatisfy(status -> assertThat(status.getMessage()).contains("\"json\""));
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
