package org.listgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Debian's Dovecot (dovecot-lmtpd, dovecot-imapd), started by a test in the foreground on free
 * loopback ports with a configuration of its own under {@code dir}: LMTP on TCP and on a UNIX
 * socket, IMAP without TLS, the given users (password {@code secret}) with Maildirs under {@code
 * dir/mail/<domain>/<name>}, owned by the system user {@code mail} (Dovecot refuses uid 0). Needs
 * root, as CI runs; skipped otherwise, and when Dovecot is not installed (outside CI).
 *
 * <pre>
 * try (Dovecot dovecot = Dovecot.start(dir, List.of("alice@example.test"))) {
 *     ... lmtp://127.0.0.1:dovecot.lmtpPort() ...
 *     dovecot.messages("alice@example.test")   // read back over IMAP
 * }
 * </pre>
 */
public final class Dovecot implements AutoCloseable {

    private static final Path DOVECOT = Path.of("/usr/sbin/dovecot");
    private static final Path LMTP = Path.of("/usr/lib/dovecot/lmtp");
    private static final Path IMAP = Path.of("/usr/lib/dovecot/imap");

    private final Path dir;
    private final int lmtpPort;
    private final int imapPort;
    private Process process;

    private Dovecot(Path dir, int lmtpPort, int imapPort) {
        this.dir = dir;
        this.lmtpPort = lmtpPort;
        this.imapPort = imapPort;
    }

    /** Skips the test unless Dovecot's LMTP and IMAP can be run here (CI must have them). */
    public static void assumeAvailable(Path dir) throws IOException {
        boolean installed =
                Files.isExecutable(DOVECOT) && Files.isExecutable(LMTP) && Files.isExecutable(IMAP);
        if (System.getenv("CI") != null) {
            assertThat(installed)
                    .as(
                            "dovecot-core, dovecot-lmtpd and dovecot-imapd must be installed by .ci/run")
                    .isTrue();
        }
        assumeTrue(installed, "Dovecot LMTP/IMAP is not installed");
        assumeTrue(
                ((Integer) Files.getAttribute(dir, "unix:uid")) == 0,
                "Dovecot delivers as the user mail: the test must run as root");
    }

    /** Starts Dovecot for {@code users}; returns once LMTP and IMAP accept connections. */
    public static Dovecot start(Path dir, List<String> users) throws Exception {
        Files.createDirectories(dir);
        assumeAvailable(dir);
        Dovecot dovecot = new Dovecot(dir, Loopback.freePort(), Loopback.freePort());
        dovecot.write(users);
        dovecot.run();
        return dovecot;
    }

    public int lmtpPort() {
        return lmtpPort;
    }

    /** The UNIX-domain LMTP socket. */
    public Path lmtpSocket() {
        return dir.resolve("run/lmtp-test");
    }

    public Path log() {
        return dir.resolve("dovecot.log");
    }

    /** The log so far, for an assertion's description. */
    public String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log()) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private void write(List<String> users) throws IOException {
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(dir.resolve("mail"));
        Files.createDirectories(dir.resolve("home"));
        // JUnit makes its folders 0700: the user mail must get through to its Maildirs.
        for (Path folder = dir;
                folder != null && folder.startsWith("/tmp");
                folder = folder.getParent()) {
            if (!folder.toString().equals("/tmp")) {
                Files.setPosixFilePermissions(
                        folder,
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            }
        }
        chownToMail(dir.resolve("mail"));
        chownToMail(dir.resolve("home"));
        List<String> lines = new ArrayList<>();
        for (String user : users) {
            lines.add(user + ":{PLAIN}secret::::::");
        }
        Files.write(dir.resolve("users"), lines);
        String config =
                String.join(
                        "\n",
                        "base_dir = " + dir.resolve("run"),
                        "state_dir = " + dir.resolve("state"),
                        "log_path = " + log(),
                        "instance_name = listgate-test-" + lmtpPort,
                        "protocols = lmtp imap",
                        "listen = 127.0.0.1",
                        "ssl = no",
                        "disable_plaintext_auth = no",
                        "auth_mechanisms = plain",
                        "mail_location = maildir:" + dir.resolve("mail") + "/%d/%n",
                        "mail_uid = mail",
                        "mail_gid = mail",
                        "first_valid_uid = 1",
                        "first_valid_gid = 1",
                        "passdb {",
                        "  driver = passwd-file",
                        "  args = scheme=PLAIN username_format=%u " + dir.resolve("users"),
                        "}",
                        "userdb {",
                        "  driver = passwd-file",
                        "  args = username_format=%u " + dir.resolve("users"),
                        "  default_fields = uid=mail gid=mail home="
                                + dir.resolve("home")
                                + "/%d/%n",
                        "}",
                        "service lmtp {",
                        "  inet_listener lmtp {",
                        "    address = 127.0.0.1",
                        "    port = " + lmtpPort,
                        "  }",
                        "  unix_listener lmtp-test {",
                        "    mode = 0666",
                        "  }",
                        "}",
                        "service imap-login {",
                        "  inet_listener imap {",
                        "    address = 127.0.0.1",
                        "    port = " + imapPort,
                        "  }",
                        "  inet_listener imaps {",
                        "    port = 0",
                        "  }",
                        "}",
                        "");
        Files.writeString(dir.resolve("dovecot.conf"), config);
    }

    private static void chownToMail(Path path) throws IOException {
        java.nio.file.attribute.UserPrincipalLookupService lookup =
                path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, lookup.lookupPrincipalByName("mail"));
        Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(lookup.lookupPrincipalByGroupName("mail"));
    }

    private void run() throws Exception {
        process =
                new ProcessBuilder(
                                DOVECOT.toString(),
                                "-F",
                                "-c",
                                dir.resolve("dovecot.conf").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("dovecot.out").toFile())
                        .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(Loopback.accepts(lmtpPort)
                && Loopback.accepts(imapPort)
                && Files.exists(lmtpSocket()))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "Dovecot did not start: "
                                + Files.readString(dir.resolve("dovecot.out"))
                                + (Files.exists(log()) ? Files.readString(log()) : ""));
            }
            Thread.sleep(50);
        }
    }

    /** Starts it again after {@link #stop}, on the same ports and with the same mail. */
    public void restart() throws Exception {
        stop();
        run();
    }

    /** Stops it (SIGTERM, then SIGKILL), its children too; {@link #close} does the same. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Subjects and raw text of the messages in {@code user}'s INBOX, read over IMAP. */
    public List<String> messages(String user) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.imap.host", "127.0.0.1");
        properties.put("mail.imap.port", String.valueOf(imapPort));
        properties.put("mail.imap.connectiontimeout", "10000");
        properties.put("mail.imap.timeout", "10000");
        Store store = Session.getInstance(properties).getStore("imap");
        store.connect(user, "secret");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<String> texts = new ArrayList<>();
            for (Message message : inbox.getMessages()) {
                java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
                message.writeTo(raw);
                texts.add(raw.toString(StandardCharsets.UTF_8));
            }
            inbox.close(false);
            return texts;
        } finally {
            store.close();
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
