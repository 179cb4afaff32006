package org.listgate.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.listgate.address.Mailbox;
import org.listgate.address.Status;
import org.listgate.config.Config;
import org.listgate.events.Text;
import org.listgate.spool.AtomicFile;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.SharedSync;
import org.listgate.spool.Syncfs;

/**
 * Local delivery to {@code <maildir.root>/<domain>/<localpart>/}, by the Maildir algorithm
 * (maildir(5), D. J. Bernstein): write to {@code tmp/<unique>}, fsync, link to {@code
 * new/<unique>}, unlink the tmp name, fsync {@code new/} (an {@link AtomicFile} whose last step is
 * a link). The message gets {@code Return-Path} and {@code Delivered-To} (the recipient) prepended
 * and Unix line ends, as Maildir readers expect; a list member's copy also gets a {@code
 * Delivered-To} for each list it came through ({@link DeliveredTo}), so that it is known for a loop
 * if it comes back to the list. The folders are created on first delivery.
 *
 * <p>Who may read the copy is {@link MaildirAccess}'s: the file has its mode and group before it is
 * forced and linked, so it never appears in {@code new/} with other access; the folders the agent
 * creates ({@code maildir.root} itself, the domain's, the Maildir and its three) get the matching
 * folder mode and the group.
 *
 * <p>Durability ({@code maildir.sync}). {@link #deliver} forces each copy on its own: the file,
 * then {@code new/} — two fsyncs a copy, which bounds a large list's fan-out by the disk's fsync
 * rate. With {@code shared} (the default, where syncfs(2) can be had) a delivery round goes through
 * {@link #stage} instead: each copy written to {@code tmp/} without a force; one {@link #sync} — a
 * syncfs of {@code maildir.root}'s file system, shared with every caller at the same moment ({@link
 * SharedSync}) — for all of them; each linked into {@code new/} ({@link Agents.Staged#publish}); a
 * second sync for the names. The order is that of {@code each}: content on disk before the name,
 * the name on disk before {@code delivered} is journalled, so a crash leaves a copy whole or
 * absent, never torn; only the forcing is shared. A Maildir on another file system than {@code
 * maildir.root} (a symbolic link elsewhere) is delivered whole.
 *
 * <p>An I/O error defers the recipient (a full disk passes); nothing it throws is caught here: the
 * recipient boundary around it turns an unexpected fault into {@code Failed 5.3.0}.
 */
final class MaildirAgent implements Agents.Local {

    private final Path root;
    private final MaildirAccess access;
    private final MaildirNames names;
    private final boolean shareSyncs;

    /**
     * The largest content kept converted in memory for the copies of one message: a list's copies
     * all carry the same content, read and converted once rather than once a copy.
     */
    static final long CONVERTED_LIMIT = 1 << 20;

    /** The shared sync, once the root exists and syncfs is known to work there. */
    private volatile Optional<SharedSync> shared;

    private volatile Object rootDevice;

    /** The content of the message written last, with Unix line ends, if small enough. */
    private volatile Converted converted;

    /** A message's content converted; the array is never changed once made. */
    @SuppressWarnings("ArrayRecordComponent") // never compared: only written out
    private record Converted(String queueId, byte[] content) {}

    MaildirAgent(Path root, MaildirAccess access, MaildirNames names) {
        this(root, access, names, Config.MaildirSync.EACH);
    }

    MaildirAgent(Path root, MaildirAccess access, MaildirNames names, Config.MaildirSync sync) {
        this.root = root;
        this.access = access;
        this.names = names;
        this.shareSyncs = sync == Config.MaildirSync.SHARED;
        this.shared = shareSyncs ? null : Optional.empty();
        if (shareSyncs) {
            // At start, not in the first round (see Syncfs.load).
            boolean unused = Syncfs.load();
        }
    }

    /** A recipient named at RCPT. */
    Outcome deliver(QueuedMessage message, Mailbox recipient) {
        return deliver(message, recipient, List.of());
    }

    /**
     * A recipient that came through {@code lists}, outermost first (none: named at RCPT), delivered
     * whole: the file forced, linked, {@code new/} forced.
     */
    @Override
    public Outcome deliver(QueuedMessage message, Mailbox recipient, List<String> lists) {
        Optional<Path> maildir = maildir(recipient);
        if (maildir.isEmpty()) {
            return unsafe(recipient);
        }
        String unique = names.next();
        Path tmp = maildir.get().resolve("tmp").resolve(unique);
        Path target = maildir.get().resolve("new").resolve(unique);
        try {
            prepare(maildir.get());
            AtomicFile.write(
                    tmp,
                    target,
                    out -> write(message, recipient, lists, out),
                    access::finishFile,
                    (from, to) -> publish(maildir.get(), from, to),
                    access.fileCreation());
            return Outcome.delivered(recipient, target);
        } catch (IOException e) {
            // AtomicFile has removed the tmp file; one it could not remove is harmless, as
            // readers only look in new/ and cur/.
            return cannotWrite(recipient, e);
        }
    }

    /**
     * Writes the copy to {@code tmp/}, not forced, for the round to sync together with the others;
     * a Maildir the shared sync does not cover (no syncfs here, another file system) is delivered
     * whole at once.
     */
    @Override
    public Agents.Staged stage(QueuedMessage message, Mailbox recipient, List<String> lists) {
        Optional<Path> maildir = maildir(recipient);
        if (maildir.isEmpty()) {
            return Agents.Staged.done(unsafe(recipient));
        }
        try {
            if (!prepare(maildir.get())) {
                return Agents.Staged.done(deliver(message, recipient, lists));
            }
            String unique = names.next();
            Path tmp = maildir.get().resolve("tmp").resolve(unique);
            Optional<byte[]> content = converted(message);
            if (content.isPresent()) {
                ByteBuffer[] parts = {
                    ByteBuffer.wrap(prepended(message, recipient, lists)),
                    ByteBuffer.wrap(content.get())
                };
                AtomicFile.writeUnforced(tmp, parts, access::finishFile, access.fileCreation());
            } else {
                AtomicFile.writeUnforced(
                        tmp,
                        out -> write(message, recipient, lists, out),
                        access::finishFile,
                        access.fileCreation());
            }
            return new Pending(
                    maildir.get(), recipient, tmp, maildir.get().resolve("new").resolve(unique));
        } catch (IOException e) {
            return Agents.Staged.done(cannotWrite(recipient, e));
        }
    }

    /** One shared syncfs of {@code maildir.root}'s file system, when staging is in use. */
    @Override
    public void sync() throws IOException {
        Optional<SharedSync> sync = shared;
        if (sync != null && sync.isPresent()) {
            sync.get().await();
        }
    }

    /** A copy in {@code tmp/}, waiting for the round's sync. */
    private final class Pending implements Agents.Staged {
        private final Path maildir;
        private final Mailbox recipient;
        private final Path tmp;
        private final Path target;

        Pending(Path maildir, Mailbox recipient, Path tmp, Path target) {
            this.maildir = maildir;
            this.recipient = recipient;
            this.tmp = tmp;
            this.target = target;
        }

        @Override
        public Optional<Outcome> outcome() {
            return Optional.empty();
        }

        @Override
        public Outcome publish() {
            try {
                linkMaking(maildir, tmp, target);
                return Outcome.delivered(recipient, target);
            } catch (IOException e) {
                AtomicFile.discard(tmp);
                return cannotWrite(recipient, e);
            }
        }

        @Override
        public Outcome abandon(String reason) {
            AtomicFile.discard(tmp);
            return new Outcome.Deferred(
                    recipient,
                    Status.LOCAL_MAILBOX_ERROR_TRANSIENT,
                    "cannot write to the mailbox: " + reason);
        }
    }

    /**
     * The recipient's Maildir, {@code <root>/<domain>/<localpart>}; empty when that would not be
     * exactly two folders under the root.
     */
    private Optional<Path> maildir(Mailbox recipient) {
        Path maildir = root.resolve(recipient.domain()).resolve(recipient.localPart());
        // Count the names after normalizing: "." and ".." are one name each but not one folder
        // down ("<root>/<domain>/.." is the root itself).
        Path normalized = maildir.normalize();
        Path base = root.normalize();
        return normalized.startsWith(base) && normalized.getNameCount() == base.getNameCount() + 2
                ? Optional.of(maildir)
                : Optional.empty();
    }

    private static Outcome unsafe(Mailbox recipient) {
        return new Outcome.Failed(
                recipient, Status.BAD_MAILBOX, "mailbox name is not a safe folder name");
    }

    /**
     * Deferred. Folders that have gone since they were made (a mailbox removed or moved) are made
     * again by the next attempt ({@link #prepare}, {@link #linkMaking}), so the recipient is not
     * deferred for ever.
     */
    private static Outcome cannotWrite(Mailbox recipient, IOException e) {
        return new Outcome.Deferred(
                recipient,
                Status.LOCAL_MAILBOX_ERROR_TRANSIENT,
                "cannot write to the mailbox: " + Text.problem(e));
    }

    /**
     * Makes the Maildir's folders if its {@code tmp/} is missing; whether the shared sync covers it
     * (it is on the root's file system). One stat a copy, and nothing kept: a server that has
     * delivered to 100,000 Maildirs holds no table of them.
     */
    private boolean prepare(Path maildir) throws IOException {
        Path tmp = maildir.resolve("tmp");
        Object device;
        try {
            device = Files.getAttribute(tmp, "unix:dev");
        } catch (NoSuchFileException e) {
            create(maildir);
            device = Files.getAttribute(tmp, "unix:dev");
        }
        return shareSyncs && sharedSync().isPresent() && device.equals(rootDevice);
    }

    /** The Maildir's folders, and those above it, that are missing. */
    private void create(Path maildir) throws IOException {
        Path above = root.getParent();
        if (above != null) {
            Files.createDirectories(above);
        }
        access.createFolder(root);
        access.createFolder(maildir.getParent());
        access.createFolder(maildir);
        access.createFolder(maildir.resolve("tmp"));
        access.createFolder(maildir.resolve("new"));
        access.createFolder(maildir.resolve("cur"));
    }

    /** The shared sync of the root's file system, looked for once the root exists. */
    private Optional<SharedSync> sharedSync() throws IOException {
        Optional<SharedSync> found = shared;
        if (found == null) {
            synchronized (this) {
                found = shared;
                if (found == null) {
                    rootDevice = Files.getAttribute(root, "unix:dev");
                    found = SharedSync.of(root);
                    shared = found;
                }
            }
        }
        return found;
    }

    private void write(
            QueuedMessage message, Mailbox recipient, List<String> lists, OutputStream out)
            throws IOException {
        out.write(prepended(message, recipient, lists));
        Optional<byte[]> content = converted(message);
        if (content.isPresent()) {
            out.write(content.get());
            return;
        }
        try (InputStream stream = message.openContent()) {
            LineEnds.crlfToLf(stream, out);
        }
    }

    /** The fields a copy starts with: Return-Path, its Delivered-To, the lists' Delivered-To. */
    private static byte[] prepended(QueuedMessage message, Mailbox recipient, List<String> lists) {
        return ("Return-Path: "
                        + message.envelope().reversePath()
                        + "\n"
                        + "Delivered-To: "
                        + recipient.address()
                        + "\n"
                        + DeliveredTo.fields(lists, "\n"))
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The message's content with Unix line ends, converted once for all its copies; empty when it
     * is larger than {@link #CONVERTED_LIMIT} and each copy streams it. The array is shared: never
     * written to.
     */
    private Optional<byte[]> converted(QueuedMessage message) throws IOException {
        if (message.contentLength() > CONVERTED_LIMIT) {
            return Optional.empty();
        }
        Converted known = converted;
        if (known == null || !known.queueId().equals(message.queueId())) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) message.contentLength());
            try (InputStream content = message.openContent()) {
                LineEnds.crlfToLf(content, buffer);
            }
            known = new Converted(message.queueId(), buffer.toByteArray());
            converted = known;
        }
        return Optional.of(known.content());
    }

    /**
     * maildir(5): link() into new/ never overwrites; where links are not supported, rename. Then
     * new/ is forced, so that the name survives a crash.
     */
    private void publish(Path maildir, Path tmp, Path target) throws IOException {
        linkMaking(maildir, tmp, target);
        AtomicFile.forceDirectory(target.getParent());
    }

    /** {@link #link}, making the Maildir's folders again if {@code new/} has gone meanwhile. */
    private void linkMaking(Path maildir, Path tmp, Path target) throws IOException {
        try {
            link(tmp, target);
        } catch (NoSuchFileException e) {
            create(maildir);
            link(tmp, target);
        }
    }

    /** maildir(5): link() into new/, never overwriting; rename where links are not supported. */
    private static void link(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        // unlink(2) alone: Files.delete would stat the name first. A tmp name that stays is
        // harmless, as readers look only in new/ and cur/.
        boolean unused = tmp.toFile().delete();
    }
}
