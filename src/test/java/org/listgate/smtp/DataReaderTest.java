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
import org.listgate.config.Config;
import org.listgate.testing.SmugglingSequences;

class DataReaderTest {

    private static final long NO_LIMIT = 10_000_000;

    private static final Config.Content NORMALIZE =
            new Config.Content(Config.BareLineEnds.NORMALIZE, Config.LongLines.FOLD, 102_400, 50);
    private static final Config.Content REJECT = Config.Content.defaults();

    /** input, content expected under normalize, complete expected, bytes left unread. */
    static Stream<Arguments> inputs() {
        String line998 = "x".repeat(998);
        return Stream.of(
                Arguments.of("a\r\nb\r\n.\r\n", "a\r\nb\r\n", true, ""),
                Arguments.of(".\r\n", "", true, ""),
                Arguments.of(
                        "..first\r\nb\r\n..\r\n...x\r\n.\r\n",
                        ".first\r\nb\r\n.\r\n..x\r\n",
                        true,
                        ""),
                Arguments.of("a\r\n.\r\nQUIT\r\n", "a\r\n", true, "QUIT\r\n"),
                // Only CRLF "." CRLF ends the data; a dot line next to a bare LF is content.
                Arguments.of("a\n.\nb\r\n.\r\n", "a\r\n.\r\nb\r\n", true, ""),
                Arguments.of("a\r\n.\nb\r\n.\r\n", "a\r\n.\r\nb\r\n", true, ""),
                Arguments.of("a\n.\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n", true, ""),
                // Bare LF and bare CR become CRLF; a NUL is dropped.
                Arguments.of("a\nb\rc\r\n.\r\n", "a\r\nb\r\nc\r\n", true, ""),
                Arguments.of("a\u0000b\r\n.\r\n", "ab\r\n", true, ""),
                // A NUL next to the dot is dropped, but the line was not "." as sent: no end there.
                Arguments.of("a\r\n\u0000.\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n", true, ""),
                Arguments.of("a\r\n.\u0000\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n", true, ""),
                Arguments.of("a\r\n", "a\r\n", false, ""),
                Arguments.of("a\r\n.", "a\r\n", false, ""),
                Arguments.of("", "", false, ""),
                // RFC 5321 §4.5.3.1.6: 998 octets is the longest line; longer ones are folded.
                Arguments.of(line998 + "\r\n.\r\nQUIT\r\n", line998 + "\r\n", true, "QUIT\r\n"),
                Arguments.of(
                        "\r\n" + line998 + "yz\r\n.\r\n",
                        "\r\n" + line998 + "\r\nyz\r\n",
                        true,
                        ""),
                Arguments.of(
                        "H: " + line998 + "\r\n\r\nb\r\n.\r\n",
                        "H: " + line998.substring(3) + "\r\n xxx\r\n\r\nb\r\n",
                        true,
                        ""),
                // The stuffing dot counts on the wire: ".x{998}" is 999 octets, one too many.
                Arguments.of(
                        "\r\n." + line998 + "\r\n.\r\n",
                        "\r\n" + line998.substring(1) + "\r\nx\r\n",
                        true,
                        ""));
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void readsUpToTheEndOfDataAndNotAByteMore(
            String input, String content, boolean complete, String unread) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes(input));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DataReader.Result result = new DataReader(in, NO_LIMIT, NORMALIZE).copyTo(out);

        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo(content);
        assertThat(result.complete()).isEqualTo(complete);
        assertThat(result.tooBig()).isFalse();
        assertThat(result.outputError()).isEmpty();
        assertThat(result.bytes()).isEqualTo(content.length());
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(unread);
    }

    /** The malformed ends of data tried by SMTP smuggling tools; each is content, never an end. */
    static Stream<String> smugglingSequences() {
        return SmugglingSequences.all();
    }

    @ParameterizedTest
    @MethodSource("smugglingSequences")
    void refusesEverySmugglingSequenceAfterReadingToTheRealEnd(String sequence) throws IOException {
        String smuggled =
                "MAIL FROM:<evil@example.net>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\nsmuggled\r\n";
        ByteArrayInputStream in =
                new ByteArrayInputStream(
                        bytes("Subject: x\r\n\r\nbody" + sequence + smuggled + ".\r\nQUIT\r\n"));

        DataReader.Result result =
                new DataReader(in, NO_LIMIT, REJECT).copyTo(OutputStream.nullOutputStream());

        assertThat(result.complete()).isTrue();
        assertThat(result.bareLineEnds()).isTrue();
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                .isEqualTo("QUIT\r\n");
    }

    @Test
    void cleanTextBreaksNoRule() throws IOException {
        DataReader.Result result =
                new DataReader(
                                new ByteArrayInputStream(bytes("Subject: x\r\n\r\nhi\r\n.\r\n")),
                                NO_LIMIT,
                                REJECT)
                        .copyTo(OutputStream.nullOutputStream());

        assertThat(result)
                .extracting(
                        DataReader.Result::bareLineEnds,
                        DataReader.Result::longLines,
                        DataReader.Result::headerTooBig,
                        DataReader.Result::tooBig)
                .containsOnly(false);
        assertThat(result.hops()).isZero();
    }

    @Test
    void countsReceivedHeadersInTheHeaderOnly() throws IOException {
        String input = "Received: a\r\nreceived: b\r\nX: y\r\n\r\nReceived: in the body\r\n.\r\n";

        DataReader.Result result =
                new DataReader(new ByteArrayInputStream(bytes(input)), NO_LIMIT, REJECT)
                        .copyTo(OutputStream.nullOutputStream());

        assertThat(result.hops()).isEqualTo(2);
    }

    @Test
    void aHeaderOverTheLimitIsMarkedAndNotWrittenOn() throws IOException {
        Config.Content small =
                new Config.Content(Config.BareLineEnds.REJECT, Config.LongLines.FOLD, 1024, 50);
        String header = "X-Filler: " + "f".repeat(80) + "\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DataReader.Result result =
                new DataReader(
                                new ByteArrayInputStream(
                                        bytes(header.repeat(20) + "\r\nb\r\n.\r\n")),
                                NO_LIMIT,
                                small)
                        .copyTo(out);

        assertThat(result.headerTooBig()).isTrue();
        assertThat(result.complete()).isTrue();
        assertThat(out.size()).isLessThanOrEqualTo(1024);
    }

    @Test
    void underLongLinesRejectALongLineIsMarked() throws IOException {
        Config.Content strict =
                new Config.Content(
                        Config.BareLineEnds.REJECT, Config.LongLines.REJECT, 102_400, 50);

        DataReader.Result result =
                new DataReader(
                                new ByteArrayInputStream(
                                        bytes("\r\n" + "x".repeat(999) + "\r\n.\r\n")),
                                NO_LIMIT,
                                strict)
                        .copyTo(OutputStream.nullOutputStream());

        assertThat(result.longLines()).isTrue();
        assertThat(result.complete()).isTrue();
    }

    @Test
    void pastTheLimitWritesNothingMoreButReadsToTheEnd() throws IOException {
        ByteArrayInputStream in =
                new ByteArrayInputStream(bytes("12345678\r\nabcdefgh\r\nlast\r\n.\r\nQUIT\r\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DataReader.Result result = new DataReader(in, 15, REJECT).copyTo(out);

        assertThat(result.tooBig()).isTrue();
        assertThat(result.complete()).isTrue();
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("12345678\r\n");
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                .isEqualTo("QUIT\r\n");
    }

    @Test
    void contentOfExactlyTheLimitIsNotTooBig() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DataReader.Result result =
                new DataReader(new ByteArrayInputStream(bytes("1234\r\n.\r\n")), 6, REJECT)
                        .copyTo(out);

        assertThat(result.tooBig()).isFalse();
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("1234\r\n");
    }

    @Test
    void anOutputErrorIsKeptAndTheInputStillReadToItsEnd() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes("a\r\nb\r\nc\r\n.\r\nQUIT\r\n"));
        IOException full = new IOException("No space left on device");
        OutputStream failing =
                new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        throw full;
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        throw full;
                    }
                };

        DataReader.Result result = new DataReader(in, NO_LIMIT, REJECT).copyTo(failing);

        assertThat(result.outputError()).containsSame(full);
        assertThat(result.complete()).isTrue();
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                .isEqualTo("QUIT\r\n");
    }

    @Test
    void aHundredKilobyteLineWithoutLineEndIsReadToEofAsIncomplete() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes("z".repeat(100 * 1024)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DataReader.Result result = new DataReader(in, NO_LIMIT, REJECT).copyTo(out);

        // Incomplete data is discarded by the caller; what matters is that it is read, not kept.
        assertThat(result.complete()).isFalse();
        assertThat(in.available()).isZero();
        assertThat(out.size()).isLessThanOrEqualTo(100 * 1024);
    }

    @Test
    void aHundredKilobyteLineIsFoldedIntoLinesOf998() throws IOException {
        String line = "z".repeat(100 * 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DataReader.Result result =
                new DataReader(
                                new ByteArrayInputStream(bytes("\r\n" + line + "\r\n.\r\n")),
                                NO_LIMIT,
                                REJECT)
                        .copyTo(out);

        assertThat(result.complete()).isTrue();
        assertThat(result.longLines()).isTrue();
        String written = out.toString(StandardCharsets.ISO_8859_1);
        assertThat(written.replace("\r\n", "")).isEqualTo(line);
        assertThat(written.split("\r\n"))
                .allSatisfy(piece -> assertThat(piece.length()).isLessThanOrEqualTo(998));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
