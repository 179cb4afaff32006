package org.listgate.spool;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;

/**
 * Writes a file so that a crash leaves the old one or the new one, never a torn one. The content
 * goes to a temporary file, which is forced to disk and then takes the file's name in one step; the
 * directory is forced after that, so that the new name survives a crash as well:
 *
 * <pre>
 * AtomicFile.write(dir.resolve(".x.tmp"), dir.resolve("x"), out -&gt; out.write(bytes));
 * AtomicFile.write(tmp, file, content, commits::publish);     // the rename done by GroupCommit
 * AtomicFile.write(tmp, target, content, link);              // Maildir: link(2), never overwriting
 * AtomicFile.write(tmp, target, content, chgrp, link, mode);  // ... with its mode and group
 * </pre>
 *
 * The step that gives the name is {@link #rename} (rename(2), replacing the old file) unless the
 * caller gives its own; whichever it is, it must leave the name durable (the directory forced).
 *
 * <p>The temporary name is the caller's, and must be the writer's own: it is created new, never
 * truncated, so a second writer of the same name fails rather than tears the first one's copy. It
 * must not look like a finished file to whoever reads the directory. What a crash leaves under it
 * is the caller's to remove ({@code Spool.open} removes {@code state/*.tmp}; Maildir readers never
 * look in {@code tmp/}).
 *
 * <p>A file that others are to read gets its mode and group before it is forced, and so before it
 * has its name: it is created with the mode given (which the umask may narrow, never widen), and
 * {@link Finish} sets the group and the exact mode once the content is written. A reader never sees
 * the name with other access, not even after a crash (the force covers the file's attributes).
 *
 * <p>DIAGNOSTICS: an {@code IOException} (a full disk) or an unchecked exception from the content
 * is thrown as it is, after the temporary file has been removed; the file keeps its old content, or
 * stays absent. If the name was given but the directory could not be forced, the new content is in
 * place but may not survive a crash.
 */
public final class AtomicFile {

    /** What the file holds, written to {@code out} (buffered; flushed and forced afterwards). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Gives the forced temporary file the target's name, durably: the directory forced too. */
    @FunctionalInterface
    public interface Publish {
        void publish(Path tmp, Path target) throws IOException;
    }

    /**
     * What is done to the written temporary file before it is forced: its group, its exact mode.
     */
    @FunctionalInterface
    public interface Finish {
        void finish(Path tmp) throws IOException;
    }

    private AtomicFile() {}

    /** Writes {@code target} through {@code tmp}, renamed over it. */
    public static void write(Path tmp, Path target, Content content) throws IOException {
        write(tmp, target, content, AtomicFile::rename);
    }

    /** Writes {@code target} through {@code tmp}, which {@code publish} puts in its place. */
    public static void write(Path tmp, Path target, Content content, Publish publish)
            throws IOException {
        write(tmp, target, content, written -> {}, publish);
    }

    /**
     * Writes {@code target} through {@code tmp}, created with {@code creation} (its mode), given to
     * {@code finish} once written and before it is forced, then put in place by {@code publish}.
     */
    public static void write(
            Path tmp,
            Path target,
            Content content,
            Finish finish,
            Publish publish,
            FileAttribute<?>... creation)
            throws IOException {
        writeTemporary(tmp, content, finish, true, creation);
        publishOrDiscard(tmp, target, publish);
    }

    /**
     * Writes {@code target} through {@code tmp} as {@link #write(Path, Path, Content, Publish)}
     * does, but {@code tmp} is not forced: for a file whose loss to a power cut before the next
     * sync costs nothing but work done again (a new journal).
     */
    public static void writeUnforced(Path tmp, Path target, Content content, Publish publish)
            throws IOException {
        writeTemporary(tmp, content, written -> {}, false);
        publishOrDiscard(tmp, target, publish);
    }

    /** {@code publish} puts {@code tmp} in place; if it cannot, {@code tmp} is removed. */
    private static void publishOrDiscard(Path tmp, Path target, Publish publish)
            throws IOException {
        boolean published = false;
        try {
            publish.publish(tmp, target);
            published = true;
        } finally {
            if (!published) {
                discard(tmp);
            }
        }
    }

    /**
     * The first half of {@link #write(Path, Path, Content, Finish, Publish, FileAttribute...)} for
     * a caller that forces many files together (one syncfs, {@link SharedSync}) before it publishes
     * them: {@code tmp} created with {@code creation}, written, given to {@code finish}, closed,
     * not forced. On failure it is removed and the exception thrown.
     */
    public static void writeUnforced(
            Path tmp, Content content, Finish finish, FileAttribute<?>... creation)
            throws IOException {
        writeTemporary(tmp, content, finish, false, creation);
    }

    /**
     * {@link #writeUnforced(Path, Content, Finish, FileAttribute...)} for content already in
     * memory: {@code parts} go out in gathering writes (writev(2)), one for a typical copy, with no
     * buffer of their own and no copy of the bytes. The buffers' positions are left where the
     * writing ended; give each writer its own (a duplicate of a shared one).
     */
    public static void writeUnforced(
            Path tmp, ByteBuffer[] parts, Finish finish, FileAttribute<?>... creation)
            throws IOException {
        fillTemporary(
                tmp,
                channel -> {
                    long left = 0;
                    for (ByteBuffer part : parts) {
                        left += part.remaining();
                    }
                    while (left > 0) {
                        left -= channel.write(parts);
                    }
                },
                finish,
                false,
                creation);
    }

    /** What goes into the opened temporary file. */
    @FunctionalInterface
    private interface Filling {
        void fill(FileChannel channel) throws IOException;
    }

    /** Creates, writes, finishes and closes {@code tmp}, forced if asked; removed on failure. */
    private static void writeTemporary(
            Path tmp, Content content, Finish finish, boolean force, FileAttribute<?>... creation)
            throws IOException {
        fillTemporary(
                tmp,
                channel -> {
                    // 8 KB: a copy of a typical message goes out in one write, and a million
                    // copies do not each leave 32 KB of buffer to the collector; a larger write
                    // passes the buffer by.
                    OutputStream out =
                            new BufferedOutputStream(Channels.newOutputStream(channel), 8 * 1024);
                    content.writeTo(out);
                    out.flush();
                },
                finish,
                force,
                creation);
    }

    private static void fillTemporary(
            Path tmp, Filling filling, Finish finish, boolean force, FileAttribute<?>... creation)
            throws IOException {
        // Opened before the try: a tmp that already exists is another writer's, never removed.
        FileChannel channel =
                FileChannel.open(
                        tmp,
                        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        creation);
        boolean written = false;
        try (channel) {
            filling.fill(channel);
            finish.finish(tmp);
            if (force) {
                channel.force(true);
            }
            written = true;
        } finally {
            if (!written) {
                discard(tmp);
            }
        }
    }

    /** Removes a temporary file that will not be published; a failure to do so is harmless. */
    public static void discard(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // Left for the caller's clean-up at start; it is never read as the file itself.
        }
    }

    /**
     * rename(2): {@code tmp} becomes {@code target} in one step, replacing it; then the directory
     * is forced.
     */
    public static void rename(Path tmp, Path target) throws IOException {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(target.toAbsolutePath().getParent());
    }

    /** Forces {@code dir}'s entries to disk: a name just given survives a crash. */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
