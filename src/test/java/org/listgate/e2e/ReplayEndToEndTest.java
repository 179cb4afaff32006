package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.listgate.replay.Kind;
import org.listgate.replay.Scenario;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.ReplayRun;
import org.listgate.testing.ScriptedSmtpServer;
import org.listgate.testing.TestSite;

/**
 * {@code listgate replay} end to end: against a real listgate, in both modes; against a server that
 * dies in the middle of the RCPTs, as the IMS did; against one that accepts everything.
 */
class ReplayEndToEndTest extends GatewayTestBase {

    private static final long SEED = 20;
    private static final int MEMBERS = 1000;

    private static ReplayRun replay(String... args) {
        return ReplayRun.of(args);
    }

    /** A listgate that serves the list {@code replay --write-directory} writes for the seed. */
    private TestSite listgateForScenario() throws Exception {
        Path scenario = dir.resolve("scenario");
        ReplayRun written =
                replay("--write-directory", scenario.toString(), "--seed", String.valueOf(SEED));
        assertThat(written.exit()).as(written.err()).isZero();
        site =
                new TestSite(dir.resolve("site"))
                        .property("relay.networks", "127.0.0.0/8")
                        .users(
                                Files.readAllLines(
                                        scenario.resolve("users"), StandardCharsets.UTF_8))
                        .lists(Files.readString(scenario.resolve("lists"), StandardCharsets.UTF_8))
                        .start();
        return site;
    }

    @Test
    void serverListAgainstListgateIsolatesEveryInvalidMemberAndDeliversTheRest() throws Exception {
        TestSite listgate = listgateForScenario();

        ReplayRun run =
                replay(
                        "--port",
                        String.valueOf(listgate.port()),
                        "--seed",
                        String.valueOf(SEED),
                        "--events",
                        listgate.dir().resolve("events.jsonl").toString(),
                        "--maildir",
                        listgate.dir().resolve("mail").toString(),
                        "--json");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        Map<String, Object> report = run.json();
        assertThat(report.get("survived")).isEqualTo(true);
        assertThat((List<?>) report.get("mismatches")).isEmpty();
        Scenario scenario = Scenario.generate(SEED, MEMBERS, 0.1, "staff", TestSite.DOMAIN);
        Map<Kind, Integer> counts = scenario.counts();
        assertEveryKindMetItsFate(report, counts, "isolated");
        // What the report says is what the disk and the log say.
        int valid = counts.get(Kind.VALID) + counts.get(Kind.SOURCE_ROUTE);
        assertThat(scenario.users())
                .allSatisfy(user -> assertThat(listgate.delivered(user)).as(user).hasSize(1));
        assertThat(listgate.events(4037))
                .hasSize(MEMBERS - valid - counts.get(Kind.DUPLICATE) - counts.get(Kind.LIST_LOOP));
    }

    @Test
    void clientListAgainstListgateRefusesEveryInvalidMemberAtRcpt() throws Exception {
        TestSite listgate = listgateForScenario();

        ReplayRun run =
                replay(
                        "--port",
                        String.valueOf(listgate.port()),
                        "--seed",
                        String.valueOf(SEED),
                        "--mode",
                        "client-list",
                        "--ehlo",
                        "--events",
                        listgate.dir().resolve("events.jsonl").toString(),
                        "--maildir",
                        listgate.dir().resolve("mail").toString(),
                        "--json");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        Map<String, Object> report = run.json();
        assertThat((List<?>) report.get("mismatches")).isEmpty();
        assertEveryKindMetItsFate(
                report,
                Scenario.generate(SEED, MEMBERS, 0.1, "staff", TestSite.DOMAIN).counts(),
                "refused");
        // The terminal report says the same in words.
        ReplayRun text =
                replay(
                        "--port",
                        String.valueOf(listgate.port()),
                        "--seed",
                        String.valueOf(SEED),
                        "--mode",
                        "client-list");
        assertThat(text.exit()).isZero();
        assertThat(text.out())
                .contains(
                        "unknown local user",
                        "refused 550 5.1.1",
                        "server     survived",
                        "mismatches none",
                        "PASS");
    }

    @Test
    void repeatedSendsOverConcurrentConnectionsAreEachFollowedToTheirOwnCopies() throws Exception {
        TestSite listgate = listgateForScenario();

        ReplayRun run =
                replay(
                        "--port",
                        String.valueOf(listgate.port()),
                        "--seed",
                        String.valueOf(SEED),
                        "--repeat",
                        "6",
                        "--connections",
                        "3",
                        "--events",
                        listgate.dir().resolve("events.jsonl").toString(),
                        "--maildir",
                        listgate.dir().resolve("mail").toString(),
                        "--json");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        Map<String, Object> report = run.json();
        assertThat((List<?>) report.get("mismatches")).isEmpty();
        assertThat(number(map(report, "totals"), "members")).isEqualTo(6 * MEMBERS);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sends = (List<Map<String, Object>>) report.get("sendResults");
        assertThat(sends).extracting(s -> s.get("messageId")).doesNotHaveDuplicates().hasSize(6);
        Scenario scenario = Scenario.generate(SEED, MEMBERS, 0.1, "staff", TestSite.DOMAIN);
        assertThat(scenario.users())
                .allSatisfy(user -> assertThat(listgate.delivered(user)).as(user).hasSize(6));
    }

    @Test
    void aServerThatDiesInTheMiddleOfTheRcptsFailsAndTheReportSaysWhere() throws Exception {
        try (ScriptedSmtpServer ims = ScriptedSmtpServer.crashAtRcpt(300)) {
            ReplayRun run =
                    replay(
                            "--port",
                            String.valueOf(ims.port()),
                            "--seed",
                            String.valueOf(SEED),
                            "--mode",
                            "client-list",
                            "--timeout",
                            "5s");

            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
            assertThat(run.out())
                    .as(run.err())
                    .contains(
                            "DID NOT SURVIVE",
                            "connection reset by the server at RCPT #300 (member 3");
            assertThat(run.out())
                    .containsAnyOf(
                            "after the send: connection refused: nothing listens on 127.0.0.1:"
                                    + ims.port(),
                            "after the send: no banner: connection reset");
            assertThat(ims.queued()).isZero();
        }
        try (ScriptedSmtpServer ims = ScriptedSmtpServer.crashAtRcpt(300)) {
            Map<String, Object> report =
                    replay(
                                    "--port",
                                    String.valueOf(ims.port()),
                                    "--seed",
                                    String.valueOf(SEED),
                                    "--mode",
                                    "client-list",
                                    "--timeout",
                                    "5s",
                                    "--json")
                            .json();

            assertThat(report.get("survived")).isEqualTo(false);
            assertThat(report.get("exitCode")).isEqualTo(1);
            @SuppressWarnings("unchecked")
            Map<String, Object> failure =
                    ((List<Map<String, Object>>) report.get("sessionFailures")).get(0);
            assertThat(failure.get("loss")).isEqualTo("reset");
            // The 300th RCPT sent; a loop member before it is not sent, so it is member 300 or
            // later.
            assertThat((String) failure.get("at"))
                    .startsWith("RCPT #300 (member 3")
                    .contains(" of 1000, <");
            assertThat(number(map(map(report, "survival"), "afterSend"), "millis")).isNotNegative();
            assertThat(map(map(report, "survival"), "afterSend").get("alive"))
                    .as(report.toString())
                    .isEqualTo(false);
            assertThat(number(map(report, "totals"), "notSent")).isGreaterThan(650);
        }
    }

    @Test
    void aServerThatWedgesInTheMiddleOfTheRcptsFailsWithATimeoutAndNoBannerAfterwards()
            throws Exception {
        try (ScriptedSmtpServer wedged = ScriptedSmtpServer.hangAtRcpt(120)) {
            ReplayRun run =
                    replay(
                            "--port",
                            String.valueOf(wedged.port()),
                            "--seed",
                            String.valueOf(SEED),
                            "--mode",
                            "client-list",
                            "--timeout",
                            "1s");

            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
            assertThat(run.out())
                    .contains(
                            "DID NOT SURVIVE",
                            "no reply in time (no reply within 1 s) at RCPT #120",
                            "after the send: no banner: no reply in time");
        }
    }

    @Test
    void aServerThatAcceptsEveryRcptHasEveryInvalidMemberReportedAsAMismatch() throws Exception {
        try (ScriptedSmtpServer acceptAll = ScriptedSmtpServer.acceptAll()) {
            ReplayRun run =
                    replay(
                            "--port",
                            String.valueOf(acceptAll.port()),
                            "--seed",
                            String.valueOf(SEED),
                            "--mode",
                            "client-list",
                            "--json");

            Map<Kind, Integer> counts =
                    Scenario.generate(SEED, MEMBERS, 0.1, "staff", TestSite.DOMAIN).counts();
            int shouldBeRefused = 0;
            for (Kind kind : Kind.values()) {
                if (!List.of(Kind.VALID, Kind.SOURCE_ROUTE, Kind.DUPLICATE, Kind.LIST_LOOP)
                        .contains(kind)) {
                    shouldBeRefused += counts.get(kind);
                }
            }
            assertThat(run.exit()).as(run.err()).isEqualTo(3);
            Map<String, Object> report = run.json();
            assertThat(report.get("survived")).isEqualTo(true);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> mismatches =
                    (List<Map<String, Object>>) report.get("mismatches");
            assertThat(mismatches).hasSize(shouldBeRefused);
            assertThat(mismatches).extracting(m -> m.get("observed")).containsOnly("accepted");
            assertThat(mismatches)
                    .anySatisfy(
                            m -> {
                                assertThat(m.get("kind")).isEqualTo("unknown-user");
                                assertThat(m.get("expected")).isEqualTo("refused 550 5.1.1");
                            });
            assertThat(acceptAll.rcpts()).isEqualTo(MEMBERS - counts.get(Kind.LIST_LOOP));
        }
    }

    @Test
    void aServerThatAcceptsTheListButDeliversNothingLeavesEveryRecipientUnaccounted()
            throws Exception {
        Path emptyMaildir = Files.createDirectories(dir.resolve("mail"));
        try (ScriptedSmtpServer acceptAll = ScriptedSmtpServer.acceptAll()) {
            ReplayRun run =
                    replay(
                            "--port",
                            String.valueOf(acceptAll.port()),
                            "--seed",
                            String.valueOf(SEED),
                            "--maildir",
                            emptyMaildir.toString(),
                            "--wait",
                            "1s");

            assertThat(run.exit()).as(run.err()).isEqualTo(3);
            int loops =
                    Scenario.generate(SEED, MEMBERS, 0.1, "staff", TestSite.DOMAIN)
                            .counts()
                            .get(Kind.LIST_LOOP);
            assertThat(run.out())
                    .contains(
                            "mismatches " + String.format("%,d", MEMBERS - loops),
                            "expected delivered, got unaccounted",
                            "server     survived");
        }
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() {
        for (String[] args :
                new String[][] {
                    {"--invalid", "1.5"},
                    {"--mode", "sideways"},
                    {"--members", "0"},
                    {"--wait", "soon"},
                    {"--port", "70000"},
                    {"--connections", "0"},
                    {"--list", "bad list"}
                }) {
            ReplayRun run = replay(args);
            assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err().strip())
                    .startsWith("listgate replay: ")
                    .doesNotContain("\n")
                    .doesNotContain("Exception");
        }
    }

    /**
     * Each kind's row counts the scenario's members of that kind, all in the column of their fate:
     * delivered, skipped (duplicates, loops), or {@code invalidColumn} for the invalid kinds.
     */
    private static void assertEveryKindMetItsFate(
            Map<String, Object> report, Map<Kind, Integer> counts, String invalidColumn) {
        assertThat(rows(report)).hasSize(Kind.values().length);
        for (Map<String, Object> row : rows(report)) {
            Kind kind = kind(row);
            int members = counts.get(kind);
            assertThat(number(row, "members")).as(kind.key()).isEqualTo(members);
            String column =
                    switch (kind) {
                        case VALID, SOURCE_ROUTE -> "delivered";
                        case DUPLICATE, LIST_LOOP -> "skipped";
                        default -> invalidColumn;
                    };
            assertThat(number(row, column)).as(kind.key() + " " + column).isEqualTo(members);
            assertThat(number(row, "mismatches")).as(kind.key()).isZero();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("kinds");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    private static Kind kind(Map<String, Object> row) {
        return Kind.valueOf(((String) row.get("kind")).toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    private static int number(Map<String, Object> json, String key) {
        return ((Number) json.get(key)).intValue();
    }
}
