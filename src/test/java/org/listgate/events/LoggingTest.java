package org.listgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LoggingTest {

    private static final Path CONFIG = Path.of("config/logback.xml");

    @TempDir Path dir;

    private final EventLog events = new EventLog();

    @AfterEach
    void backToTheDefaultConfiguration() throws JoranException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    @Test
    void writesExactlyOneJsonLinePerEventToTheEventsFile() throws IOException {
        Path file = dir.resolve("data/events.jsonl");
        Logging.configure(CONFIG, file);

        events.emit(Event.of(EventId.SERVICE_STARTED));
        events.emit(
                Event.of(EventId.RECIPIENT_NOT_DELIVERED)
                        .with("recipient", "bad\r\n@x")
                        .with("status", "5.1.1"));
        events.emit(Event.of(EventId.EXCEPTION).with("code", "0xc0000005"));

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(lines).allSatisfy(line -> assertThat(LoggedEvent.parse(line)).isPresent());
        assertThat(lines.stream().map(line -> LoggedEvent.parse(line).orElseThrow().id()))
                .containsExactly(1000, 4037, 9001);
        assertThat(LoggedEvent.parse(lines.get(1)).orElseThrow().fields())
                .containsEntry("recipient", "bad\r\n@x");
    }

    @Test
    void configuringAgainPointsTheEventLogAtTheNewFile() throws IOException {
        Path first = dir.resolve("one/events.jsonl");
        Path second = dir.resolve("two/events.jsonl");

        Logging.configure(CONFIG, first);
        events.emit(Event.of(EventId.SERVICE_STARTED));
        Logging.configure(CONFIG, second);
        events.emit(Event.of(EventId.SERVICE_STOPPED));
        events.emit(Event.of(EventId.DELIVERED));

        assertThat(Files.readAllLines(first))
                .hasSize(1)
                .allSatisfy(line -> assertThat(line).contains("\"id\":1000"));
        assertThat(Files.readAllLines(second)).hasSize(2);
    }

    @Test
    void appendsToAnEventsFileThatAlreadyHasEvents() throws IOException {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, Event.of(EventId.SERVICE_STARTED) + "\n");

        Logging.configure(CONFIG, file);
        events.emit(Event.of(EventId.SERVICE_STOPPED));

        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void fallsBackToTheBuiltInConfigurationWhenTheFileIsMissing() throws IOException {
        Path file = dir.resolve("events.jsonl");

        Logging.configure(dir.resolve("no-such-logback.xml"), file);
        events.emit(Event.of(EventId.SERVICE_STARTED));

        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    @Test
    void theBuiltInConfigurationIsConfigLogbackXml() throws IOException {
        try (InputStream builtIn = Logging.class.getResourceAsStream(Logging.FALLBACK_RESOURCE)) {
            assertThat(new String(builtIn.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(Files.readString(CONFIG));
        }
    }

    @Test
    void refusesALogbackXmlWithErrorsNamingTheFile() throws IOException {
        Path broken = dir.resolve("broken.xml");
        Files.writeString(
                broken,
                "<configuration><appender name=\"X\" class=\"no.such.Appender\"/>"
                        + "<root level=\"INFO\"><appender-ref ref=\"X\"/></root></configuration>");

        assertThatThrownBy(() -> Logging.configure(broken, dir.resolve("events.jsonl")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(broken.toString());
    }

    @Test
    void theConsoleFormatAndLevelComeFromSystemProperties() throws IOException {
        PrintStream original = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setProperty("listgate.console", "line");
        System.setProperty("listgate.console.level", "WARN");
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            Logging.configure(CONFIG, dir.resolve("events.jsonl"));
            events.emit(Event.of(EventId.SERVICE_STARTED));
            events.emit(Event.of(EventId.RECIPIENT_NOT_DELIVERED).with("recipient", "bad@x"));
            Logging.flush();
        } finally {
            System.setOut(original);
            System.clearProperty("listgate.console");
            System.clearProperty("listgate.console.level");
        }

        assertThat(console.toString(StandardCharsets.UTF_8).lines())
                .singleElement()
                .satisfies(line -> assertThat(line).contains(" 4037 Warning ", "recipient=bad@x"));
        assertThat(Files.readAllLines(dir.resolve("events.jsonl"))).hasSize(2);
    }

    @Test
    void refusesAnUnknownConsoleFormatNamingIt() {
        System.setProperty("listgate.console", "fancy");
        try {
            assertThatThrownBy(() -> Logging.configure(CONFIG, dir.resolve("events.jsonl")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("\"fancy\"");
        } finally {
            System.clearProperty("listgate.console");
        }
    }
}
