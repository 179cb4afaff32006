package org.listgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextTest {

    private static final String HOSTILE = "a\r\nb\0c\td\u001be\u007ff";
    private static final String SMILE = "\ud83d\ude00"; // U+1F600, one code point, two chars

    // ---- cut: nothing replaced, a limit and "..." ----------------------------------------------

    static Stream<Arguments> cuts() {
        return Stream.of(
                Arguments.of("short", 10, "short"),
                Arguments.of("exactly10!", 10, "exactly10!"),
                Arguments.of("eleven char", 10, "eleven cha..."),
                Arguments.of(HOSTILE, 100, HOSTILE),
                Arguments.of("é".repeat(12), 10, "é".repeat(10) + "..."),
                Arguments.of("abcdefghi" + SMILE, 10, "abcdefghi..."),
                Arguments.of("", 0, ""),
                Arguments.of("x", 0, "..."));
    }

    @ParameterizedTest
    @MethodSource("cuts")
    void cutReplacesNothingAndMarksWhatItDrops(String text, int max, String expected) {
        assertThat(Text.cut(text, max)).isEqualTo(expected);
    }

    @Test
    void cutWithoutALimitKeepsAnEventFieldTo256Characters() {
        assertThat(Text.cut("x".repeat(256))).isEqualTo("x".repeat(256));
        assertThat(Text.cut("x".repeat(100_000))).isEqualTo("x".repeat(256) + "...");
    }

    // ---- visible: C0 controls and DEL -----------------------------------------------------------

    @Test
    void visibleReplacesEachControlCharacterAndDelButKeepsNonAscii() {
        assertThat(Text.visible(HOSTILE)).isEqualTo("a??b?c?d?e?f");
        assertThat(Text.visible("\0")).isEqualTo("?");
        assertThat(Text.visible("client [192.0.2.1] é " + SMILE))
                .isEqualTo("client [192.0.2.1] é " + SMILE);
        assertThat(Text.visible("\u0085\u2028"))
                .isEqualTo("\u0085\u2028"); // C1 and separators: not C0
    }

    @Test
    void visibleKeepsTheLengthSoACutAfterItCountsTheSame() {
        String line = "RCPT TO:<x>\r\n".repeat(40);

        assertThat(Text.visible(line)).hasSameSizeAs(line);
        assertThat(Text.cut(Text.visible(line))).hasSize(256 + 3).doesNotContain("\r", "\n");
    }

    // ---- word: printable ASCII without the space ------------------------------------------------

    @Test
    void wordReplacesEveryCodePointOutsidePrintableAsciiWithOneQuestionMark() {
        assertThat(Text.word("mail.example.test")).isEqualTo("mail.example.test");
        assertThat(Text.word(HOSTILE)).isEqualTo("a??b?c?d?e?f");
        assertThat(Text.word("two words")).isEqualTo("two?words");
        assertThat(Text.word("héllo" + SMILE)).isEqualTo("h?llo?");
        assertThat(Text.word("lone\ud800")).isEqualTo("lone?");
    }

    @Test
    void wordWithALimitDropsTheRestWithoutAMark() {
        assertThat(Text.word("x".repeat(64), 64)).isEqualTo("x".repeat(64));
        assertThat(Text.word("x".repeat(500), 64)).isEqualTo("x".repeat(64));
        assertThat(Text.word(SMILE.repeat(100), 64)).isEqualTo("?".repeat(64));
    }

    @Test
    void wordOfACutMarksTheCutInAsciiAsTheSchemeOfAPasswordLineIsShown() {
        assertThat(Text.word(Text.cut("MD5\r\nCRYPT" + "x".repeat(40), 32)))
                .isEqualTo("MD5??CRYPT" + "x".repeat(22) + "...");
    }

    // ---- oneLine: a header field value ----------------------------------------------------------

    static Stream<Arguments> oneLines() {
        return Stream.of(
                Arguments.of("550 no\r\nBcc: victim@example", "550 no Bcc: victim@example"),
                Arguments.of("  a \t\t b\n\n", "a b"),
                Arguments.of("nul\0here", "nul here"),
                Arguments.of("line\u2028para\u2029end\u0085", "line para end"),
                Arguments.of("Grüße " + SMILE, "Grüße " + SMILE),
                Arguments.of("\r\n", ""));
    }

    @ParameterizedTest
    @MethodSource("oneLines")
    void oneLineMakesEveryBreakAndWhiteSpaceRunOneSpace(String text, String expected) {
        assertThat(Text.oneLine(text, 900)).isEqualTo(expected);
    }

    @Test
    void oneLineCutsAtItsLimitWithoutSplittingASurrogatePair() {
        assertThat(Text.oneLine("550 " + "x".repeat(5000), 900)).hasSize(903).endsWith("x...");
        assertThat(Text.oneLine("abc" + SMILE, 4)).isEqualTo("abc...");
        assertThat(Text.oneLine("a  b  c", 3)).isEqualTo("a b...").doesNotContain("  ");
    }

    // ---- escaped: for a terminal ----------------------------------------------------------------

    @Test
    void escapedShowsBreaksAndControlsAsEscapes() {
        assertThat(Text.escaped("x\r\ny\tz")).isEqualTo("x\\r\\ny\\tz");
        assertThat(Text.escaped("nul\0esc\u001b[2Jdel\u007f"))
                .isEqualTo("nul\\u0000esc\\u001B[2Jdel\\u007F");
        assertThat(Text.escaped("rtl\u202eline\u2028para\u2029"))
                .isEqualTo("rtl\\u202Eline\\u2028para\\u2029");
    }

    @Test
    void escapedKeepsNonAsciiAndPairedSurrogatesButNotLoneOnes() {
        String readable = "Grüße, 東京 " + SMILE;

        assertThat(Text.escaped(readable)).isSameAs(readable);
        assertThat(Text.escaped("a\ud800b\udc00")).isEqualTo("a\\uD800b\\uDC00");
        assertThat(Text.escaped("x".repeat(10_000))).hasSize(10_000);
    }

    @Test
    void noOneLineResultHoldsCrLfOrNul() {
        String nasty = "\r\n\0\u2028\u0085" + HOSTILE;

        for (String result :
                new String[] {
                    Text.visible(nasty),
                    Text.word(nasty),
                    Text.oneLine(nasty, 900),
                    Text.escaped(nasty)
                }) {
            assertThat(result).doesNotContain("\r", "\n", "\0");
        }
    }
}
