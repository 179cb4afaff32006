package org.listgate.replay;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML page, for {@code replay --html FILE}: the scenario, the
 * table of fates per kind, {@link ReportChart}'s chart of them, the survival verdict, the timings,
 * the mismatches and the result — the same figures as {@link ReportText}, in the same words.
 *
 * <p>SECURITY: the page fetches nothing and runs nothing: the style is inline, the chart is inline
 * SVG, there is no script, and a Content-Security-Policy of {@code default-src 'none'} says so to
 * the browser as well. Every text that comes from the scenario or the server goes through {@link
 * HtmlText}. The markup is also well-formed XML (every element closed, no named entities but the
 * XML five), so an XML parser reads it.
 *
 * <p>BUGS: at most {@value #MAX_MISMATCHES} mismatches are listed; {@code --json} has them all.
 */
public final class ReportHtml {

    static final int MAX_MISMATCHES = 1000;

    private static final String STYLE =
            """
            body { font: 14px/1.45 system-ui, sans-serif; margin: 24px 32px; color: #1b1b1b; }
            h1 { font-size: 22px; margin: 0 0 4px; }
            h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
            .verdict { display: inline-block; padding: 2px 10px; border-radius: 4px; color: #fff;
              font-weight: 600; margin-left: 8px; font-size: 14px; vertical-align: middle; }
            .pass { background: #1a7f37; } .fail { background: #b42318; }
            dl { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 8px 0; }
            dt { color: #555; } dd { margin: 0; }
            table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
            th, td { padding: 3px 10px; border-bottom: 1px solid #e4e4e4; text-align: right; }
            th { background: #f4f4f4; } th.text, td.text { text-align: left; }
            tfoot td { font-weight: 600; border-top: 2px solid #999; }
            td.bad, .bad { color: #b42318; fill: #b42318; font-weight: 600; }
            td.member { font-family: ui-monospace, monospace; word-break: break-all; max-width: 40em; }
            svg.chart { font: 12px system-ui, sans-serif; }
            svg .empty { fill: #f0f0f0; } svg .rule { stroke: #999; } svg .label { fill: #333; }
            .result { margin-top: 28px; font-size: 16px; font-weight: 600; }
            """;

    private ReportHtml() {}

    public static String render(Report report) {
        StringBuilder out = new StringBuilder(16_384);
        boolean pass = report.exitCode() == 0;
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta http-equiv=\"Content-Security-Policy\"")
                .append(" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>\n")
                .append("<title>listgate replay: ")
                .append(pass ? "PASS" : "FAIL")
                .append("</title>\n<style>\n")
                .append(STYLE)
                .append("</style>\n</head>\n<body>\n");
        header(report, pass, out);
        out.append("<h2>Fates per kind</h2>\n");
        table(report, out);
        out.append("<h2>Chart</h2>\n").append(ReportChart.svg(report));
        survival(report, out);
        timings(report, out);
        mismatches(report, out);
        out.append(
                String.format(
                        Locale.ROOT,
                        "<p class=\"result%s\" id=\"result\">%s (exit %d)</p>%n",
                        pass ? "" : " bad",
                        HtmlText.of(ReportText.result(report)),
                        report.exitCode()));
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private static void header(Report report, boolean pass, StringBuilder out) {
        Scenario scenario = report.scenario();
        Replay.Options options = report.options();
        int members = scenario.members().size();
        out.append("<h1>listgate replay<span class=\"verdict ")
                .append(pass ? "pass\">PASS" : "fail\">FAIL")
                .append("</span></h1>\n<dl id=\"scenario\">\n");
        term("mode", options.mode().key(), out);
        term("list", scenario.listAddress(), out);
        term("members", String.format(Locale.ROOT, "%,d", members), out);
        term(
                "invalid share",
                String.format(
                        Locale.ROOT,
                        "%.1f %% (%,d not valid)",
                        100 * scenario.invalidRatio(),
                        members - scenario.counts().get(Kind.VALID)),
                out);
        term("seed", String.valueOf(scenario.seed()), out);
        if (report.severalServers()) {
            term(
                    "servers",
                    String.join(
                                    ", ",
                                    report.servers().stream()
                                            .map(row -> row.server().toString())
                                            .toList())
                            + " (tried in turn)",
                    out);
            term("taken by", ReportText.takenBy(report), out);
        } else {
            term("server", report.servers().get(0).server().toString(), out);
        }
        term(
                "sends",
                String.format(
                        Locale.ROOT,
                        "%,d over %,d connection%s, %s",
                        options.repeat(),
                        options.connections(),
                        options.connections() == 1 ? "" : "s",
                        options.ehlo() ? "EHLO" : "HELO"),
                out);
        term(
                "fates from",
                report.fatesFrom().isEmpty()
                        ? "SMTP replies only"
                        : String.join(" and ", report.fatesFrom()),
                out);
        out.append("</dl>\n");
    }

    private static void table(Report report, StringBuilder out) {
        List<String> columns = report.shownColumns();
        boolean otherStatus = report.anyOtherStatus();
        out.append("<table id=\"fates\">\n<thead><tr><th class=\"text\">kind</th><th>members</th>")
                .append("<th class=\"text\">expected</th>");
        columns.forEach(column -> out.append("<th>").append(HtmlText.of(column)).append("</th>"));
        out.append("<th>mismatches</th>");
        if (otherStatus) {
            out.append("<th>other status</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        int members = 0;
        int other = 0;
        for (Report.Row row : report.rows().values()) {
            out.append("<tr><td class=\"text\">")
                    .append(HtmlText.of(row.kind().label()))
                    .append("</td>")
                    .append(number(row.members(), false))
                    .append("<td class=\"text\">")
                    .append(HtmlText.of(row.expected()))
                    .append("</td>");
            columns.forEach(column -> out.append(number(row.fates().get(column), false)));
            out.append(number(row.mismatches(), row.mismatches() > 0));
            if (otherStatus) {
                out.append(number(row.otherStatus(), false));
            }
            out.append("</tr>\n");
            members += row.members();
            other += row.otherStatus();
        }
        Map<String, Integer> totals = report.totals();
        out.append("</tbody>\n<tfoot><tr id=\"totals\"><td class=\"text\">total</td>")
                .append(number(members, false))
                .append("<td class=\"text\"></td>");
        columns.forEach(column -> out.append(number(totals.get(column), false)));
        out.append(number(report.mismatchCount(), report.mismatchCount() > 0));
        if (otherStatus) {
            out.append(number(other, false));
        }
        out.append("</tr></tfoot>\n</table>\n");
    }

    private static void survival(Report report, StringBuilder out) {
        out.append("<h2>Survival</h2>\n<p id=\"survival\" class=\"")
                .append(
                        report.survived()
                                ? "\">The server survived."
                                : "bad\">The server DID NOT SURVIVE.")
                .append("</p>\n<dl>\n");
        boolean several = report.severalServers();
        int failoverLines = 0;
        for (Send.Result send : report.sends()) {
            for (Send.Attempt attempt : send.attempts()) {
                if (attempt.movedOn().isPresent()
                        && failoverLines++ < ReportText.MAX_FAILOVER_LINES) {
                    term(
                            "send " + send.number() + " on " + attempt.server(),
                            attempt.movedOn().get().describe() + "; on to the next",
                            out);
                }
            }
            String on =
                    several
                            ? " on " + send.attempts().get(send.attempts().size() - 1).server()
                            : "";
            send.failure()
                    .ifPresent(
                            failure ->
                                    term(
                                            "send " + send.number() + on,
                                            failure.describe()
                                                    + (failure.loss() != null
                                                            ? ""
                                                            : " (an orderly answer)"),
                                            out));
        }
        if (failoverLines > ReportText.MAX_FAILOVER_LINES) {
            term(
                    "failovers",
                    String.format(
                            Locale.ROOT,
                            "… and %,d more; --json lists them all",
                            failoverLines - ReportText.MAX_FAILOVER_LINES),
                    out);
        }
        String sends = report.sends().size() == 1 ? "" : "s";
        for (Report.ServerRow row : report.servers()) {
            term(
                    "after the send" + sends + (several ? ", " + row.server() : ""),
                    probe(row.afterSend()),
                    out);
        }
        for (Report.ServerRow row : report.servers()) {
            row.afterFates()
                    .ifPresent(
                            p ->
                                    term(
                                            "after the fates were in"
                                                    + (several ? ", " + row.server() : ""),
                                            probe(p),
                                            out));
        }
        out.append("</dl>\n");
    }

    private static String probe(Survival.Probe probe) {
        return (probe.alive() ? "alive: " : "not alive: ")
                + probe.seen()
                + " ("
                + ReportText.ms(probe.millis())
                + ")";
    }

    private static void timings(Report report, StringBuilder out) {
        boolean many = report.sends().size() > 1;
        out.append("<h2>Timings</h2>\n<dl id=\"timings\">\n");
        term("banner", ReportText.ms(report.timing(Send.Timings::banner), many), out);
        term("RCPTs", ReportText.ms(report.timing(Send.Timings::rcpts), many), out);
        term(
                "end of data to reply",
                ReportText.ms(report.timing(Send.Timings::endOfData), many),
                out);
        term("session", ReportText.ms(report.timing(Send.Timings::total), many), out);
        term("all sends", ReportText.ms(report.sendMillis()), out);
        if (!report.fatesFrom().isEmpty()) {
            term("fates in after", ReportText.ms(report.settleMillis()), out);
        }
        term("total", ReportText.ms(report.totalMillis()), out);
        out.append("</dl>\n");
    }

    private static void mismatches(Report report, StringBuilder out) {
        List<Judge.Verdict> mismatches = report.mismatches();
        out.append("<h2>Mismatches</h2>\n");
        if (mismatches.isEmpty()) {
            out.append("<p id=\"mismatches\">none</p>\n");
            return;
        }
        out.append(
                String.format(
                        Locale.ROOT,
                        "<p id=\"mismatches\" class=\"bad\">%,d</p>%n",
                        mismatches.size()));
        out.append("<table>\n<thead><tr><th>send</th><th>#</th><th class=\"text\">member</th>")
                .append("<th class=\"text\">kind</th><th class=\"text\">mismatch</th></tr></thead>")
                .append("\n<tbody>\n");
        for (Judge.Verdict verdict :
                mismatches.subList(0, Math.min(MAX_MISMATCHES, mismatches.size()))) {
            out.append("<tr>")
                    .append(number(verdict.send(), false))
                    .append(number(verdict.member().index(), false))
                    .append("<td class=\"text member\">")
                    .append(HtmlText.of(verdict.member().text()))
                    .append("</td><td class=\"text\">")
                    .append(HtmlText.of(verdict.member().kind().label()))
                    .append("</td><td class=\"text\">")
                    .append(HtmlText.of(verdict.mismatch().orElseThrow()))
                    .append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        if (mismatches.size() > MAX_MISMATCHES) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "<p>… and %,d more; --json lists them all.</p>%n",
                            mismatches.size() - MAX_MISMATCHES));
        }
    }

    private static void term(String term, String description, StringBuilder out) {
        out.append("<dt>")
                .append(HtmlText.of(term))
                .append("</dt><dd>")
                .append(HtmlText.of(description))
                .append("</dd>\n");
    }

    private static String number(int n, boolean bad) {
        return String.format(Locale.ROOT, "<td%s>%,d</td>", bad ? " class=\"bad\"" : "", n);
    }
}
