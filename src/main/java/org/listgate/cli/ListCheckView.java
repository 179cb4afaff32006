package org.listgate.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.listgate.address.Status;
import org.listgate.events.Text;

/**
 * How {@code lists check} shows what it found: an aligned table, a row a finding, then a line a
 * list and a line for them all; or JSON Lines, an object a finding, a list and the total.
 *
 * <p>A member is shown as written in the directory, so the table escapes every character that could
 * break its line or drive a terminal and cuts a long member or origin; JSON escapes them anyway and
 * cuts nothing.
 */
final class ListCheckView {

    private static final JSON JSON_OUT = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    /** The widest member and origin the table shows, before its "...". */
    private static final int MEMBER_SHOWN = 60;

    private static final int ORIGIN_SHOWN = 80;

    private ListCheckView() {}

    // ---- table --------------------------------------------------------------------------------

    static void table(
            PrintWriter out,
            List<ListCheck.Finding> findings,
            List<ListCheck.Checked> lists,
            ListCheck.Totals totals) {
        if (findings.isEmpty()) {
            out.println("No problems found.");
        } else {
            rows(out, findings);
        }
        out.println();
        summaries(out, lists, totals);
    }

    /** A row a finding under a heading, the columns as wide as their widest field. */
    private static void rows(PrintWriter out, List<ListCheck.Finding> findings) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"LIST", "FINDING", "STATUS", "MEMBER", "ORIGIN", "REASON"});
        for (ListCheck.Finding finding : findings) {
            rows.add(
                    new String[] {
                        shown(finding.list().orElse(""), MEMBER_SHOWN),
                        finding.kind().label(),
                        finding.status().map(Status::toString).orElse("-"),
                        shown(finding.recipient(), MEMBER_SHOWN),
                        shown(finding.origin().orElse(""), ORIGIN_SHOWN),
                        Text.escaped(finding.reason())
                    });
        }
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
            }
            out.println(line.append(row[5]));
        }
    }

    /** A line a list, then one for them all. */
    private static void summaries(
            PrintWriter out, List<ListCheck.Checked> lists, ListCheck.Totals totals) {
        for (ListCheck.Checked list : lists) {
            out.println(
                    Text.escaped(list.list())
                            + ": "
                            + counts(
                                    list.members(),
                                    list.delivered(),
                                    list.isolated(),
                                    list.loops(),
                                    list.duplicates())
                            + (list.overLimit() ? ", over limits.maxExpansion" : ""));
        }
        out.println(
                plural(totals.lists(), "list")
                        + " checked: "
                        + counts(
                                totals.members(),
                                totals.delivered(),
                                totals.isolated(),
                                totals.loops(),
                                totals.duplicates())
                        + ", "
                        + totals.overLimit()
                        + " over limits.maxExpansion"
                        + (totals.unreadLines() == 0
                                ? ""
                                : ", "
                                        + plural(totals.unreadLines(), "line")
                                        + " of the directory files not read"));
    }

    private static String counts(
            long members, long delivered, long isolated, long loops, long duplicates) {
        return plural(members, "member")
                + ", "
                + delivered
                + " would be delivered, "
                + isolated
                + " isolated, "
                + plural(loops, "loop")
                + ", "
                + plural(duplicates, "duplicate");
    }

    /** Empty as "-"; else escaped, and cut past {@code max}. */
    private static String shown(String text, int max) {
        return text.isEmpty() ? "-" : Text.escaped(Text.cut(text, max));
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    // ---- JSON Lines ---------------------------------------------------------------------------

    static void json(
            PrintWriter out,
            List<ListCheck.Finding> findings,
            List<ListCheck.Checked> lists,
            ListCheck.Totals totals) {
        for (ListCheck.Finding finding : findings) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("kind", finding.kind().label());
            object.put("list", finding.list().orElse(null));
            object.put("recipient", finding.recipient().isEmpty() ? null : finding.recipient());
            object.put("status", finding.status().map(Status::toString).orElse(null));
            object.put("reason", finding.reason());
            object.put("origin", finding.origin().orElse(null));
            object.put("in", finding.in().orElse(null));
            out.println(json(object));
        }
        for (ListCheck.Checked list : lists) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("kind", "list");
            object.put("list", list.list());
            object.put("members", list.members());
            object.put("delivered", list.delivered());
            object.put("isolated", list.isolated());
            object.put("loops", list.loops());
            object.put("duplicates", list.duplicates());
            object.put("overLimit", list.overLimit());
            out.println(json(object));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("kind", "summary");
        summary.put("lists", totals.lists());
        summary.put("members", totals.members());
        summary.put("delivered", totals.delivered());
        summary.put("isolated", totals.isolated());
        summary.put("loops", totals.loops());
        summary.put("duplicates", totals.duplicates());
        summary.put("listsOverLimit", totals.overLimit());
        summary.put("unreadLines", totals.unreadLines());
        summary.put("clean", totals.clean());
        out.println(json(summary));
    }

    private static String json(Map<String, Object> object) {
        try {
            return JSON_OUT.asString(object);
        } catch (IOException e) {
            // A map of strings, numbers and booleans written to a String has no I/O to fail.
            throw new UncheckedIOException(e);
        }
    }
}
