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
 * Who exists: local users and distribution lists, read from {@code directory.users} and {@code
 * directory.lists}. Lookups read an immutable snapshot, so a reload never shows a half-read file;
 * {@link #reload()} (SIGHUP) and a poll of the files' modification times (every {@code
 * directory.pollInterval}) replace the snapshot without a restart.
 */
public final class Directory implements AutoCloseable {

    private final List<String> domains;
    private final Path usersFile;
    private final Path listsFile;
    private final DirectoryLoader loader;
    private final EventLog events;
    private final Optional<Mailbox> postmaster;
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile String stamp = "";
    private ScheduledExecutorService watcher;

    public Directory(List<String> domains, Path usersFile, Path listsFile, EventLog events) {
        this(domains, usersFile, listsFile, Optional.empty(), events);
    }

    /**
     * {@code postmaster}: the mailbox that {@code postmaster} at every local domain reaches when no
     * user or list of that name exists there ({@code postmaster.address}); when empty, {@code
     * postmaster@<first domain>}.
     */
    public Directory(
            List<String> domains,
            Path usersFile,
            Path listsFile,
            Optional<Mailbox> postmaster,
            EventLog events) {
        this.postmaster = postmaster;
        this.domains = List.copyOf(domains);
        this.usersFile = usersFile;
        this.listsFile = listsFile;
        this.events = events;
        this.loader = new DirectoryLoader(this.domains, events);
    }

    /** Reads both files now and replaces the snapshot. */
    public synchronized void reload() {
        String before = stamp();
        Snapshot loaded = loader.load(usersFile, listsFile);
        snapshot = loaded;
        stamp = before;
        events.emit(
                Event.of(EventId.DIRECTORY_LOADED)
                        .with("users", loaded.users().size())
                        .with("lists", loaded.lists().size())
                        .with("usersFile", usersFile.toString())
                        .with("listsFile", listsFile.toString()));
    }

    /** Polls the files every {@code interval} and reloads when either has changed. */
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
                            } catch (
                                    RuntimeException
                                            e) { // isolation: handed to the uncaught-exception
                                // handler (9001)
                                // A scheduled task's exception would vanish into its future and end
                                // the polling:
                                // hand it to the uncaught-exception handler (event 9001) and keep
                                // polling.
                                Thread.currentThread()
                                        .getUncaughtExceptionHandler()
                                        .uncaughtException(Thread.currentThread(), e);
                            }
                        },
                        millis,
                        millis,
                        TimeUnit.MILLISECONDS);
    }

    public Optional<Entry> lookup(Mailbox mailbox) {
        Optional<Entry> entry = snapshot.lookup(mailbox);
        // RFC 5321 §4.5.1: every domain the server accepts mail for has a postmaster.
        if (entry.isEmpty()
                && mailbox.localPart().equalsIgnoreCase("postmaster")
                && isLocal(mailbox.domain())) {
            Mailbox target = postmaster.orElse(new Mailbox("postmaster", domains.get(0)));
            Optional<Entry> own = snapshot.lookup(target);
            return Optional.of(own.orElse(new Entry.User(target)));
        }
        return entry;
    }

    /** Whether the users or lists file names {@code mailbox} itself (no postmaster fallback). */
    public boolean lists(Mailbox mailbox) {
        return snapshot.lookup(mailbox).isPresent();
    }

    /** Where mail for the postmaster goes: see the constructor. */
    public Mailbox postmaster() {
        return postmaster.orElse(new Mailbox("postmaster", domains.get(0)));
    }

    public boolean isLocal(String domain) {
        return domains.contains(domain);
    }

    public List<String> domains() {
        return domains;
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
