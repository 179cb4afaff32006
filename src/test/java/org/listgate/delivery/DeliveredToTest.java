package org.listgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeliveredToTest {

    private static Set<String> read(String content, int maxHeaderBytes) throws IOException {
        return DeliveredTo.read(
                new ByteArrayInputStream(content.getBytes(StandardCharsets.ISO_8859_1)),
                maxHeaderBytes);
    }

    private static Set<String> read(String content) throws IOException {
        return read(content, 102_400);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            textBlock =
                    """
            Delivered-To: staff@example.test                 | staff@example.test
            delivered-to:staff@example.test                  | staff@example.test
            DELIVERED-TO:   <Staff@Example.TEST>             | staff@example.test
            Delivered-To :staff@example.test                 | staff@example.test
            "Delivered-To:\\r\\n\\tstaff@example.test"       | staff@example.test
            """)
    void readsTheAddressOfADeliveredToFieldCaseFolded(String field, String expected)
            throws IOException {
        String unescaped = field.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");

        assertThat(read("Received: by mx\r\n" + unescaped + "\r\nSubject: x\r\n\r\nbody\r\n"))
                .containsExactly(expected);
    }

    @Test
    void readsEveryDeliveredToOfTheHeaderSectionAndNothingOfTheBody() throws IOException {
        String content =
                "Delivered-To: sales@example.test\r\nDelivered-To: staff@example.test\r\n"
                        + "X-Delivered-To: ops@example.test\r\nSubject: Delivered-To: fake@example.test\r\n"
                        + "\r\nDelivered-To: body@example.test\r\n";

        assertThat(read(content))
                .containsExactlyInAnyOrder("sales@example.test", "staff@example.test");
    }

    @Test
    void bareLineFeedsEndLinesToo() throws IOException {
        assertThat(
                        read(
                                "Delivered-To: staff@example.test\nSubject: x\n\nDelivered-To: body@example.test\n"))
                .containsExactly("staff@example.test");
    }

    @Test
    void valuesThatAreNotMailboxesAreIgnored() throws IOException {
        assertThat(
                        read(
                                "Delivered-To: not an address\r\nDelivered-To:\r\nDelivered-To: a@@b\r\n"
                                        + "Delivered-To: staff@example.test (comment)\r\n\r\n"))
                .isEmpty();
    }

    @Test
    void neverReadsPastTheLimitAndDropsTheFieldTheLimitFallsIn() throws IOException {
        String first = "Delivered-To: staff@example.test\r\n";
        String cut = "Delivered-To: sales@example.test.elsewhere\r\n";
        String content = first + cut + "\r\n";
        // The limit falls inside the second field, right after "sales@example.test".
        int limit = first.length() + "Delivered-To: sales@example.test".length();

        assertThat(read(content, limit)).containsExactly("staff@example.test");
        assertThat(read(first + "Delivered-To: beyond@example.test\r\n\r\n", first.length()))
                .as("a field that may go on past the limit")
                .isEmpty();
        assertThat(read(first, first.length()))
                .as("the whole content, no more")
                .containsExactly("staff@example.test");
    }

    @Test
    void aHeaderSectionWithoutAnEmptyLineEndsWithTheContent() throws IOException {
        assertThat(read("Delivered-To: staff@example.test")).containsExactly("staff@example.test");
        assertThat(read("")).isEmpty();
    }

    @Test
    void aCopyGetsTheInnermostListOnTop() {
        assertThat(DeliveredTo.fields(List.of("staff@example.test", "sales@example.test"), "\r\n"))
                .isEqualTo(
                        "Delivered-To: sales@example.test\r\nDelivered-To: staff@example.test\r\n");
        assertThat(DeliveredTo.fields(List.of(), "\n")).isEmpty();
    }

    @Test
    void whatACopyCarriesIsReadBackAsTheListsItCameThrough() throws IOException {
        String copy =
                DeliveredTo.fields(List.of("staff@example.test", "sales@example.test"), "\r\n")
                        + "Received: by mx\r\n\r\nbody\r\n";

        assertThat(read(copy))
                .containsExactlyInAnyOrder("staff@example.test", "sales@example.test");
    }
}
