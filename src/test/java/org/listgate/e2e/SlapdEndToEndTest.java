package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.ReplayRun;
import org.listgate.testing.Slapd;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * listgate on Debian's real slapd, started on loopback by the test: the Pegasus scenario as {@code
 * replay --write-directory --ldif} writes it, replayed with {@code --ldap} (every member's fate as
 * with the files, 0 mismatches), and an outage — slapd stopped — that makes RCPT answer 451 4.4.3
 * and an accepted message wait until slapd is back.
 */
class SlapdEndToEndTest extends GatewayTestBase {

    private static final long SEED = 11;
    private static final int MEMBERS = 1000;

    private Slapd slapd;

    @BeforeEach
    void needSlapd() {
        Assumptions.assumeTrue(
                Slapd.available(), "slapd is not installed (apt-get install slapd ldap-utils)");
    }

    @AfterEach
    void stopSlapd() {
        if (slapd != null) {
            slapd.close();
        }
    }

    private static ReplayRun replay(String... args) {
        return ReplayRun.of(args);
    }

    /** slapd loaded with the scenario's LDIF, and a listgate that reads it. */
    private TestSite listgateOnSlapd() throws Exception {
        Path scenario = dir.resolve("scenario");
        ReplayRun written =
                replay(
                        "--write-directory",
                        scenario.toString(),
                        "--ldif",
                        "--seed",
                        String.valueOf(SEED),
                        "--members",
                        String.valueOf(MEMBERS));
        assertThat(written.exit()).as(written.err()).isZero();
        slapd =
                Slapd.start(
                        dir.resolve("slapd"),
                        Files.readString(
                                scenario.resolve("directory.ldif"), StandardCharsets.UTF_8));
        site =
                new TestSite(dir.resolve("site"))
                        .property("relay.networks", "127.0.0.0/8")
                        .property("directory.type", "ldap")
                        .property("directory.ldap.urls", slapd.url())
                        .property("directory.ldap.baseDn", slapd.baseDn())
                        .property("directory.ldap.cacheTtl", "0")
                        .property("directory.ldap.timeout", "2s")
                        .property("queue.retry.initial", "1s")
                        .property("queue.retry.max", "2s")
                        .start();
        return site;
    }

    @Test
    void thePegasusScenarioFromSlapdMeetsEveryFateItMeetsFromTheFiles() throws Exception {
        TestSite listgate = listgateOnSlapd();

        ReplayRun run =
                replay(
                        "--port",
                        String.valueOf(listgate.port()),
                        "--seed",
                        String.valueOf(SEED),
                        "--members",
                        String.valueOf(MEMBERS),
                        "--ldap",
                        "--events",
                        listgate.dir().resolve("events.jsonl").toString(),
                        "--maildir",
                        listgate.dir().resolve("mail").toString(),
                        "--json");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        Map<String, Object> report = run.json();
        assertThat(report.get("survived")).isEqualTo(true);
        assertThat((List<?>) report.get("mismatches")).isEmpty();
        assertThat(listgate.events(9001)).isEmpty();
        assertThat(listgate.events(3014)).isEmpty();
    }

    @Test
    void slapdStoppedMeans451AndAWaitingMessageAndSlapdBackDeliversIt() throws Exception {
        TestSite listgate = listgateOnSlapd();
        String member = "u1@example.test";
        try (SmtpClient client = new SmtpClient(listgate.port())) {
            client.command("HELO pegasus.example.test");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<staff@example.test>")).startsWith("250 2.1.5");

            slapd.stop();

            assertThat(client.data("Subject: staff\r\n\r\nHello.\r\n")).startsWith("250 2.0.0");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<" + member + ">")).startsWith("451 4.4.3 ");
            assertThat(client.command("RSET")).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> listgate.events(3015).size() >= 2);
        assertThat(listgate.events(3014)).hasSize(1);
        assertThat(listgate.events(4037)).isEmpty();
        assertThat(listgate.events(2003)).isEmpty();
        assertThat(listgate.queueEmpty()).isFalse();

        slapd.restart();

        await().atMost(Duration.ofSeconds(60)).until(listgate::queueEmpty);
        assertThat(listgate.delivered(member)).hasSize(1);
        assertThat(listgate.events(1003)).hasSize(1);
        assertThat(listgate.events(9001)).isEmpty();
        // The scenario's invalid members, isolated once the list could be read: none for the
        // outage.
        assertThat(listgate.events(4037))
                .allSatisfy(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("stage", "expansion")
                                        .doesNotContainValue("4.4.3"));
    }
}
