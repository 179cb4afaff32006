package org.listgate.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.listgate.client.MxList;

/**
 * The report as JSON, for {@code --json}: every figure of the {@link Report}, in the keys README
 * lists. {@code server} is the first server, as it was before there could be several; {@code
 * servers} has each one, with the sends it took, the failovers away from it and its probes.
 */
final class ReportJson {

    private ReportJson() {}

    /** Every figure of {@code report}. */
    static Map<String, Object> of(Report report) {
        Scenario scenario = report.scenario();
        Replay.Options options = report.options();
        List<Report.ServerRow> servers = report.servers();
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
        // "server" is the first server, as before there were several; "servers" has them all.
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("host", servers.get(0).server().host());
        server.put("port", servers.get(0).server().port());
        json.put("server", server);
        List<Object> serverRows = new ArrayList<>();
        for (Report.ServerRow row : servers) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("server", row.server().toString());
            r.put("sends", row.sends());
            r.put("failovers", row.failovers());
            r.put("survival", survival(row.afterSend(), row.afterFates()));
            serverRows.add(r);
        }
        json.put("servers", serverRows);
        json.put("failovers", report.failovers());
        json.put("sends", options.repeat());
        json.put("connections", options.connections());
        json.put("fatesFrom", report.fatesFrom().isEmpty() ? List.of("smtp") : report.fatesFrom());
        List<Object> kindRows = new ArrayList<>();
        for (Report.Row row : report.rows().values()) {
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
        totals.put("members", report.rows().values().stream().mapToInt(Report.Row::members).sum());
        report.totals().forEach((column, n) -> totals.put(camel(column), n));
        totals.put("mismatches", report.mismatchCount());
        json.put("totals", totals);
        json.put("survived", report.survived());
        json.put("survival", survival(report.afterSend(), report.afterFates()));
        List<Object> failures = new ArrayList<>();
        for (Send.Result send : report.sends()) {
            MxList.Server last = send.attempts().get(send.attempts().size() - 1).server();
            send.failure()
                    .ifPresent(
                            f -> {
                                Map<String, Object> failure = new LinkedHashMap<>();
                                failure.put("send", send.number());
                                failure.putAll(failure(last, f));
                                failures.add(failure);
                            });
        }
        json.put("sessionFailures", failures);
        List<Object> sendRows = new ArrayList<>();
        for (Send.Result send : report.sends()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("send", send.number());
            s.put("messageId", send.messageId());
            s.put(
                    "queueIds",
                    send.transactions().stream().flatMap(t -> t.queueId().stream()).toList());
            s.put("transactions", send.transactions().size());
            s.put("servers", send.takenBy().stream().map(MxList.Server::toString).toList());
            s.put("failovers", send.failovers());
            s.put(
                    "movedOn",
                    send.attempts().stream()
                            .filter(a -> a.movedOn().isPresent())
                            .map(a -> failure(a.server(), a.movedOn().get()))
                            .toList());
            s.put("millis", timings(send.timings()));
            sendRows.add(s);
        }
        json.put("sendResults", sendRows);
        List<Object> mismatchRows = new ArrayList<>();
        for (Judge.Verdict verdict : report.mismatches()) {
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
        timings.put("bannerMedian", report.timing(Send.Timings::banner)[0]);
        timings.put("rcptsMedian", report.timing(Send.Timings::rcpts)[0]);
        timings.put("endOfDataMedian", report.timing(Send.Timings::endOfData)[0]);
        timings.put("endOfDataMax", report.timing(Send.Timings::endOfData)[1]);
        timings.put("sendMedian", report.timing(Send.Timings::total)[0]);
        timings.put("sendMax", report.timing(Send.Timings::total)[1]);
        timings.put("allSends", report.sendMillis());
        timings.put("fates", report.settleMillis());
        timings.put("total", report.totalMillis());
        json.put("millis", timings);
        json.put("exitCode", report.exitCode());
        return json;
    }

    /**
     * A session's failure on {@code server}, as {@code sessionFailures} and {@code movedOn} say.
     */
    private static Map<String, Object> failure(MxList.Server server, Send.Failure f) {
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("server", server.toString());
        failure.put("dropped", f.dropped());
        failure.put("loss", f.loss() == null ? null : f.loss().name().toLowerCase(Locale.ROOT));
        failure.put("at", f.where());
        failure.put("detail", f.detail());
        failure.put("description", f.describe());
        return failure;
    }

    private static Map<String, Object> survival(
            Survival.Probe afterSend, Optional<Survival.Probe> afterFates) {
        Map<String, Object> survival = new LinkedHashMap<>();
        survival.put("afterSend", probe(afterSend));
        afterFates.ifPresent(p -> survival.put("afterFates", probe(p)));
        return survival;
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
