package org.listgate.spool;

import java.io.IOException;
import java.io.InterruptedIOException;

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

    private final Sync sync;
    private Batch collecting = new Batch();
    private boolean syncing;
    private long syncs;

    public SharedSync(Sync sync) {
        this.sync = sync;
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
