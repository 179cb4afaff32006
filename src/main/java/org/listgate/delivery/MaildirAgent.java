package org.listgate.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.listgate.address.Mailbox;
import org.listgate.address.Status;
import org.listgate.events.Text;
import org.listgate.spool.AtomicFile;
import org.listgate.spool.QueuedMessage;

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
 * <p>An I/O error defers the recipient (a full disk passes); nothing it throws is caught here: the
 * recipient boundary around it turns an unexpected fault into {@code Failed 5.3.0}.
 */
final class MaildirAgent {

    private final Path root;
    private final MaildirAccess access;
    private final MaildirNames names;
    private final Set<Path> ready = ConcurrentHashMap.newKeySet();

    MaildirAgent(Path root, MaildirAccess access, MaildirNames names) {
        this.root = root;
        this.access = access;
        this.names = names;
    }

    /** A recipient named at RCPT. */
    Outcome deliver(QueuedMessage message, Mailbox recipient) {
        return deliver(message, recipient, List.of());
    }

    /** A recipient that came through {@code lists}, outermost first (none: named at RCPT). */
    Outcome deliver(QueuedMessage message, Mailbox recipient, List<String> lists) {
        Path maildir = root.resolve(recipient.domain()).resolve(recipient.localPart());
        // Count the names after normalizing: "." and ".." are one name each but not one folder
        // down ("<root>/<domain>/.." is the root itself).
        Path normalized = maildir.normalize();
        Path base = root.normalize();
        if (!normalized.startsWith(base) || normalized.getNameCount() != base.getNameCount() + 2) {
            return new Outcome.Failed(
                    recipient, Status.BAD_MAILBOX, "mailbox name is not a safe folder name");
        }
        String unique = names.next();
        Path tmp = maildir.resolve("tmp").resolve(unique);
        Path target = maildir.resolve("new").resolve(unique);
        try {
            prepare(maildir);
            AtomicFile.write(
                    tmp,
                    target,
                    out -> write(message, recipient, lists, out),
                    access::finishFile,
                    MaildirAgent::publish,
                    access.fileCreation());
            return Outcome.delivered(recipient, target);
        } catch (IOException e) {
            // The folders may have gone since they were made (a mailbox removed or moved):
            // make them again on the next attempt rather than defer this recipient for ever.
            // AtomicFile has removed the tmp file; one it could not remove is harmless, as
            // readers only look in new/ and cur/.
            ready.remove(maildir);
            return new Outcome.Deferred(
                    recipient,
                    Status.LOCAL_MAILBOX_ERROR_TRANSIENT,
                    "cannot write to the mailbox: " + Text.problem(e));
        }
    }

    private void prepare(Path maildir) throws IOException {
        if (ready.contains(maildir)) {
            return;
        }
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
        ready.add(maildir);
    }

    private static void write(
            QueuedMessage message, Mailbox recipient, List<String> lists, OutputStream out)
            throws IOException {
        String prepended =
                "Return-Path: "
                        + message.envelope().reversePath()
                        + "\n"
                        + "Delivered-To: "
                        + recipient.address()
                        + "\n"
                        + DeliveredTo.fields(lists, "\n");
        out.write(prepended.getBytes(StandardCharsets.US_ASCII));
        try (InputStream content = message.openContent()) {
            LineEnds.crlfToLf(content, out);
        }
    }

    /**
     * maildir(5): link() into new/ never overwrites; where links are not supported, rename. Then
     * new/ is forced, so that the name survives a crash.
     */
    private static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            Files.delete(tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
        AtomicFile.forceDirectory(target.getParent());
    }
}
