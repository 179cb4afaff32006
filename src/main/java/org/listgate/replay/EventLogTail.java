package org.listgate.replay;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a listgate event log (JSON Lines, the documented contract) as it grows: each call reads the
 * lines whose line end has been written since the last call. A line that is not a JSON object, or
 * longer than a megabyte, is skipped; a missing file is an empty one.
 */
final class EventLogTail {

    /** An event is a few hundred bytes; a longer line is not one, and is not held in memory. */
    private static final int MAX_LINE = 1 << 20;

    private final Path file;
    private long offset;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    private boolean skipping;

    EventLogTail(Path file) {
        this.file = file;
    }

    /** Starts after everything the file holds now: older events are not the replay's. */
    void skipToEnd() throws IOException {
        offset = Files.exists(file) ? Files.size(file) : 0;
    }

    void read(Consumer<Map<String, Object>> sink) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        if (Files.size(file) < offset) {
            offset = 0; // truncated or replaced: read it again
            line.reset();
            skipping = false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(offset);
            InputStream in = Channels.newInputStream(channel);
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        if (!skipping) {
                            parse(line.toString(StandardCharsets.UTF_8), sink);
                        }
                        line.reset();
                        skipping = false;
                    } else if (line.size() >= MAX_LINE) {
                        line.reset();
                        skipping = true;
                    } else if (!skipping) {
                        line.write(buffer[i]);
                    }
                }
                offset += n;
            }
        }
    }

    private static void parse(String text, Consumer<Map<String, Object>> sink) {
        if (text.isBlank()) {
            return;
        }
        try {
            sink.accept(JSON.std.mapFrom(text));
        } catch (IOException | RuntimeException e) { // isolation: library seam, the parser throws
            // Not an event: skipped, as listgate's own reader does.
        }
    }
}
