package org.listgate.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads the DATA section from the connection's raw input, up to and including the end-of-data
 * line, and never a byte beyond it (pipelined commands may follow).
 *
 * <ul>
 *   <li>RFC 5321 §4.1.1.4: only CRLF "." CRLF ends the data. A "." line that follows or ends in a
 *       bare LF is content, so the end of a message can never be smuggled past a downstream MTA
 *       that reads line ends differently.
 *   <li>A bare LF line end is written as CRLF (Postfix's {@code smtpd_forbid_bare_newline =
 *       normalize}); a bare CR is content.
 *   <li>RFC 5321 §4.5.2: a leading dot is removed from every line, the first one included.
 *   <li>The size limit is enforced on the stream: past it nothing more is written, but the data is
 *       still read to its end, so the reply (552 5.3.4) is in step and the rest of the message is
 *       never read as commands.
 * </ul>
 */
final class DataReader {

    /**
     * What was read: content bytes, whether the limit was passed, whether the end was seen, and
     * the error the output gave, if any (then the rest was read and discarded).
     */
    record Result(long bytes, boolean tooBig, boolean complete, java.util.Optional<IOException> outputError) {}

    private static final int CHUNK = 8192;

    private final InputStream in;
    private final long limit;
    private IOException outputError;

    DataReader(InputStream in, long limit) {
        this.in = in;
        this.limit = limit;
    }

    Result copyTo(OutputStream out) throws IOException {
        byte[] line = new byte[CHUNK + 2];
        long written = 0;
        boolean tooBig = false;
        boolean previousEndedWithCrlf = true; // the DATA command line itself
        while (true) {
            int length = 0;
            int b = -1;
            boolean lineStart = true;
            boolean stuffed = false;
            boolean ended = false;
            // Read one line; very long lines are passed on in chunks.
            while (true) {
                b = in.read();
                if (b < 0) {
                    return new Result(written, tooBig, false, java.util.Optional.ofNullable(outputError));
                }
                line[length++] = (byte) b;
                if (b == '\n') {
                    ended = true;
                    break;
                }
                if (length >= CHUNK) {
                    // A CR that ends the chunk is kept back: if an LF follows, the two are the
                    // line end, and the CRLF "." CRLF after it must still end the data.
                    int keep = b == '\r' ? 1 : 0;
                    int skip = lineStart && line[0] == '.' ? 1 : 0;
                    stuffed |= skip == 1;
                    written += emit(out, line, skip, length - keep - skip, written, tooBig);
                    tooBig |= written > limit;
                    length = 0;
                    if (keep == 1) {
                        line[length++] = '\r';
                    }
                    lineStart = false;
                }
            }
            boolean crlf = length >= 2 && line[length - 2] == '\r';
            if (lineStart && previousEndedWithCrlf && crlf && length == 3 && line[0] == '.') {
                return new Result(written, tooBig, true, java.util.Optional.ofNullable(outputError));
            }
            int content = crlf ? length - 2 : length - 1;
            // RFC 5321 §4.5.2: the dot is removed only if "there are other characters on the
            // line"; a lone "." that did not end the data (bare LF next to it) stays content.
            int skip = lineStart && !stuffed && content > 1 && line[0] == '.' ? 1 : 0;
            line[content] = '\r';
            line[content + 1] = '\n';
            written += emit(out, line, skip, content + 2 - skip, written, tooBig);
            tooBig |= written > limit;
            previousEndedWithCrlf = ended && crlf;
        }
    }

    /**
     * Writes unless the limit has been passed or the output has failed; returns the bytes counted.
     * An error of the output (a full disk) is kept, not thrown: the input is still read to its end.
     */
    private long emit(OutputStream out, byte[] bytes, int offset, int length, long written, boolean tooBig) {
        if (!tooBig && outputError == null && written + length <= limit) {
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                outputError = e;
            }
        }
        return length;
    }
}
