package org.listgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.listgate.config.Config;

/**
 * Fuzz target for {@link DataReader}: any bytes after a 354, read under both rules for bare line
 * ends. {@code mvn verify} replays the seeds in {@code DataReaderFuzzTestInputs/<method>/}; {@code
 * mvn -Pfuzz test -Dtest=DataReaderFuzzTest} fuzzes (README, "Fuzzing").
 */
class DataReaderFuzzTest {

    private static final byte[] END = {'\r', '\n', '.', '\r', '\n'};

    /**
     * The reader stops exactly after the first real end of data (CRLF "." CRLF, or "." CRLF at the
     * start) and never a byte later; what it writes under {@code normalize} is RFC 5321 text: CRLF
     * line ends only, no NUL, no line over 998 octets; under {@code reject} any bare CR, LF or NUL
     * is reported.
     */
    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stopsAtTheRealEndAndWritesOnlyRfc5321Text(byte[] input) throws IOException {
        int end = endOfData(input);
        for (Config.BareLineEnds rule : Config.BareLineEnds.values()) {
            Config.Content content = new Config.Content(rule, Config.LongLines.FOLD, 102_400, 50);
            ByteArrayInputStream in = new ByteArrayInputStream(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            DataReader.Result result = new DataReader(in, 1 << 20, content).copyTo(out);

            assertThat(result.complete()).isEqualTo(end >= 0);
            assertThat(in.available()).isEqualTo(end >= 0 ? input.length - end : 0);
            byte[] text = out.toByteArray();
            if (rule == Config.BareLineEnds.NORMALIZE) {
                assertIsText(text);
            } else if (end >= 0 && hasBareLineEndOrNul(input, end)) {
                // Incomplete data is discarded whole; only a message read to its end is judged.
                assertThat(result.bareLineEnds()).isTrue();
            }
        }
    }

    /** The index just past the first end of data, or -1. */
    private static int endOfData(byte[] input) {
        if (input.length >= 3 && input[0] == '.' && input[1] == '\r' && input[2] == '\n') {
            return 3;
        }
        outer:
        for (int i = 0; i + END.length <= input.length; i++) {
            for (int j = 0; j < END.length; j++) {
                if (input[i + j] != END[j]) {
                    continue outer;
                }
            }
            return i + END.length;
        }
        return -1;
    }

    private static boolean hasBareLineEndOrNul(byte[] input, int end) {
        for (int i = 0; i < end; i++) {
            byte b = input[i];
            boolean crlf = b == '\r' && i + 1 < input.length && input[i + 1] == '\n';
            boolean afterCr = b == '\n' && i > 0 && input[i - 1] == '\r';
            if (b == 0 || (b == '\r' && !crlf) || (b == '\n' && !afterCr)) {
                return true;
            }
        }
        return false;
    }

    private static void assertIsText(byte[] text) {
        int lineLength = 0;
        for (int i = 0; i < text.length; i++) {
            byte b = text[i];
            assertThat(b).as("NUL at %d", i).isNotZero();
            if (b == '\r') {
                assertThat(i + 1 < text.length && text[i + 1] == '\n')
                        .as("bare CR at %d", i)
                        .isTrue();
            } else if (b == '\n') {
                assertThat(i > 0 && text[i - 1] == '\r').as("bare LF at %d", i).isTrue();
                lineLength = 0;
            } else {
                lineLength++;
                assertThat(lineLength)
                        .as("line length at %d", i)
                        .isLessThanOrEqualTo(DataReader.MAX_LINE);
            }
        }
        if (text.length > 0) {
            assertThat(text[text.length - 1]).isEqualTo((byte) '\n');
        }
    }
}
