package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.PegasusScenario;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * {@code /metrics} and {@code /health} over HTTP on loopback: after the Pegasus scenario (a
 * 1,000-member list, one in ten invalid) the counters have moved by exactly what happened, the text
 * is Prometheus exposition ({@code promtool check metrics} where installed), and health turns 503,
 * naming the spool, when the spool cannot be written.
 */
class MetricsEndToEndTest extends GatewayTestBase {

    private final HttpClient http = HttpClient.newHttpClient();

    private int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Every sample line as name{labels} → value (comments left out). */
    private static Map<String, Double> samples(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    @Test
    void aPegasusSendMovesEachCounterByWhatHappenedAndHealthNamesABrokenSpool() throws Exception {
        PegasusScenario scenario = new PegasusScenario(1000);
        int port = freePort();
        site =
                new TestSite(dir)
                        .users(List.of("alice@example.test"))
                        .users(scenario.users())
                        .lists(scenario.listFile("staff"))
                        .property("metrics.port", String.valueOf(port))
                        .start();
        assertThat(get(port, "/health").statusCode()).isEqualTo(200);

        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("HELO pegasus.example.test");
            client.command("MAIL FROM:<alice@example.test>");
            assertThat(client.command("RCPT TO:<staff@example.test>")).startsWith("250");
            assertThat(client.data(PegasusScenario.pegasusMessage("alice@example.test", "Staff")))
                    .startsWith("250 2.0.0");
        }
        await().atMost(Duration.ofSeconds(60)).until(site::queueEmpty);

        HttpResponse<String> scrape = get(port, "/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type"))
                .get()
                .asString()
                .startsWith("text/plain");
        Map<String, Double> metrics = samples(scrape.body());
        int valid = scenario.validMembers().size();
        int invalid = scenario.invalidMembers().size();
        assertThat(metrics)
                .containsEntry("listgate_smtpd_messages_accepted_total", 1.0)
                .containsEntry("listgate_smtpd_recipients_accepted_total", 1.0)
                .containsEntry(
                        "listgate_recipients_isolated_total{stage=\"expansion\"}", (double) invalid)
                // Every valid member, and the report on the invalid ones to alice.
                .containsEntry("listgate_recipients_delivered_total{route=\"local\"}", valid + 1.0)
                .containsEntry("listgate_recipients_bounced_total", (double) invalid)
                .containsEntry(
                        "listgate_events_total{id=\"4037\",type=\"Warning\"}", (double) invalid)
                .containsEntry("listgate_list_expansion_members_count", 1.0)
                .containsEntry("listgate_list_expansion_members_sum", 1000.0)
                .containsEntry("listgate_queue_messages", 0.0)
                .containsEntry("listgate_smtpd_connections_total", 1.0)
                .containsEntry("listgate_smtpd_connections_open", 0.0)
                .containsKey("listgate_delivery_latency_seconds_count{route=\"local\"}")
                .containsKey("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}");
        assertThat(metrics).doesNotContainKey("listgate_events_total{id=\"9001\",type=\"Error\"}");
        promtoolAccepts(scrape.body());

        // The spool's tmp/ is no folder any more: nothing can be written into it.
        Path tmp = site.dir().resolve("spool/tmp");
        Files.delete(tmp);
        Files.writeString(tmp, "not a folder", StandardCharsets.UTF_8);
        HttpResponse<String> health = get(port, "/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body())
                .contains("\"status\":\"unhealthy\"", "\"smtp\":\"ok\"", "\"directory\":\"ok\"")
                .contains("\"spool\":\"cannot write ");

        Files.delete(tmp);
        Files.createDirectory(tmp);
        assertThat(get(port, "/health").body()).startsWith("{\"status\":\"ok\"");
        assertThat(get(port, "/nothing").statusCode()).isEqualTo(404);
    }

    /** {@code promtool check metrics}, where the prometheus package is installed. */
    private void promtoolAccepts(String text) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            return;
        }
        Process check =
                new ProcessBuilder(promtool.toString(), "check", "metrics")
                        .redirectErrorStream(true)
                        .start();
        try (var in = check.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // Lint notes about names of the JVM binders are not errors; a parse error is.
        assertThat(output).doesNotContain("error while linting", "text format parsing error");
        assertThat(check.exitValue()).as(output).isIn(0, 3);
    }
}
