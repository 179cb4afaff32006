package org.listgate.replay;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Counts the replay's copies in listgate's Maildirs, {@code <root>/<domain>/<local
 * part>/{new,cur}}: a file is a copy of send N when its Message-ID is send N's. Each file is read
 * once (its header block only); files that are not messages are passed over.
 */
final class MaildirScan {

    private final Path root;
    private final Set<Path> read = new HashSet<>();

    MaildirScan(Path root) {
        this.root = root;
    }

    /** Adds to {@code evidence} the copies that arrived since the last scan. */
    void scan(Map<String, Integer> sendByMessageId, Evidence evidence) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> domains = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path domain : domains) {
                try (DirectoryStream<Path> mailboxes =
                        Files.newDirectoryStream(domain, Files::isDirectory)) {
                    for (Path mailbox : mailboxes) {
                        String address = mailbox.getFileName() + "@" + domain.getFileName();
                        scan(mailbox.resolve("new"), address, sendByMessageId, evidence);
                        scan(mailbox.resolve("cur"), address, sendByMessageId, evidence);
                    }
                }
            }
        }
    }

    private void scan(
            Path dir, String address, Map<String, Integer> sendByMessageId, Evidence evidence)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (read.add(file)) {
                    Integer send = sendByMessageId.get(messageId(file));
                    if (send != null) {
                        evidence.copy(send, address);
                    }
                }
            }
        }
    }

    private static String messageId(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 4096)) {
            String[] ids = new InternetHeaders(in).getHeader("Message-ID");
            return ids == null ? "" : ids[0].strip();
        } catch (IOException | MessagingException e) {
            return ""; // moved by a mail reader, or not a message: not a copy
        }
    }
}
