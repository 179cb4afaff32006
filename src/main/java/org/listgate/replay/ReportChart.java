package org.listgate.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fates per kind as an inline SVG chart: one stacked horizontal bar a kind, and one for the
 * total, each split into the share of its members that met each fate, with a legend above.
 *
 * <p>Each bar is the whole of its kind (100 %), not scaled to the list: a list of ten thousand
 * holds a handful of each invalid kind, and a bar scaled to the list would not show them. The
 * member count and any mismatches are written after each bar; every segment has a {@code <title>}
 * with its count, which a browser shows on hover without a script.
 *
 * <p>The colours are the Okabe–Ito palette, told apart with any colour vision.
 */
final class ReportChart {

    /** Each fate's colour, in the order of {@link Report#COLUMNS}. */
    static final Map<String, String> COLOURS =
            Map.of(
                    "delivered", "#009E73",
                    "isolated", "#E69F00",
                    "refused", "#D55E00",
                    "skipped", "#999999",
                    "accepted", "#56B4E9",
                    "not sent", "#CC79A7",
                    "unaccounted", "#0072B2");

    private static final int WIDTH = 960;
    private static final int LABEL = 230;
    private static final int BAR = 560;
    private static final int ROW = 24;
    private static final int TOP = 40;

    private ReportChart() {}

    /** The fates this chart shows: the report's columns, and unaccounted always. */
    static List<String> columns(Report report) {
        List<String> columns = new ArrayList<>(report.shownColumns());
        if (!columns.contains("unaccounted")) {
            columns.add("unaccounted");
        }
        return columns;
    }

    static String svg(Report report) {
        List<String> columns = columns(report);
        List<Report.Row> rows = List.copyOf(report.rows().values());
        int height = TOP + (rows.size() + 1) * ROW + 14;
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\""
                                + " viewBox=\"0 0 %d %d\" aria-labelledby=\"chart-title\">%n",
                        WIDTH,
                        height,
                        WIDTH,
                        height));
        out.append("<title id=\"chart-title\">Fates per kind of member</title>\n");
        legend(columns, out);
        int y = TOP;
        for (Report.Row row : rows) {
            bar(row.kind().label(), row.members(), row.fates(), row.mismatches(), columns, y, out);
            y += ROW;
        }
        out.append(
                String.format(
                        Locale.ROOT,
                        "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"rule\"/>%n",
                        y + 2,
                        WIDTH,
                        y + 2));
        bar(
                "total",
                rows.stream().mapToInt(Report.Row::members).sum(),
                report.totals(),
                report.mismatchCount(),
                columns,
                y + 6,
                out);
        out.append("</svg>\n");
        return out.toString();
    }

    private static void legend(List<String> columns, StringBuilder out) {
        int x = LABEL;
        for (String column : columns) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%d\" y=\"8\" width=\"14\" height=\"14\" fill=\"%s\"/>"
                                    + "<text x=\"%d\" y=\"20\">%s</text>%n",
                            x,
                            COLOURS.get(column),
                            x + 19,
                            HtmlText.of(column)));
            x += 30 + column.length() * 8;
        }
    }

    private static void bar(
            String label,
            int members,
            Map<String, Integer> fates,
            int mismatches,
            List<String> columns,
            int y,
            StringBuilder out) {
        out.append(
                String.format(
                        Locale.ROOT,
                        "<g><text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"label\">%s</text>%n",
                        LABEL - 10,
                        y + 13,
                        HtmlText.of(label)));
        out.append(
                String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" class=\"empty\"/>%n",
                        LABEL,
                        y,
                        BAR));
        double x = LABEL;
        for (String column : columns) {
            int n = fates.getOrDefault(column, 0);
            if (n == 0 || members == 0) {
                continue;
            }
            double width = BAR * (double) n / members;
            out.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"16\" fill=\"%s\">"
                                    + "<title>%s: %,d %s (%.1f %%)</title></rect>%n",
                            x,
                            y,
                            width,
                            COLOURS.get(column),
                            HtmlText.of(label),
                            n,
                            HtmlText.of(column),
                            100.0 * n / members));
            x += width;
        }
        out.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"%d\">%,d</text>",
                        LABEL + BAR + 10,
                        y + 13,
                        members));
        if (mismatches > 0) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%d\" y=\"%d\" class=\"bad\">✗ %,d mismatch%s</text>",
                            LABEL + BAR + 75,
                            y + 13,
                            mismatches,
                            mismatches == 1 ? "" : "es"));
        }
        out.append("</g>\n");
    }
}
