package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.PegasusScenario;
import org.listgate.testing.TestSite;

/**
 * swaks, a client listgate did not write, sends the README's walk-through message. In CI (where
 * .ci/run installs swaks) a missing swaks is a failure, not a skip.
 */
class SwaksTest extends GatewayTestBase {

    @Test
    void swaksSendsAPegasusStyleMessageToTheList() throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/swaks"));
        if (System.getenv("CI") != null) {
            assertThat(installed).as("swaks must be installed by .ci/run").isTrue();
        }
        Assumptions.assumeTrue(installed, "swaks is not installed");
        PegasusScenario scenario = new PegasusScenario(100);
        site =
                new TestSite(dir)
                        .users(List.of("alice@example.test"))
                        .users(scenario.users())
                        .lists(scenario.listFile("staff"))
                        .start();
        Path message = dir.resolve("message.eml");
        Files.writeString(
                message, PegasusScenario.pegasusMessage("alice@example.test", "Staff list"));
        Process swaks =
                new ProcessBuilder(
                                "swaks",
                                "--server",
                                "127.0.0.1",
                                "--port",
                                String.valueOf(site.port()),
                                "--helo",
                                "pegasus.example.test",
                                "--protocol",
                                "SMTP",
                                "--from",
                                "alice@example.test",
                                "--to",
                                "staff@example.test,ghost@example.test",
                                "--data",
                                "@" + message)
                        .redirectErrorStream(true)
                        .start();
        String transcript =
                new String(swaks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(swaks.waitFor()).as(transcript).isZero();
        assertThat(transcript).contains("<** 550 5.1.1").contains("<-  250 2.0.0 queued as ");

        await().atMost(Duration.ofSeconds(30)).until(site::queueEmpty);
        // Every member plus one report to the sender on the isolated ones (RFC 3464, one per
        // message).
        assertThat(site.deliveredTotal()).isEqualTo(scenario.validMembers().size() + 1);
        assertThat(site.delivered("alice@example.test"))
                .singleElement()
                .satisfies(
                        report ->
                                assertThat(java.nio.file.Files.readString(report))
                                        .contains("report-type=delivery-status")
                                        .contains("Action: failed"));
        assertThat(site.events(4037)).hasSize(scenario.invalidMembers().size() + 1);
        assertThat(site.events(9001)).isEmpty();
    }
}
