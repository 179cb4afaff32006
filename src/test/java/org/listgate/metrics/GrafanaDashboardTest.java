package org.listgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * {@code config/grafana-dashboard.json} is a Grafana dashboard that imports with any Prometheus
 * data source, and every metric its queries use is in a real {@code /metrics} scrape: a gateway is
 * started and sent mail that moves every counter the dashboard draws (accepted, refused at RCPT and
 * at DATA, isolated, delivered, deferred, failed and reported, a list expanded, a fault caught as
 * 9001). Label values a query selects ({@code id="9001"}, {@code area="heap"}) and the labels it
 * groups by ({@code route}, {@code class}) must be in that scrape too. Where {@code promtool} is
 * installed, every query must parse as PromQL.
 */
class GrafanaDashboardTest extends GatewayTestBase {

    private static final Path DASHBOARD = Path.of("config/grafana-dashboard.json");
    private static final String DATASOURCE = "${DS_PROMETHEUS}";
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    /** Labels Prometheus adds when it scrapes: never in the text listgate serves. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    private static final Pattern MATCHER =
            Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"((?:\\\\.|[^\"\\\\])*)\"");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:\\\\.|[^\"\\\\])*)\"");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([\\w:]+)");

    private static Map<String, Object> dashboard;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void read() throws IOException {
        dashboard = JSON.std.mapFrom(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
    }

    // ---- the dashboard's shape ------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    /** Every panel, rows and the panels of collapsed rows included. */
    private static List<Map<String, Object>> panels() {
        List<Map<String, Object>> panels = new ArrayList<>();
        for (Map<String, Object> panel : list(dashboard.get("panels"))) {
            panels.add(panel);
            if (panel.containsKey("panels")) {
                panels.addAll(list(panel.get("panels")));
            }
        }
        return panels;
    }

    /** Every PromQL expression: the panels' targets and the query variables. */
    private static List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        for (Map<String, Object> panel : panels()) {
            if (panel.containsKey("targets")) {
                for (Map<String, Object> target : list(panel.get("targets"))) {
                    expressions.add((String) target.get("expr"));
                }
            }
        }
        return expressions;
    }

    private static List<Map<String, Object>> variables() {
        return list(map(dashboard.get("templating")).get("list"));
    }

    @Test
    void isADashboardThatImportsWithAnyPrometheusDataSource() {
        assertThat(dashboard)
                .containsEntry("title", "listgate")
                .containsEntry("uid", "listgate")
                .containsKeys("time", "panels", "templating", "annotations");
        assertThat(((Number) dashboard.get("schemaVersion")).intValue()).isBetween(36, 41);
        assertThat(list(dashboard.get("__inputs")))
                .singleElement()
                .satisfies(
                        input ->
                                assertThat(input)
                                        .containsEntry("name", "DS_PROMETHEUS")
                                        .containsEntry("type", "datasource")
                                        .containsEntry("pluginId", "prometheus"));
        assertThat(variables())
                .filteredOn(variable -> "instance".equals(variable.get("name")))
                .singleElement()
                .satisfies(
                        variable -> {
                            assertThat(variable).containsEntry("type", "query");
                            assertThat(map(variable.get("datasource")))
                                    .containsEntry("type", "prometheus")
                                    .containsEntry("uid", DATASOURCE);
                        });
    }

    @Test
    void panelsHaveUniqueIdsAPlaceOnTheGridAndThePrometheusDataSource() {
        Set<Integer> ids = new HashSet<>();
        List<int[]> places = new ArrayList<>();
        for (Map<String, Object> panel : panels()) {
            String title = (String) panel.get("title");
            assertThat(title).as("a panel's title").isNotBlank();
            assertThat(ids.add(((Number) panel.get("id")).intValue())).as(title + ": id").isTrue();
            Map<String, Object> grid = map(panel.get("gridPos"));
            int[] place = new int[4];
            for (int i = 0; i < 4; i++) {
                place[i] = ((Number) grid.get(List.of("x", "y", "w", "h").get(i))).intValue();
            }
            assertThat(place[0] >= 0 && place[2] > 0 && place[0] + place[2] <= 24)
                    .as(title + ": within the 24 columns")
                    .isTrue();
            for (int[] other : places) {
                boolean overlaps =
                        place[0] < other[0] + other[2]
                                && other[0] < place[0] + place[2]
                                && place[1] < other[1] + other[3]
                                && other[1] < place[1] + place[3];
                assertThat(overlaps).as(title + ": overlaps another panel").isFalse();
            }
            places.add(place);
            if ("row".equals(panel.get("type"))) {
                continue;
            }
            assertThat(map(panel.get("datasource")))
                    .as(title)
                    .containsEntry("type", "prometheus")
                    .containsEntry("uid", DATASOURCE);
            List<Map<String, Object>> targets = list(panel.get("targets"));
            assertThat(targets).as(title).isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (Map<String, Object> target : targets) {
                assertThat(refIds.add((String) target.get("refId"))).as(title + ": refId").isTrue();
                assertThat(map(target.get("datasource"))).containsEntry("uid", DATASOURCE);
                assertThat((String) target.get("expr")).as(title).isNotBlank();
            }
        }
        assertThat(ids).hasSizeGreaterThan(15);
    }

    @Test
    void everySelectorIsLimitedToTheChosenInstances() {
        for (String expr : expressions()) {
            assertThat(PromQl.selectors(expr)).as(expr).isNotEmpty();
            for (PromQl.Selector selector : PromQl.selectors(expr)) {
                assertThat(selector.matchers()).as(expr).contains("instance=~\"$instance\"");
            }
        }
    }

    // ---- against a real scrape ------------------------------------------------------------------

    /** Each metric of a scrape: the label sets of its samples. */
    private static Map<String, List<Map<String, String>>> samples(String text) {
        Map<String, List<Map<String, String>>> samples = new HashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            int end = brace >= 0 && brace < space ? brace : space;
            Map<String, String> labels = new LinkedHashMap<>();
            if (end == brace) {
                Matcher label = LABEL.matcher(line.substring(brace, line.lastIndexOf('}')));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.computeIfAbsent(line.substring(0, end), name -> new ArrayList<>()).add(labels);
        }
        return samples;
    }

    /** What in {@code expr} the scrape does not have: metric names, selected values, labels. */
    private static List<String> missing(
            String expr, Map<String, List<Map<String, String>>> scrape) {
        List<String> missing = new ArrayList<>();
        Set<String> names = PromQl.metricNames(expr);
        for (String name : names) {
            if (!scrape.containsKey(name)) {
                missing.add(name);
            }
        }
        for (PromQl.Selector selector : PromQl.selectors(expr)) {
            List<Map<String, String>> series = scrape.getOrDefault(selector.name(), List.of());
            Matcher matcher = MATCHER.matcher(selector.matchers());
            while (matcher.find()) {
                String label = matcher.group(1);
                String value = matcher.group(3);
                if (TARGET_LABELS.contains(label) || value.contains("$")) {
                    continue;
                }
                boolean found =
                        matcher.group(2).equals("=")
                                ? series.stream().anyMatch(s -> value.equals(s.get(label)))
                                : series.stream().anyMatch(s -> s.containsKey(label));
                if (!found) {
                    missing.add(selector.name() + "{" + label + matcher.group(2) + value + "}");
                }
            }
        }
        for (String wanted : PromQl.groupingLabels(expr)) {
            if (!TARGET_LABELS.contains(wanted)) {
                boolean found =
                        names.stream()
                                .flatMap(name -> scrape.getOrDefault(name, List.of()).stream())
                                .anyMatch(s -> s.containsKey(wanted));
                if (!found) {
                    missing.add("label " + wanted + " on " + names);
                }
            }
        }
        return missing;
    }

    private int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private String scrape(int port) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void everyMetricTheDashboardQueriesIsInARealScrape() throws Exception {
        int port = freePort();
        site =
                new TestSite(dir)
                        .users(
                                List.of(
                                        "alice@example.test",
                                        "carol@example.test",
                                        "bob@example.test",
                                        "crash@example.test",
                                        "full@example.test"))
                        .lists("staff: alice@example.test, carol@example.test, gone@example.test\n")
                        .property("metrics.port", String.valueOf(port))
                        .property(
                                "fault.inject",
                                "delivery:crash@example.test, spool:full@example.test");
        // A file where bob's Maildir should be: his copy is deferred (3004).
        Files.createDirectories(site.maildir("bob@example.test").getParent());
        Files.writeString(site.maildir("bob@example.test"), "not a folder");
        site.start();

        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("HELO client.example.test");
            client.command("MAIL FROM:<alice@example.test>");
            assertThat(client.command("RCPT TO:<staff@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<bob@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<crash@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<nobody@example.test>")).startsWith("550");
            assertThat(client.data("Subject: every counter\r\n\r\nbody\r\n"))
                    .startsWith("250 2.0.0");
            client.command("MAIL FROM:<alice@example.test>");
            assertThat(client.command("RCPT TO:<full@example.test>")).startsWith("250");
            assertThat(client.data("Subject: no room\r\n\r\nbody\r\n")).startsWith("452");
        }
        // The collector's pause timer appears with the first collection.
        System.gc();

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(
                        () -> {
                            Map<String, List<Map<String, String>>> scrape = samples(scrape(port));
                            Map<String, List<String>> gaps = new LinkedHashMap<>();
                            for (String expr : expressions()) {
                                List<String> missing = missing(expr, scrape);
                                if (!missing.isEmpty()) {
                                    gaps.put(expr, missing);
                                }
                            }
                            for (Map<String, Object> variable : variables()) {
                                Object query = variable.get("query");
                                String text =
                                        query instanceof Map<?, ?> q
                                                ? (String) q.get("query")
                                                : (String) query;
                                Matcher metric = LABEL_VALUES.matcher(text == null ? "" : text);
                                if (metric.find() && !scrape.containsKey(metric.group(1))) {
                                    gaps.put(text, List.of(metric.group(1)));
                                }
                            }
                            assertThat(gaps).as("not in the scrape").isEmpty();
                        });
    }

    @Test
    void everyExpressionParsesAsPromQl() throws Exception {
        boolean installed = Files.isExecutable(PROMTOOL);
        if (System.getenv("CI") != null) {
            assertThat(installed).as("prometheus (promtool) must be installed by .ci/run").isTrue();
        }
        assumeTrue(installed, "promtool (prometheus) is not installed");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (String expr : expressions()) {
            String concrete =
                    expr.replace("$__rate_interval", "5m")
                            .replace("$__interval", "1m")
                            .replace("$instance", ".*");
            rules.append("      - record: dashboard:expr")
                    .append(++n)
                    .append("\n        expr: ")
                    .append(JSON.std.asString(concrete))
                    .append('\n');
        }
        Path file = dir.resolve("dashboard-rules.yml");
        Files.writeString(file, rules, StandardCharsets.UTF_8);
        Process check =
                new ProcessBuilder(PROMTOOL.toString(), "check", "rules", file.toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS: " + n + " rules found");
    }
}
