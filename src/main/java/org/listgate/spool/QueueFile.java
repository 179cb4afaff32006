package org.listgate.spool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.events.Text;

/**
 * The queue file format, version 1. Text records, one a line, then the content, then END:
 *
 * <pre>
 * listgate-queue 1
 * id 0000019AB3C4D1F2A
 * time 1764011111000
 * client 127.0.0.1
 * helo pegasus.example
 * sender alice@example.test        (empty after "sender " for the null reverse-path)
 * auth alice                       (optional: the SASL user name of an authenticated client)
 * rcpt staff@example.test          (one a recipient)
 * data
 * ...content bytes, exactly as received...
 * END 5120
 * </pre>
 *
 * The END record states the content's length; a file whose END record is missing or disagrees with
 * its size is corrupt. The {@code auth} record is written only for a message whose client
 * authenticated; a file without it (every file written before it existed) is a message from a
 * client that did not. The format stays version 1: a reader that predates {@code auth} takes a file
 * holding one for corrupt (see {@code src/docs/adr/0001-spool-format.md}).
 */
final class QueueFile {

    static final String MAGIC = "listgate-queue 1";

    /** A queue file that cannot be read back. */
    static final class CorruptException extends Exception {
        private static final long serialVersionUID = 1L;

        CorruptException(String message) {
            super(message);
        }
    }

    private QueueFile() {}

    static String header(Envelope envelope) {
        StringBuilder header = new StringBuilder();
        header.append(MAGIC).append('\n');
        header.append("id ").append(envelope.queueId()).append('\n');
        header.append("time ").append(envelope.received().toEpochMilli()).append('\n');
        header.append("client ").append(Text.visible(envelope.client())).append('\n');
        header.append("helo ").append(Text.visible(envelope.helo())).append('\n');
        header.append("sender ")
                .append(envelope.sender().map(Mailbox::address).orElse(""))
                .append('\n');
        envelope.authenticated()
                .ifPresent(user -> header.append("auth ").append(user).append('\n'));
        for (Mailbox recipient : envelope.recipients()) {
            header.append("rcpt ").append(recipient.address()).append('\n');
        }
        header.append("data\n");
        return header.toString();
    }

    static byte[] trailer(long contentLength) {
        return ("END " + contentLength + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    static QueuedMessage read(Path file) throws IOException, CorruptException {
        long size = Files.size(file);
        String queueId = null;
        Instant received = null;
        String client = "";
        String helo = "";
        Optional<Mailbox> sender = null;
        Optional<String> authenticated = Optional.empty();
        List<Mailbox> recipients = new ArrayList<>();
        long offset = 0;
        boolean data = false;
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                Files.newInputStream(file), StandardCharsets.UTF_8))) {
            String line = reader.readLine();
            if (!MAGIC.equals(line)) {
                throw new CorruptException("not a listgate queue file");
            }
            offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
            while ((line = reader.readLine()) != null) {
                offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
                if (line.equals("data")) {
                    data = true;
                    break;
                }
                int space = line.indexOf(' ');
                String name = space < 0 ? line : line.substring(0, space);
                String value = space < 0 ? "" : line.substring(space + 1);
                switch (name) {
                    case "id" -> queueId = value;
                    case "time" -> received = Instant.ofEpochMilli(number(value));
                    case "client" -> client = value;
                    case "helo" -> helo = value;
                    case "sender" ->
                            sender =
                                    value.isEmpty()
                                            ? Optional.empty()
                                            : Optional.of(mailbox(value));
                    case "auth" -> authenticated = Optional.of(value);
                    case "rcpt" -> recipients.add(mailbox(value));
                    default -> throw new CorruptException("unknown record '" + name + "'");
                }
            }
        }
        if (!data
                || queueId == null
                || received == null
                || sender == null
                || recipients.isEmpty()) {
            throw new CorruptException("incomplete envelope");
        }
        long contentLength = contentLength(file, size, offset);
        Envelope envelope;
        try {
            envelope =
                    new Envelope(
                            queueId, received, client, helo, sender, recipients, authenticated);
        } catch (IllegalArgumentException e) {
            throw new CorruptException(e.getMessage());
        }
        return new QueuedMessage(envelope, file, offset, contentLength);
    }

    /** Finds the END record that makes the file's size add up; none means a torn file. */
    private static long contentLength(Path file, long size, long offset)
            throws IOException, CorruptException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            for (int digits = 1; digits <= 19; digits++) {
                long length = size - offset - (5 + digits);
                if (length < 0 || Long.toString(length).length() != digits) {
                    continue;
                }
                byte[] tail = new byte[5 + digits];
                raf.seek(offset + length);
                raf.readFully(tail);
                if (new String(tail, StandardCharsets.US_ASCII).equals("END " + length + "\n")) {
                    return length;
                }
            }
        }
        throw new CorruptException("no END record: the file is incomplete");
    }

    private static long number(String value) throws CorruptException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new CorruptException("bad number '" + value + "'");
        }
    }

    private static Mailbox mailbox(String value) throws CorruptException {
        if (Addresses.parse(value) instanceof ParseResult.Valid valid) {
            return valid.mailbox();
        }
        throw new CorruptException("bad address '" + value + "'");
    }
}
