package org.listgate.testing;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.listgate.events.EventLog;
import org.listgate.events.LoggedEvent;
import org.listgate.events.Logging;
import org.slf4j.LoggerFactory;

/**
 * Points the event log at a file in a test's temporary folder (through test-logback.xml, as {@link
 * TestSite} does) and reads back what was emitted. Close it to give Logback back its default
 * configuration.
 */
public final class EventCapture implements AutoCloseable {

    private final Path file;
    private final EventLog log = new EventLog();

    private EventCapture(Path file) {
        this.file = file;
    }

    public static EventCapture in(Path dir) {
        Path logback = dir.resolve("test-logback.xml");
        try (InputStream in = EventCapture.class.getResourceAsStream("/test-logback.xml")) {
            Files.copy(in, logback, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path events = dir.resolve("events.jsonl");
        Logging.configure(logback, events);
        return new EventCapture(events);
    }

    public EventLog log() {
        return log;
    }

    public List<LoggedEvent> all() {
        return TestSite.readEvents(file);
    }

    public List<LoggedEvent> withId(int id) {
        return all().stream().filter(event -> event.id() == id).toList();
    }

    /** The value of {@code key} in each event with {@code id}, in order. */
    public List<Object> field(int id, String key) {
        return withId(id).stream().map(event -> event.fields().get(key)).toList();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        try {
            new ContextInitializer(context).autoConfig();
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
    }
}
