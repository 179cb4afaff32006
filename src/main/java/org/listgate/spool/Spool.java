package org.listgate.spool;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;

/**
 * The durable queue. A message is written to {@code tmp/}, forced to disk, renamed into
 * {@code queue/} and the directory forced too; only then may the SMTP server answer 250. A queue
 * file ends in an END record that states the content's length: a file without it (torn by a crash
 * or a full disk) is never taken for a message (Postfix: "queue files without END record are
 * discarded"); here it is moved to {@code corrupt/} with a warning, so nothing is lost silently.
 *
 * <p>Layout under {@code spool.dir}: {@code tmp/} (being written; emptied at start, since no 250
 * was given for them), {@code queue/} (accepted, not yet finished), {@code corrupt/}.
 */
public final class Spool {

    private final Path tmp;
    private final Path queue;
    private final Path corrupt;
    private final EventLog events;
    private final AtomicInteger sequence = new AtomicInteger(new SecureRandom().nextInt(0x10000));

    public Spool(Path dir, EventLog events) {
        this.tmp = dir.resolve("tmp");
        this.queue = dir.resolve("queue");
        this.corrupt = dir.resolve("corrupt");
        this.events = events;
    }

    /** Creates the directories and removes what an earlier run left half-written in tmp/. */
    public void open() throws IOException {
        Files.createDirectories(tmp);
        Files.createDirectories(queue);
        Files.createDirectories(corrupt);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    /**
     * A new queue id: milliseconds since the epoch and a sequence, in hex, so ids sort by arrival
     * and do not repeat across restarts (the sequence starts at a random value).
     */
    public String newQueueId() {
        return String.format("%011X%04X", System.currentTimeMillis(), sequence.getAndIncrement() & 0xFFFF);
    }

    /** Starts writing a message; write the content to {@link Writer#content()}, then commit. */
    public Writer begin(Envelope envelope) throws IOException {
        return new Writer(envelope);
    }

    /** The messages left in queue/ by an earlier run, oldest first; unreadable ones are quarantined. */
    public List<QueuedMessage> recover() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(queue)) {
            entries.forEach(files::add);
        }
        files.sort(null);
        List<QueuedMessage> messages = new ArrayList<>();
        for (Path file : files) {
            try {
                messages.add(QueueFile.read(file));
            } catch (QueueFile.CorruptException | IOException e) {
                quarantine(file, e.getMessage());
            }
        }
        return messages;
    }

    /** Removes a message whose every recipient has been handled. */
    public void remove(QueuedMessage message) throws IOException {
        Files.deleteIfExists(message.file());
    }

    private void quarantine(Path file, String reason) {
        Path target = corrupt.resolve(file.getFileName());
        try {
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(corrupt);
            forceDirectory(queue);
        } catch (IOException e) {
            reason = reason + "; could not be moved: " + e.getMessage();
        }
        events.emit(Event.of(EventId.SPOOL_CORRUPT).with("file", file.toString())
                .with("movedTo", target.toString()).with("reason", reason));
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** One message being written. Closing it without {@link #commit()} removes what was written. */
    public final class Writer implements Closeable {
        private final Envelope envelope;
        private final Path file;
        private final FileChannel channel;
        private final CountingOutputStream content;
        private final long contentOffset;
        private boolean committed;

        private Writer(Envelope envelope) throws IOException {
            this.envelope = envelope;
            this.file = tmp.resolve(envelope.queueId());
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                byte[] header = QueueFile.header(envelope).getBytes(StandardCharsets.UTF_8);
                this.content = new CountingOutputStream(
                        new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024));
                content.write(header);
                this.contentOffset = header.length;
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        /** Where the message content goes, as received (CRLF line ends). */
        public OutputStream content() {
            return content;
        }

        /** Bytes of content written so far. */
        public long contentLength() {
            return content.count() - contentOffset;
        }

        /** Makes the message durable: END record, fsync, rename into queue/, fsync the directory. */
        public QueuedMessage commit() throws IOException {
            long length = contentLength();
            content.write(QueueFile.trailer(length));
            content.flush();
            channel.force(true);
            channel.close();
            Path target = queue.resolve(envelope.queueId());
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
            forceDirectory(queue);
            return new QueuedMessage(envelope, target, contentOffset, length);
        }

        @Override
        public void close() {
            if (committed) {
                return;
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // Removing the file is what matters.
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // tmp/ is emptied at the next start.
            }
        }
    }

    /** Counts the bytes written through it. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }
    }
}
