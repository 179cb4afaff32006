package org.listgate.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a replay: per kind of member, how many met each fate; every mismatch between the
 * expected fate and the observed one; whether the server survived; the timings. {@link #json} is
 * for machines, {@link ReportText} renders it for people on a terminal, {@link ReportHtml} as a
 * page.
 *
 * <p>The exit code: 0 the server survived and nothing mismatched; 1 it did not survive (a session
 * lost its connection, or afterwards a new one got no banner or no answer to NOOP); 3 it survived
 * but some recipient's fate was not the expected one.
 */
public final class Report {

    /** The report's columns, in order. */
    static final List<String> COLUMNS =
            List.of(
                    "delivered",
                    "isolated",
                    "refused",
                    "skipped",
                    "accepted",
                    "not sent",
                    "unaccounted");

    /** One line of the table: a kind of member. */
    record Row(
            Kind kind,
            int members,
            String expected,
            Map<String, Integer> fates,
            int mismatches,
            int otherStatus) {}

    private final Scenario scenario;
    private final Replay.Options options;
    private final List<Send.Result> sends;
    private final List<Judge.Verdict> mismatches;
    private final Map<Kind, Row> rows;
    private final Survival.Probe afterSend;
    private final Optional<Survival.Probe> afterFates;
    private final long sendMillis;
    private final long settleMillis;
    private final long totalMillis;

    Report(
            Scenario scenario,
            Replay.Options options,
            List<Send.Result> sends,
            List<Judge.Verdict> verdicts,
            Survival.Probe afterSend,
            Optional<Survival.Probe> afterFates,
            long sendMillis,
            long settleMillis,
            long totalMillis) {
        this.scenario = scenario;
        this.options = options;
        this.sends = List.copyOf(sends);
        this.mismatches = verdicts.stream().filter(v -> v.mismatch().isPresent()).toList();
        this.rows =
                rows(
                        verdicts,
                        options.mode(),
                        options.events().isPresent() || options.maildir().isPresent());
        this.afterSend = afterSend;
        this.afterFates = afterFates;
        this.sendMillis = sendMillis;
        this.settleMillis = settleMillis;
        this.totalMillis = totalMillis;
    }

    private static Map<Kind, Row> rows(
            List<Judge.Verdict> verdicts, Mode mode, boolean correlated) {
        Map<Kind, Row> rows = new EnumMap<>(Kind.class);
        Map<Kind, Map<String, Integer>> fates = new EnumMap<>(Kind.class);
        Map<Kind, int[]> counts = new EnumMap<>(Kind.class); // members, mismatches, other status
        for (Judge.Verdict verdict : verdicts) {
            Kind kind = verdict.member().kind();
            fates.computeIfAbsent(kind, k -> emptyFates())
                    .merge(Fate.column(verdict.observed()), 1, Integer::sum);
            int[] count = counts.computeIfAbsent(kind, k -> new int[3]);
            count[0]++;
            count[1] += verdict.mismatch().isPresent() ? 1 : 0;
            count[2] += verdict.otherStatus() ? 1 : 0;
        }
        for (Kind kind : fates.keySet()) {
            int[] count = counts.get(kind);
            rows.put(
                    kind,
                    new Row(
                            kind,
                            count[0],
                            Judge.label(kind, mode, correlated),
                            fates.get(kind),
                            count[1],
                            count[2]));
        }
        return rows;
    }

    private static Map<String, Integer> emptyFates() {
        Map<String, Integer> fates = new LinkedHashMap<>();
        COLUMNS.forEach(column -> fates.put(column, 0));
        return fates;
    }

    /** Survived: no session lost its connection, and every probe afterwards was answered. */
    public boolean survived() {
        return sends.stream().noneMatch(s -> s.failure().map(Send.Failure::dropped).orElse(false))
                && afterSend.alive()
                && afterFates.map(Survival.Probe::alive).orElse(true);
    }

    public int mismatchCount() {
        return mismatches.size();
    }

    public int exitCode() {
        if (!survived()) {
            return 1;
        }
        return mismatches.isEmpty() ? 0 : 3;
    }

    /** Where the fates came from: "events", "maildir", or SMTP replies alone. */
    List<String> fatesFrom() {
        List<String> from = new ArrayList<>();
        options.events().ifPresent(p -> from.add("events"));
        options.maildir().ifPresent(p -> from.add("maildir"));
        return from;
    }

    Scenario scenario() {
        return scenario;
    }

    Replay.Options options() {
        return options;
    }

    List<Send.Result> sends() {
        return sends;
    }

    List<Judge.Verdict> mismatches() {
        return mismatches;
    }

    Map<Kind, Row> rows() {
        return rows;
    }

    Map<String, Integer> totals() {
        Map<String, Integer> totals = emptyFates();
        rows.values()
                .forEach(
                        row ->
                                row.fates()
                                        .forEach(
                                                (column, n) ->
                                                        totals.merge(column, n, Integer::sum)));
        return totals;
    }

    /**
     * The columns a rendering shows: the four fates always, the others when some member met them.
     */
    List<String> shownColumns() {
        Map<String, Integer> totals = totals();
        return COLUMNS.stream()
                .filter(
                        column ->
                                totals.get(column) > 0
                                        || List.of("delivered", "isolated", "refused", "skipped")
                                                .contains(column))
                .toList();
    }

    /** Whether some member was refused or isolated with another status than its kind's. */
    boolean anyOtherStatus() {
        return rows.values().stream().anyMatch(row -> row.otherStatus() > 0);
    }

    Survival.Probe afterSend() {
        return afterSend;
    }

    Optional<Survival.Probe> afterFates() {
        return afterFates;
    }

    long sendMillis() {
        return sendMillis;
    }

    long settleMillis() {
        return settleMillis;
    }

    long totalMillis() {
        return totalMillis;
    }

    /** Median and maximum of one timing over the sends: {@code [median, max]}. */
    long[] timing(java.util.function.ToLongFunction<Send.Timings> which) {
        long[] values =
                sends.stream().mapToLong(s -> which.applyAsLong(s.timings())).sorted().toArray();
        return values.length == 0
                ? new long[] {0, 0}
                : new long[] {values[(values.length - 1) / 2], values[values.length - 1]};
    }

    /** Every figure of the report, for {@code --json}. */
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> scenarioJson = new LinkedHashMap<>();
        scenarioJson.put("seed", scenario.seed());
        scenarioJson.put("members", scenario.members().size());
        scenarioJson.put("valid", scenario.counts().get(Kind.VALID));
        scenarioJson.put("invalidRatio", scenario.invalidRatio());
        scenarioJson.put("list", scenario.listAddress());
        Map<String, Object> kinds = new LinkedHashMap<>();
        scenario.counts().forEach((kind, n) -> kinds.put(kind.key(), n));
        scenarioJson.put("kinds", kinds);
        json.put("scenario", scenarioJson);
        json.put("mode", options.mode().key());
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("host", options.host());
        server.put("port", options.port());
        json.put("server", server);
        json.put("sends", options.repeat());
        json.put("connections", options.connections());
        json.put("fatesFrom", fatesFrom().isEmpty() ? List.of("smtp") : fatesFrom());
        List<Object> kindRows = new ArrayList<>();
        for (Row row : rows.values()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("kind", row.kind().key());
            r.put("label", row.kind().label());
            r.put("members", row.members());
            r.put("expected", row.expected());
            row.fates().forEach((column, n) -> r.put(camel(column), n));
            r.put("mismatches", row.mismatches());
            r.put("otherStatus", row.otherStatus());
            kindRows.add(r);
        }
        json.put("kinds", kindRows);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("members", rows.values().stream().mapToInt(Row::members).sum());
        totals().forEach((column, n) -> totals.put(camel(column), n));
        totals.put("mismatches", mismatches.size());
        json.put("totals", totals);
        json.put("survived", survived());
        Map<String, Object> survival = new LinkedHashMap<>();
        survival.put("afterSend", probe(afterSend));
        afterFates.ifPresent(p -> survival.put("afterFates", probe(p)));
        json.put("survival", survival);
        List<Object> failures = new ArrayList<>();
        for (Send.Result send : sends) {
            send.failure()
                    .ifPresent(
                            f -> {
                                Map<String, Object> failure = new LinkedHashMap<>();
                                failure.put("send", send.number());
                                failure.put("dropped", f.dropped());
                                failure.put(
                                        "loss",
                                        f.loss() == null
                                                ? null
                                                : f.loss()
                                                        .name()
                                                        .toLowerCase(java.util.Locale.ROOT));
                                failure.put("at", f.where());
                                failure.put("detail", f.detail());
                                failure.put("description", f.describe());
                                failures.add(failure);
                            });
        }
        json.put("sessionFailures", failures);
        List<Object> sendRows = new ArrayList<>();
        for (Send.Result send : sends) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("send", send.number());
            s.put("messageId", send.messageId());
            s.put(
                    "queueIds",
                    send.transactions().stream().flatMap(t -> t.queueId().stream()).toList());
            s.put("transactions", send.transactions().size());
            s.put("millis", timings(send.timings()));
            sendRows.add(s);
        }
        json.put("sendResults", sendRows);
        List<Object> mismatchRows = new ArrayList<>();
        for (Judge.Verdict verdict : mismatches) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("send", verdict.send());
            m.put("index", verdict.member().index());
            m.put("kind", verdict.member().kind().key());
            m.put("member", verdict.member().text());
            m.put("expected", Judge.expectedWords(verdict.expected()));
            m.put("observed", Fate.describe(verdict.observed()));
            mismatchRows.add(m);
        }
        json.put("mismatches", mismatchRows);
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("bannerMedian", timing(Send.Timings::banner)[0]);
        timings.put("rcptsMedian", timing(Send.Timings::rcpts)[0]);
        timings.put("endOfDataMedian", timing(Send.Timings::endOfData)[0]);
        timings.put("endOfDataMax", timing(Send.Timings::endOfData)[1]);
        timings.put("sendMedian", timing(Send.Timings::total)[0]);
        timings.put("sendMax", timing(Send.Timings::total)[1]);
        timings.put("allSends", sendMillis);
        timings.put("fates", settleMillis);
        timings.put("total", totalMillis);
        json.put("millis", timings);
        json.put("exitCode", exitCode());
        return json;
    }

    private static Map<String, Object> probe(Survival.Probe probe) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("alive", probe.alive());
        json.put("seen", probe.seen());
        json.put("millis", probe.millis());
        return json;
    }

    private static Map<String, Object> timings(Send.Timings timings) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("banner", timings.banner());
        json.put("rcpts", timings.rcpts());
        json.put("endOfData", timings.endOfData());
        json.put("total", timings.total());
        return json;
    }

    private static String camel(String column) {
        String[] words = column.split(" ");
        StringBuilder out = new StringBuilder(words[0]);
        Arrays.stream(words)
                .skip(1)
                .forEach(
                        w -> out.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1)));
        return out.toString();
    }
}
