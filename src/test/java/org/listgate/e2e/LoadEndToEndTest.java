package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.listgate.cli.Main;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.ScriptedSmtpServer;
import org.listgate.testing.TestSite;
import picocli.CommandLine;

/**
 * {@code listgate load} against a real listgate on a free loopback port: what it counts is what the
 * server did, it waits for the copies, it sends to lists, it counts refusals as errors, and a bad
 * command line is one line and exit 2.
 */
class LoadEndToEndTest extends GatewayTestBase {

    private static final int USERS = 20;

    private record Run(int exit, String out, String err) {
        Map<String, Object> json() throws Exception {
            return JSON.std.mapFrom(out);
        }
    }

    private static Run load(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        List<String> line = new ArrayList<>(List.of("load"));
        line.addAll(List.of(args));
        int exit = command.execute(line.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private static List<String> users() {
        List<String> users =
                new ArrayList<>(
                        IntStream.rangeClosed(1, USERS)
                                .mapToObj(n -> "u" + n + "@example.test")
                                .toList());
        users.add("load@example.test");
        return users;
    }

    private TestSite start(String lists) throws Exception {
        site = new TestSite(dir).users(users()).lists(lists).start();
        return site;
    }

    private String port() {
        return String.valueOf(site.port());
    }

    private String maildir() {
        return dir.resolve("mail").toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(Map<String, Object> report, String key) {
        return (Map<String, Object>) report.get(key);
    }

    @Test
    void countsEveryMessageAndRecipientAndWaitsForEveryCopy() throws Exception {
        start("");

        Run run =
                load(
                        "--port",
                        port(),
                        "--connections",
                        "4",
                        "--messages",
                        "40",
                        "--recipients",
                        "2",
                        "--users",
                        String.valueOf(USERS),
                        "--size",
                        "2000",
                        "--maildir",
                        maildir(),
                        "--json");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        Map<String, Object> report = run.json();
        assertThat(report)
                .containsEntry("accepted", 40)
                .containsEntry("notAccepted", 0)
                .containsEntry("acceptedRecipients", 80)
                .containsEntry("errors", List.of());
        assertThat(part(report, "deliveries"))
                .containsEntry("expected", 80)
                .containsEntry("delivered", 80)
                .containsEntry("complete", true);
        // The load waited: the copies are on disk when it returns, four for each user.
        assertThat(site.deliveredTotal()).isEqualTo(80);
        for (int n = 1; n <= USERS; n++) {
            assertThat(site.delivered("u" + n + "@example.test")).hasSize(4);
        }
    }

    @Test
    void withSeveralHostsAServerThatRefusesConnectionsIsPassedOver() throws Exception {
        start("");
        int closed;
        try (java.net.ServerSocket probe =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        String next = "127.0.0.1:" + port();

        Run run =
                load(
                        "--host",
                        "127.0.0.1:" + closed + "," + next,
                        "--connections",
                        "2",
                        "--messages",
                        "10",
                        "--users",
                        String.valueOf(USERS),
                        "--maildir",
                        maildir(),
                        "--json");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        Map<String, Object> report = run.json();
        assertThat(report)
                .containsEntry("accepted", 10)
                .containsEntry("notAccepted", 0)
                .containsEntry("acceptedByServer", Map.of(next, 10))
                .containsEntry("failovers", 0)
                .as("each of the two sessions passed over the closed port once")
                .containsEntry("passedOver", 2);
        assertThat(site.deliveredTotal()).isEqualTo(10);
    }

    @Test
    void aMessageWhoseServerDiesInItsMiddleIsSentAgainToTheNext() throws Exception {
        start("");
        String next = "127.0.0.1:" + port();
        try (ScriptedSmtpServer dying = ScriptedSmtpServer.crashAtRcpt(1)) {
            String first = "127.0.0.1:" + dying.port();

            Run run =
                    load(
                            "--host",
                            first + "," + next,
                            "--messages",
                            "5",
                            "--users",
                            String.valueOf(USERS),
                            "--maildir",
                            maildir());

            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(run.out())
                    .contains("servers      " + next + " accepted 5; 1 message sent again")
                    .contains("accepted     5 of 5 messages");
        }
        assertThat(site.deliveredTotal()).isEqualTo(5);
    }

    @Test
    void spreadOverTwoGatewaysPacedAndLoggedEachMessageNamesTheGatewayThatTookIt()
            throws Exception {
        start("");
        try (TestSite second =
                new TestSite(dir.resolve("second"))
                        .property("smtp.hostname", "mx2.example.test")
                        .users(users())
                        .lists("")
                        .start()) {
            String a = "127.0.0.1:" + port();
            String b = "127.0.0.1:" + second.port();
            java.nio.file.Path log = dir.resolve("messages.jsonl");
            long start = System.nanoTime();

            Run run =
                    load(
                            "--host",
                            a + "," + b,
                            "--spread",
                            "--rate",
                            "50",
                            "--connections",
                            "4",
                            "--messages",
                            "40",
                            "--users",
                            String.valueOf(USERS),
                            "--log",
                            log.toString(),
                            "--json");

            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(millis)
                    .as("40 messages at 50 a second take 0.78 s at least")
                    .isGreaterThan(780);
            @SuppressWarnings("unchecked")
            Map<String, Object> byServer = (Map<String, Object>) run.json().get("acceptedByServer");
            assertThat(byServer).containsOnlyKeys(a, b);
            assertThat(
                            ((Number) byServer.get(a)).intValue()
                                    + ((Number) byServer.get(b)).intValue())
                    .isEqualTo(40);
            List<Map<String, Object>> lines = new ArrayList<>();
            for (String line : java.nio.file.Files.readAllLines(log)) {
                lines.add(JSON.std.mapFrom(line));
            }
            assertThat(lines).hasSize(40);
            assertThat(lines).allSatisfy(line -> assertThat(line).containsEntry("accepted", true));
            assertThat(lines).extracting(line -> line.get("n")).doesNotHaveDuplicates();
            assertThat(lines)
                    .filteredOn(line -> line.get("server").equals(b))
                    .hasSize(((Number) byServer.get(b)).intValue());
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> site.deliveredTotal() + second.deliveredTotal() == 40);
            Map<String, Object> taken =
                    lines.stream()
                            .filter(line -> line.get("server").equals(b))
                            .findFirst()
                            .orElseThrow();
            assertThat(second.delivered(String.valueOf(taken.get("to"))))
                    .anySatisfy(
                            file ->
                                    assertThat(java.nio.file.Files.readString(file))
                                            .contains("Message-ID: " + taken.get("messageId")));
        }
    }

    @Test
    void aHostListWithAnItemThatIsNoHostIsOneLineAndExit2() {
        Run run = load("--host", "127.0.0.1,bad host:25", "--messages", "1");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo("listgate load: --host: not a host or host:port: 'bad host:25'");
    }

    @Test
    void aNewConnectionForEachMessageSendsAsManyAndPrintsTheReport() throws Exception {
        start("");

        Run run =
                load(
                        "--port",
                        port(),
                        "--connections",
                        "2",
                        "--messages",
                        "6",
                        "--new-connection-per-message",
                        "--users",
                        String.valueOf(USERS),
                        "--maildir",
                        maildir());

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("over 2 connections (a new one for each message)")
                .containsPattern("accepted +6 of 6 messages in [0-9.]+ s")
                .contains("errors       none")
                .containsPattern("delivered +6 of 6 files in [0-9.]+ s from the first MAIL")
                .contains("PASS");
        assertThat(site.deliveredTotal()).isEqualTo(6);
    }

    @Test
    void aListTargetWaitsForTheExpectedCopiesOfEachMessage() throws Exception {
        String members =
                String.join(
                        ", ",
                        IntStream.rangeClosed(1, 10)
                                .mapToObj(n -> "u" + n + "@example.test")
                                .toList());
        start("staff: " + members + "\n");

        Run run =
                load(
                        "--port",
                        port(),
                        "--messages",
                        "3",
                        "--list",
                        "staff@example.test",
                        "--maildir",
                        maildir(),
                        "--expect",
                        "10",
                        "--json");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        Map<String, Object> report = run.json();
        assertThat(report).containsEntry("accepted", 3).containsEntry("recipientsPerMessage", 1);
        assertThat(part(report, "deliveries"))
                .containsEntry("expected", 30)
                .containsEntry("delivered", 30);
        assertThat(site.delivered("u7@example.test")).hasSize(3);
    }

    @Test
    void refusedRecipientsAreErrorsCountedByReplyAndExit1() throws Exception {
        start("");

        // Numbers 1..22 in turn, 4 a message: the sixth message goes to u21, u22, u1 and u2, and
        // u21 and u22 do not exist. Every message is accepted, two of its 32 RCPTs are refused.
        Run run =
                load(
                        "--port",
                        port(),
                        "--messages",
                        "8",
                        "--to-pattern",
                        "u%d@example.test",
                        "--users",
                        "22",
                        "--recipients",
                        "4",
                        "--json");

        assertThat(run.exit()).isEqualTo(1);
        Map<String, Object> report = run.json();
        assertThat(report).containsEntry("accepted", 8).containsEntry("acceptedRecipients", 30);
        assertThat(report.get("errors"))
                .isEqualTo(List.of(Map.of("stage", "RCPT", "reply", "550 5.1.1", "count", 2)));
    }

    @Test
    void aMessageWithEveryRecipientRefusedIsNotAcceptedAndTheTableSaysSo() throws Exception {
        start("");

        Run run = load("--port", port(), "--messages", "3", "--to-pattern", "ghost%d@example.test");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out())
                .containsPattern("accepted +0 of 3 messages")
                .containsPattern("RCPT +550 5\\.1\\.1 +3")
                .contains("FAIL: 3 not accepted; 3 refusals or lost connections (exit 1)");
    }

    @Test
    void copiesThatNeverComeEndTheWaitAtTheTimeoutWithExit1() throws Exception {
        start("");

        Run run =
                load(
                        "--port",
                        port(),
                        "--messages",
                        "2",
                        "--users",
                        String.valueOf(USERS),
                        "--maildir",
                        maildir(),
                        "--expect",
                        "3",
                        "--timeout",
                        "1s",
                        "--json");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(part(run.json(), "deliveries"))
                .containsEntry("expected", 6)
                .containsEntry("delivered", 2)
                .containsEntry("complete", false);
    }

    @Test
    void idleConnectionsGetTheirBannersAndTheClientIsStillServed() throws Exception {
        start("");

        Run run =
                load(
                        "--port",
                        port(),
                        "--idle",
                        "30",
                        "--messages",
                        "5",
                        "--users",
                        String.valueOf(USERS),
                        "--json");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        Map<String, Object> report = run.json();
        assertThat(part(report, "idle")).containsEntry("wanted", 30).containsEntry("banners", 30);
        assertThat(report).containsEntry("accepted", 5);
    }

    @Test
    void aServerThatIsNotThereIsAnErrorForEachMessage() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        Run run = load("--port", String.valueOf(closed), "--messages", "3", "--json");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.json().get("errors"))
                .isEqualTo(
                        List.of(
                                Map.of(
                                        "stage", "connect",
                                        "reply", "connection refused",
                                        "count", 3)));
    }

    @Test
    void aBadCommandLineIsOneLineAndExit2() {
        for (String[] args :
                new String[][] {
                    {"--recipients", "2", "--list", "staff@example.test"},
                    {"--connections", "many"},
                    {"--list", "staff@example.test", "--maildir", "mail"},
                    {"--to-pattern", "u@example.test"},
                    {"--recipients", "5", "--users", "4"},
                    {"--timeout", "soon", "--maildir", "mail"}
                }) {
            Run run = load(args);

            assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.err().lines().count()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(run.err()).startsWith("listgate");
        }
    }
}
