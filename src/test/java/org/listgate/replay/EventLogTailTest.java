package org.listgate.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTailTest {

    @TempDir Path dir;

    @Test
    void readsEachWholeLineOnceSkippingGarbageAndWhatCameBefore() throws Exception {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "{\"id\":1000}\n");
        EventLogTail tail = new EventLogTail(file);
        tail.skipToEnd();
        List<Map<String, Object>> seen = new ArrayList<>();

        append(
                file,
                "{\"id\":4037,\"recipient\":\"ghost1@example.test\"}\nnot json\n"
                        + "x".repeat(2 << 20)
                        + "\n{\"id\":2003,");
        tail.read(seen::add);
        assertThat(seen).extracting(e -> e.get("id")).containsExactly(4037);

        append(file, "\"recipient\":\"u1@example.test\"}\n");
        tail.read(seen::add);
        assertThat(seen).extracting(e -> e.get("id")).containsExactly(4037, 2003);
        assertThat(seen.get(1).get("recipient")).isEqualTo("u1@example.test");
    }

    @Test
    void aMissingFileIsAnEmptyOne() throws Exception {
        EventLogTail tail = new EventLogTail(dir.resolve("none.jsonl"));
        tail.skipToEnd();
        List<Map<String, Object>> seen = new ArrayList<>();
        tail.read(seen::add);
        assertThat(seen).isEmpty();
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
