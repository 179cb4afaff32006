package org.listgate.delivery;

import jakarta.mail.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.listgate.spool.QueuedMessage;

/**
 * A queued message as Angus's SMTP transport sends it: the envelope sender from the spool, and for
 * DATA the spooled content exactly as received, streamed from the queue file, after the {@code
 * Delivered-To} fields of the lists the copy came through, if any ({@link DeliveredTo}).
 *
 * <p>Why not parse the content into a {@code MimeMessage}: the transport writes a message with an
 * ignore list that drops {@code Bcc} and {@code Content-Length}, a parsed message gains a blank
 * line where the original had no header/body separator, and parsing holds the whole body in memory.
 * A relay passes the content on as it is (RFC 5321 §3.6.3: a relay does not change the message
 * beyond its trace header), so {@link #writeTo(OutputStream, String[])} copies the bytes and
 * ignores the ignore list. A list is not a relay but a delivery that resends (RFC 5321 §3.9): it
 * adds its Delivered-To on top, as a trace field is added. The transport's stream does the
 * dot-stuffing and keeps CRLF line ends.
 *
 * <p>The object has no headers of its own: it is only for {@code Transport.sendMessage}.
 */
final class SpooledMessage extends SMTPMessage {

    /** Reading the queue file failed, as opposed to writing to the smarthost. */
    static final class ContentUnreadable extends IOException {
        private static final long serialVersionUID = 1L;

        ContentUnreadable(IOException cause) {
            super("cannot read the queued message: " + cause.getMessage(), cause);
        }
    }

    private final QueuedMessage message;
    private final byte[] prepended;

    /** {@code lists}: those the copy came through, outermost first; none for a RCPT. */
    SpooledMessage(Session session, QueuedMessage message, List<String> lists) {
        super(session);
        this.message = message;
        // CRLF line ends, as the spooled content has them.
        this.prepended = DeliveredTo.fields(lists, "\r\n").getBytes(StandardCharsets.US_ASCII);
        // "<>" stays "<>": the transport wraps only an address that has no angle brackets, and
        // falls back to the From header when this is empty (SMTPTransport.mailFrom).
        setEnvelopeFrom(message.envelope().reversePath());
    }

    @Override
    public void writeTo(OutputStream out, String[] ignoreList) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream content = open()) {
            out.write(prepended);
            int n;
            while ((n = read(content, buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        }
        out.flush();
    }

    private InputStream open() throws ContentUnreadable {
        try {
            return message.openContent();
        } catch (IOException e) {
            throw new ContentUnreadable(e);
        }
    }

    private static int read(InputStream content, byte[] buffer) throws ContentUnreadable {
        try {
            return content.read(buffer);
        } catch (IOException e) {
            throw new ContentUnreadable(e);
        }
    }
}
