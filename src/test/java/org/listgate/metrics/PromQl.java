package org.listgate.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of PromQL to find what a dashboard's query reads: its vector selectors (a metric name
 * and its label matchers) and the labels it groups by. Not a parser: whether a query is PromQL is
 * promtool's to say; this only has to find the names in queries that are.
 */
final class PromQl {

    /** A vector selector: the metric's name and the text between its braces (empty without). */
    record Selector(String name, String matchers) {}

    /** Words that are no metric name where a name could stand: operators, aggregations. */
    private static final Set<String> KEYWORDS =
            Set.of(
                    ("and or unless bool offset by without on ignoring group_left group_right inf"
                                    + " nan sum avg min max count group stddev stdvar topk"
                                    + " bottomk quantile count_values")
                            .split(" ", -1));

    /** Words whose parentheses hold label names. */
    private static final Set<String> GROUPERS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private static final String QUOTED = "\"(?:\\\\.|[^\"\\\\])*\"";
    private static final Pattern STRING = Pattern.compile(QUOTED);
    private static final Pattern BRACES = Pattern.compile("\\{((?:" + QUOTED + "|[^}\"])*)\\}");
    private static final Pattern GROUPING =
            Pattern.compile(
                    "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");

    private PromQl() {}

    /**
     * The vector selectors of {@code expr}: names that are neither functions, aggregations,
     * keywords nor label names in a grouping, and are not in a string, a range or a number.
     */
    static List<Selector> selectors(String expr) {
        List<Selector> selectors = new ArrayList<>();
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"') {
                Matcher string = STRING.matcher(expr);
                i = string.find(i) ? string.end() : expr.length();
            } else if (c == '[') {
                i = expr.indexOf(']', i) + 1;
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < expr.length() && isNamePart(expr.charAt(i))) {
                    i++;
                }
                String word = expr.substring(start, i);
                char before = start == 0 ? ' ' : expr.charAt(start - 1);
                int next = i;
                while (next < expr.length() && expr.charAt(next) == ' ') {
                    next++;
                }
                char after = next < expr.length() ? expr.charAt(next) : ' ';
                if (Character.isDigit(before) || before == '.' || before == '$') {
                    continue; // 1e3, 5m, a variable
                }
                if (after == '(') {
                    if (GROUPERS.contains(word)) {
                        i = expr.indexOf(')', next) + 1;
                    }
                    continue; // a function, or the label names of a grouping
                }
                if (KEYWORDS.contains(word)) {
                    continue;
                }
                String matchers = "";
                Matcher braces = BRACES.matcher(expr);
                if (after == '{' && braces.find(next) && braces.start() == next) {
                    matchers = braces.group(1);
                    i = braces.end();
                }
                selectors.add(new Selector(word, matchers));
            } else {
                i++;
            }
        }
        return selectors;
    }

    /** The metric names {@code expr} selects, in order, each once. */
    static Set<String> metricNames(String expr) {
        Set<String> names = new LinkedHashSet<>();
        for (Selector selector : selectors(expr)) {
            names.add(selector.name());
        }
        return names;
    }

    /** The labels of every {@code by}, {@code without}, {@code on}, ... in {@code expr}. */
    static Set<String> groupingLabels(String expr) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher grouping = GROUPING.matcher(STRING.matcher(expr).replaceAll("\"\""));
        while (grouping.find()) {
            for (String label : grouping.group(1).split(",", -1)) {
                if (!label.isBlank()) {
                    labels.add(label.strip());
                }
            }
        }
        return labels;
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }
}
