package org.listgate.events;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * How many events of each id there were in each hour (UTC): one row an hour, one column an id, and
 * a total row and column.
 *
 * <pre>
 * hour (UTC)          1000  2001  2003  4037  total
 * 2026-11-24T19:00Z      1    12   480    20    513
 * 2026-11-24T20:00Z      0     3    90     0     93
 * total                  1    15   570    20    606
 * </pre>
 *
 * It holds one counter per hour and id seen, never the records. A record without a readable time is
 * counted in the row {@code no time}.
 */
public final class Summary implements Consumer<LoggedEvent> {

    private static final String NO_TIME = "no time";

    /** Hour (as shown) → id → count; ISO hours sort in time order, "no time" after them. */
    private final SortedMap<String, SortedMap<Integer, Long>> counts = new TreeMap<>();

    private final SortedSet<Integer> ids = new TreeSet<>();

    @Override
    public void accept(LoggedEvent event) {
        String hour =
                event.time()
                        .map(t -> t.truncatedTo(ChronoUnit.HOURS).toString())
                        .map(t -> t.replace(":00:00Z", ":00Z"))
                        .orElse(NO_TIME);
        counts.computeIfAbsent(hour, h -> new TreeMap<>()).merge(event.id(), 1L, Long::sum);
        ids.add(event.id());
    }

    /** The table, one string a line. */
    public List<String> table() {
        List<String> rows = new ArrayList<>();
        int first = Math.max("hour (UTC)".length(), "2026-11-24T19:00Z".length());
        Map<Integer, Long> totals = totals();
        long all = totals.values().stream().mapToLong(Long::longValue).sum();
        int width = Math.max(5, Long.toString(all).length());
        StringBuilder header = new StringBuilder(pad("hour (UTC)", first));
        ids.forEach(id -> header.append("  ").append(left(Integer.toString(id), width)));
        rows.add(header.append("  ").append(left("total", width)).toString());
        counts.forEach((hour, byId) -> rows.add(row(hour, byId, first, width)));
        rows.add(row("total", totals, first, width));
        return rows;
    }

    /**
     * The same as JSON: {@code {"hours":[{"hour":"2026-11-24T19:00Z","counts":{"2001":12,...},
     * "total":513},...],"total":{"counts":{...},"total":606}}}.
     */
    public String json() {
        List<Map<String, Object>> hours = new ArrayList<>();
        counts.forEach(
                (hour, byId) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("hour", hour);
                    row.put("counts", keyed(byId));
                    row.put("total", sum(byId));
                    hours.add(row);
                });
        Map<Integer, Long> totals = totals();
        Map<String, Object> total = new LinkedHashMap<>();
        total.put("counts", keyed(totals));
        total.put("total", sum(totals));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("hours", hours);
        summary.put("total", total);
        try {
            return JSON.std.asString(summary);
        } catch (IOException e) {
            // Writing a map of strings and numbers to a String has no I/O to fail.
            throw new UncheckedIOException("cannot write the summary", e);
        }
    }

    private String row(String label, Map<Integer, Long> byId, int first, int width) {
        StringBuilder row = new StringBuilder(pad(label, first));
        ids.forEach(
                id ->
                        row.append("  ")
                                .append(left(Long.toString(byId.getOrDefault(id, 0L)), width)));
        return row.append("  ").append(left(Long.toString(sum(byId)), width)).toString();
    }

    private Map<Integer, Long> totals() {
        Map<Integer, Long> totals = new TreeMap<>();
        counts.values().forEach(byId -> byId.forEach((id, n) -> totals.merge(id, n, Long::sum)));
        return totals;
    }

    private static Map<String, Long> keyed(Map<Integer, Long> byId) {
        Map<String, Long> keyed = new LinkedHashMap<>();
        byId.forEach((id, n) -> keyed.put(Integer.toString(id), n));
        return keyed;
    }

    private static long sum(Map<Integer, Long> byId) {
        return byId.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private static String left(String text, int width) {
        return " ".repeat(Math.max(0, width - text.length())) + text;
    }
}
