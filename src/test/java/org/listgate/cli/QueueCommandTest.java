package org.listgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.listgate.address.Mailbox;
import org.listgate.events.EventLog;
import org.listgate.events.LoggedEvent;
import org.listgate.spool.Envelope;
import org.listgate.spool.MessageWriter;
import org.listgate.spool.Spool;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.ServerProcess;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;
import picocli.CommandLine;

/**
 * {@code listgate queue}, run as Main runs it, on a real spool: messages left deferred by a real
 * gateway (bob's Maildir is a plain file, so delivery to him fails with an I/O error and is retried
 * only after {@code queue.retry.initial = 1h}), with the server stopped (the command acts on the
 * spool itself) and with the server running in its own process (the command asks it).
 */
class QueueCommandTest extends GatewayTestBase {

    private static final String ALICE = "alice@example.test";
    private static final String BOB = "bob@example.test";
    private static final String CAROL = "carol@example.test";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path config;

    @BeforeEach
    void writeSite() throws IOException {
        site = new TestSite(dir).users(List.of(ALICE, BOB)).property("queue.retry.initial", "1h");
        config = site.write();
    }

    // ---- no server running ----------------------------------------------------------------------

    @Test
    void listShowsADeferredMessageWithItsRecipientsCountedByState() throws Exception {
        String id = deferredMessageLeftInTheSpool();

        assertThat(queue("list", "--config", config.toString())).isZero();

        assertThat(out.toString().lines()).hasSize(3);
        assertThat(out.toString().lines().findFirst().orElseThrow())
                .matches("ID +AGE +SIZE +SENDER +PENDING +DEFERRED +DELIVERED +FAILED");
        assertThat(out.toString())
                .containsPattern(id + " +\\d+s +\\d+ +" + ALICE + " +0 +1 +0 +0\\R")
                .endsWith("1 message, 1 recipient pending or deferred" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void listJsonIsAnArrayWithTheCounts() throws Exception {
        String id = deferredMessageLeftInTheSpool();

        assertThat(queue("list", "--config", config.toString(), "--json")).isZero();

        List<Object> messages = JSON.std.listFrom(out.toString());
        assertThat(messages).hasSize(1);
        Map<String, Object> message = object(messages.get(0));
        assertThat(message)
                .containsEntry("queueId", id)
                .containsEntry("sender", ALICE)
                .containsEntry("recipients", 1)
                .containsEntry("pending", 0)
                .containsEntry("deferred", 1)
                .containsEntry("delivered", 0)
                .containsEntry("failed", 0)
                .containsEntry("expanded", true);
        assertThat(Instant.parse((String) message.get("arrival"))).isBefore(Instant.now());
        assertThat(((Number) message.get("size")).longValue()).isPositive();
        assertThat(((Number) message.get("ageSeconds")).longValue()).isBetween(0L, 60L);
    }

    @Test
    void anEmptyQueueSaysSoEvenBeforeTheServerHasEverRun() throws Exception {
        assertThat(queue("list", "--config", config.toString())).isZero();
        assertThat(out.toString()).isEqualTo("Mail queue is empty" + System.lineSeparator());

        out.getBuffer().setLength(0);
        assertThat(queue("list", "--config", config.toString(), "--json")).isZero();
        assertThat(JSON.std.listFrom(out.toString())).isEmpty();
        assertThat(dir.resolve("spool")).doesNotExist();
    }

    @Test
    void showGivesTheEnvelopeAndEachRecipientsStateAndReason() throws Exception {
        String id = deferredMessageLeftInTheSpool();

        assertThat(queue("show", id.toLowerCase(Locale.ROOT), "--config", config.toString()))
                .isZero();

        assertThat(out.toString())
                .contains(
                        "Queue ID:    " + id,
                        "Sender:      <" + ALICE + ">",
                        "RCPT:        " + BOB,
                        "HELO:        client.example",
                        "Recipients:  1, expanded: 0 pending, 1 deferred")
                .containsPattern(
                        "ADDRESS +LIST +ROUTE +STATE +ATTEMPTS +NEXT RETRY +STATUS +REASON")
                .containsPattern(
                        BOB
                                + " +- +LOCAL +DEFERRED +1 +in (4|5)\\dm(\\d+s)? +4\\.2\\.0 +cannot write to the mailbox");

        out.getBuffer().setLength(0);
        assertThat(queue("show", id, "--config", config.toString(), "--json")).isZero();
        Map<String, Object> message = JSON.std.mapFrom(out.toString());
        assertThat(message)
                .containsEntry("queueId", id)
                .containsEntry("rcpts", List.of(BOB))
                .containsEntry("client", "127.0.0.1")
                .containsEntry("deferred", 1);
        Map<String, Object> bob = object(((List<?>) message.get("recipientStates")).get(0));
        assertThat(bob)
                .containsEntry("address", BOB)
                .containsEntry("state", "DEFERRED")
                .containsEntry("route", "LOCAL")
                .containsEntry("list", null)
                .containsEntry("attempts", 1)
                .containsEntry("status", "4.2.0")
                .containsEntry("reported", false);
        assertThat((String) bob.get("reason")).startsWith("cannot write to the mailbox");
        assertThat(Instant.parse((String) bob.get("retryAt")))
                .isAfter(Instant.now().plus(Duration.ofMinutes(40)));
    }

    @Test
    void flushWithoutAServerMakesTheNextStartRetryAtOnce() throws Exception {
        String id = deferredMessageLeftInTheSpool();

        assertThat(queue("flush", "--config", config.toString())).isZero();

        assertThat(out.toString())
                .isEqualTo(
                        "no server is running: 1 message will be retried as soon as listgate starts"
                                + System.lineSeparator());
        assertThat(Files.readAllLines(dir.resolve("spool/state").resolve(id)))
                .anyMatch(line -> line.startsWith("N "));
        assertThat(site.events(2010))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("queueId", id)
                                        .containsEntry("offline", true));
        assertThat(tryLock(dir.resolve("spool"))).as("the lock is let go").isTrue();

        Files.delete(site.maildir(BOB)); // mend bob's Maildir
        site.start();

        // Due an hour after the first attempt, retried at start because of the flush.
        await().atMost(Duration.ofSeconds(10)).until(() -> site.delivered(BOB).size() == 1);
        assertThat(eventsFor(2007, id)).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(site::queueEmpty);
    }

    @Test
    void deleteNoBounceWithoutAServerRemovesTheMessageAndTellsNobody() throws Exception {
        String id = deferredMessageLeftInTheSpool();

        assertThat(queue("delete", id, "--no-bounce", "--config", config.toString())).isZero();

        assertThat(out.toString())
                .isEqualTo("deleted " + id + " silently" + System.lineSeparator());
        assertThat(dir.resolve("spool/queue")).isEmptyDirectory();
        assertThat(dir.resolve("spool/state")).isEmptyDirectory();
        assertThat(eventsFor(4037, id))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("recipient", BOB)
                                        .containsEntry("status", "5.0.0")
                                        .containsEntry(
                                                "reason",
                                                "deleted from the queue by the administrator")
                                        .containsEntry("stage", "delivery"));
        assertThat(eventsFor(2008, id))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("recipients", 1)
                                        .containsEntry("reported", false));
        assertThat(eventsFor(2006, id)).isEmpty();
        assertThat(tryLock(dir.resolve("spool"))).isTrue();
    }

    @Test
    void deleteWithoutAServerQueuesAReportThatTheNextStartDelivers() throws Exception {
        String id = deferredMessageLeftInTheSpool();

        assertThat(queue("delete", id, "--config", config.toString())).isZero();

        assertThat(out.toString())
                .isEqualTo("deleted " + id + " (the sender is told)" + System.lineSeparator());
        assertThat(dir.resolve("spool/queue").resolve(id)).doesNotExist();
        assertThat(eventsFor(2008, id))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("recipients", 1)
                                        .containsEntry("reported", true));
        LoggedEvent queued = eventsFor(2006, id).get(0);
        assertThat(queued.fields()).containsEntry("to", ALICE).containsEntry("action", "failed");
        String reportId = (String) queued.fields().get("reportId");
        String reportFile =
                Files.readString(
                        dir.resolve("spool/queue").resolve(reportId), StandardCharsets.UTF_8);
        assertThat(reportFile).contains("\nsender \n", "\nrcpt " + ALICE + "\n");
        // The directory was read to find list owners; reporting on it is the server's business.
        assertThat(site.events(1002)).hasSize(1);

        site.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> site.delivered(ALICE).size() == 1);
        assertThat(Files.readString(site.delivered(ALICE).get(0), StandardCharsets.UTF_8))
                .contains(
                        "multipart/report",
                        BOB,
                        "5.0.0",
                        "deleted from the queue by the administrator");
        await().atMost(Duration.ofSeconds(10)).until(site::queueEmpty);
        assertThat(site.delivered(BOB)).isEmpty();
    }

    @Test
    void deleteWithoutAServerReportsAListMemberToTheListsOwner() throws Exception {
        site.users(List.of(CAROL))
                .lists(
                        "staff: bob@example.test, not an address\nowner-staff: carol@example.test\n");
        config = site.write();
        breakBobsMaildir();
        site.start();
        String id = send(site.port(), "staff@example.test");
        await().atMost(Duration.ofSeconds(10)).until(() -> !eventsFor(3004, id).isEmpty());
        // The isolated member was reported to the owner at once; bob is deferred.
        await().atMost(Duration.ofSeconds(10)).until(() -> site.delivered(CAROL).size() == 1);
        site.close();
        int directoryWarnings = site.events(3002).size();

        assertThat(queue("delete", id, "--config", config.toString())).isZero();

        assertThat(eventsFor(4037, id))
                .filteredOn(event -> "delivery".equals(event.fields().get("stage")))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("recipient", BOB)
                                        .containsEntry("list", "staff@example.test"));
        assertThat(eventsFor(2006, id))
                .last()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("to", "owner-staff@example.test")
                                        .containsEntry("recipients", 1));
        assertThat(site.events(3002))
                .as("the command does not report on the directory")
                .hasSize(directoryWarnings);

        site.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> site.delivered(CAROL).size() == 2);
        assertThat(site.delivered(CAROL))
                .anySatisfy(
                        report ->
                                assertThat(Files.readString(report))
                                        .contains(
                                                BOB,
                                                "deleted from the queue by the administrator"));
        await().atMost(Duration.ofSeconds(10)).until(site::queueEmpty);
        assertThat(site.delivered(ALICE)).isEmpty();
    }

    @Test
    void aMessageNeverExpandedIsListedAndDeletedAsItsRcpts() throws Exception {
        String id;
        try (Spool spool = new Spool(dir.resolve("spool"), new EventLog())) {
            spool.open();
            id = spool.newQueueId();
            Envelope envelope =
                    new Envelope(
                            id,
                            Instant.now(),
                            "192.0.2.7",
                            "pegasus",
                            Optional.empty(),
                            List.of(
                                    new Mailbox("bob", "example.test"),
                                    new Mailbox("alice", "example.test")));
            try (MessageWriter writer = spool.begin(envelope)) {
                writer.content()
                        .write("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
                writer.commit();
            }
        }

        assertThat(queue("list", "--config", config.toString(), "--json")).isZero();
        assertThat(JSON.std.listFrom(out.toString()))
                .singleElement()
                .satisfies(
                        message ->
                                assertThat(object(message))
                                        .containsEntry("expanded", false)
                                        .containsEntry("pending", 2)
                                        .containsEntry("sender", ""));
        out.getBuffer().setLength(0);
        assertThat(queue("list", "--config", config.toString())).isZero();
        assertThat(out.toString()).containsPattern(id + " +\\d+s +\\d+ +<> +2 +0 +0 +0");

        out.getBuffer().setLength(0);
        assertThat(queue("delete", id, "--config", config.toString())).isZero();

        assertThat(out.toString())
                .isEqualTo(
                        "deleted "
                                + id
                                + " (no report: the sender is <>)"
                                + System.lineSeparator());
        assertThat(eventsFor(4037, id))
                .extracting(event -> event.fields().get("recipient"))
                .containsExactly(BOB, ALICE);
        assertThat(eventsFor(2009, id)).hasSize(1); // a null sender gets no report
        assertThat(eventsFor(2008, id)).hasSize(1);
        assertThat(dir.resolve("spool/queue")).isEmptyDirectory();
    }

    // ---- the server running ---------------------------------------------------------------------

    @Test
    void flushWithTheServerRunningRetriesAtOnce() throws Exception {
        breakBobsMaildir();
        try (ServerProcess server = ServerProcess.start(site)) {
            String id = send(server.port());
            await().atMost(Duration.ofSeconds(20)).until(() -> !eventsFor(3004, id).isEmpty());

            assertThat(queue("list", "--config", config.toString())).isZero();
            assertThat(out.toString()).containsPattern(id + " .* +0 +1 +0 +0\\R");

            out.getBuffer().setLength(0);
            assertThat(queue("flush", id, "--config", config.toString())).isZero();
            assertThat(out.toString()).isEqualTo(id + " flushed" + System.lineSeparator());
            await().atMost(Duration.ofSeconds(10)).until(() -> eventsFor(3004, id).size() == 2);
            assertThat(eventsFor(2007, id))
                    .singleElement()
                    .satisfies(
                            event ->
                                    assertThat(event.fields())
                                            .containsEntry("recipient", BOB)
                                            .containsEntry("attempt", 2));

            Files.delete(site.maildir(BOB));
            out.getBuffer().setLength(0);
            assertThat(queue("flush", "--config", config.toString())).isZero();
            assertThat(out.toString()).isEqualTo("1 message flushed" + System.lineSeparator());
            await().atMost(Duration.ofSeconds(10)).until(() -> site.delivered(BOB).size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> isEmpty(dir.resolve("spool/queue")));
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void deleteWithTheServerRunningRemovesItAndTheSenderGetsTheReport() throws Exception {
        breakBobsMaildir();
        try (ServerProcess server = ServerProcess.start(site)) {
            String id = send(server.port());
            await().atMost(Duration.ofSeconds(20)).until(() -> !eventsFor(3004, id).isEmpty());

            assertThat(queue("delete", id, "--config", config.toString())).isZero();

            assertThat(out.toString())
                    .isEqualTo("deleted " + id + " (the sender is told)" + System.lineSeparator());
            await().atMost(Duration.ofSeconds(10)).until(() -> site.delivered(ALICE).size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> isEmpty(dir.resolve("spool/queue")));
            assertThat(eventsFor(2008, id))
                    .singleElement()
                    .satisfies(
                            event ->
                                    assertThat(event.fields())
                                            .containsEntry("recipients", 1)
                                            .containsEntry("reported", true));
            assertThat(Files.readString(site.delivered(ALICE).get(0), StandardCharsets.UTF_8))
                    .contains(
                            "multipart/report", BOB, "deleted from the queue by the administrator");

            err.getBuffer().setLength(0);
            assertThat(queue("delete", id, "--config", config.toString())).isEqualTo(1);
            assertThat(err.toString())
                    .isEqualTo(
                            "listgate: no message "
                                    + id
                                    + " in the queue"
                                    + System.lineSeparator());
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsOneLineAndExit1() throws Exception {
        try (Spool held = new Spool(dir.resolve("spool"), new EventLog())) {
            held.open(); // holds the lock like a server, but serves no control requests

            assertThat(queue("flush", "--timeout", "1", "--config", config.toString()))
                    .isEqualTo(1);

            assertThat(err.toString())
                    .isEqualTo(
                            "listgate: the server (pid "
                                    + ProcessHandle.current().pid()
                                    + ") did not answer within 1 s"
                                    + System.lineSeparator());
            assertThat(dir.resolve("spool/control"))
                    .as("the request is withdrawn")
                    .isEmptyDirectory();
        }
    }

    // ---- bad input ------------------------------------------------------------------------------

    static Stream<Object[]> badCommandLines() {
        return Stream.of(
                new Object[] {
                    List.of("show", "0123ABC", "--config", "CONFIG"),
                    1,
                    "listgate: no message 0123ABC in the queue"
                },
                new Object[] {
                    List.of("show", "../../etc", "--config", "CONFIG"),
                    1,
                    "listgate: no message ../../etc in the queue"
                },
                new Object[] {
                    List.of("delete", "../../etc/passwd", "--config", "CONFIG"),
                    1,
                    "listgate: no message ../../etc/passwd in the queue"
                },
                new Object[] {
                    List.of("flush", "0123ABC", "--config", "CONFIG"),
                    1,
                    "listgate: no message 0123ABC in the queue"
                },
                new Object[] {
                    List.of("list"),
                    2,
                    "listgate: Missing required option: '--config=FILE' (see --help)"
                },
                new Object[] {
                    List.of("show", "0123ABC"),
                    2,
                    "listgate: Missing required option: '--config=FILE' (see --help)"
                },
                new Object[] {
                    List.of("list", "--config", "no-such.properties"),
                    2,
                    "no-such.properties: no such file"
                },
                new Object[] {
                    List.of("flush", "--timeout", "0", "--config", "CONFIG"),
                    2,
                    "listgate: --timeout: must be at least 1 second, got 0"
                },
                new Object[] {
                    List.of(),
                    2,
                    "listgate: queue: missing command: list, show, flush or delete (see --help)"
                });
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void badInputIsOneLineOnStderrWithItsExitStatus(
            List<String> arguments, int status, String message) throws Exception {
        deferredMessageLeftInTheSpool();
        List<String> args = new ArrayList<>();
        for (String argument : arguments) {
            args.add(
                    argument.equals("CONFIG")
                            ? config.toString()
                            : argument.equals("no-such.properties")
                                    ? dir.resolve(argument).toString()
                                    : argument);
        }

        assertThat(queue(args.toArray(String[]::new))).isEqualTo(status);

        assertThat(err.toString().lines()).singleElement().asString().contains(message);
        assertThat(err.toString()).doesNotContain("Exception", "\tat ");
        assertThat(out.toString()).isEmpty();
        assertThat(dir.resolve("spool/queue")).isNotEmptyDirectory();
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Runs {@code listgate queue ARGS} as Main does, capturing its output. */
    private int queue(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("queue"));
        all.addAll(List.of(args));
        return commandLine.execute(all.toArray(String[]::new));
    }

    /** alice to bob, deferred once (bob's Maildir cannot be written), then the gateway stopped. */
    private String deferredMessageLeftInTheSpool() throws Exception {
        breakBobsMaildir();
        site.start();
        String id = send(site.port());
        await().atMost(Duration.ofSeconds(10)).until(() -> !eventsFor(3004, id).isEmpty());
        site.close();
        return id;
    }

    private void breakBobsMaildir() throws IOException {
        Path bob = site.maildir(BOB);
        Files.createDirectories(bob.getParent());
        Files.writeString(bob, "not a Maildir");
    }

    private static String send(int port) throws IOException {
        return send(port, BOB);
    }

    private static String send(int port, String rcpt) throws IOException {
        try (SmtpClient client = new SmtpClient(port)) {
            client.command("HELO client.example");
            client.command("MAIL FROM:<" + ALICE + ">");
            assertThat(client.command("RCPT TO:<" + rcpt + ">")).startsWith("250");
            String reply = client.data("Subject: queued\r\n\r\nhello bob\r\n");
            assertThat(reply).startsWith("250 2.0.0 queued as ");
            client.command("QUIT");
            return reply.substring("250 2.0.0 queued as ".length()).trim();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object json) {
        return (Map<String, Object>) json;
    }

    private List<LoggedEvent> eventsFor(int id, String queueId) {
        return site.events(id).stream()
                .filter(event -> queueId.equals(event.fields().get("queueId")))
                .toList();
    }

    private static boolean tryLock(Path spool) throws IOException {
        try (Spool probe = new Spool(spool, new EventLog())) {
            return probe.openIfIdle();
        }
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.findAny().isEmpty();
        }
    }
}
