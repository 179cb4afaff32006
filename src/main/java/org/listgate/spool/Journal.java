package org.listgate.spool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal of one queued message: an append-only file in {@code state/}, one {@link
 * JournalRecord} a line, that says what has become of its recipients. The message file itself is
 * never changed after the 250; what happens to its recipients is appended here, and the journal is
 * rewritten in one piece (tmp, force, rename) when it has grown well past what its state needs.
 * {@link Recipients} decides what is written; this class only writes and reads lines.
 *
 * <p>A crash (or a full disk) can only tear the last line: a last line without its newline is
 * ignored, and cut off before the next record is appended. Any other unreadable line makes the
 * journal corrupt. A journal is first written unforced ({@link #create}): one whose header line
 * never reached the disk (empty after a power cut) was never written, and reads as no records. A
 * small message's journal may start in memory ({@link #createDeferred}) and reach the disk only if
 * the message outlives its first round.
 */
final class Journal implements AutoCloseable {

    private final Path file;
    private final GroupCommit commits;
    private FileChannel channel;
    private int appended;

    /**
     * The whole text of a journal not yet written ({@link #createDeferred}), records appended since
     * included; null once it is on disk, or when it was written at once.
     */
    private ByteArrayOutputStream unwritten;

    Journal(Path file, GroupCommit commits) {
        this.file = file;
        this.commits = commits;
    }

    /** Appends one record; forced by the next {@link #sync}. */
    synchronized void append(JournalRecord record) throws IOException {
        String line = record.format() + "\n";
        if (unwritten != null) {
            unwritten.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            appended++;
            return;
        }
        append(line);
    }

    /**
     * Forces what was appended (shared with other journals under group commit); a journal kept in
     * memory so far is written first, whole.
     */
    void sync() throws IOException {
        FileChannel open;
        synchronized (this) {
            if (unwritten != null) {
                write(unwritten.toByteArray());
                unwritten = null;
                openForAppending();
            }
            open = channel;
        }
        if (open != null && open.isOpen()) {
            commits.force(open);
        }
    }

    /** Records appended since the journal was last written whole. */
    synchronized int appended() {
        return appended;
    }

    /**
     * Writes a new journal whole: tmp, rename, neither forced; the next {@link #sync} (or any sync
     * of the file system) puts it on disk. Until then a power cut may leave no journal, or an empty
     * one, which {@link #read} takes for none.
     */
    synchronized void create(List<JournalRecord> records) throws IOException {
        write(text(records));
        appended = 0;
    }

    /**
     * Starts a new journal in memory only: records are appended there, and the first {@link #sync}
     * writes it whole. If none comes (the message is finished and removed first), no file is ever
     * made. Until then a crash, kill -9 included, takes it: the message is expanded again at the
     * next start, a duplicate for the recipients already delivered, never a loss.
     */
    synchronized void createDeferred(List<JournalRecord> records) {
        unwritten = new ByteArrayOutputStream();
        unwritten.writeBytes(text(records));
        appended = 0;
    }

    /** Writes {@code bytes} as the journal, through a tmp file renamed into place; not forced. */
    private void write(byte[] bytes) throws IOException {
        AtomicFile.writeUnforced(
                file.resolveSibling(file.getFileName() + ".tmp"),
                file,
                out -> out.write(bytes),
                (tmp, target) -> Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE));
    }

    /** Writes the journal whole: tmp, force, rename, force the directory. */
    synchronized void rewrite(List<JournalRecord> records) throws IOException {
        close();
        unwritten = null;
        byte[] bytes = text(records);
        // On a failure (a full disk, most likely) the half-written copy is removed, the old one
        // stays.
        AtomicFile.write(
                file.resolveSibling(file.getFileName() + ".tmp"),
                file,
                out -> out.write(bytes),
                commits::publish);
        appended = 0;
    }

    private static byte[] text(List<JournalRecord> records) {
        StringBuilder text = new StringBuilder();
        records.forEach(record -> text.append(record.format()).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Appends one record. A record must never be glued to the torn remains of an earlier one: that
     * would turn a harmless torn last line into an unreadable middle line, and the message would be
     * quarantined at the next start. So a tail without its newline (left by a crash) is cut off
     * when the file is opened, and a record that could not be written whole (a full disk) is taken
     * back at once.
     */
    private void append(String line) throws IOException {
        openForAppending();
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

    /** Opens the file, if not open, at its end: a torn last line cut off first. */
    private void openForAppending() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel.truncate(completeLength(channel));
            channel.position(channel.size());
        }
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

    /**
     * The records of the journal at {@code file}, which must belong to {@code queueId}, after its
     * header; a torn last line is left out. The n-th record is on line n + 2.
     */
    static List<JournalRecord> read(Path file, String queueId)
            throws IOException, QueueFile.CorruptException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        // A last line without its newline was torn by a crash: it never happened.
        if (end < 0) {
            return List.of(); // not even the header reached the disk: never written
        }
        String[] lines = text.substring(0, end).split("\n", -1);
        if (!lines[0].equals(new JournalRecord.Header(queueId).format())) {
            throw new QueueFile.CorruptException("state file does not belong to " + queueId);
        }
        List<JournalRecord> records = new ArrayList<>();
        for (int n = 1; n < lines.length; n++) {
            try {
                JournalRecord record = JournalRecord.parse(lines[n]);
                if (record instanceof JournalRecord.Header) {
                    throw new IllegalArgumentException("a second header");
                }
                records.add(record);
            } catch (RuntimeException e) { // isolation: unreadable: corruption (3006)
                throw unreadable(n + 1, e);
            }
        }
        return records;
    }

    /** Line {@code line} of a state file (counted from 1) is not what it should be. */
    static QueueFile.CorruptException unreadable(int line, RuntimeException e) {
        return new QueueFile.CorruptException(
                "state file line "
                        + line
                        + " cannot be read: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
}
