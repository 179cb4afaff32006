package org.listgate.replay;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.listgate.client.MxList;

/**
 * The outcome of a replay: per kind of member, how many met each fate; every mismatch between the
 * expected fate and the observed one; whether the server survived; the timings; with several
 * servers, which took each send. {@link #json} ({@link ReportJson}) is for machines, {@link
 * ReportText} renders it for people on a terminal, {@link ReportHtml} as a page.
 *
 * <p>The exit code: 0 the server survived and nothing mismatched; 1 it did not survive (a session
 * lost its connection, or afterwards a new one got no banner or no answer to NOOP); 3 it survived
 * but some recipient's fate was not the expected one. With several servers, each must survive: a
 * session lost on any of them, or any server's failed probe, is exit 1, even when the next server
 * took the message and every recipient met its fate. A server that refused the connection lost no
 * session, but its probe fails as well.
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

    /**
     * One server: the sends it took (a transaction queued there), the times a send left it for the
     * next, and its probes.
     */
    record ServerRow(
            MxList.Server server,
            int sends,
            int failovers,
            Survival.Probe afterSend,
            Optional<Survival.Probe> afterFates) {
        boolean alive() {
            return afterSend.alive() && afterFates.map(Survival.Probe::alive).orElse(true);
        }
    }

    private final Scenario scenario;
    private final Replay.Options options;
    private final List<Send.Result> sends;
    private final List<Judge.Verdict> mismatches;
    private final Map<Kind, Row> rows;
    private final List<ServerRow> servers;
    private final long sendMillis;
    private final long settleMillis;
    private final long totalMillis;

    Report(
            Scenario scenario,
            Replay.Options options,
            List<Send.Result> sends,
            List<Judge.Verdict> verdicts,
            List<Survival.Probe> afterSend,
            Optional<List<Survival.Probe>> afterFates,
            long sendMillis,
            long settleMillis,
            long totalMillis) {
        this.scenario = scenario;
        this.options = options;
        this.sends = List.copyOf(sends);
        this.mismatches = verdicts.stream().filter(v -> v.mismatch().isPresent()).toList();
        this.rows = rows(verdicts, options.mode(), options.followsFates());
        this.servers = servers(options.servers(), this.sends, afterSend, afterFates);
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

    private static List<ServerRow> servers(
            List<MxList.Server> servers,
            List<Send.Result> sends,
            List<Survival.Probe> afterSend,
            Optional<List<Survival.Probe>> afterFates) {
        List<ServerRow> rows = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            MxList.Server server = servers.get(i);
            int index = i;
            rows.add(
                    new ServerRow(
                            server,
                            (int) sends.stream().filter(s -> s.takenBy().contains(server)).count(),
                            (int)
                                    sends.stream()
                                            .flatMap(s -> s.attempts().stream())
                                            .filter(
                                                    a ->
                                                            a.server().equals(server)
                                                                    && a.movedOn().isPresent())
                                            .count(),
                            afterSend.get(index),
                            afterFates.map(probes -> probes.get(index))));
        }
        return List.copyOf(rows);
    }

    private static Map<String, Integer> emptyFates() {
        Map<String, Integer> fates = new LinkedHashMap<>();
        COLUMNS.forEach(column -> fates.put(column, 0));
        return fates;
    }

    /**
     * Survived: no session on any server lost its connection, and every probe of every server
     * afterwards was answered.
     */
    public boolean survived() {
        return sends.stream().noneMatch(Send.Result::dropped)
                && servers.stream().allMatch(ServerRow::alive);
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
        if (!options.events().isEmpty()) {
            from.add("events");
        }
        if (!options.maildirs().isEmpty()) {
            from.add("maildir");
        }
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

    /** Each server, in the order they are tried. */
    List<ServerRow> servers() {
        return servers;
    }

    /** Whether the sends went to several servers, tried in turn. */
    boolean severalServers() {
        return servers.size() > 1;
    }

    /** The times a send left a server for the next, all sends and servers together. */
    int failovers() {
        return sends.stream().mapToInt(Send.Result::failovers).sum();
    }

    /** The first server's probe after the sends (the only one's, with one server). */
    Survival.Probe afterSend() {
        return servers.get(0).afterSend();
    }

    /** The first server's probe after the fates were in, when they were followed. */
    Optional<Survival.Probe> afterFates() {
        return servers.get(0).afterFates();
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

    /** Every figure of the report, for {@code --json}: {@link ReportJson}. */
    public Map<String, Object> json() {
        return ReportJson.of(this);
    }
}
