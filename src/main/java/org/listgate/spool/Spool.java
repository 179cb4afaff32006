package org.listgate.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.listgate.address.Mailbox;
import org.listgate.address.Route;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.events.Text;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;

/**
 * The durable queue. A message is written to {@code tmp/}, forced to disk, renamed into {@code
 * queue/} and the directory forced too; only then may the SMTP server answer 250. A queue file ends
 * in an END record that states the content's length: a file without it (torn by a crash or a full
 * disk) is never taken for a message (Postfix: "queue files without END record are discarded");
 * here it is moved to {@code corrupt/} with a warning, so nothing is lost silently.
 *
 * <p>Layout under {@code spool.dir}: {@code tmp/} (being written; emptied at start, since no 250
 * was given for them), {@code queue/} (accepted, not yet finished: the message file, never changed
 * once written), {@code state/} (each message's per-recipient {@link Journal}, owned by its {@link
 * Recipients}), {@code corrupt/} (quarantine), {@code control/} (requests from {@code listgate
 * queue} to the running server) and {@code lock} (held by the server that owns the spool).
 *
 * <p>One file, longer than most here, because it is the whole layout: who may create, read, move or
 * remove each of those directories' files, and in which order, is in one place.
 */
public final class Spool implements AutoCloseable {

    /** The spool is owned by another running listgate. */
    public static final class InUseException extends IOException {
        private static final long serialVersionUID = 1L;

        InUseException(String message) {
            super(message);
        }
    }

    /** A message found in the spool, with its recipients when its expansion was recorded. */
    public record Stored(QueuedMessage message, Optional<Recipients> recipients) {

        /**
         * The recipients as they stand: the journal's, or, before the expansion was recorded, the
         * envelope's RCPTs as they are, each a local target not tried yet (RCPTs are only accepted
         * for local domains). Fresh objects in that case, not written anywhere.
         */
        public List<RecipientState> recipientsOrRcpts() {
            if (recipients.isPresent()) {
                return recipients.get().all();
            }
            List<RecipientState> rcpts = new ArrayList<>();
            for (Mailbox rcpt : message.envelope().recipients()) {
                rcpts.add(RecipientState.target(rcpts.size(), rcpt, Route.LOCAL, List.of()));
            }
            return rcpts;
        }
    }

    private final Path dir;
    private final Path tmp;
    private final Path queue;
    private final Path state;
    private final Path corrupt;
    private final Path control;
    private final EventLog events;
    private final Boundary boundary;
    private final GroupCommit commits;
    private final long minFreeBytes;
    private final FaultInjector faults;
    private final AtomicInteger sequence = new AtomicInteger(new SecureRandom().nextInt(0x10000));
    private final String gatewayId;
    private final java.util.concurrent.atomic.AtomicBoolean lowOnSpace =
            new java.util.concurrent.atomic.AtomicBoolean();
    private FileChannel lockChannel;
    private FileLock lock;

    /**
     * A spool for the offline commands and tools: no group commit, no space reserve, no faults, and
     * queue ids without a gateway id.
     */
    public Spool(Path dir, EventLog events) {
        this(dir, events, "");
    }

    /** As {@link #Spool(Path, EventLog)}, its new queue ids ending in {@code gatewayId}. */
    public Spool(Path dir, EventLog events, String gatewayId) {
        this(dir, events, new Boundary(events), false, 0, FaultInjector.none(), gatewayId);
    }

    /**
     * {@code boundary}: where a fault met while reading the spool back is reported (9001); {@code
     * faults}: its {@code spool} rules make writes of matching messages fail as on a full disk;
     * {@code gatewayId}: the hex digits that end every queue id it makes ({@code gateway.id}).
     */
    public Spool(
            Path dir,
            EventLog events,
            Boundary boundary,
            boolean groupCommit,
            long minFreeBytes,
            FaultInjector faults,
            String gatewayId) {
        if (!gatewayId.matches("[0-9A-F]{0,4}")) {
            throw new IllegalArgumentException("a gateway id is 0 to 4 hex digits: " + gatewayId);
        }
        this.gatewayId = gatewayId;
        this.dir = dir;
        this.tmp = dir.resolve("tmp");
        this.queue = dir.resolve("queue");
        this.state = dir.resolve("state");
        this.corrupt = dir.resolve("corrupt");
        this.control = dir.resolve("control");
        this.events = events;
        this.boundary = boundary;
        this.commits = new GroupCommit(groupCommit);
        this.minFreeBytes = minFreeBytes;
        this.faults = faults;
    }

    /**
     * Takes the spool for this process (one server per spool: a second one is refused), creates the
     * directories and removes what an earlier run left half-written: tmp/ and the journal rewrites
     * ({@code state/*.tmp}). Only here, while nothing of this run writes yet: the SMTP listener
     * starts before {@link #recover()}, and the journals of messages accepted meanwhile pass
     * through {@code state/*.tmp} too.
     */
    public void open() throws IOException {
        try {
            createDirectories();
            if (lock == null) {
                lock = tryLock();
            }
        } catch (IOException e) {
            throw new IOException("spool.dir " + dir + " cannot be used: " + Text.problem(e), e);
        }
        if (lock == null) {
            throw new InUseException(
                    "the spool " + dir + " is in use by another listgate (" + owner() + ")");
        }
        lockChannel.truncate(0);
        lockChannel.write(
                java.nio.ByteBuffer.wrap(
                        (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                0);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(state, "*.tmp")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    /**
     * Takes the spool if no server holds it, for administration without a server; returns false
     * when a server is running (then ask it, through {@link #control()}).
     */
    public boolean openIfIdle() throws IOException {
        try {
            open();
            return true;
        } catch (InUseException e) {
            return false;
        }
    }

    private void createDirectories() throws IOException {
        for (Path path : List.of(tmp, queue, state, corrupt, control)) {
            Files.createDirectories(path);
        }
    }

    private FileLock tryLock() throws IOException {
        lockChannel =
                FileChannel.open(
                        dir.resolve("lock"),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
        FileLock taken;
        try {
            taken = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            taken = null; // held by another Spool in this process
        }
        if (taken == null) {
            lockChannel.close();
            lockChannel = null;
        }
        return taken;
    }

    /** The process holding the spool, as its lock file says. */
    public String owner() {
        try {
            return "pid " + Files.readString(dir.resolve("lock"), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "pid unknown";
        }
    }

    /** Where administration requests go while a server runs. */
    public Path control() {
        return control;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Whether a message of {@code expectedBytes} fits while leaving {@code spool.minFreeBytes}
     * free: below that, new mail is refused with 452 4.3.1 before the disk is actually full.
     */
    /**
     * What keeps the spool from taking mail now, if anything: {@code tmp/} cannot be written (a
     * probe file is created and removed), or the disk is below {@code spool.minFreeBytes}.
     */
    public Optional<String> problem() {
        Path probe = tmp.resolve(".health-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            return Optional.of("cannot write in " + tmp + ": " + Text.problem(e));
        }
        if (!hasRoomFor(0)) {
            return Optional.of("below spool.minFreeBytes (" + minFreeBytes + " bytes)");
        }
        return Optional.empty();
    }

    public boolean hasRoomFor(long expectedBytes) {
        if (minFreeBytes <= 0) {
            return true;
        }
        long usable = usableSpace();
        boolean room = usable >= 0 && usable - Math.max(0, expectedBytes) >= minFreeBytes;
        if (!room && !lowOnSpace.getAndSet(true)) {
            events.emit(
                    Event.of(EventId.SPOOL_LOW_SPACE)
                            .with("usableBytes", usable)
                            .with("minFreeBytes", minFreeBytes)
                            .with("status", "4.3.1"));
        } else if (room) {
            lowOnSpace.set(false);
        }
        return room;
    }

    /** The free space on the spool's file system, for the events that refuse mail. */
    public long usableSpace() {
        try {
            return Files.getFileStore(queue).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * A new queue id, in upper-case hex: milliseconds since the epoch, a sequence and the gateway's
     * id ({@code 1941A5C2E07 03F2 9B1C}, without the spaces), so ids sort by arrival, do not repeat
     * across restarts (the sequence starts at a random value) and do not meet those of another
     * gateway.
     */
    public String newQueueId() {
        return String.format(
                        Locale.ROOT,
                        "%011X%04X",
                        System.currentTimeMillis(),
                        sequence.getAndIncrement() & 0xFFFF)
                + gatewayId;
    }

    /** Starts writing a message; write the content to {@link Writer#content()}, then commit. */
    public MessageWriter begin(Envelope envelope) throws IOException {
        return new MessageWriter(
                envelope,
                tmp,
                queue,
                commits,
                faults.spoolFull(envelope.recipients().stream().map(Mailbox::address).toList()));
    }

    /**
     * The messages left in queue/ by an earlier run, oldest first, with their recipients' state; an
     * unreadable message file or state file is quarantined (with its partner) and reported, and the
     * others go on. State files without a message (finished just before a crash) go; {@code *.tmp}
     * files are left alone: {@link #open()} removed the earlier run's, so any there now is the
     * journal of a message accepted since, being written.
     */
    public List<Stored> recover() throws IOException {
        return recover(backlog());
    }

    /**
     * The names in queue/ now: taken before the listener starts, so that {@link #recover(List)}
     * resumes exactly the messages of earlier runs and never one accepted since (which the
     * dispatcher already has).
     */
    public List<Path> backlog() throws IOException {
        return names(queue);
    }

    /** {@link #recover()} for the files of {@link #backlog()}; those gone meanwhile are skipped. */
    public List<Stored> recover(List<Path> backlog) throws IOException {
        List<Stored> messages = new ArrayList<>();
        for (Path file : backlog) {
            if (!Files.exists(file)) {
                continue;
            }
            try {
                messages.add(read(file));
            } catch (QueueFile.CorruptException e) {
                quarantine(file, String.valueOf(e.getMessage()));
            } catch (IOException e) {
                quarantine(file, Text.problem(e));
            } catch (RuntimeException e) { // isolation: 9001, then quarantined
                boundary.report(
                        Boundary.Scope.MESSAGE,
                        Event.of(EventId.EXCEPTION)
                                .with("file", file.getFileName().toString())
                                .with("stage", "recovery"),
                        e);
                quarantine(file, "unexpected fault reading it: " + e.getClass().getSimpleName());
            }
        }
        for (Path orphan : names(state)) {
            String name = orphan.getFileName().toString();
            if (!name.endsWith(".tmp") && !Files.exists(queue.resolve(name))) {
                Files.deleteIfExists(orphan);
            }
        }
        return messages;
    }

    /**
     * The messages in the queue, read only: safe while a server runs (files are never changed in
     * place). One being written or removed at this moment is skipped.
     */
    public List<Stored> scan() throws IOException {
        List<Stored> messages = new ArrayList<>();
        for (Path file : names(queue)) {
            try {
                messages.add(read(file));
            } catch (QueueFile.CorruptException
                    | IOException
                    | RuntimeException e) { // isolation: listed
                // offline; removed meanwhile, or corrupt: the server quarantines it at its next
                // start.
            }
        }
        return messages;
    }

    /** One message by queue id, read only. */
    public Optional<Stored> find(String queueId) {
        if (!queueId.matches("[0-9A-Fa-f]{1,32}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(read(queue.resolve(queueId.toUpperCase(java.util.Locale.ROOT))));
        } catch (QueueFile.CorruptException
                | IOException
                | RuntimeException e) { // isolation: as above
            return Optional.empty();
        }
    }

    private Stored read(Path file) throws IOException, QueueFile.CorruptException {
        QueuedMessage message = QueueFile.read(file);
        if (!file.getFileName().toString().equals(message.queueId())) {
            throw new QueueFile.CorruptException(
                    "queue id " + message.queueId() + " does not match the file name");
        }
        Path journal = state.resolve(message.queueId());
        if (!Files.exists(journal)) {
            return new Stored(message, Optional.empty());
        }
        return new Stored(
                message,
                Recipients.restore(
                        journal,
                        message.queueId(),
                        Journal.read(journal, message.queueId()),
                        commits));
    }

    private static List<Path> names(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    /**
     * Starts the message's journal with its expansion, written whole and forced: from now on the
     * returned object is its recipients' one owner.
     */
    public Recipients createRecipients(QueuedMessage message, List<RecipientState> recipients)
            throws IOException {
        return createRecipients(message, recipients, true);
    }

    /**
     * As {@link #createRecipients(QueuedMessage, List)}; {@code localIsQuick} false when local
     * delivery waits on another server (LMTP), whose round may be long: then no journal is kept in
     * memory through it ({@link Recipients#DEFERRED_JOURNAL_LIMIT}).
     */
    public Recipients createRecipients(
            QueuedMessage message, List<RecipientState> recipients, boolean localIsQuick)
            throws IOException {
        return Recipients.create(
                state.resolve(message.queueId()),
                message.queueId(),
                recipients,
                commits,
                localIsQuick);
    }

    /** Asks that every deferred recipient of the message be tried at once (no server running). */
    public void requestFlush(QueuedMessage message) throws IOException {
        Path file = state.resolve(message.queueId());
        if (Files.exists(file)) {
            try (Journal journal = new Journal(file, commits)) {
                journal.append(new JournalRecord.FlushRequested(java.time.Instant.now()));
                journal.sync();
            }
        }
    }

    /**
     * Removes a message whose every recipient has been handled: the message file first (a state
     * file alone is cleared at the next start; a message without its state would be sent again).
     * Not forced, as Postfix does not force a queue file's removal: the next sync of the file
     * system puts it on disk, and a power cut before that brings the message back (at worst, each
     * recipient gets it again), never loses it.
     */
    public void remove(QueuedMessage message) throws IOException {
        Files.deleteIfExists(message.file());
        Files.deleteIfExists(state.resolve(message.queueId()));
    }

    private void quarantine(Path file, String reason) {
        Path target = corrupt.resolve(file.getFileName());
        try {
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
            Path journal = state.resolve(file.getFileName());
            if (Files.exists(journal)) {
                Files.move(
                        journal,
                        corrupt.resolve(file.getFileName() + ".state"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(corrupt);
            forceDirectory(queue);
        } catch (IOException e) {
            reason = reason + "; could not be moved: " + e.getMessage();
        }
        events.emit(
                Event.of(EventId.SPOOL_CORRUPT)
                        .with("file", file.toString())
                        .with("movedTo", target.toString())
                        .with("reason", reason));
    }

    /** Stops the commit thread and lets the spool go. */
    @Override
    public void close() {
        commits.close();
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException ignored) {
            // The lock goes with the process anyway.
        }
    }

    static void forceDirectory(Path dir) throws IOException {
        GroupCommit.forceDirectory(dir);
    }
}
