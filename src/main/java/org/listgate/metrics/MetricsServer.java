package org.listgate.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} (Prometheus's text format) and {@code GET /health} on {@code
 * metrics.bind}:{@code metrics.port}, with the JDK's own HTTP server. Health is 200 with {@code
 * {"status":"ok",...}} when every check passes, else 503 naming each that does not: {@code
 * {"status":"unhealthy","smtp":"ok","spool":"cannot write ...","directory":"ok"}}. Anything else is
 * 404; a method other than GET or HEAD is 405.
 */
public final class MetricsServer implements AutoCloseable {

    /** A named check: empty when healthy, else what is wrong (one line). */
    public record Check(String name, Supplier<Optional<String>> problem) {}

    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    public static MetricsServer start(
            InetAddress bind, int port, Metrics metrics, java.util.List<Check> checks)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        server.setExecutor(
                Executors.newFixedThreadPool(
                        2,
                        runnable -> {
                            Thread thread = new Thread(runnable, "metrics-http");
                            thread.setDaemon(true);
                            return thread;
                        }));
        server.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        answer(exchange, metrics, checks);
                    }
                });
        server.start();
        return new MetricsServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, Metrics metrics, java.util.List<Check> checks)
            throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            send(exchange, 405, "text/plain", "method not allowed\n");
            return;
        }
        switch (exchange.getRequestURI().getPath()) {
            case "/metrics" ->
                    send(
                            exchange,
                            200,
                            "text/plain; version=0.0.4; charset=utf-8",
                            metrics.scrape());
            case "/health" -> health(exchange, checks);
            default -> send(exchange, 404, "text/plain", "not found: /metrics or /health\n");
        }
    }

    private static void health(HttpExchange exchange, java.util.List<Check> checks)
            throws IOException {
        Map<String, String> results = new LinkedHashMap<>();
        boolean healthy = true;
        for (Check check : checks) {
            Optional<String> problem = check.problem().get();
            healthy &= problem.isEmpty();
            results.put(check.name(), problem.orElse("ok"));
        }
        StringBuilder json = new StringBuilder("{\"status\":\"");
        json.append(healthy ? "ok" : "unhealthy").append('"');
        results.forEach(
                (name, value) ->
                        json.append(",\"")
                                .append(name)
                                .append("\":\"")
                                .append(jsonText(value))
                                .append('"'));
        json.append("}\n");
        send(exchange, healthy ? 200 : 503, "application/json", json.toString());
    }

    private static String jsonText(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void send(HttpExchange exchange, int code, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
