package org.listgate.client;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Message content as SMTP and LMTP carry it after DATA (RFC 5321 §4.5.2, RFC 2033): a line that
 * starts with a dot gets another in front, and {@link #end} ends the data with the final dot, after
 * a CR LF when the content did not end its last line. The content's own line ends pass as they are
 * (CR LF, as the spool keeps them and as listgate's clients make them).
 *
 * <pre>
 * DotStuffing data = new DotStuffing(socketOut);
 * content.transferTo(data);
 * data.end();
 * </pre>
 *
 * <p>The one place that stuffs, for the LMTP agent (streamed from the spool) and for {@code replay}
 * and {@code load} ({@link #data}, {@link #stuffed}: in memory).
 */
public final class DotStuffing extends FilterOutputStream {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] FINAL_DOT = {'.', '\r', '\n'};

    /** Whether the next octet starts a line: true before any. */
    private boolean lineStart = true;

    /** Stuffs what is written into {@code out}; {@link #close()} closes {@code out}. */
    public DotStuffing(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (lineStart && b == '.') {
            out.write('.');
        }
        out.write(b);
        lineStart = b == '\n';
    }

    /** Writes runs between the dots to double at once, not an octet at a time. */
    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int run = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (lineStart && bytes[i] == '.') {
                out.write(bytes, run, i - run);
                out.write('.');
                run = i;
            }
            lineStart = bytes[i] == '\n';
        }
        out.write(bytes, run, end - run);
    }

    /** Ends the data: a CR LF unless the content ended a line, then the final dot. */
    public void end() throws IOException {
        if (!lineStart) {
            out.write(CRLF);
        }
        out.write(FINAL_DOT);
    }

    /** {@code content} stuffed and ended: what follows DATA, whole. */
    public static byte[] data(byte[] content) {
        return inMemory(content, true);
    }

    /**
     * {@code text} stuffed, not ended: a part of the content made once and sent again and again.
     */
    public static byte[] stuffed(byte[] text) {
        return inMemory(text, false);
    }

    private static byte[] inMemory(byte[] text, boolean ended) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length + 16);
        try (DotStuffing stuffing = new DotStuffing(bytes)) {
            stuffing.write(text);
            if (ended) {
                stuffing.end();
            }
        } catch (IOException e) {
            // A ByteArrayOutputStream does not fail.
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
