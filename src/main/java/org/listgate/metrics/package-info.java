/**
 * METRICS — what an administrator watches: Prometheus metrics and a health check.
 *
 * <p>{@link org.listgate.metrics.Metrics} counts the events as they are emitted and reads the
 * levels (connections, queue, directory) from the parts that keep them; {@link
 * org.listgate.metrics.MetricsServer} serves {@code /metrics} and {@code /health} on {@code
 * metrics.bind}:{@code metrics.port} when the port is set (off by default). Imports only {@code
 * events}: the composition root hands it the levels as suppliers. {@code
 * config/grafana-dashboard.json} draws them; its test checks each of its queries against a real
 * scrape, so a metric renamed here must be renamed there.
 *
 * <p>SECURITY: the endpoint says how much mail flows and whether the service is healthy; it binds
 * to 127.0.0.1 unless told otherwise, and has no authentication: put it behind the network's own
 * controls, as postfix_exporter's users do.
 */
package org.listgate.metrics;
