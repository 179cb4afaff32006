package org.listgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for {@link EventReader}: any bytes as an event log file. Seeds in {@code
 * EventReaderFuzzTestInputs/<method>/}; README, "Fuzzing".
 */
class EventReaderFuzzTest {

    /**
     * One file for every execution: the reader takes a path, and a fresh file each time is slow.
     */
    private static final Path FILE = createFile();

    /**
     * Nothing throws, and the reader hands on exactly the lines a plain split of the whole file
     * finds to be events, whatever its buffer size, with the long-line limit honoured. The small
     * limits let inputs of a few kilobytes cross buffer ends and overrun lines, as megabytes do.
     */
    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void readsAnyBytesAsExactlyTheLinesThatAreEvents(byte[] file) throws IOException {
        Files.write(FILE, file);
        List<Line> lines = split(file);

        Set<Integer> all = Set.of();
        assertThat(read(all, EventReader.MAX_LINE, EventReader.BUFFER))
                .isEqualTo(eventLines(lines, all, EventReader.MAX_LINE));
        Set<Integer> some =
                Set.of(EventId.DELIVERED.number(), EventId.RECIPIENT_NOT_DELIVERED.number());
        assertThat(read(some, 80, 29)).isEqualTo(eventLines(lines, some, 80));
    }

    /** The lines of the events the reader delivers, after checking that each one reads whole. */
    private static List<String> read(Set<Integer> ids, int maxLine, int bufferSize)
            throws IOException {
        List<String> lines = new ArrayList<>();
        new EventReader(FILE, ids, maxLine, bufferSize)
                .read(
                        event -> {
                            assertThat(event.line()).doesNotContain("\n");
                            // Each byte decodes to at most one char; a malformed byte re-encodes
                            // longer (U+FFFD).
                            assertThat(event.line().length()).isLessThanOrEqualTo(maxLine);
                            assertThat(ids.isEmpty() || ids.contains(event.id())).isTrue();
                            assertThat(event.fields()).containsKey("id");
                            event.type();
                            event.message();
                            event.source();
                            event.time();
                            event.details();
                            lines.add(event.line());
                        });
        return lines;
    }

    /**
     * A line of the file: its length in bytes, its text without one CR before the LF, its event.
     */
    private record Line(int bytes, String text, Optional<LoggedEvent> event) {}

    /** The model: split on LF; the last line counts if it is not empty. */
    private static List<Line> split(byte[] file) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= file.length; i++) {
            if (i < file.length && file[i] != '\n') {
                continue;
            }
            int length = i - start;
            if (length > 0) {
                String line = new String(file, start, length, StandardCharsets.UTF_8);
                String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                lines.add(new Line(length, text, LoggedEvent.parse(text)));
            }
            start = i + 1;
        }
        return lines;
    }

    private static List<String> eventLines(List<Line> lines, Set<Integer> ids, int maxLine) {
        return lines.stream()
                .filter(line -> line.bytes() <= maxLine)
                .filter(
                        line ->
                                line.event()
                                        .filter(e -> ids.isEmpty() || ids.contains(e.id()))
                                        .isPresent())
                .map(Line::text)
                .toList();
    }

    private static Path createFile() {
        try {
            Path file = Files.createTempFile("listgate-event-reader-fuzz-", ".jsonl");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
