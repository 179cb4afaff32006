package org.listgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EventLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(EventLog.LOGGER_NAME);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Level level = logger.getLevel();
    private final boolean additive = logger.isAdditive();

    @BeforeEach
    void listen() {
        logged.start();
        logger.addAppender(logged);
        logger.setLevel(Level.INFO); // as config/logback.xml has it
        logger.setAdditive(false);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logged);
        logger.setLevel(level);
        logger.setAdditive(additive);
    }

    @Test
    void logsTheEventAsItsJsonRecordAtTheLevelOfItsType() {
        Event refused = Event.of(EventId.RECIPIENT_REFUSED).with("recipient", "<>");

        new EventLog().emit(Event.of(EventId.DELIVERED));
        new EventLog().emit(refused);
        new EventLog().emit(Event.of(EventId.EXCEPTION));

        assertThat(logged.list)
                .extracting(e -> e.getLevel().toString())
                .containsExactly("INFO", "WARN", "ERROR");
        assertThat(logged.list.get(1).getFormattedMessage()).isEqualTo(refused.toString());
        assertThat(logged.list.get(1).getArgumentArray()).containsExactly(refused);
    }

    @Test
    void aGatewaysLogNamesItInEveryRecordRightAfterTheSource() {
        java.util.List<Event> heard = new java.util.ArrayList<>();
        EventLog mx1 = new EventLog("mx1.example.test");
        mx1.listen(heard::add);

        mx1.emit(Event.about(EventId.DELIVERED, "1941A5C2E0703F29B1C").with("recipient", "a@x"));

        assertThat(logged.list.get(0).getFormattedMessage())
                .contains("\"source\":\"listgate\",\"gateway\":\"mx1.example.test\",\"message\":")
                .endsWith("\"queueId\":\"1941A5C2E0703F29B1C\",\"recipient\":\"a@x\"}");
        assertThat(heard.get(0).fields()).containsEntry(Event.GATEWAY, "mx1.example.test");
    }

    @Test
    void aDetachedLogWritesNothingAndTellsItsListenersAll() {
        java.util.List<Event> heard = new java.util.ArrayList<>();
        EventLog detached = EventLog.detached();
        detached.listen(heard::add);

        detached.emit(Event.of(EventId.DIRECTORY_LOADED));
        detached.emit(Event.of(EventId.EXCEPTION));

        assertThat(logged.list).isEmpty();
        assertThat(heard)
                .extracting(Event::id)
                .containsExactly(EventId.DIRECTORY_LOADED, EventId.EXCEPTION);
    }

    @Test
    void neverThrowsAndSaysOnStderrWhatWasLost() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThatCode(() -> new EventLog().emit(null)).doesNotThrowAnyException();
        } finally {
            System.setErr(stderr);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .startsWith("listgate: cannot log event: ")
                .hasLineCount(1);
    }
}
