package org.listgate.load;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the load saw: messages accepted (250 after the final dot) and not, recipients accepted, the
 * end-of-data latencies, every refusal counted by step and reply, the idle connections, and, with
 * the Maildirs, the copies delivered and when the last arrived.
 */
public record LoadReport(
        Load.Options options,
        int messageSize,
        long accepted,
        long notAccepted,
        long recipients,
        long sendNanos,
        Latency latency,
        Map<Refusal, Long> refusals,
        Optional<Idle> idle,
        Optional<Deliveries> deliveries,
        Map<String, Long> acceptedByServer,
        long failovers,
        long passedOver) {

    /**
     * The copies: {@code expected} of them, {@code delivered} counted in the end; the first MAIL
     * and the latest change to a new/ or cur/ folder, which is when the last copy arrived.
     */
    public record Deliveries(
            long expected,
            long delivered,
            boolean complete,
            Instant firstMail,
            Optional<Instant> lastDelivery,
            long waitedMillis) {

        /** From the first MAIL to the last copy. */
        public Optional<Duration> endToEnd() {
            return lastDelivery.map(last -> Duration.between(firstMail, last));
        }

        /** Copies delivered per second, end to end. */
        public Optional<Double> perSecond() {
            return endToEnd()
                    .filter(time -> !time.isZero())
                    .map(time -> delivered * 1e9 / time.toNanos());
        }
    }

    /**
     * The idle connections: banners received of those wanted, the first failure, the time taken.
     */
    public record Idle(int wanted, int banners, Optional<String> failure, long millis) {}

    /** One line of the error table: a step, a reply (or how the connection went), how often. */
    public record ErrorCount(String stage, String reply, long count) {}

    public double seconds() {
        return sendNanos / 1e9;
    }

    public double acceptedPerSecond() {
        return accepted / seconds();
    }

    public double recipientsPerSecond() {
        return recipients / seconds();
    }

    /** From the final dot to the 250, over the accepted messages, in milliseconds (0: none). */
    public record Latency(double p50, double p99, double max) {

        /** From latencies in nanoseconds, smallest first; percentiles by nearest rank. */
        static Latency of(long[] sorted) {
            return new Latency(at(sorted, 50), at(sorted, 99), at(sorted, 100));
        }

        private static double at(long[] sorted, double percent) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(percent / 100 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e6;
        }
    }

    /** The errors, the most frequent first. */
    public List<ErrorCount> errors() {
        List<ErrorCount> errors = new ArrayList<>();
        refusals.forEach(
                (refusal, count) ->
                        errors.add(
                                new ErrorCount(refusal.stage().words(), refusal.reply(), count)));
        errors.sort(
                Comparator.comparingLong(ErrorCount::count)
                        .reversed()
                        .thenComparing(ErrorCount::stage)
                        .thenComparing(ErrorCount::reply));
        return errors;
    }

    public long errorCount() {
        return refusals.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * 0: every message got its 250, nothing was refused, every copy and idle banner came; else 1.
     */
    public int exitCode() {
        boolean idleOk = idle.map(opened -> opened.banners() == opened.wanted()).orElse(true);
        boolean copiesOk = deliveries.map(Deliveries::complete).orElse(true);
        return notAccepted == 0 && refusals.isEmpty() && idleOk && copiesOk ? 0 : 1;
    }

    /** The report as JSON: numbers in messages, seconds and milliseconds. */
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("server", options.serverList());
        json.put("connections", options.connections());
        json.put("newConnectionPerMessage", options.newConnectionPerMessage());
        json.put("messages", options.messages());
        json.put("messageBytes", messageSize);
        json.put("target", options.target().describe());
        json.put("recipientsPerMessage", options.target().perMessage());
        json.put("accepted", accepted);
        json.put("notAccepted", notAccepted);
        json.put("acceptedRecipients", recipients);
        json.put("acceptedByServer", new LinkedHashMap<>(acceptedByServer));
        json.put("failovers", failovers);
        json.put("passedOver", passedOver);
        json.put("seconds", round(seconds(), 3));
        json.put("acceptedPerSecond", round(acceptedPerSecond(), 1));
        json.put("recipientsPerSecond", round(recipientsPerSecond(), 1));
        Map<String, Object> millis = new LinkedHashMap<>();
        millis.put("p50", round(latency.p50(), 2));
        millis.put("p99", round(latency.p99(), 2));
        millis.put("max", round(latency.max(), 2));
        json.put("latencyMillis", millis);
        List<Map<String, Object>> errors = new ArrayList<>();
        for (ErrorCount error : errors()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stage", error.stage());
            row.put("reply", error.reply());
            row.put("count", error.count());
            errors.add(row);
        }
        json.put("errors", errors);
        idle.ifPresent(
                opened -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("wanted", opened.wanted());
                    row.put("banners", opened.banners());
                    row.put("failure", opened.failure().orElse(null));
                    row.put("millis", opened.millis());
                    json.put("idle", row);
                });
        deliveries.ifPresent(
                copies -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("expected", copies.expected());
                    row.put("delivered", copies.delivered());
                    row.put("complete", copies.complete());
                    row.put(
                            "seconds",
                            copies.endToEnd()
                                    .map(time -> round(time.toNanos() / 1e9, 3))
                                    .orElse(null));
                    row.put(
                            "perSecond",
                            copies.perSecond().map(rate -> round(rate, 1)).orElse(null));
                    row.put("firstMail", copies.firstMail().toEpochMilli());
                    row.put(
                            "lastDelivery",
                            copies.lastDelivery().map(Instant::toEpochMilli).orElse(null));
                    row.put("waitedMillis", copies.waitedMillis());
                    json.put("deliveries", row);
                });
        json.put("exitCode", exitCode());
        return json;
    }

    private static double round(double value, int places) {
        double scale = Math.pow(10, places);
        return Math.round(value * scale) / scale;
    }
}
