package org.listgate.delivery;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.listgate.config.Config;

/**
 * Who may read what the Maildir agent writes ({@code maildir.mode}, {@code maildir.group}): the
 * mode and group of each message file, and of each folder the agent creates. A file is created with
 * its mode, so it is never more open than asked; the umask may have narrowed it, so once written it
 * gets its group and its exact mode, before it is forced and linked into {@code new/}. A folder
 * gets the same when the agent makes it; one that was there already is left as it is.
 *
 * <p>Neither set: files and folders are as the umask and the process's group make them, with no
 * extra system call. The group was looked up once, when the configuration was read; each delivery
 * costs one chown(2) and one chmod(2) more, against two fsyncs.
 *
 * <p>DIAGNOSTICS: a group the process is not a member of (nor root) cannot be given: chown(2) fails
 * with EPERM, an {@code IOException} that defers the recipient ("Operation not permitted"). So does
 * a seccomp filter that denies chown(2), as the systemd unit's {@code ~@privileged} does unless a
 * drop-in allows {@code @chown} (README, "Dovecot reading listgate's Maildirs").
 */
final class MaildirAccess {

    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

    private final Optional<Set<PosixFilePermission>> fileMode;
    private final Optional<Set<PosixFilePermission>> folderMode;
    private final Optional<GroupPrincipal> group;
    private final FileAttribute<?>[] fileCreation;
    private final FileAttribute<?>[] folderCreation;

    MaildirAccess(Config.Maildir maildir) {
        this.fileMode = maildir.mode();
        this.folderMode = maildir.folderMode();
        this.group = maildir.group();
        this.fileCreation = creation(fileMode);
        this.folderCreation = creation(folderMode);
    }

    /** As the umask and the process's group make them. */
    static MaildirAccess asCreated() {
        return new MaildirAccess(new Config.Maildir(Path.of("")));
    }

    /** What a message file is created with: its mode, if one is set. */
    FileAttribute<?>[] fileCreation() {
        return fileCreation.clone();
    }

    /** Gives a written message file its group and exact mode (an {@code AtomicFile.Finish}). */
    void finishFile(Path file) throws IOException {
        settle(file, fileMode);
    }

    /**
     * Makes {@code folder} if it is absent, with the folder mode and the group; a folder that is
     * there already (made by someone else, or by another delivery a moment ago) is left as it is.
     * Its parent must exist. A folder made here that could not be given its group or mode is
     * removed again, so that the next attempt makes it anew rather than finds it and leaves it with
     * the wrong access.
     */
    void createFolder(Path folder) throws IOException {
        try {
            Files.createDirectory(folder, folderCreation);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(folder)) {
                throw e;
            }
            return;
        }
        try {
            settle(folder, folderMode);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(folder);
            } catch (IOException notEmpty) {
                e.addSuppressed(notEmpty);
            }
            throw e;
        }
    }

    private void settle(Path path, Optional<Set<PosixFilePermission>> mode) throws IOException {
        if (group.isEmpty() && mode.isEmpty()) {
            return;
        }
        PosixFileAttributeView view =
                Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) {
            throw new IOException(path + ": no POSIX permissions on this file system");
        }
        if (group.isPresent()) {
            view.setGroup(group.get());
        }
        if (mode.isPresent()) {
            view.setPermissions(mode.get());
        }
    }

    private static FileAttribute<?>[] creation(Optional<Set<PosixFilePermission>> mode) {
        return mode.isEmpty()
                ? NONE
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode.get())};
    }
}
