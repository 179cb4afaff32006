package org.listgate.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HtmlTextTest {

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("alice@example.test", "alice@example.test"),
                Arguments.of("<angle1@example.test", "&lt;angle1@example.test"),
                Arguments.of("a>b", "a&gt;b"),
                Arguments.of("\"unbalanced1@example.test", "&quot;unbalanced1@example.test"),
                Arguments.of("o'brien@example.test", "o&#39;brien@example.test"),
                Arguments.of("&amp;", "&amp;amp;"),
                Arguments.of("bell\u00071@example.test", "bell\\x071@example.test"),
                Arguments.of("nul\u0000 cr\r lf\n tab\t", "nul\\x00 cr\\x0D lf\\x0A tab\\x09"),
                Arguments.of("del\u007f c1\u0085", "del\\x7F c1\\x85"),
                Arguments.of("j\u00f6rg1@example.test", "j\u00f6rg1@example.test"),
                Arguments.of("mail \uD83D\uDCE7 pair", "mail \uD83D\uDCE7 pair"),
                Arguments.of("lone \uD83D high", "lone \uFFFD high"),
                Arguments.of("lone \uDCE7 low", "lone \uFFFD low"),
                Arguments.of(
                        "</script><script>alert(1)</script>",
                        "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
                Arguments.of("", ""));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void escapesMarkupAndShowsControlCharactersAsHex(String text, String html) {
        assertThat(HtmlText.of(text)).isEqualTo(html);
    }

    @ParameterizedTest
    @MethodSource("texts")
    void leavesNoCharacterThatMarkupOrXmlWouldMisread(String text, String html) {
        assertThat(HtmlText.of(text))
                .doesNotContain("<", ">", "\"", "'")
                .matches("[^\\x00-\\x1F\\x7F-\\x9F\\uFFFE\\uFFFF]*")
                .satisfies(
                        escaped ->
                                assertThat(escaped.replaceAll("&(lt|gt|amp|quot|#39);", ""))
                                        .doesNotContain("&"));
    }
}
