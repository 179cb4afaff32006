package org.listgate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.listgate.events.Event;

/**
 * What listgate counts, in Prometheus's terms (Micrometer's Prometheus registry), named as
 * postfix_exporter's users know them, with the prefix {@code listgate_}. Almost everything is
 * counted from the event log as events are emitted (one place where every outcome already passes);
 * what is a level, not an event — open connections, the queue, the directory's lookups — is read
 * from the parts that keep it, when scraped, in constant time.
 *
 * <pre>
 * listgate_events_total{id,type}                       every event, by id
 * listgate_smtpd_messages_accepted_total                2001
 * listgate_smtpd_messages_refused_total{class}          3005, by the status's class (4 or 5)
 * listgate_smtpd_recipients_accepted_total              2001's recipients
 * listgate_smtpd_recipients_refused_total{class}        3001
 * listgate_recipients_isolated_total{stage}             4037: rcpt, expansion, delivery
 * listgate_recipients_delivered_total{route}            2003: local, relay
 * listgate_recipients_deferred_total                    3004
 * listgate_recipients_bounced_total                     2006 (failed): recipients reported on
 * listgate_list_expansion_members                       2002: members of each list expanded
 * listgate_delivery_latency_seconds{route}              2003: acceptance to delivery
 * listgate_smtpd_connections_open / _total / _refused_total
 * listgate_queue_messages, listgate_queue_oldest_age_seconds
 * listgate_directory_lookups_total, listgate_directory_lookup_failures_total
 * jvm_*, process_*, system_*                            Micrometer's JVM and process binders
 * </pre>
 */
public final class Metrics {

    private static final String PREFIX = "listgate_";

    private final java.util.List<Object> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** Counts one event (an {@code EventLog} listener). */
    public void count(Event event) {
        int id = event.id().number();
        Counter.builder(PREFIX + "events")
                .description("Events emitted, by id")
                .tag("id", Integer.toString(id))
                .tag("type", event.id().type().label())
                .register(registry)
                .increment();
        switch (id) {
            case 2001 -> {
                counter("smtpd_messages_accepted", "Messages accepted and queued").increment();
                counter("smtpd_recipients_accepted", "Recipients accepted at RCPT")
                        .increment(number(event, "recipients"));
            }
            case 3005 ->
                    Counter.builder(PREFIX + "smtpd_messages_refused")
                            .description("Messages refused, by the class of their status")
                            .tag("class", statusClass(event))
                            .register(registry)
                            .increment();
            case 3001 ->
                    Counter.builder(PREFIX + "smtpd_recipients_refused")
                            .description("RCPTs refused, by the class of their status")
                            .tag("class", statusClass(event))
                            .register(registry)
                            .increment();
            case 4037 ->
                    Counter.builder(PREFIX + "recipients_isolated")
                            .description("Recipients that will not get the message (4037)")
                            .tag("stage", text(event, Event.STAGE))
                            .register(registry)
                            .increment();
            case 2003 -> {
                String route = text(event, "route");
                Counter.builder(PREFIX + "recipients_delivered")
                        .description("Copies delivered")
                        .tag("route", route)
                        .register(registry)
                        .increment();
                Timer.builder(PREFIX + "delivery_latency")
                        .description("From acceptance to delivery")
                        .tag("route", route)
                        .publishPercentileHistogram()
                        .register(registry)
                        .record(Duration.ofMillis((long) number(event, "millis")));
            }
            case 3004 -> counter("recipients_deferred", "Deliveries deferred").increment();
            case 2006 -> {
                if ("failed".equals(event.fields().get("action"))) {
                    counter("recipients_bounced", "Recipients reported on as failed")
                            .increment(number(event, "recipients"));
                }
            }
            case 2002 ->
                    DistributionSummary.builder(PREFIX + "list_expansion_members")
                            .description("Members of each list expanded")
                            .publishPercentileHistogram()
                            .register(registry)
                            .record(number(event, "members"));
            default -> {
                // Counted by id above only.
            }
        }
    }

    /** A level read when scraped: {@code listgate_<name>}. */
    public void gauge(String name, String description, DoubleSupplier value) {
        // Held strongly: a gauge's state is otherwise a weak reference, and a lambda would go.
        Gauge.builder(PREFIX + name, value, DoubleSupplier::getAsDouble)
                .description(description)
                .strongReference(true)
                .register(registry);
    }

    /** A running count kept elsewhere, read when scraped: {@code listgate_<name>_total}. */
    public void counter(String name, String description, LongSupplier value) {
        // The registry holds a function counter's state weakly: kept here so it stays.
        held.add(value);
        FunctionCounter.builder(PREFIX + name, value, LongSupplier::getAsLong)
                .description(description)
                .register(registry);
    }

    /** Prometheus's text format, version 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(PREFIX + name).description(description).register(registry);
    }

    private static double number(Event event, String field) {
        return event.fields().get(field) instanceof Number number ? number.doubleValue() : 0;
    }

    private static String text(Event event, String field) {
        Object value = event.fields().get(field);
        return value == null ? "" : value.toString().toLowerCase(Locale.ROOT);
    }

    private static String statusClass(Event event) {
        String status = text(event, Event.STATUS);
        return status.isEmpty() ? "" : status.substring(0, 1);
    }
}
