package org.listgate.replay;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.listgate.client.MxList;

/**
 * The report as a person reads it on a terminal: a heading, the table, the verdict. With several
 * servers, a line says which took how many sends and how many times a send moved on, the verdict
 * says what made each send leave a server (the first {@value #MAX_FAILOVER_LINES}; {@code --json}
 * has them all), and each server's probes are shown.
 */
public final class ReportText {

    static final int MAX_FAILOVER_LINES = 20;

    private ReportText() {}

    public static String render(Report report) {
        Scenario scenario = report.scenario();
        Replay.Options options = report.options();
        StringBuilder out = new StringBuilder();
        int members = scenario.members().size();
        out.append(
                String.format(
                        Locale.ROOT,
                        "listgate replay: %s, %,d members of %s (%,d not valid), seed %d%n",
                        options.mode().key(),
                        members,
                        scenario.listAddress(),
                        members - scenario.counts().get(Kind.VALID),
                        scenario.seed()));
        out.append(
                String.format(
                        Locale.ROOT,
                        "%s, %,d send%s over %,d connection%s, %s, fates from %s%n%n",
                        servers(report),
                        options.repeat(),
                        options.repeat() == 1 ? "" : "s",
                        options.connections(),
                        options.connections() == 1 ? "" : "s",
                        options.ehlo() ? "EHLO" : "HELO",
                        report.fatesFrom().isEmpty()
                                ? "SMTP replies only (--events, --maildir follow each recipient)"
                                : String.join(" and ", report.fatesFrom())));
        table(report, out);
        out.append('\n');
        survival(report, out);
        timings(report, out);
        mismatches(report, out);
        out.append(String.format("result     %s (exit %d)%n", result(report), report.exitCode()));
        return out.toString();
    }

    private static void table(Report report, StringBuilder out) {
        Map<String, Integer> totals = report.totals();
        List<String> columns = report.shownColumns();
        boolean otherStatus = report.anyOtherStatus();
        StringBuilder header =
                new StringBuilder(String.format("%-28s %8s  %-18s", "kind", "members", "expected"));
        columns.forEach(column -> header.append(String.format(" %11s", column)));
        header.append(String.format(" %10s", "mismatches"));
        if (otherStatus) {
            header.append(String.format(" %12s", "other status"));
        }
        out.append(header).append('\n');
        int totalMembers = 0;
        int totalMismatches = 0;
        int totalOther = 0;
        for (Report.Row row : report.rows().values()) {
            StringBuilder line =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "%-28s %,8d  %-18s",
                                    row.kind().label(),
                                    row.members(),
                                    row.expected()));
            columns.forEach(
                    column ->
                            line.append(
                                    String.format(Locale.ROOT, " %,11d", row.fates().get(column))));
            line.append(String.format(Locale.ROOT, " %,10d", row.mismatches()));
            if (otherStatus) {
                line.append(String.format(Locale.ROOT, " %,12d", row.otherStatus()));
            }
            out.append(line).append('\n');
            totalMembers += row.members();
            totalMismatches += row.mismatches();
            totalOther += row.otherStatus();
        }
        StringBuilder line =
                new StringBuilder(
                        String.format(Locale.ROOT, "%-28s %,8d  %-18s", "total", totalMembers, ""));
        columns.forEach(
                column -> line.append(String.format(Locale.ROOT, " %,11d", totals.get(column))));
        line.append(String.format(Locale.ROOT, " %,10d", totalMismatches));
        if (otherStatus) {
            line.append(String.format(Locale.ROOT, " %,12d", totalOther));
        }
        out.append(line).append('\n');
    }

    /** "server 127.0.0.1:2525", or "servers a:25, b:25 (tried in turn)". */
    private static String servers(Report report) {
        List<Report.ServerRow> servers = report.servers();
        return servers.size() == 1
                ? "server " + servers.get(0).server()
                : "servers "
                        + servers.stream()
                                .map(row -> row.server().toString())
                                .collect(Collectors.joining(", "))
                        + " (tried in turn)";
    }

    /** Which server took how many sends, and how many times a send moved on to the next. */
    static String takenBy(Report report) {
        StringBuilder line = new StringBuilder();
        for (Report.ServerRow row : report.servers()) {
            boolean first = line.length() == 0;
            line.append(first ? "" : ", ")
                    .append(row.server())
                    .append(String.format(Locale.ROOT, " took %,d", row.sends()))
                    .append(first ? (row.sends() == 1 ? " send" : " sends") : "");
        }
        int failovers = report.failovers();
        return line.append(
                        String.format(
                                Locale.ROOT,
                                "; %,d failover%s",
                                failovers,
                                failovers == 1 ? "" : "s"))
                .toString();
    }

    private static void survival(Report report, StringBuilder out) {
        boolean several = report.severalServers();
        if (several) {
            out.append("servers    ").append(takenBy(report)).append('\n');
        }
        out.append("server     ")
                .append(report.survived() ? "survived" : "DID NOT SURVIVE")
                .append('\n');
        int failoverLines = 0;
        for (Send.Result send : report.sends()) {
            for (Send.Attempt attempt : send.attempts()) {
                if (attempt.movedOn().isPresent() && failoverLines++ < MAX_FAILOVER_LINES) {
                    out.append(
                            String.format(
                                    "           send %d on %s: %s; on to the next%n",
                                    send.number(),
                                    attempt.server(),
                                    attempt.movedOn().get().describe()));
                }
            }
            MxList.Server last = send.attempts().get(send.attempts().size() - 1).server();
            send.failure()
                    .ifPresent(
                            failure ->
                                    out.append(
                                            String.format(
                                                    "           send %d%s: %s%s%n",
                                                    send.number(),
                                                    several ? " on " + last : "",
                                                    failure.describe(),
                                                    failure.loss() != null
                                                            ? ""
                                                            : " (an orderly answer)")));
        }
        if (failoverLines > MAX_FAILOVER_LINES) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "           ... and %,d more failovers; --json lists them all%n",
                            failoverLines - MAX_FAILOVER_LINES));
        }
        String sends = report.sends().size() == 1 ? "" : "s";
        for (Report.ServerRow row : report.servers()) {
            out.append(
                    String.format(
                            "           after the send%s%s: %s (%d ms)%n",
                            sends,
                            several ? ", " + row.server() : "",
                            row.afterSend().seen(),
                            row.afterSend().millis()));
        }
        for (Report.ServerRow row : report.servers()) {
            row.afterFates()
                    .ifPresent(
                            probe ->
                                    out.append(
                                            String.format(
                                                    "           after the fates were in%s: %s (%d ms)%n",
                                                    several ? ", " + row.server() : "",
                                                    probe.seen(),
                                                    probe.millis())));
        }
    }

    private static void timings(Report report, StringBuilder out) {
        long[] banner = report.timing(Send.Timings::banner);
        long[] rcpts = report.timing(Send.Timings::rcpts);
        long[] endOfData = report.timing(Send.Timings::endOfData);
        long[] send = report.timing(Send.Timings::total);
        boolean many = report.sends().size() > 1;
        out.append(
                String.format(
                        Locale.ROOT,
                        "timings    banner %s, RCPTs %s, end of data to reply %s, session %s%n",
                        ms(banner, many),
                        ms(rcpts, many),
                        ms(endOfData, many),
                        ms(send, many)));
        out.append(
                String.format(
                        Locale.ROOT,
                        "           all sends %s%s, total %s%n",
                        ms(report.sendMillis()),
                        report.fatesFrom().isEmpty()
                                ? ""
                                : ", fates in after " + ms(report.settleMillis()),
                        ms(report.totalMillis())));
    }

    private static void mismatches(Report report, StringBuilder out) {
        List<Judge.Verdict> mismatches = report.mismatches();
        if (mismatches.isEmpty()) {
            out.append("mismatches none\n");
            return;
        }
        out.append(String.format(Locale.ROOT, "mismatches %,d%n", mismatches.size()));
        boolean many = report.sends().size() > 1;
        for (Judge.Verdict verdict : mismatches) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "           %s#%d %s (%s): %s%n",
                            many ? "send " + verdict.send() + " " : "",
                            verdict.member().index(),
                            Printable.of(verdict.member().text(), 70),
                            verdict.member().kind().label(),
                            verdict.mismatch().orElseThrow()));
        }
    }

    /** The verdict in one line, after "PASS" or "FAIL". */
    static String result(Report report) {
        if (!report.survived()) {
            return report.severalServers()
                    ? "FAIL: not every server survived the scenario"
                    : "FAIL: the server did not survive the scenario";
        }
        if (report.mismatchCount() > 0) {
            return "FAIL: the server survived, but "
                    + report.mismatchCount()
                    + " recipient"
                    + (report.mismatchCount() == 1 ? "" : "s")
                    + " did not meet the expected fate";
        }
        return report.fatesFrom().isEmpty()
                ? "PASS: the server survived and every RCPT got the expected answer"
                : "PASS: the server survived and every recipient met the expected fate";
    }

    static String ms(long[] medianMax, boolean many) {
        return many ? ms(medianMax[0]) + " median, " + ms(medianMax[1]) + " max" : ms(medianMax[0]);
    }

    static String ms(long millis) {
        return millis < 10_000
                ? String.format(Locale.ROOT, "%,d ms", millis)
                : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
