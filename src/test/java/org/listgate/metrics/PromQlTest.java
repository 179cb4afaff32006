package org.listgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromQlTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            sum(rate(a_total{instance=~"$instance",id="9001"}[$__rate_interval])) or vector(0) | a_total
            histogram_quantile(0.99, sum by (le, route) (rate(b_bucket{x="}"}[5m])))           | b_bucket
            sum without (id) (c) / ignoring (k) group_left (m) d offset 5m                     | c d
            max(e_seconds) > 1e3 and on (instance) f                                           | e_seconds f
            sum(g) by (route) / count(h:rate5m)                                                | g h:rate5m
            sum by (instance) (jvm_memory_max_bytes{area="heap"} > 0)                          | jvm_memory_max_bytes
            """)
    void findsTheMetricNamesOfAnExpression(String expr, String names) {
        assertThat(PromQl.metricNames(expr)).containsExactly(names.split(" ", -1));
    }

    @Test
    void keepsEachSelectorsMatchersWholeQuotedBracesIncluded() {
        assertThat(PromQl.selectors("rate(a{x=\"}\",instance=~\"$instance\"}[1m]) + b"))
                .containsExactly(
                        new PromQl.Selector("a", "x=\"}\",instance=~\"$instance\""),
                        new PromQl.Selector("b", ""));
    }

    @Test
    void findsTheLabelsOfEveryGrouping() {
        assertThat(PromQl.groupingLabels("sum by (le, route) (x) / on (instance) group_left(gc) y"))
                .containsExactly("le", "route", "instance", "gc");
    }
}
