package org.listgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DataReaderTest {

    private static final long NO_LIMIT = 10_000_000;

    /** input, content expected, complete expected, bytes left unread. */
    static Stream<Arguments> inputs() {
        String line8191 = "x".repeat(8191);
        String line8192 = "y".repeat(8192);
        return Stream.of(
                Arguments.of("a\r\nb\r\n.\r\n", "a\r\nb\r\n", true, ""),
                Arguments.of(".\r\n", "", true, ""),
                Arguments.of("..first\r\nb\r\n..\r\n...x\r\n.\r\n", ".first\r\nb\r\n.\r\n..x\r\n", true, ""),
                Arguments.of("a\r\n.\r\nQUIT\r\n", "a\r\n", true, "QUIT\r\n"),
                // Only CRLF "." CRLF ends the data; a dot line next to a bare LF is content.
                Arguments.of("a\n.\nb\r\n.\r\n", "a\r\n.\r\nb\r\n", true, ""),
                Arguments.of("a\r\n.\nb\r\n.\r\n", "a\r\n.\r\nb\r\n", true, ""),
                Arguments.of("a\n.\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n", true, ""),
                // Bare LF becomes CRLF; a bare CR is content.
                Arguments.of("a\nb\rc\r\n.\r\n", "a\r\nb\rc\r\n", true, ""),
                Arguments.of("a\r\n", "a\r\n", false, ""),
                Arguments.of("a\r\n.", "a\r\n", false, ""),
                Arguments.of("", "", false, ""),
                // Long lines are passed on in chunks; the CRLF that ends one must stay a CRLF.
                Arguments.of(line8191 + "\r\n.\r\nQUIT\r\n", line8191 + "\r\n", true, "QUIT\r\n"),
                Arguments.of(line8192 + "\r\n.\r\n", line8192 + "\r\n", true, ""),
                Arguments.of("." + line8192 + "\r\n.\r\n", line8192 + "\r\n", true, ""),
                Arguments.of(line8191 + "\rz\r\n.\r\n", line8191 + "\rz\r\n", true, ""));
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void readsUpToTheEndOfDataAndNotAByteMore(String input, String content, boolean complete, String unread)
            throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes(input));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DataReader.Result result = new DataReader(in, NO_LIMIT).copyTo(out);

        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo(content);
        assertThat(result.complete()).isEqualTo(complete);
        assertThat(result.tooBig()).isFalse();
        assertThat(result.outputError()).isEmpty();
        assertThat(result.bytes()).isEqualTo(content.length());
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(unread);
    }

    @Test
    void pastTheLimitWritesNothingMoreButReadsToTheEnd() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes("12345678\r\nabcdefgh\r\nlast\r\n.\r\nQUIT\r\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DataReader.Result result = new DataReader(in, 15).copyTo(out);

        assertThat(result.tooBig()).isTrue();
        assertThat(result.complete()).isTrue();
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("12345678\r\n");
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("QUIT\r\n");
    }

    @Test
    void contentOfExactlyTheLimitIsNotTooBig() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DataReader.Result result = new DataReader(new ByteArrayInputStream(bytes("1234\r\n.\r\n")), 6).copyTo(out);

        assertThat(result.tooBig()).isFalse();
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("1234\r\n");
    }

    @Test
    void anOutputErrorIsKeptAndTheInputStillReadToItsEnd() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes("a\r\nb\r\nc\r\n.\r\nQUIT\r\n"));
        IOException full = new IOException("No space left on device");
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw full;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw full;
            }
        };

        DataReader.Result result = new DataReader(in, NO_LIMIT).copyTo(failing);

        assertThat(result.outputError()).containsSame(full);
        assertThat(result.complete()).isTrue();
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("QUIT\r\n");
    }

    @Test
    void aHundredKilobyteLineWithoutLineEndIsReadToEofAsIncomplete() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes("z".repeat(100 * 1024)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DataReader.Result result = new DataReader(in, NO_LIMIT).copyTo(out);

        // Incomplete data is discarded by the caller; what matters is that it is read, not kept.
        assertThat(result.complete()).isFalse();
        assertThat(in.available()).isZero();
        assertThat(out.size()).isLessThanOrEqualTo(100 * 1024);
    }

    @Test
    void aHundredKilobyteLineIsPassedOnWhole() throws IOException {
        String line = "z".repeat(100 * 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DataReader.Result result = new DataReader(new ByteArrayInputStream(bytes(line + "\r\n.\r\n")), NO_LIMIT)
                .copyTo(out);

        assertThat(result.complete()).isTrue();
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo(line + "\r\n");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
