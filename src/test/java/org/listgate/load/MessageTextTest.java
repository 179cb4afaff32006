package org.listgate.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTextTest {

    private static final ZonedDateTime NOW =
            ZonedDateTime.of(2026, 11, 24, 19, 0, 0, 0, ZoneOffset.UTC);

    private static String wire(int size, long n) {
        return new String(
                new MessageText("load@example.test", "load.example.test", size, NOW)
                        .wire(n, "u1@example.test"),
                StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 300, 1000, 5120, 100_000})
    void isAboutTheSizeAskedWithCrLfLinesOfAtMost78AndTheFinalDot(int size) {
        String wire = wire(size, 7);

        assertThat(wire).endsWith("\r\n.\r\n").doesNotContain("\r\n.\r\n.\r\n");
        assertThat(wire.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        List<String> lines = Arrays.asList(wire.split("\r\n", -1));
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        int unstuffed =
                wire.length()
                        - ".\r\n".length()
                        - (int) lines.stream().filter(l -> l.startsWith("..")).count();
        if (size >= 1000) {
            assertThat(unstuffed).isBetween(size - 80, size + 80);
        }
    }

    @Test
    void hasTheHeadersOfAnRfc5322MessageNamingItsNumber() {
        String wire = wire(2000, 42);

        assertThat(wire)
                .startsWith("Date: Tue, 24 Nov 2026 19:00:00 GMT\r\nFrom: <load@example.test>\r\n")
                .contains("\r\nTo: <u1@example.test>\r\n")
                .contains("\r\nSubject: listgate load message 42\r\n")
                .containsPattern(
                        "\r\nMessage-ID: <load\\.42\\.[0-9a-z]+@load\\.example\\.test>\r\n")
                .contains(
                        "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
    }

    @Test
    void aBodyLineThatStartsWithADotIsStuffed() {
        String wire = wire(2000, 1);

        assertThat(wire).containsPattern("\r\n\\.\\.[a-zA-Z]");
        assertThat(
                        new String(
                                org.listgate.client.DotStuffing.stuffed(
                                        ".a\r\nb\r\n..c\r\n".getBytes(StandardCharsets.US_ASCII)),
                                StandardCharsets.US_ASCII))
                .isEqualTo("..a\r\nb\r\n...c\r\n");
    }

    @Test
    void theBodyIsTheSameEveryTime() {
        assertThat(MessageText.body(5000)).isEqualTo(MessageText.body(5000));
    }
}
