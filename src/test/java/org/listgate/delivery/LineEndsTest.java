package org.listgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LineEndsTest {

    private static final int BUFFER = 16 * 1024;

    static Stream<Arguments> conversions() {
        String pad = "x".repeat(BUFFER - 1);
        return Stream.of(
                Arguments.of("a\r\nb\r\n", "a\nb\n"),
                Arguments.of("", ""),
                Arguments.of("a\rb\r\n", "a\rb\n"),
                Arguments.of("a\r", "a\r"),
                Arguments.of("\r\r\n\r", "\r\n\r"),
                Arguments.of("a\nb", "a\nb"),
                // CR as the last byte of the first 16 KiB buffer, LF first in the next.
                Arguments.of(pad + "\r\nz", pad + "\nz"),
                // CR at the boundary followed by something else: the CR is content.
                Arguments.of(pad + "\rz\r\n", pad + "\rz\n"),
                // CR at the boundary and at the very end.
                Arguments.of(pad + "\r", pad + "\r"),
                Arguments.of("line\r\n".repeat(20_000), "line\n".repeat(20_000)));
    }

    @ParameterizedTest
    @MethodSource("conversions")
    void turnsCrlfIntoLfAndKeepsBareCr(String input, String expected) throws IOException {
        assertThat(convert(new ByteArrayInputStream(bytes(input)))).isEqualTo(expected);
    }

    @Test
    void handlesACrAtTheEndOfAShortRead() throws IOException {
        // A stream that returns one byte per read puts every CR at a buffer boundary.
        InputStream trickle =
                new ByteArrayInputStream(bytes("a\r\nb\rc\r\n")) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        return super.read(b, off, Math.min(len, 1));
                    }
                };

        assertThat(convert(trickle)).isEqualTo("a\nb\rc\n");
    }

    private static String convert(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineEnds.crlfToLf(in, out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
