package org.listgate.spool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.listgate.address.Status;

/**
 * The per-recipient state of one queued message: an append-only file in {@code state/}, one
 * record a line. The message file itself is never changed after the 250; what happens to its
 * recipients is appended here, and the journal is rewritten in one piece (tmp, force, rename)
 * when it has grown well past what its state needs.
 *
 * <pre>
 * listgate-state 1 0000019AB3C4D1F2A
 * T 0 L u1@example.test staff@example.test        target, LOCAL or RELAY (R), from a list or "-"
 * T 3 R x@remote.test ops@example.test staff@example.test
 *                                                 a member of a nested list: then the lists
 *                                                 around it, outermost first (optional)
 * I 1 u%20x staff@example.test 5.1.3 bad%20syntax    isolated at expansion
 * X                                               the expansion is complete
 * D 0 1764011111000                               delivered (time)
 * R 2 3 1764011171000 1764011111000 4.2.0 reason   deferred: attempts, retry at, attempted at
 * F 2 5.1.1 1764011111000 reason                  failed (time or "-")
 * P 1,2                                           reported: the bounce is queued (or not due)
 * W 3                                             warned of the delay
 * N 1764011111000                                 flush: every deferred recipient is due now
 * </pre>
 *
 * Fields are separated by one space; a field's {@code %}, space and control characters are
 * written as {@code %XX}. A crash (or a full disk) can only tear the last line: a last line
 * without its newline is ignored, and cut off before the next record is appended. Any other
 * unreadable line makes the journal corrupt.
 */
public final class Journal implements AutoCloseable {

    static final String MAGIC = "listgate-state 1";

    private final Path file;
    private final GroupCommit commits;
    private FileChannel channel;
    private int appended;

    private Journal(Path file, GroupCommit commits) {
        this.file = file;
        this.commits = commits;
    }

    /** Writes a new journal: the expansion's recipients and the X record, forced. */
    static Journal create(Path file, String queueId, Collection<RecipientState> recipients, GroupCommit commits)
            throws IOException {
        Journal journal = new Journal(file, commits);
        journal.rewrite(queueId, recipients);
        return journal;
    }

    /** A journal read back at start-up, to be appended to. */
    static Journal reopen(Path file, GroupCommit commits) {
        return new Journal(file, commits);
    }

    public synchronized void delivered(RecipientState recipient) throws IOException {
        append(line("D", recipient.index(), millis(recipient.lastAttempt())));
    }

    public synchronized void deferred(RecipientState recipient) throws IOException {
        append(line("R", recipient.index(), recipient.attempts(), recipient.retryAt().toEpochMilli(),
                millis(recipient.lastAttempt()), status(recipient), recipient.reason()));
    }

    public synchronized void failed(RecipientState recipient) throws IOException {
        append(line("F", recipient.index(), status(recipient), millis(recipient.lastAttempt()), recipient.reason()));
    }

    public synchronized void reported(Collection<RecipientState> recipients) throws IOException {
        append(line("P", indexes(recipients)));
    }

    public synchronized void warned(Collection<RecipientState> recipients) throws IOException {
        append(line("W", indexes(recipients)));
    }

    synchronized void flushRequested(Instant when) throws IOException {
        append(line("N", when.toEpochMilli()));
    }

    /** Forces what was appended (shared with other journals under group commit). */
    public void sync() throws IOException {
        FileChannel open;
        synchronized (this) {
            open = channel;
        }
        if (open != null && open.isOpen()) {
            commits.force(open);
        }
    }

    /** Records appended since the journal was last written whole. */
    public synchronized int appended() {
        return appended;
    }

    /** Writes the journal whole from the current state: tmp, force, rename, force the directory. */
    public synchronized void rewrite(String queueId, Collection<RecipientState> recipients) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(MAGIC).append(' ').append(escape(queueId)).append('\n');
        for (RecipientState recipient : recipients) {
            if (recipient.route() == RecipientState.Route.ISOLATED) {
                text.append(line("I", recipient.index(), recipient.address(), recipient.list().orElse("-"),
                        status(recipient), recipient.reason()));
            } else {
                text.append(target(recipient));
            }
        }
        text.append("X\n");
        List<RecipientState> reported = new ArrayList<>();
        List<RecipientState> warned = new ArrayList<>();
        for (RecipientState recipient : recipients) {
            switch (recipient.state()) {
                case DELIVERED -> text.append(line("D", recipient.index(), millis(recipient.lastAttempt())));
                case DEFERRED -> text.append(line("R", recipient.index(), recipient.attempts(),
                        recipient.retryAt().toEpochMilli(), millis(recipient.lastAttempt()), status(recipient),
                        recipient.reason()));
                case FAILED -> {
                    if (recipient.route() != RecipientState.Route.ISOLATED) {
                        text.append(line("F", recipient.index(), status(recipient), millis(recipient.lastAttempt()),
                                recipient.reason()));
                    }
                }
                case PENDING -> { }
            }
            if (recipient.reported()) {
                reported.add(recipient);
            }
            if (recipient.warned()) {
                warned.add(recipient);
            }
        }
        if (!reported.isEmpty()) {
            text.append(line("P", indexes(reported)));
        }
        if (!warned.isEmpty()) {
            text.append(line("W", indexes(warned)));
        }
        close();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, text.toString().getBytes(StandardCharsets.UTF_8));
                out.force(false);
            }
            commits.publish(tmp, file);
        } catch (IOException e) {
            // A full disk, most likely: give back what the half-written copy holds.
            Files.deleteIfExists(tmp);
            throw e;
        }
        appended = 0;
    }

    /** A T record: the lists around the one it came from follow, if it came through several. */
    private static String target(RecipientState recipient) {
        List<Object> fields = new ArrayList<>();
        fields.add(recipient.index());
        fields.add(recipient.route() == RecipientState.Route.LOCAL ? "L" : "R");
        fields.add(recipient.address());
        fields.add(recipient.list().orElse("-"));
        List<String> lists = recipient.lists();
        fields.addAll(lists.subList(0, Math.max(0, lists.size() - 1)));
        return line("T", fields.toArray());
    }

    /**
     * Appends one record. A record must never be glued to the torn remains of an earlier one: that
     * would turn a harmless torn last line into an unreadable middle line, and the message would be
     * quarantined at the next start. So a tail without its newline (left by a crash) is cut off
     * when the file is opened, and a record that could not be written whole (a full disk) is
     * taken back at once.
     */
    private void append(String line) throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel.truncate(completeLength(channel));
            channel.position(channel.size());
        }
        long before = channel.position();
        try {
            writeFully(channel, line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            try {
                channel.truncate(before);
            } catch (IOException ignored) {
                // Then the next open cuts the torn record off.
            }
            close();
            throw e;
        }
        appended++;
    }

    /** The length of the file up to and including its last newline. */
    private static long completeLength(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        long end = channel.size();
        while (end > 0) {
            long start = Math.max(0, end - buffer.capacity());
            buffer.clear().limit((int) (end - start));
            while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) >= 0) {
                // Reads until the window is full.
            }
            for (int i = buffer.position() - 1; i >= 0; i--) {
                if (buffer.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    /** Closes the file; the next record opens it again. */
    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing was lost: every record was written before; force() is the caller's.
            }
            channel = null;
        }
    }

    private static void writeFully(FileChannel out, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    // ---- reading ------------------------------------------------------------------------------

    /** A journal read back: the recipients, or empty when the expansion never completed. */
    record Contents(Optional<List<RecipientState>> recipients) {}

    static Contents read(Path file, String queueId) throws IOException, QueueFile.CorruptException {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        // A last line without its newline was torn by a crash: it never happened.
        String[] lines = end < 0 ? new String[0] : text.substring(0, end).split("\n", -1);
        if (lines.length == 0 || !lines[0].equals(MAGIC + " " + escape(queueId))) {
            throw new QueueFile.CorruptException("state file does not belong to " + queueId);
        }
        List<RecipientState> recipients = new ArrayList<>();
        boolean expanded = false;
        for (int n = 1; n < lines.length; n++) {
            String[] f = lines[n].split(" ", -1);
            try {
                if (!expanded) {
                    switch (f[0]) {
                        case "T" -> {
                            // Five fields, more for a member of a nested list.
                            check(f, Math.max(5, f.length), recipients.size());
                            recipients.add(RecipientState.target(recipients.size(), unescape(f[3]),
                                    f[2].equals("L") ? RecipientState.Route.LOCAL : route(f[2]), lists(f)));
                        }
                        case "I" -> {
                            check(f, 6, recipients.size());
                            recipients.add(RecipientState.isolated(recipients.size(), unescape(f[2]), list(f[3]),
                                    Status.parse(f[4]), unescape(f[5])));
                        }
                        case "X" -> expanded = true;
                        default -> throw new IllegalArgumentException("record before the expansion is complete");
                    }
                    continue;
                }
                switch (f[0]) {
                    case "D" -> at(recipients, f, 3).delivered(Instant.ofEpochMilli(Long.parseLong(f[2])));
                    case "R" -> at(recipients, f, 7).deferred(instant(f[4]).orElse(Instant.EPOCH),
                            Integer.parseInt(f[2]), Instant.ofEpochMilli(Long.parseLong(f[3])), Status.parse(f[5]),
                            unescape(f[6]));
                    case "F" -> at(recipients, f, 5).failed(instant(f[3]), Status.parse(f[2]), unescape(f[4]));
                    case "P" -> indexed(recipients, f).forEach(RecipientState::markReported);
                    case "W" -> indexed(recipients, f).forEach(RecipientState::markWarned);
                    case "N" -> recipients.forEach(RecipientState::retryNow);
                    default -> throw new IllegalArgumentException("unknown record");
                }
            } catch (RuntimeException e) { // isolation: a record that does not parse is corruption (3006)
                throw new QueueFile.CorruptException("state file line " + (n + 1) + " cannot be read: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        return new Contents(expanded ? Optional.of(recipients) : Optional.empty());
    }

    private static RecipientState.Route route(String code) {
        if (code.equals("R")) {
            return RecipientState.Route.RELAY;
        }
        throw new IllegalArgumentException("unknown route '" + code + "'");
    }

    private static void check(String[] fields, int count, int expectedIndex) {
        if (fields.length != count) {
            throw new IllegalArgumentException("expected " + count + " fields");
        }
        if (Integer.parseInt(fields[1]) != expectedIndex) {
            throw new IllegalArgumentException("recipients out of order");
        }
    }

    private static RecipientState at(List<RecipientState> recipients, String[] fields, int count) {
        if (fields.length != count) {
            throw new IllegalArgumentException("expected " + count + " fields");
        }
        return recipients.get(Integer.parseInt(fields[1]));
    }

    private static List<RecipientState> indexed(List<RecipientState> recipients, String[] fields) {
        if (fields.length != 2) {
            throw new IllegalArgumentException("expected 2 fields");
        }
        List<RecipientState> found = new ArrayList<>();
        for (String index : fields[1].split(",")) {
            found.add(recipients.get(Integer.parseInt(index)));
        }
        return found;
    }

    /** A T record's lists: those around its list (fields 5 on), outermost first, then its list. */
    private static List<String> lists(String[] fields) {
        if (fields[4].equals("-")) {
            if (fields.length > 5) {
                throw new IllegalArgumentException("lists around no list");
            }
            return List.of();
        }
        List<String> lists = new ArrayList<>();
        for (int i = 5; i < fields.length; i++) {
            lists.add(unescape(fields[i]));
        }
        lists.add(unescape(fields[4]));
        return lists;
    }

    private static Optional<String> list(String field) {
        return field.equals("-") ? Optional.empty() : Optional.of(unescape(field));
    }

    private static Optional<Instant> instant(String field) {
        return field.equals("-") ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(field)));
    }

    // ---- format -------------------------------------------------------------------------------

    private static String line(String type, Object... fields) {
        StringBuilder line = new StringBuilder(type);
        for (Object field : fields) {
            line.append(' ').append(escape(String.valueOf(field)));
        }
        return line.append('\n').toString();
    }

    private static String indexes(Collection<RecipientState> recipients) {
        StringJoiner joined = new StringJoiner(",");
        recipients.forEach(recipient -> joined.add(Integer.toString(recipient.index())));
        return joined.toString();
    }

    private static String status(RecipientState recipient) {
        return recipient.status().map(Status::toString).orElse("4.0.0");
    }

    private static String millis(Optional<Instant> when) {
        return when.map(at -> Long.toString(at.toEpochMilli())).orElse("-");
    }

    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == '%' || c == 0x7f) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                out.append('%').append(String.format("%02X", (int) c & 0xff));
            } else if (out != null) {
                out.append(c);
            }
        }
        if (text.isEmpty()) {
            return "%";
        }
        return out == null ? text : out.toString();
    }

    static String unescape(String field) {
        if (field.equals("%")) {
            return "";
        }
        if (field.indexOf('%') < 0) {
            return field;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(field.length());
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                out.write(Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else if (bytes[i] == '%') {
                throw new IllegalArgumentException("bad escape");
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
