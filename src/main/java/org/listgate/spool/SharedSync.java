package org.listgate.spool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One sync shared by every caller that asks at the same time: group commit for writes that a single
 * {@link Syncfs} makes durable together. A caller that asks while a sync is running waits for the
 * next one, which starts after its writes and so covers them; the next sync is run by one of the
 * callers waiting for it, so no thread of its own is needed and a caller that leads runs one sync
 * only.
 *
 * <pre>
 * write(file);                 // no force
 * shared.await();              // file on disk, with whatever else was written meanwhile
 * </pre>
 *
 * <p>{@link #of} gives the one shared sync of a folder's file system: every caller there shares it,
 * and the process keeps one descriptor open for each file system asked for, not one for each
 * caller.
 *
 * <p>DIAGNOSTICS: a sync that fails fails every caller it was for, with its {@code IOException};
 * the next caller starts a new one. An interrupted wait is an {@code InterruptedIOException}.
 */
public final class SharedSync {

    /** What syncs: {@link Syncfs#sync}, or a stand-in in tests. */
    @FunctionalInterface
    public interface Sync {
        void sync() throws IOException;
    }

    /** The callers one sync is for. */
    private static final class Batch {
        boolean done;
        IOException failure;
    }

    /** One for each file system (its device number) asked for: what {@link #of} gives. */
    private static final Map<Object, Optional<SharedSync>> BY_FILE_SYSTEM =
            new ConcurrentHashMap<>();

    private final Sync sync;
    private Batch collecting = new Batch();
    private boolean syncing;
    private long syncs;

    public SharedSync(Sync sync) {
        this.sync = sync;
    }

    /**
     * The shared syncfs(2) of the file system that holds {@code folder} (which must exist), the
     * same for every folder there; empty where syncfs cannot be had (not Linux, no JNA).
     */
    public static Optional<SharedSync> of(Path folder) throws IOException {
        Object device = Files.getAttribute(folder, "unix:dev");
        Optional<SharedSync> known = BY_FILE_SYSTEM.get(device);
        if (known != null) {
            return known;
        }
        return BY_FILE_SYSTEM.computeIfAbsent(
                device, any -> Syncfs.of(folder).map(syncfs -> new SharedSync(syncfs::sync)));
    }

    /** Returns once a sync that started after this call has finished. */
    public void await() throws IOException {
        Batch mine;
        boolean lead = false;
        synchronized (this) {
            mine = collecting;
            while (!mine.done && (syncing || collecting != mine)) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for the disk");
                }
            }
            if (!mine.done) {
                lead = true; // this caller syncs: its batch is closed, the next one opens
                syncing = true;
                collecting = new Batch();
            }
        }
        if (lead) {
            IOException failure = null;
            try {
                sync.sync();
            } catch (IOException e) {
                failure = e;
            }
            synchronized (this) {
                mine.failure = failure;
                mine.done = true;
                syncing = false;
                syncs++;
                notifyAll();
            }
        }
        if (mine.failure != null) {
            throw new IOException(mine.failure.getMessage(), mine.failure);
        }
    }

    /** Syncs run so far: how much the callers shared (tests, figures). */
    public synchronized long syncs() {
        return syncs;
    }
}
