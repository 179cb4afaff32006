package org.listgate.load;

import java.util.List;
import java.util.Locale;

/** The report as a person reads it on a terminal. */
public final class LoadReportText {

    private LoadReportText() {}

    public static String render(LoadReport report) {
        Load.Options options = report.options();
        StringBuilder out = new StringBuilder();
        out.append(
                line(
                        "listgate load: %,d message%s of %,d octets to %s, over %,d connection%s (%s), %s",
                        options.messages(),
                        options.messages() == 1 ? "" : "s",
                        report.messageSize(),
                        options.target().describe(),
                        options.connections(),
                        options.connections() == 1 ? "" : "s",
                        options.newConnectionPerMessage()
                                ? "a new one for each message"
                                : "each kept open",
                        options.serverList()));
        report.idle()
                .ifPresent(
                        idle ->
                                out.append(
                                        line(
                                                "idle         %,d of %,d connections got their banner in %,.1f s and were held open%s",
                                                idle.banners(),
                                                idle.wanted(),
                                                idle.millis() / 1000.0,
                                                idle.failure().map(f -> "; " + f).orElse(""))));
        out.append(
                line(
                        "accepted     %,d of %,d messages in %,.2f s: %,.1f messages/s, %,.1f recipients/s",
                        report.accepted(),
                        options.messages(),
                        report.seconds(),
                        report.acceptedPerSecond(),
                        report.recipientsPerSecond()));
        if (options.servers().size() > 1) {
            out.append(
                    line(
                            "servers      %s",
                            report.acceptedByServer().isEmpty()
                                    ? "none accepted a message"
                                    : report.acceptedByServer().entrySet().stream()
                                                    .map(
                                                            e ->
                                                                    String.format(
                                                                            "%s accepted %,d",
                                                                            e.getKey(),
                                                                            e.getValue()))
                                                    .collect(
                                                            java.util.stream.Collectors.joining(
                                                                    ", "))
                                            + String.format(
                                                    "; %,d message%s sent again to the next after a lost connection;"
                                                            + " %,d server%s passed over by a new session (refused or silent)",
                                                    report.failovers(),
                                                    report.failovers() == 1 ? "" : "s",
                                                    report.passedOver(),
                                                    report.passedOver() == 1 ? "" : "s")));
        }
        LoadReport.Latency latency = report.latency();
        if (report.accepted() == 0) {
            out.append(line("final dot    no message accepted"));
        } else {
            out.append(
                    line(
                            "final dot    p50 %,.1f ms, p99 %,.1f ms, max %,.1f ms (end of data to 250)",
                            latency.p50(), latency.p99(), latency.max()));
        }
        errors(report.errors(), out);
        report.deliveries().ifPresent(copies -> deliveries(copies, out));
        out.append(line("result       %s (exit %d)", result(report), report.exitCode()));
        return out.toString();
    }

    private static void errors(List<LoadReport.ErrorCount> errors, StringBuilder out) {
        if (errors.isEmpty()) {
            out.append(line("errors       none"));
            return;
        }
        long total = errors.stream().mapToLong(LoadReport.ErrorCount::count).sum();
        out.append(line("errors       %,d", total));
        for (LoadReport.ErrorCount error : errors) {
            out.append(
                    line("%13s%-12s %-24s %,10d", "", error.stage(), error.reply(), error.count()));
        }
    }

    private static void deliveries(LoadReport.Deliveries copies, StringBuilder out) {
        if (copies.endToEnd().isPresent() && copies.delivered() > 0) {
            out.append(
                    line(
                            "delivered    %,d of %,d files in %,.2f s from the first MAIL to the last file: %,.1f files/s",
                            copies.delivered(),
                            copies.expected(),
                            copies.endToEnd().get().toNanos() / 1e9,
                            copies.perSecond().orElse(0.0)));
        } else {
            out.append(
                    line("delivered    %,d of %,d files", copies.delivered(), copies.expected()));
        }
        if (!copies.complete()) {
            out.append(
                    line(
                            "%13sgave up after waiting %,.1f s (--timeout)",
                            "", copies.waitedMillis() / 1000.0));
        }
    }

    private static String result(LoadReport report) {
        if (report.exitCode() == 0) {
            return report.deliveries().isPresent()
                    ? "PASS: every message got its 250 and every file arrived"
                    : "PASS: every message got its 250";
        }
        StringBuilder why = new StringBuilder("FAIL:");
        if (report.notAccepted() > 0) {
            why.append(String.format(Locale.ROOT, " %,d not accepted;", report.notAccepted()));
        }
        if (report.errorCount() > 0) {
            why.append(
                    String.format(
                            Locale.ROOT,
                            " %,d refusals or lost connections;",
                            report.errorCount()));
        }
        report.idle()
                .filter(idle -> idle.banners() < idle.wanted())
                .ifPresent(
                        idle ->
                                why.append(
                                        String.format(
                                                Locale.ROOT,
                                                " %,d idle connections without a banner;",
                                                idle.wanted() - idle.banners())));
        report.deliveries()
                .filter(copies -> !copies.complete())
                .ifPresent(
                        copies ->
                                why.append(
                                        String.format(
                                                Locale.ROOT,
                                                " %,d files missing;",
                                                copies.expected() - copies.delivered())));
        return why.substring(0, why.length() - 1);
    }

    private static String line(String format, Object... values) {
        return String.format(Locale.ROOT, format, values) + "\n";
    }
}
