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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for {@link EventReader}: any bytes as an event log file. Seeds in {@code
 * EventReaderFuzzTestInputs/<method>/}; README, "Fuzzing".
 */
class EventReaderFuzzTest {

    /** One file for every execution: the reader takes a path, and a fresh file each time is slow. */
    private static final Path FILE = createFile();

    /**
     * Nothing throws, and the reader hands on exactly the lines a plain split of the whole file
     * finds to be events — whatever its buffer size, with the long-line limit honoured. The small
     * limits let inputs of a few kilobytes cross buffer ends and overrun lines, as megabytes do.
     */
    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void readsAnyBytesAsExactlyTheLinesThatAreEvents(byte[] file) throws IOException {
        Files.write(FILE, file);

        Set<Integer> all = Set.of();
        Set<Integer> some = Set.of(EventId.DELIVERED.number(), EventId.RECIPIENT_NOT_DELIVERED.number());
        assertThat(read(all, EventReader.MAX_LINE, EventReader.BUFFER))
                .isEqualTo(eventLines(file, all, EventReader.MAX_LINE));
        assertThat(read(all, EventReader.MAX_LINE, 29)).isEqualTo(eventLines(file, all, EventReader.MAX_LINE));
        assertThat(read(some, 80, 61)).isEqualTo(eventLines(file, some, 80));
    }

    /** The lines of the events the reader delivers, after checking that each one reads whole. */
    private static List<String> read(Set<Integer> ids, int maxLine, int bufferSize) throws IOException {
        List<String> lines = new ArrayList<>();
        new EventReader(FILE, ids, maxLine, bufferSize).read(event -> {
            assertThat(event.line()).doesNotContain("\n");
            // Each byte decodes to at most one char; a malformed byte re-encodes longer (U+FFFD).
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

    /** The model: split on LF, drop lines over {@code maxLine} bytes and one CR before the LF. */
    private static List<String> eventLines(byte[] file, Set<Integer> ids, int maxLine) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= file.length; i++) {
            if (i < file.length && file[i] != '\n') {
                continue;
            }
            int length = i - start;
            if (length > 0 && length <= maxLine) {
                String line = new String(file, start, length, StandardCharsets.UTF_8);
                String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                LoggedEvent.parse(text)
                        .filter(event -> ids.isEmpty() || ids.contains(event.id()))
                        .ifPresent(event -> lines.add(text));
            }
            start = i + 1;
        }
        return lines;
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
