package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.testing.PegasusScenario;
import org.listgate.testing.ServerProcess;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * listgate as a separate process: SIGKILL right after the 250 loses nothing; SIGTERM is clean;
 * SIGHUP reloads.
 */
class ProcessLifecycleTest {

    @TempDir Path dir;

    @Test
    void messageAcceptedJustBeforeKillDashNineIsDeliveredAfterRestart() throws Exception {
        PegasusScenario scenario = new PegasusScenario(2000);
        TestSite site =
                new TestSite(dir)
                        .users(List.of("alice@example.test"))
                        .users(scenario.users())
                        .lists(scenario.listFile("staff"));
        try (ServerProcess first = ServerProcess.start(site)) {
            try (SmtpClient client = new SmtpClient(first.port())) {
                client.command("HELO pegasus");
                client.command("MAIL FROM:<alice@example.test>");
                client.command("RCPT TO:<staff@example.test>");
                client.command("DATA");
                client.write(PegasusScenario.pegasusMessage("alice@example.test", "Staff list"));
                String reply = client.command(".");
                assertThat(reply).startsWith("250 2.0.0 queued as ");
                first.kill();
            }
        }
        // The 250 promised the message is on disk: it is still in the queue, not yet all delivered.
        try (var queued = Files.list(site.spoolQueue())) {
            assertThat(queued.count()).isEqualTo(1);
        }
        assertThat(site.deliveredTotal()).isLessThan(scenario.validMembers().size());

        try (ServerProcess second = ServerProcess.start(site)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> isEmpty(site.spoolQueue()));
            for (PegasusScenario.Member member : scenario.validMembers()) {
                assertThat(site.delivered(member.address())).as(member.address()).isNotEmpty();
            }
            assertThat(site.events(2005)).hasSize(1);
            assertThat(second.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void sigtermFinishesTheTransactionInFlightThenExitsZero() throws Exception {
        TestSite site = new TestSite(dir).users(List.of("alice@example.test", "bob@example.test"));
        try (ServerProcess server = ServerProcess.start(site);
                SmtpClient client = new SmtpClient(server.port())) {
            client.command("EHLO c");
            client.command("MAIL FROM:<alice@example.test>");
            client.command("RCPT TO:<bob@example.test>");
            assertThat(client.command("DATA")).startsWith("354");
            client.write("Subject: in flight\r\n\r\nfirst half\r\n");
            server.process().destroy(); // SIGTERM while the data is half sent
            Thread.sleep(300);
            assertThat(server.process().isAlive()).isTrue();
            client.write("second half\r\n");
            assertThat(client.command(".")).startsWith("250 2.0.0 queued as ");
            assertThat(server.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            assertThat(server.process().exitValue()).as(server.output()).isZero();
        }
        assertThat(site.delivered("bob@example.test")).hasSize(1);
        assertThat(site.events(1001)).hasSize(1);
    }

    @Test
    void sighupReloadsTheDirectoryAndTheServerGoesOn() throws Exception {
        TestSite site = new TestSite(dir).users(List.of("alice@example.test"));
        try (ServerProcess server = ServerProcess.start(site)) {
            int loads = site.events(1002).size();
            Process hup =
                    new ProcessBuilder("kill", "-HUP", Long.toString(server.process().pid()))
                            .start();
            assertThat(hup.waitFor()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> site.events(1002).size() > loads);
            // Without a handler the JVM would have ended on SIGHUP.
            assertThat(server.process().isAlive()).as(server.output()).isTrue();
            assertThat(server.terminate(Duration.ofSeconds(30))).as(server.output()).isZero();
        }
    }

    @Test
    void startsInWellUnderTwoSeconds() throws Exception {
        TestSite site = new TestSite(dir).users(List.of("alice@example.test"));
        long start = System.nanoTime();
        try (ServerProcess server = ServerProcess.start(site);
                SmtpClient client = new SmtpClient(server.port())) {
            assertThat(client.greeting()).startsWith("220 mx.example.test ESMTP");
            long millis = (System.nanoTime() - start) / 1_000_000;
            // A generous bound for a shared machine; the README quotes the measured figure.
            assertThat(millis).isLessThan(5000);
            assertThat(site.events(1000)).hasSize(1);
        }
    }

    private static boolean isEmpty(Path folder) throws java.io.IOException {
        try (var files = Files.list(folder)) {
            return files.findAny().isEmpty();
        }
    }
}
