package org.listgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.LoggedEvent;
import picocli.CommandLine;

class EventsCommandTest {

    /** The "now" that --since 1h counts back from. */
    static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");

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

        assertThat(run("--file", file.toString(), "--format", "ims")).isZero();

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
        assertThat(run("--file", file.toString(), "--id=4037,9001", "--format=ims")).isZero();
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

    // ---- filters -------------------------------------------------------------------------

    private static final String Q = "0192A3F0000AA01";
    private static final String REPORT = "0192A3F0000AA02";
    private static final String OTHER = "0192A3F0000BB01";

    /** A record as the log holds it: the five fixed keys, then the fields given (name, value). */
    private static String record(String time, int id, Object... fields) {
        String type = id >= 9000 ? "Error" : id >= 3000 ? "Warning" : "Information";
        StringBuilder line =
                new StringBuilder()
                        .append("{\"time\":\"")
                        .append(time)
                        .append("\",\"id\":")
                        .append(id)
                        .append(",\"type\":\"")
                        .append(type)
                        .append("\",\"source\":\"listgate\",\"message\":\"m\"");
        for (int i = 0; i < fields.length; i += 2) {
            line.append(",\"").append(fields[i]).append("\":");
            Object value = fields[i + 1];
            if (value instanceof Number) {
                line.append(value);
            } else {
                line.append('"').append(value).append('"');
            }
        }
        return line.append('}').toString();
    }

    /** The story of one list message, with another message's events in between. */
    private Path listMessageLog() throws IOException {
        return eventsFile(
                record("2026-11-24T19:05:00.000Z", 1000, "port", 2525),
                record(
                        "2026-11-24T19:05:01.000Z",
                        3001,
                        "recipient",
                        "nobody@@example.org",
                        "status",
                        "5.1.3",
                        "reason",
                        "bad address syntax"),
                record(
                        "2026-11-24T19:05:02.000Z",
                        2001,
                        "queueId",
                        Q,
                        "sender",
                        "alice@example.org",
                        "recipients",
                        1,
                        "refused",
                        1,
                        "size",
                        2048,
                        "client",
                        "192.0.2.7",
                        "helo",
                        "pegasus"),
                record(
                        "2026-11-24T19:05:02.001Z",
                        4037,
                        "queueId",
                        Q,
                        "recipient",
                        "nobody@@example.org",
                        "status",
                        "5.1.3",
                        "reason",
                        "bad address syntax",
                        "stage",
                        "rcpt"),
                record("2026-11-24T19:05:02.005Z", 2001, "queueId", OTHER, "sender", "x@y"),
                record(
                        "2026-11-24T19:05:02.012Z",
                        2002,
                        "queueId",
                        Q,
                        "list",
                        "staff@example.org",
                        "members",
                        4,
                        "recipients",
                        3,
                        "isolated",
                        1),
                record(
                        "2026-11-24T19:05:02.013Z",
                        4037,
                        "queueId",
                        Q,
                        "recipient",
                        "Ghost@example.org",
                        "list",
                        "staff@example.org",
                        "status",
                        "5.1.1",
                        "reason",
                        "unknown user",
                        "stage",
                        "expansion"),
                record(
                        "2026-11-24T19:05:02.020Z",
                        2003,
                        "queueId",
                        Q,
                        "recipient",
                        "bob@example.org",
                        "list",
                        "staff@example.org",
                        "status",
                        "2.0.0"),
                record(
                        "2026-11-24T19:05:02.021Z",
                        3004,
                        "queueId",
                        Q,
                        "recipient",
                        "carol@example.org",
                        "list",
                        "staff@example.org",
                        "status",
                        "4.4.1",
                        "reason",
                        "connection refused",
                        "attempt",
                        1,
                        "retryAt",
                        "2026-11-24T19:06:02Z"),
                record(
                        "2026-11-24T19:05:02.022Z",
                        2003,
                        "queueId",
                        OTHER,
                        "recipient",
                        "bob@example.org",
                        "status",
                        "2.0.0"),
                record(
                        "2026-11-24T19:05:02.030Z",
                        2006,
                        "queueId",
                        Q,
                        "reportId",
                        REPORT,
                        "to",
                        "alice@example.org",
                        "recipients",
                        2,
                        "action",
                        "failed"),
                record(
                        "2026-11-24T19:05:02.040Z",
                        2003,
                        "queueId",
                        REPORT,
                        "recipient",
                        "alice@example.org",
                        "status",
                        "2.0.0"),
                record("2026-11-24T19:05:02.041Z", 2004, "queueId", REPORT, "delivered", 1),
                record(
                        "2026-11-24T19:06:02.100Z",
                        2007,
                        "queueId",
                        Q,
                        "recipient",
                        "carol@example.org",
                        "list",
                        "staff@example.org",
                        "attempt",
                        2),
                record(
                        "2026-11-24T19:06:02.150Z",
                        2003,
                        "queueId",
                        Q,
                        "recipient",
                        "carol@example.org",
                        "list",
                        "staff@example.org",
                        "status",
                        "2.0.0"),
                record(
                        "2026-11-24T19:06:02.151Z",
                        2004,
                        "queueId",
                        Q,
                        "delivered",
                        2,
                        "deferred",
                        0,
                        "failed",
                        0,
                        "isolated",
                        2,
                        "millis",
                        60151));
    }

    /** The ids of the records printed with --json, in order. */
    private List<Integer> idsPrinted(String... args) {
        out.getBuffer().setLength(0);
        List<String> command = new ArrayList<>(List.of(args));
        command.add("--json");
        assertThat(run(command.toArray(String[]::new))).isZero();
        return out.toString()
                .lines()
                .map(line -> LoggedEvent.parse(line).orElseThrow().id())
                .toList();
    }

    @Test
    void filtersByTypeQueueRecipientAndList() throws IOException {
        String file = listMessageLog().toString();

        assertThat(idsPrinted("--file", file, "--type", "warning"))
                .containsExactly(3001, 4037, 4037, 3004);
        assertThat(idsPrinted("--file", file, "--type", "Error,Information", "--id", "2004"))
                .containsExactly(2004, 2004);
        assertThat(idsPrinted("--file", file, "--queue", OTHER)).containsExactly(2001, 2003);
        assertThat(idsPrinted("--file", file, "--queue", REPORT))
                .as("a report shows with its own delivery and the 2006 that queued it")
                .containsExactly(2006, 2003, 2004);
        assertThat(idsPrinted("--file", file, "--recipient", "GHOST@*")).containsExactly(4037);
        assertThat(idsPrinted("--file", file, "--recipient", "?ob@example.org"))
                .containsExactly(2003, 2003);
        assertThat(idsPrinted("--file", file, "--recipient", "*@@*")).containsExactly(3001, 4037);
        assertThat(idsPrinted("--file", file, "--list", "Staff@Example.org"))
                .containsExactly(2002, 4037, 2003, 3004, 2007, 2003);
    }

    @Test
    void filtersCombineSoThatEveryOneMustHold() throws IOException {
        String file = listMessageLog().toString();

        assertThat(
                        idsPrinted(
                                "--file",
                                file,
                                "--queue",
                                Q,
                                "--recipient",
                                "carol@*",
                                "--id",
                                "2003,2007"))
                .containsExactly(2007, 2003);
        assertThat(idsPrinted("--file", file, "--queue", OTHER, "--list", "staff@example.org"))
                .isEmpty();
    }

    @Test
    void sinceAndUntilTakeAnInstantOrATimeBackFromNow() throws IOException {
        String file = listMessageLog().toString(); // NOW is 20:00; the log is 19:05:00 to 19:06:02

        assertThat(idsPrinted("--file", file, "--since", "2026-11-24T19:06:00Z"))
                .containsExactly(2007, 2003, 2004);
        assertThat(idsPrinted("--file", file, "--until", "2026-11-24T19:05:02Z"))
                .as("until is exclusive")
                .containsExactly(1000, 3001);
        assertThat(idsPrinted("--file", file, "--since", "55m", "--until", "54m"))
                .as("19:05:00 to 19:06:00")
                .containsExactly(
                        1000, 3001, 2001, 4037, 2001, 2002, 4037, 2003, 3004, 2003, 2006, 2003,
                        2004);
        assertThat(idsPrinted("--file", file, "--since", "30m")).isEmpty();
        assertThat(idsPrinted("--file", file, "--since", "1h")).hasSize(16);
    }

    @Test
    void configNamesTheEventLog() throws IOException {
        Path log = eventsFile(started, isolated);
        Path properties = dir.resolve("listgate.properties");
        Files.writeString(
                properties,
                "domains = example.org\nevents.file = " + log.toString().replace("\\", "/") + "\n");

        assertThat(run("--config", properties.toString(), "--json")).isZero();

        assertThat(out.toString().lines()).containsExactly(started, isolated);
    }

    // ---- trace ---------------------------------------------------------------------------

    @Test
    void traceTellsOneListMessageInOrderWithItsReportsDelivery() throws IOException {
        String file = listMessageLog().toString();

        assertThat(run("--file", file, "--trace", Q)).isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines)
                .extracting(line -> line.split("\\s+")[1] + " " + line.split("\\s+")[2])
                .containsExactly(
                        "2001 accepted",
                        "4037 refused",
                        "2002 expanded",
                        "4037 isolated",
                        "2003 delivered",
                        "3004 deferred",
                        "2006 report",
                        "2003 delivered",
                        "2004 completed",
                        "2007 retried",
                        "2003 delivered",
                        "2004 completed");
        assertThat(lines.get(0))
                .startsWith("+0.000s")
                .contains("from alice@example.org", "192.0.2.7", "2048 bytes", "1 refused");
        assertThat(lines.get(1)).startsWith("+0.001s").contains("nobody@@example.org", "5.1.3");
        assertThat(lines.get(2))
                .startsWith("+0.012s")
                .contains("staff@example.org: 4 members, 3 recipients, 1 isolated");
        assertThat(lines.get(3))
                .contains("Ghost@example.org (staff@example.org)", "5.1.1", "unknown user");
        assertThat(lines.get(5))
                .contains(
                        "carol@example.org",
                        "4.4.1",
                        "connection refused",
                        "retry at 2026-11-24T19:06:02Z");
        assertThat(lines.get(6)).contains("to alice@example.org", "queued as " + REPORT);
        assertThat(lines.get(7)).contains("report " + REPORT + ": alice@example.org");
        assertThat(lines.get(9)).startsWith("+60.100s").contains("attempt 2");
        assertThat(lines.get(11)).startsWith("+60.151s").contains("2 delivered", "2 isolated");
        assertThat(out.toString()).doesNotContain(OTHER, "x@y");
    }

    @Test
    void traceWithJsonPrintsTheRecordsOfTheStory() throws IOException {
        String file = listMessageLog().toString();

        assertThat(idsPrinted("--file", file, "--trace", Q))
                .containsExactly(
                        2001, 4037, 2002, 4037, 2003, 3004, 2006, 2003, 2004, 2007, 2003, 2004);
        assertThat(idsPrinted("--file", file, "--trace", Q, "--id", "2003"))
                .as("the report is followed even when its 2006 is filtered out")
                .containsExactly(2003, 2003, 2003);
    }

    // ---- the logs of several gateways -----------------------------------------------------

    /** A gateway's log: its records, each with its name right after the source. */
    private Path gatewayLog(String name, String... records) throws IOException {
        Path file = dir.resolve(name + ".jsonl");
        List<String> lines = new ArrayList<>();
        for (String line : records) {
            lines.add(
                    line.replace(
                            "\"source\":\"listgate\",",
                            "\"source\":\"listgate\",\"gateway\":\"" + name + "\","));
        }
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void theLogsOfSeveralGatewaysAreReadAsOneInTimeOrderAndATraceFindsItsMessageInEither()
            throws IOException {
        String mx1Queue = "0192A3F0000AA01A1";
        String mx2Queue = "0192A3F0000AA01B2"; // the same instant and sequence, another gateway
        String mx1 =
                gatewayLog(
                                "mx1",
                                record("2026-11-24T19:05:00.000Z", 2001, "queueId", mx1Queue),
                                record("2026-11-24T19:05:00.300Z", 2003, "queueId", mx1Queue),
                                record("2026-11-24T19:05:00.500Z", 2004, "queueId", mx1Queue))
                        .toString();
        String mx2 =
                gatewayLog(
                                "mx2",
                                record(
                                        "2026-11-24T19:05:00.100Z",
                                        2001,
                                        "queueId",
                                        mx2Queue,
                                        "sender",
                                        "alice@example.org"),
                                record(
                                        "2026-11-24T19:05:00.200Z",
                                        4037,
                                        "queueId",
                                        mx2Queue,
                                        "recipient",
                                        "ghost@example.org",
                                        "status",
                                        "5.1.1",
                                        "stage",
                                        "expansion"),
                                record("2026-11-24T19:05:00.400Z", 2004, "queueId", mx2Queue))
                        .toString();

        assertThat(idsPrinted("--file", mx1, "--file", mx2))
                .containsExactly(2001, 2001, 4037, 2003, 2004, 2004);

        out.getBuffer().setLength(0);
        assertThat(run("--file", mx1, "--file", mx2, "--trace", mx2Queue)).isZero();
        List<String> story = out.toString().lines().toList();
        assertThat(story)
                .extracting(line -> line.split("\\s+")[1] + " " + line.split("\\s+")[2])
                .containsExactly("2001 accepted", "4037 isolated", "2004 completed");
        assertThat(story.get(0)).contains("accepted    by mx2 from alice@example.org");
        assertThat(out.toString()).doesNotContain(mx1Queue);

        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(run("--file", mx1, "--file", mx2, "--follow")).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        "listgate events: --follow reads one event log, not several"
                                + System.lineSeparator());
    }

    // ---- summary -------------------------------------------------------------------------

    @Test
    void summaryCountsEachIdInEachHour() throws IOException {
        Path file =
                eventsFile(
                        record("2026-11-24T19:05:00.000Z", 2003),
                        record("2026-11-24T19:59:59.999Z", 2003),
                        record("2026-11-24T19:30:00.000Z", 4037),
                        record("2026-11-24T20:00:00.000Z", 2003),
                        record("2026-11-24T22:10:00.000Z", 9001));

        assertThat(run("--file", file.toString(), "--summary")).isZero();

        assertThat(out.toString().lines().map(line -> line.split("\\s+")))
                .containsExactly(
                        new String[] {"hour", "(UTC)", "2003", "4037", "9001", "total"},
                        new String[] {"2026-11-24T19:00Z", "2", "1", "0", "3"},
                        new String[] {"2026-11-24T20:00Z", "1", "0", "0", "1"},
                        new String[] {"2026-11-24T22:00Z", "0", "0", "1", "1"},
                        new String[] {"total", "3", "1", "1", "5"});

        out.getBuffer().setLength(0);
        assertThat(run("--file", file.toString(), "--summary", "--json", "--id", "2003")).isZero();
        assertThat(out.toString().strip())
                .isEqualTo(
                        "{\"hours\":[{\"hour\":\"2026-11-24T19:00Z\",\"counts\":{\"2003\":2},"
                                + "\"total\":2},{\"hour\":\"2026-11-24T20:00Z\",\"counts\":"
                                + "{\"2003\":1},\"total\":1}],\"total\":{\"counts\":"
                                + "{\"2003\":3},\"total\":3}}");
    }

    // ---- table ---------------------------------------------------------------------------

    @Test
    void theDefaultIsAnAlignedTableOneLineAnEvent() throws IOException {
        String longReason = "x".repeat(500);
        Path file =
                eventsFile(
                        started,
                        record(
                                "2026-11-24T19:05:02.013Z",
                                4037,
                                "queueId",
                                Q,
                                "recipient",
                                "evil\\r\\nid: 9001@example.org",
                                "status",
                                "5.1.1",
                                "reason",
                                longReason));

        assertThat(run("--file", file.toString())).isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).split("\\s+"))
                .containsExactly("time", "id", "type", "queueId", "recipient", "status", "reason");
        String row = lines.get(2);
        assertThat(row)
                .startsWith("2026-11-24T19:05:02.013Z 4037 Warning")
                .contains(Q, "evil\\r\\nid: 9001@example.org", "5.1.1", "xxx...")
                .doesNotContain(longReason);
        assertThat(row.indexOf(Q)).isEqualTo(lines.get(0).indexOf("queueId"));
        assertThat(row.indexOf("5.1.1")).isEqualTo(lines.get(0).indexOf("status"));
        assertThat(row.length()).isLessThan(200);
    }

    // ---- usage errors --------------------------------------------------------------------

    @Test
    void badOptionsAreOneLineAndExit2() throws IOException {
        String file = eventsFile(started).toString();
        String properties = dir.resolve("none.properties").toString();
        String[][] cases = {
            {"--file", file, "--config", properties},
            {"--file", file, "--type", "Fatal"},
            {"--file", file, "--since", "yesterday"},
            {"--file", file, "--until", "2026-13-01T00:00:00Z"},
            {"--file", file, "--format", "xml"},
            {"--file", file, "--format", "ims", "--json"},
            {"--file", file, "--summary", "--follow"},
            {"--file", file, "--trace", Q, "--follow"},
            {"--file", file, "--trace", Q, "--summary"},
            {"--file", file, "--summary", "--format", "ims"},
            {"--config", properties},
        };
        for (String[] args : cases) {
            err.getBuffer().setLength(0);
            out.getBuffer().setLength(0);

            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);

            assertThat(err.toString().lines())
                    .as(String.join(" ", args))
                    .hasSize(1)
                    .allMatch(line -> line.startsWith("listgate events: "))
                    .noneMatch(line -> line.contains("Exception"));
            assertThat(out.toString()).isEmpty();
        }
    }

    // ---- a million lines -----------------------------------------------------------------

    @Test
    void readsAMillionLinesStreamingAndCountsTheMatches() throws IOException {
        Path file = dir.resolve("million.jsonl");
        int expected = 0;
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < 1_000_000; i++) {
                int id = i % 3 == 0 ? 4037 : 2003;
                String recipient = "u" + i + "@x";
                writer.write(
                        "{\"time\":\"2026-11-24T19:05:00.000Z\",\"id\":"
                                + id
                                + ",\"queueId\":\"Q"
                                + (i / 1000)
                                + "\",\"recipient\":\""
                                + recipient
                                + "\"}\n");
                if (id == 4037 && recipient.endsWith("7@x")) {
                    expected++;
                }
            }
        }
        CountingWriter counted = new CountingWriter();
        EventsCommand command = new EventsCommand();
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(counted));
        commandLine.setErr(new PrintWriter(err, true));

        long start = System.nanoTime();
        int exit =
                commandLine.execute(
                        "--file", file.toString(), "--id", "4037", "--recipient", "*7@X", "--json");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        System.out.printf(
                "events: 1,000,000 lines (%d MB) filtered to %d in %d ms%n",
                Files.size(file) >> 20, counted.lines, elapsed.toMillis());
        assertThat(exit).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(counted.lines).isEqualTo(expected).isEqualTo(33_333);

        // Without --id every line is parsed: the slower path, still streaming.
        CountingWriter parsed = new CountingWriter();
        commandLine.setOut(new PrintWriter(parsed));
        start = System.nanoTime();
        exit =
                commandLine.execute(
                        "--file",
                        file.toString(),
                        "--type",
                        "Warning",
                        "--recipient",
                        "*7@X",
                        "--json");
        elapsed = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf(
                "events: 1,000,000 lines, every one parsed, filtered to %d in %d ms%n",
                parsed.lines, elapsed.toMillis());
        assertThat(exit).isZero();
        assertThat(parsed.lines).isEqualTo(expected);
    }

    /** Counts the lines written to it, holding none of them. */
    private static final class CountingWriter extends Writer {
        int lines;

        @Override
        public void write(char[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    private int run(String... args) {
        EventsCommand command = new EventsCommand();
        command.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        CommandLine commandLine = new CommandLine(command);
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
