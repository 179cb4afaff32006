package org.listgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import picocli.CommandLine;

class EventsCommandTest {

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private final String started = Event.of(EventId.SERVICE_STARTED).toString();
    private final String isolated =
            Event.of(EventId.RECIPIENT_NOT_DELIVERED).with("recipient", "bad@x").toString();
    private final String fault = Event.of(EventId.EXCEPTION).with("code", "0xc0000005").toString();

    @Test
    void printsEveryEventInTheImsStyle() throws IOException {
        Path file = eventsFile(started, isolated, "torn {\"id\":");

        assertThat(run("--file", file.toString())).isZero();

        assertThat(out.toString())
                .contains(
                        "Event ID: 1000",
                        "Event ID: 4037",
                        "Event Source: listgate",
                        "recipient: bad@x")
                .contains(EventId.RECIPIENT_NOT_DELIVERED.text())
                .doesNotContain("torn");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void printsOnlyTheIdsAskedFor() throws IOException {
        Path file = eventsFile(started, isolated, fault, isolated);

        assertThat(run("--file", file.toString(), "--id", "4037", "--json")).isZero();

        assertThat(out.toString().lines()).containsExactly(isolated, isolated);
    }

    @Test
    void takesSeveralIdsRepeatedOrCommaSeparated() throws IOException {
        Path file = eventsFile(started, isolated, fault);

        assertThat(run("--file", file.toString(), "--id", "9001", "--id", "1000", "--json"))
                .isZero();
        assertThat(out.toString().lines()).containsExactly(started, fault);

        out.getBuffer().setLength(0);
        assertThat(run("--file", file.toString(), "--id=4037,9001")).isZero();
        assertThat(out.toString())
                .contains("Event ID: 4037", "Event ID: 9001")
                .doesNotContain("Event ID: 1000");
    }

    @Test
    void printsTheRawRecordsWithJson() throws IOException {
        Path file = eventsFile(started, "not an event", fault);

        assertThat(run("--file", file.toString(), "--json")).isZero();

        assertThat(out.toString())
                .isEqualTo(started + System.lineSeparator() + fault + System.lineSeparator());
    }

    @Test
    void aMissingFileIsOneLineOnStderrAndExit2() {
        Path missing = dir.resolve("no-such.jsonl");

        assertThat(run("--file", missing.toString())).isEqualTo(2);

        assertThat(err.toString())
                .isEqualTo("listgate events: no such file: " + missing + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void withoutFileItIsAUsageErrorWithExit2() {
        assertThat(run()).isEqualTo(2);

        assertThat(err.toString()).contains("--file").doesNotContain("Exception", "\tat ");
    }

    @Test
    void followPrintsALineAppendedLaterUntilInterrupted() throws Exception {
        Path file = eventsFile(started);
        AtomicInteger exit = new AtomicInteger(-1);
        Thread command =
                new Thread(
                        () -> exit.set(run("--file", file.toString(), "--follow", "--json")),
                        "events");
        command.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> out.toString().contains(started));

            Files.writeString(file, isolated + "\n", StandardOpenOption.APPEND);

            await().atMost(Duration.ofSeconds(5)).until(() -> out.toString().contains(isolated));
        } finally {
            command.interrupt();
            command.join(5000);
        }
        assertThat(command.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
        assertThat(out.toString().lines()).containsExactly(started, isolated);
    }

    private int run(String... args) {
        CommandLine commandLine = new CommandLine(new EventsCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private Path eventsFile(String... lines) throws IOException {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }
}
