package org.listgate.spool;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One message being written into the spool ({@link Spool#begin}): to {@code tmp/} first, then made
 * durable by {@link #commit()} — END record, fsync, rename into {@code queue/}, fsync the
 * directory. Closing it without {@link #commit()} removes what was written.
 */
public final class MessageWriter implements Closeable {

    private final Envelope envelope;
    private final Path queue;
    private final GroupCommit commits;
    private final Path file;
    private final FileChannel channel;
    private final CountingOutputStream content;
    private final long contentOffset;
    private boolean committed;

    MessageWriter(Envelope envelope, Path tmp, Path queue, GroupCommit commits, boolean fullDisk)
            throws IOException {
        this.envelope = envelope;
        this.queue = queue;
        this.commits = commits;
        this.file = tmp.resolve(envelope.queueId());
        this.channel =
                FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            byte[] header = QueueFile.header(envelope).getBytes(StandardCharsets.UTF_8);
            OutputStream disk = Channels.newOutputStream(channel);
            if (fullDisk) {
                disk = new FullDisk(disk, header.length);
            }
            this.content = new CountingOutputStream(new BufferedOutputStream(disk, 64 * 1024));
            content.write(header);
            this.contentOffset = header.length;
        } catch (IOException | RuntimeException e) { // isolation: rethrown, the file only closed
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
        commits.publish(file, target);
        committed = true;
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
