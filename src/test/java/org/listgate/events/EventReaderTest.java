package org.listgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventReaderTest {

    @TempDir Path dir;

    private static String line(EventId id) {
        return Event.of(id) + "\n";
    }

    @Test
    void readsEveryEventInOrder() throws IOException {
        Path file =
                write(
                        line(EventId.SERVICE_STARTED)
                                + line(EventId.RECIPIENT_REFUSED)
                                + line(EventId.SERVICE_STOPPED));

        assertThat(ids(new EventReader(file, Set.of()))).containsExactly(1000, 3001, 1001);
    }

    @Test
    void skipsATornLastLine() throws IOException {
        String torn = Event.of(EventId.RECIPIENT_NOT_DELIVERED).toString().substring(0, 40);
        Path file = write(line(EventId.SERVICE_STARTED) + line(EventId.DELIVERED) + torn);

        assertThat(ids(new EventReader(file, Set.of()))).containsExactly(1000, 2003);
    }

    @Test
    void readsAWholeLastRecordThatLacksOnlyItsLineEnd() throws IOException {
        Path file = write(line(EventId.SERVICE_STARTED) + Event.of(EventId.SERVICE_STOPPED));

        assertThat(ids(new EventReader(file, Set.of()))).containsExactly(1000, 1001);
    }

    @Test
    void skipsLinesThatAreNotEvents() throws IOException {
        Path file =
                write(
                        "garbage\n\n[1,2]\n{\"no\":\"id\"}\n{\"id\":\"4037\"}\n"
                                + line(EventId.DELIVERED)
                                + "\u0000\u0000\u0000\n"
                                + line(EventId.SERVICE_STOPPED).replace("\n", "\r\n"));

        assertThat(ids(new EventReader(file, Set.of()))).containsExactly(2003, 1001);
    }

    @Test
    void keepsOnlyTheIdsAskedFor() throws IOException {
        Path file =
                write(
                        line(EventId.SERVICE_STARTED)
                                + line(EventId.RECIPIENT_NOT_DELIVERED)
                                + line(EventId.EXCEPTION)
                                + line(EventId.RECIPIENT_NOT_DELIVERED));

        assertThat(ids(new EventReader(file, Set.of(4037, 9001))))
                .containsExactly(4037, 9001, 4037);
    }

    @Test
    void skipsALineLongerThanAnyRecordWithoutHoldingIt() throws IOException {
        Path file = write("x".repeat(EventReader.MAX_LINE + 10) + "\n" + line(EventId.DELIVERED));

        assertThat(ids(new EventReader(file, Set.of()))).containsExactly(2003);
    }

    @Test
    void aMissingFileIsAnError() {
        assertThatThrownBy(
                        () ->
                                new EventReader(dir.resolve("none.jsonl"), Set.of())
                                        .read(event -> {}))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void followSeesLinesAppendedLaterAndNeverATornOne() throws Exception {
        Path file = write(line(EventId.SERVICE_STARTED));
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Thread follower = follow(new EventReader(file, Set.of()), seen);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.equals(List.of(1000)));

            String record = Event.of(EventId.RECIPIENT_NOT_DELIVERED).toString();
            append(file, record.substring(0, 30));
            Thread.sleep(3 * EventReader.POLL.toMillis());
            assertThat(seen).containsExactly(1000);

            append(file, record.substring(30) + "\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.equals(List.of(1000, 4037)));
        } finally {
            follower.interrupt();
            follower.join(5000);
        }
        assertThat(follower.isAlive()).isFalse();
    }

    @Test
    void followStartsAgainWhenTheFileIsTruncatedOrReplaced() throws Exception {
        Path file = write(line(EventId.SERVICE_STARTED) + line(EventId.DELIVERED));
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Thread follower = follow(new EventReader(file, Set.of()), seen);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);

            Files.writeString(file, line(EventId.SERVICE_STOPPED));
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);

            Path replacement = dir.resolve("new.jsonl");
            Files.writeString(
                    replacement,
                    line(EventId.EXCEPTION) + line(EventId.DELIVERED) + line(EventId.DELIVERED));
            Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 6);
        } finally {
            follower.interrupt();
            follower.join(5000);
        }
        assertThat(seen).containsExactly(1000, 2003, 1001, 9001, 2003, 2003);
    }

    private Thread follow(EventReader reader, List<Integer> seen) {
        Thread follower =
                new Thread(
                        () -> {
                            try {
                                reader.follow(event -> seen.add(event.id()));
                            } catch (InterruptedException e) {
                                // stopped by the test
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        },
                        "follower");
        follower.start();
        return follower;
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, content);
        return file;
    }

    private static void append(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardOpenOption.APPEND);
    }

    private static List<Integer> ids(EventReader reader) throws IOException {
        List<Integer> ids = new ArrayList<>();
        reader.read(event -> ids.add(event.id()));
        return ids;
    }
}
