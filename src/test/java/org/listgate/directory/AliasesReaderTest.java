package org.listgate.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AliasesReaderTest {

    private static final int MEGABYTE = 1 << 20;

    static Stream<Arguments> memberLists() {
        return Stream.of(
                Arguments.of(
                        "a@x.test, b@x.test,c@x.test", List.of("a@x.test", "b@x.test", "c@x.test")),
                Arguments.of("  a@x.test ,, , b@x.test ,", List.of("a@x.test", "b@x.test")),
                Arguments.of("\"a,b\"@x.test, c@x.test", List.of("\"a,b\"@x.test", "c@x.test")),
                Arguments.of("c@x.test, \"a,b\"@x.test", List.of("c@x.test", "\"a,b\"@x.test")),
                Arguments.of(
                        "\"a\\\",b\"@x.test, c@x.test", List.of("\"a\\\",b\"@x.test", "c@x.test")),
                // Unbalanced quote: an ordinary character; the members after it survive.
                Arguments.of(
                        "\"broken@x.test, b@x.test, c@x.test",
                        List.of("\"broken@x.test", "b@x.test", "c@x.test")),
                // A quote closed but not followed by @ is not a quoted local part.
                Arguments.of(
                        "\"a, b\" c@x.test, d@x.test", List.of("\"a", "b\" c@x.test", "d@x.test")),
                // Unbalanced angle brackets do not swallow either.
                Arguments.of("<broken@x.test, b@x.test", List.of("<broken@x.test", "b@x.test")),
                Arguments.of("broken>@x.test, b@x.test", List.of("broken>@x.test", "b@x.test")),
                // A quote in the middle of a member does not open a quoted part.
                Arguments.of(
                        "a\"b,c\"@x.test, d@x.test", List.of("a\"b", "c\"@x.test", "d@x.test")));
    }

    @ParameterizedTest
    @MethodSource("memberLists")
    void splitsMembersOnCommasOutsideClosedQuotedLocalParts(String text, List<String> members) {
        assertThat(AliasesReader.splitMembers(text)).containsExactlyElementsOf(members);
    }

    @Test
    void joinsContinuationLinesAndDropsCommentsAndBlankLinesKeepingTheStartLine() {
        List<String> file =
                List.of(
                        "# staff of the shop",
                        "staff: a@x.test,",
                        "   b@x.test,",
                        "",
                        "  # a comment inside the continuation",
                        "\tc@x.test",
                        "sales: d@x.test",
                        "   ",
                        "ops: e@x.test");

        List<AliasesReader.Logical> logical = AliasesReader.read(file);
        assertThat(logical)
                .extracting(AliasesReader.Logical::line, AliasesReader.Logical::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                2, "staff: a@x.test, b@x.test, c@x.test"),
                        org.assertj.core.groups.Tuple.tuple(7, "sales: d@x.test"),
                        org.assertj.core.groups.Tuple.tuple(9, "ops: e@x.test"));
        // Each member is traced to its own physical line.
        String staff = logical.get(0).text();
        assertThat(logical.get(0).lineAt(staff.indexOf("a@x"))).isEqualTo(2);
        assertThat(logical.get(0).lineAt(staff.indexOf("b@x"))).isEqualTo(3);
        assertThat(logical.get(0).lineAt(staff.indexOf("c@x"))).isEqualTo(6);
    }

    @Test
    void splitsAMemberOfAMegabyteOfQuotesInLinearTime() {
        String text = "a" + "\"".repeat(MEGABYTE) + ", b@x.test";

        List<String> members =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(2), () -> AliasesReader.splitMembers(text));

        assertThat(members).containsExactly("a" + "\"".repeat(MEGABYTE), "b@x.test");
    }

    @Test
    void tracesTheMembersOfAHundredThousandContinuationLinesInLinearTime() {
        int continuations = 100_000;
        List<String> file = new ArrayList<>(List.of("big: m0@x.test,"));
        for (int i = 1; i <= continuations; i++) {
            file.add(" m" + i + "@x.test,");
        }
        AliasesReader.Logical big = AliasesReader.read(file).get(0);

        List<Integer> lines =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(2),
                        () ->
                                AliasesReader.pieces(big.text()).stream()
                                        .map(piece -> big.lineAt(piece.offset()))
                                        .toList());

        assertThat(lines).hasSize(continuations + 1);
        assertThat(lines.get(0)).isEqualTo(1);
        assertThat(lines.get(continuations)).isEqualTo(continuations + 1);
    }
}
