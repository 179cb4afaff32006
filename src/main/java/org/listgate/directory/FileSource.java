package org.listgate.directory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.listgate.address.Mailbox;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;

/**
 * Users and lists read from {@code directory.users} and {@code directory.lists}. Lookups read an
 * immutable snapshot, so a reload never shows a half-read file; {@link #reload()} (SIGHUP) and a
 * poll of the files' modification times (every {@code directory.pollInterval}) replace the snapshot
 * without a restart. Never unavailable.
 */
final class FileSource implements Source {

    /** Users from which a reload is followed by a full collection: about 1.5 MB of heap. */
    static final int LARGE = 10_000;

    private final Path usersFile;
    private final Path listsFile;
    private final DirectoryLoader loader;
    private final EventLog events;
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile String stamp = "";
    private ScheduledExecutorService watcher;

    FileSource(List<String> domains, Path usersFile, Path listsFile, EventLog events) {
        this.usersFile = usersFile;
        this.listsFile = listsFile;
        this.events = events;
        this.loader = new DirectoryLoader(domains, events);
    }

    @Override
    public Optional<Entry> lookup(Mailbox mailbox) {
        return snapshot.lookup(mailbox);
    }

    /** The lists of the snapshot read last: none before the first {@link #reload()}. */
    @Override
    public List<Mailbox> distributionLists() {
        return snapshot.lists().values().stream().map(Entry.DistributionList::address).toList();
    }

    /** Reads both files now and replaces the snapshot. */
    @Override
    public synchronized void reload() {
        String before = stamp();
        Snapshot loaded = loader.load(usersFile, listsFile);
        snapshot = loaded;
        stamp = before;
        if (loaded.userCount() >= LARGE) {
            // Reading a large directory leaves the old snapshot and the reading's own temporaries
            // in the old generation, a heap two or three times what the new snapshot needs. A full
            // collection now, while nothing else is going on, lets a heap sized to its live set
            // (the run command's -XX:MaxHeapFreeRatio and -XX:-ShrinkHeapInSteps) give that memory
            // back, instead of keeping it for the life of the process.
            System.gc();
        }
        events.emit(
                Event.of(EventId.DIRECTORY_LOADED)
                        .with("users", loaded.userCount())
                        .with("lists", loaded.lists().size())
                        .with("usersFile", usersFile.toString())
                        .with("listsFile", listsFile.toString()));
    }

    /** Polls the files every {@code interval} and reloads when either has changed. */
    @Override
    public synchronized void watch(Duration interval) {
        if (watcher != null) {
            return;
        }
        watcher =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "directory-watch");
                            thread.setDaemon(true);
                            return thread;
                        });
        long millis = Math.max(50, interval.toMillis());
        // The task hands its own failures on (below), so its future has nothing to tell.
        ScheduledFuture<?> unused =
                watcher.scheduleWithFixedDelay(
                        () -> {
                            try {
                                if (!stamp().equals(stamp)) {
                                    reload();
                                }
                            } catch (RuntimeException e) { // isolation: to 9001, polling on
                                // A scheduled task's exception would vanish into its future and
                                // end the polling: hand it to the uncaught-exception handler.
                                Thread.currentThread()
                                        .getUncaughtExceptionHandler()
                                        .uncaughtException(Thread.currentThread(), e);
                            }
                        },
                        millis,
                        millis,
                        TimeUnit.MILLISECONDS);
    }

    private String stamp() {
        return stamp(usersFile) + "|" + stamp(listsFile);
    }

    private static String stamp(Path file) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            return modified.toMillis() + ":" + Files.size(file);
        } catch (IOException e) {
            return "absent";
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }
}
