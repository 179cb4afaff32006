package org.listgate.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads the event log back: JSON Lines, one {@link LoggedEvent} a record, optionally only some ids
 * or those an {@link EventFilter} keeps. It streams, one line at a time, whatever the size of the
 * file. {@link #read} reads to the end once; {@link #follow} goes on like {@code tail -F}.
 *
 * <p>Tolerant by design, because the file is written while it is read: a line that is not a JSON
 * object with an integral id is skipped; in {@code follow} a line is read only once its line end
 * has been written, so a record being appended is never seen torn; a last line without its line end
 * is read if it is a whole record and skipped otherwise. A line longer than {@link #MAX_LINE} bytes
 * is skipped without being held in memory.
 *
 * <p>BUGS: the file is reopened on each poll; if it is replaced and then grows past the old offset
 * within one poll interval on a file system without file keys, the start of the new file is missed.
 */
public final class EventReader {

    /** A record is a few hundred bytes; anything far longer is not one of ours. */
    static final int MAX_LINE = 1 << 20;

    static final Duration POLL = Duration.ofMillis(200);

    /** How much is read from the file at a time. */
    static final int BUFFER = 64 * 1024;

    private final Path file;
    private final Predicate<LoggedEvent> keep;
    private final int maxLine;
    private final int bufferSize;

    /** Where the next unread byte is, and the unfinished line read so far. */
    private long offset;

    private Object fileKey;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(512);
    private boolean skippingLongLine;

    /**
     * @param ids the ids to keep; empty keeps every event
     */
    public EventReader(Path file, Set<Integer> ids) {
        this(file, byId(ids), MAX_LINE, BUFFER);
    }

    /**
     * @param keep which records to hand on, e.g. an {@link EventFilter}
     */
    public EventReader(Path file, Predicate<LoggedEvent> keep) {
        this(file, keep, MAX_LINE, BUFFER);
    }

    /** With smaller limits, so that a test reaches long lines and buffer ends with small files. */
    EventReader(Path file, Set<Integer> ids, int maxLine, int bufferSize) {
        this(file, byId(ids), maxLine, bufferSize);
    }

    private EventReader(Path file, Predicate<LoggedEvent> keep, int maxLine, int bufferSize) {
        this.file = Objects.requireNonNull(file, "file");
        this.keep = Objects.requireNonNull(keep, "keep");
        this.maxLine = maxLine;
        this.bufferSize = bufferSize;
    }

    /** Every event in the file now, in order; a torn last line is skipped. */
    public void read(Consumer<LoggedEvent> sink) throws IOException {
        readAppended(sink);
        if (!skippingLongLine && pending.size() > 0) {
            deliver(pending.toByteArray(), pending.size(), sink);
        }
        pending.reset();
        skippingLongLine = false;
    }

    /**
     * Every event in the file, then every event appended to it, until the thread is interrupted. A
     * file truncated or replaced (rotated, recreated) is read again from its start; a file that is
     * missing for a while is waited for.
     */
    public void follow(Consumer<LoggedEvent> sink) throws IOException, InterruptedException {
        while (true) {
            readAppended(sink);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private void readAppended(Consumer<LoggedEvent> sink) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (fileKey == null && offset == 0) {
                throw e;
            }
            return; // being recreated: wait for it
        }
        Object key = attributes.fileKey();
        boolean replaced = fileKey != null && key != null && !fileKey.equals(key);
        if (replaced || attributes.size() < offset) {
            offset = 0;
            pending.reset();
            skippingLongLine = false;
        }
        fileKey = key;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(offset);
            byte[] buffer = new byte[bufferSize];
            int n;
            while ((n = in.read(buffer)) > 0) {
                offset += n;
                split(buffer, n, sink);
            }
        }
    }

    /** Hands on every line the buffer finishes; keeps the unfinished rest in {@link #pending}. */
    private void split(byte[] buffer, int length, Consumer<LoggedEvent> sink) {
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (buffer[i] != '\n') {
                continue;
            }
            if (!skippingLongLine) {
                if (pending.size() == 0) {
                    deliver(buffer, start, i - start, sink);
                } else {
                    pending.write(buffer, start, i - start);
                    deliver(pending.toByteArray(), pending.size(), sink);
                }
            }
            pending.reset();
            skippingLongLine = false;
            start = i + 1;
        }
        if (!skippingLongLine) {
            pending.write(buffer, start, length - start);
            if (pending.size() > maxLine) {
                pending.reset();
                skippingLongLine = true;
            }
        }
    }

    private void deliver(byte[] bytes, int length, Consumer<LoggedEvent> sink) {
        deliver(bytes, 0, length, sink);
    }

    private void deliver(byte[] bytes, int from, int length, Consumer<LoggedEvent> sink) {
        if (length > maxLine) {
            return;
        }
        String line = new String(bytes, from, length, StandardCharsets.UTF_8);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (keep instanceof EventFilter filter && !filter.mightKeep(line)) {
            return; // not even worth parsing
        }
        LoggedEvent.parse(line).filter(keep).ifPresent(sink);
    }

    private static Predicate<LoggedEvent> byId(Set<Integer> ids) {
        Set<Integer> kept = Set.copyOf(ids);
        return event -> kept.isEmpty() || kept.contains(event.id());
    }
}
