package org.listgate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.listgate.address.Mailbox;
import org.listgate.spool.Envelope;
import org.listgate.spool.MessageWriter;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.Spool;

/**
 * The message the benchmarks send: 5 KB from alice@example.org, written into a spool as DATA does.
 */
public final class SampleMessage {

    /** The content: 5 KB of header and text with CRLF line ends, as DATA stores it. */
    public static final byte[] CONTENT = content(5 * 1024);

    public static final Mailbox SENDER = new Mailbox("alice", "example.org");

    private SampleMessage() {}

    /**
     * Writes the message for {@code recipients} into {@code spool} and makes it durable: {@link
     * Spool#begin}, the content, {@link MessageWriter#commit()}.
     */
    public static QueuedMessage accept(Spool spool, List<Mailbox> recipients) throws IOException {
        Envelope envelope =
                new Envelope(
                        spool.newQueueId(),
                        Instant.now(),
                        "127.0.0.1",
                        "client.example.org",
                        Optional.of(SENDER),
                        recipients);
        try (MessageWriter writer = spool.begin(envelope)) {
            writer.content().write(CONTENT);
            return writer.commit();
        }
    }

    /** A message of {@code size} bytes: a header section, then lines of text, CRLF each. */
    private static byte[] content(int size) {
        List<String> header =
                List.of(
                        "From: alice@example.org",
                        "To: staff@example.test",
                        "Subject: benchmark",
                        "Message-ID: <bench@example.org>",
                        "");
        StringBuilder text = new StringBuilder();
        header.forEach(field -> text.append(field).append("\r\n"));
        String line = "The quick brown fox jumps over the lazy dog; 0123456789 abcdefghij.\r\n";
        while (text.length() + line.length() <= size - 2) {
            text.append(line);
        }
        text.append("x".repeat(size - 2 - text.length())).append("\r\n");
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
