package org.listgate.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.listgate.config.Config;

/**
 * Reads the DATA section, up to and including the end-of-data line and never a byte beyond it
 * (pipelined commands may follow), and writes it as RFC 5321 text: CRLF line ends, no line over 998
 * octets, no NUL.
 *
 * <ul>
 *   <li>RFC 5321 §4.1.1.4: only CRLF "." CRLF ends the data. A "." line next to a bare CR or LF is
 *       content, so the end of a message can never be smuggled past a downstream MTA that reads
 *       line ends differently.
 *   <li>RFC 5321 §2.3.8: a bare CR, a bare LF or a NUL is not text. Under {@code reject} (the
 *       default) the message is refused once its real end has been read; under {@code normalize} a
 *       bare LF or CR becomes CRLF and a NUL is dropped, so what is stored and relayed is text.
 *   <li>RFC 5321 §4.5.3.1.6: a line over 998 octets is folded (a header line continues on a line
 *       starting with a space) or, under {@code smtp.longLines = reject}, refuses the message.
 *   <li>RFC 5321 §4.5.2: a leading dot is removed from every line, the first one included.
 *   <li>Limits on the stream: the message size, the header size and the hop count ({@code
 *       Received:} lines in the header). Past a limit nothing more is written, but the data is
 *       still read to its end, so the reply is in step and the rest is never read as commands.
 * </ul>
 *
 * Memory is one line of 1,000 octets, whatever the client sends.
 */
final class DataReader {

    /** The longest text line, without its CRLF (RFC 5321 §4.5.3.1.6). */
    static final int MAX_LINE = 998;

    /** What was read, and every rule the data broke; the content is usable only if none. */
    record Result(
            long bytes,
            boolean complete,
            boolean tooBig,
            boolean bareLineEnds,
            boolean longLines,
            boolean headerTooBig,
            int hops,
            Optional<IOException> outputError) {}

    private final InputStream in;
    private final long limit;
    private final Config.Content rules;
    private final byte[] line = new byte[MAX_LINE + 2];
    private long written;
    private boolean stop;
    private boolean tooBig;
    private boolean bare;
    private boolean longLines;
    private boolean headerTooBig;
    private boolean inHeader = true;
    private long headerBytes;
    private int hops;
    private IOException outputError;

    DataReader(InputStream in, long limit, Config.Content rules) {
        this.in = in;
        this.limit = limit;
        this.rules = rules;
    }

    Result copyTo(OutputStream out) throws IOException {
        boolean previousEndedWithCrlf = true; // the DATA command line itself
        while (true) {
            int length = 0;
            int piece = 0; // pieces of a folded line written so far
            boolean carriageReturn = false;
            boolean altered = false; // a NUL was dropped: the line is not what the client sent
            boolean crlf;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return result(false);
                }
                if (carriageReturn) {
                    carriageReturn = false;
                    if (b == '\n') {
                        crlf = true;
                        break;
                    }
                    bare = true;
                    if (rules.bareLineEnds() == Config.BareLineEnds.NORMALIZE) {
                        // A bare CR ends a line, as a bare LF does.
                        write(out, length, piece);
                        previousEndedWithCrlf = false;
                        length = 0;
                        piece = 0;
                    } else {
                        if (length == room(piece)) {
                            write(out, length, piece++);
                            longLines = true;
                            length = 0;
                        }
                        line[length++] = '\r';
                    }
                }
                if (b == '\r') {
                    carriageReturn = true;
                    continue;
                }
                if (b == '\n') {
                    bare = true;
                    crlf = false;
                    break;
                }
                if (b == 0) {
                    bare = true;
                    if (rules.bareLineEnds() == Config.BareLineEnds.NORMALIZE) {
                        altered = true;
                        continue;
                    }
                }
                if (length == room(piece)) {
                    write(out, length, piece++);
                    longLines = true;
                    length = 0;
                }
                line[length++] = (byte) b;
            }
            // The end of data is decided on the line as sent: "\0." normalised to "." is content.
            if (piece == 0
                    && !altered
                    && previousEndedWithCrlf
                    && crlf
                    && length == 1
                    && line[0] == '.') {
                return result(true);
            }
            write(out, length, piece);
            previousEndedWithCrlf = crlf;
        }
    }

    /** A header line continues after a space, which counts toward its 998 octets. */
    private int room(int piece) {
        return inHeader && piece > 0 ? MAX_LINE - 1 : MAX_LINE;
    }

    /**
     * Writes one line, or one piece of a folded line ({@code piece} > 0 continues the line before
     * it: in the header with a leading space), with CRLF.
     */
    private void write(OutputStream out, int length, int piece) {
        // RFC 5321 §4.5.2: the dot is removed only if "there are other characters on the line".
        int skip = piece == 0 && length > 1 && line[0] == '.' ? 1 : 0;
        boolean header = inHeader;
        boolean fold = piece > 0 && header;
        int size = length - skip + 2 + (fold ? 1 : 0);
        if (header) {
            headerBytes += size;
            headerTooBig |= headerBytes > rules.maxHeaderBytes();
            if (piece == 0 && startsWithReceived(skip, length)) {
                hops++;
            }
            if (piece == 0 && length == 0) {
                inHeader = false;
            }
        }
        tooBig |= written + size > limit;
        written += size;
        if (stopped()) {
            return;
        }
        try {
            if (fold) {
                out.write(' ');
            }
            out.write(line, skip, length - skip);
            out.write('\r');
            out.write('\n');
        } catch (IOException e) {
            outputError = e;
        }
    }

    private boolean startsWithReceived(int offset, int length) {
        String name = "received:";
        if (length - offset < name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.toLowerCase((char) line[offset + i]) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Once the message is refused nothing more is written; the input is still read to its end. */
    private boolean stopped() {
        stop |=
                tooBig
                        || headerTooBig
                        || outputError != null
                        || hops > rules.maxHops()
                        || (bare && rules.bareLineEnds() == Config.BareLineEnds.REJECT)
                        || (longLines && rules.longLines() == Config.LongLines.REJECT);
        return stop;
    }

    private Result result(boolean complete) {
        return new Result(
                written,
                complete,
                tooBig,
                bare,
                longLines,
                headerTooBig,
                hops,
                Optional.ofNullable(outputError));
    }
}
