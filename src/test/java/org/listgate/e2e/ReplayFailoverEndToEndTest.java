package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.listgate.replay.Scenario;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.Loopback;
import org.listgate.testing.ReplayRun;
import org.listgate.testing.ScriptedSmtpServer;
import org.listgate.testing.ServerProcess;
import org.listgate.testing.SmtpFaultProxy;
import org.listgate.testing.TestSite;

/**
 * {@code listgate replay --host a,b,...}: each send tries the servers in turn, as an MTA tries MX
 * hosts. A host that refuses the connection, loses it, or says 421 passes the send on to the next
 * with what it did not settle; a permanent refusal ends the send. The report says which host took
 * each send and counts the failovers; every host must survive its probes.
 */
class ReplayFailoverEndToEndTest extends GatewayTestBase {

    private static final long SEED = 20;
    private static final int MEMBERS = 1000;

    private final Scenario scenario =
            Scenario.generate(SEED, MEMBERS, 0.1, "staff", TestSite.DOMAIN);

    @Test
    void aHostThatRefusesConnectionsIsPassedOverAndTheNextTakesEverySend() throws Exception {
        TestSite listgate = gateway(dir.resolve("site"), "").start();
        site = listgate;
        String closed = "127.0.0.1:" + Loopback.freePort();
        String next = "127.0.0.1:" + listgate.port();

        ReplayRun run =
                replay(
                        "--host",
                        closed + "," + next,
                        "--repeat",
                        "3",
                        "--events",
                        listgate.dir().resolve("events.jsonl").toString(),
                        "--maildir",
                        listgate.dir().resolve("mail").toString(),
                        "--json");

        // Every recipient met its fate through the second host; the first fails its probes, so
        // the run does not pass: a refused connection is no dropped session, but no survival.
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        Map<String, Object> report = run.json();
        assertThat((List<?>) report.get("mismatches")).isEmpty();
        assertThat(report.get("survived")).isEqualTo(false);
        assertThat((List<?>) report.get("sessionFailures")).isEmpty();
        assertThat(report.get("failovers")).isEqualTo(3);
        assertThat(map(report, "server"))
                .containsEntry("host", "127.0.0.1")
                .containsEntry("port", Integer.parseInt(closed.substring(10)));
        List<Map<String, Object>> servers = list(report, "servers");
        assertThat(servers).extracting(s -> s.get("server")).containsExactly(closed, next);
        assertThat(servers.get(0)).containsEntry("sends", 0).containsEntry("failovers", 3);
        assertThat(servers.get(1)).containsEntry("sends", 3).containsEntry("failovers", 0);
        assertThat(map(map(servers.get(0), "survival"), "afterSend").get("alive")).isEqualTo(false);
        assertThat(map(map(servers.get(1), "survival"), "afterSend").get("alive")).isEqualTo(true);
        assertThat(map(map(servers.get(1), "survival"), "afterFates").get("alive")).isEqualTo(true);
        for (Map<String, Object> send : list(report, "sendResults")) {
            assertThat(send).containsEntry("servers", List.of(next)).containsEntry("failovers", 1);
            Map<String, Object> movedOn = list(send, "movedOn").get(0);
            assertThat(movedOn)
                    .containsEntry("server", closed)
                    .containsEntry("loss", "refused")
                    .containsEntry("at", "connect")
                    .containsEntry("dropped", false);
        }
        assertThat(scenario.users())
                .allSatisfy(user -> assertThat(listgate.delivered(user)).as(user).hasSize(3));

        Path html = dir.resolve("report.html");
        ReplayRun text = replay("--host", closed + "," + next, "--html", html.toString());
        assertThat(text.exit()).isEqualTo(1);
        assertThat(Files.readString(html, StandardCharsets.UTF_8))
                .contains(
                        "<dt>taken by</dt><dd>"
                                + closed
                                + " took 0 sends, "
                                + next
                                + " took 1; 1 failover",
                        "<dt>send 1 on "
                                + closed
                                + "</dt><dd>connection refused at connect; on to the next",
                        "<dt>after the send, " + next + "</dt><dd>alive: ");
        assertThat(text.out())
                .contains(
                        "servers " + closed + ", " + next + " (tried in turn), 1 send",
                        "servers    " + closed + " took 0 sends, " + next + " took 1; 1 failover",
                        "server     DID NOT SURVIVE",
                        "send 1 on " + closed + ": connection refused at connect; on to the next",
                        "after the send, " + closed + ": connection refused: nothing listens on",
                        "after the send, " + next + ": a new connection got \"220",
                        "mismatches none",
                        "FAIL: not every server survived the scenario (exit 1)");
    }

    @Test
    void twoGatewaysWithTheirOwnLogsAndMaildirsShareTheSendsWhenTheFirstSays421AtData()
            throws Exception {
        // Each gateway is its own process with its own event log and Maildirs; at most 300
        // recipients a transaction, so that a client-list send is several transactions.
        TestSite first = gateway(dir.resolve("a"), "300");
        TestSite second = gateway(dir.resolve("b"), "300");
        try (ServerProcess a = ServerProcess.start(first);
                ServerProcess b = ServerProcess.start(second);
                // The second DATA is the second transaction of send 1: its first is queued on a.
                SmtpFaultProxy goingAway = SmtpFaultProxy.says421AtData(a.port(), 2)) {
            String hostA = "127.0.0.1:" + goingAway.port();
            String hostB = "127.0.0.1:" + b.port();

            ReplayRun run =
                    replay(
                            "--host",
                            hostA + "," + hostB,
                            "--mode",
                            "client-list",
                            "--repeat",
                            "2",
                            "--events",
                            first.dir().resolve("events.jsonl").toString(),
                            "--events",
                            second.dir().resolve("events.jsonl").toString(),
                            "--maildir",
                            first.dir().resolve("mail").toString(),
                            "--maildir",
                            second.dir().resolve("mail").toString(),
                            "--json");

            // A 421 is an orderly answer: every session ended in words and every host answers
            // its probes, so the run passes, and every recipient met its fate.
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            Map<String, Object> report = run.json();
            assertThat((List<?>) report.get("mismatches")).isEmpty();
            assertThat(report.get("survived")).isEqualTo(true);
            assertThat(report.get("fatesFrom")).isEqualTo(List.of("events", "maildir"));
            assertThat(report.get("failovers")).isEqualTo(1);
            List<Map<String, Object>> servers = list(report, "servers");
            assertThat(servers.get(0))
                    .containsEntry("server", hostA)
                    .containsEntry("sends", 2)
                    .containsEntry("failovers", 1);
            assertThat(servers.get(1))
                    .containsEntry("server", hostB)
                    .containsEntry("sends", 1)
                    .containsEntry("failovers", 0);
            List<Map<String, Object>> sends = list(report, "sendResults");
            assertThat(sends.get(0))
                    .containsEntry("servers", List.of(hostA, hostB))
                    .containsEntry("failovers", 1);
            assertThat(list(sends.get(0), "movedOn").get(0))
                    .containsEntry("server", hostA)
                    .containsEntry("at", "DATA")
                    .containsEntry("dropped", false);
            assertThat(sends.get(1))
                    .containsEntry("servers", List.of(hostA))
                    .containsEntry("failovers", 0);
            // Send 1's first transaction stayed with a, the rest went to b: both delivered some.
            assertThat(first.deliveredTotal()).isPositive();
            assertThat(second.deliveredTotal()).isPositive();
            assertThat(goingAway.datas()).as("send 2 went through the proxy").isGreaterThan(2);
            // None delivered twice: a mailbox in the list once has one copy of each send, from
            // one gateway or the other.
            for (String mailbox : listedOnce()) {
                assertThat(first.delivered(mailbox).size() + second.delivered(mailbox).size())
                        .as(mailbox)
                        .isEqualTo(2);
            }
        }
    }

    @Test
    void aSessionLostAtDataIsSentAgainToTheNextButTheLostSessionFailsSurvival() throws Exception {
        TestSite listgate = gateway(dir.resolve("site"), "").start();
        site = listgate;
        try (ScriptedSmtpServer dropping = ScriptedSmtpServer.closeAtData()) {
            String first = "127.0.0.1:" + dropping.port();
            String next = "127.0.0.1:" + listgate.port();

            ReplayRun run =
                    replay(
                            "--host",
                            first + "," + next,
                            "--repeat",
                            "2",
                            "--events",
                            listgate.dir().resolve("events.jsonl").toString(),
                            "--maildir",
                            listgate.dir().resolve("mail").toString());

            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
            assertThat(run.out())
                    .contains(
                            "servers    "
                                    + first
                                    + " took 0 sends, "
                                    + next
                                    + " took 2; 2 failovers",
                            "server     DID NOT SURVIVE",
                            "send 1 on "
                                    + first
                                    + ": connection closed by the server at DATA; on to the next",
                            "send 2 on " + first,
                            "mismatches none");
            // The list's RCPT was accepted by the first host, which took no message: every
            // member went again to the next, once.
            assertThat(dropping.queued()).isZero();
            assertThat(scenario.users())
                    .allSatisfy(user -> assertThat(listgate.delivered(user)).as(user).hasSize(2));
        }
    }

    @Test
    void aPermanentRefusalEndsTheSendWithoutTryingTheNextHost() throws Exception {
        try (ScriptedSmtpServer refusing = ScriptedSmtpServer.refusingBanner();
                ScriptedSmtpServer next = ScriptedSmtpServer.acceptAll()) {
            String first = "127.0.0.1:" + refusing.port();

            Map<String, Object> report =
                    replay(
                                    "--host",
                                    first + ",127.0.0.1:" + next.port(),
                                    "--timeout",
                                    "5s",
                                    "--json")
                            .json();

            assertThat(next.rcpts()).isZero();
            assertThat(report.get("failovers")).isEqualTo(0);
            Map<String, Object> failure = list(report, "sessionFailures").get(0);
            assertThat(failure)
                    .containsEntry("server", first)
                    .containsEntry("at", "banner")
                    .containsEntry("dropped", false);
            assertThat((String) failure.get("detail")).startsWith("554 5.3.2");
            // The first host's banner refuses every connection, its probe's too.
            assertThat(report.get("exitCode")).isEqualTo(1);
        }
    }

    @Test
    void aHostListWithAnItemThatIsNoHostIsOneLineAndExit2() {
        for (String[] args :
                new String[][] {
                    {"--host", "127.0.0.1,bad host:25"},
                    {"--host", "127.0.0.1:2525,[::1]:99999"},
                    {"--host", "127.0.0.1:25,127.0.0.1", "--port", "25"}
                }) {
            ReplayRun run = replay(args);

            assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err().strip())
                    .startsWith("listgate replay: --host: ")
                    .doesNotContain("\n")
                    .doesNotContain("Exception");
        }
        assertThat(replay("--host", "127.0.0.1,bad host:25").err().strip())
                .isEqualTo("listgate replay: --host: not a host or host:port: 'bad host:25'");
    }

    /** {@code listgate replay --seed SEED ARGS}. */
    private static ReplayRun replay(String... args) {
        List<String> line = new ArrayList<>(List.of("--seed", String.valueOf(SEED)));
        line.addAll(List.of(args));
        return ReplayRun.of(line.toArray(String[]::new));
    }

    /**
     * A gateway for the scenario in {@code folder}, files written, not started; {@code
     * maxRecipients} empty for the default.
     */
    private TestSite gateway(Path folder, String maxRecipients) throws Exception {
        Path written = dir.resolve("scenario");
        if (!Files.exists(written)) {
            ReplayRun run = replay("--write-directory", written.toString());
            assertThat(run.exit()).as(run.err()).isZero();
        }
        TestSite gateway =
                new TestSite(folder)
                        .property("relay.networks", "127.0.0.0/8")
                        .users(Files.readAllLines(written.resolve("users"), StandardCharsets.UTF_8))
                        .lists(Files.readString(written.resolve("lists"), StandardCharsets.UTF_8));
        return maxRecipients.isEmpty()
                ? gateway
                : gateway.property("limits.maxRecipients", maxRecipients);
    }

    /** The scenario's mailboxes that the list names once only. */
    private List<String> listedOnce() {
        Map<String, Integer> named = new HashMap<>();
        for (Scenario.Member member : scenario.members()) {
            member.mailbox()
                    .ifPresent(m -> named.merge(m.toLowerCase(Locale.ROOT), 1, Integer::sum));
        }
        return scenario.users().stream()
                .filter(user -> named.getOrDefault(user.toLowerCase(Locale.ROOT), 0) == 1)
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> json, String key) {
        return (List<Map<String, Object>>) json.get(key);
    }
}
