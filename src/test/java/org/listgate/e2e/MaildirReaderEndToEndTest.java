package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * A mail reader that is not listgate's user reads listgate's Maildirs through {@code
 * maildir.group}: Dovecot's {@code doveadm fetch}, and {@code cat}, run as Debian's user {@code
 * mail} (uid 8, group {@code mail}) with no other group, by {@code setpriv}. listgate runs as root
 * here, as the tests do. Dovecot needs group write ({@code 0660}: folders {@code 0770}) for its
 * index and {@code dovecot-uidlist} in the Maildir; {@code 0640} lets a plain reader read; {@code
 * 0600} keeps both out.
 *
 * <p>Skipped when not root (only root can become another user) or without {@code setpriv}; the
 * Dovecot part is skipped without {@code doveadm} (dovecot-core, which {@code .ci/run} installs).
 */
class MaildirReaderEndToEndTest extends GatewayTestBase {

    private static final String READER = "mail";
    private static final String ALICE = "alice@example.test";
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path DOVEADM = Path.of("/usr/bin/doveadm");

    /** What a command printed (both streams) and how it ended. */
    private record Run(int exit, String output) {}

    @BeforeEach
    void asRootWithSetpriv() throws IOException {
        assumeTrue(((Integer) Files.getAttribute(dir, "unix:uid")) == 0, "not running as root");
        assumeTrue(Files.isExecutable(SETPRIV), "setpriv (util-linux) is not installed");
        // JUnit makes the folder 0700; the reader must be able to pass through it.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    private static boolean doveadmInstalled() {
        boolean installed = Files.isExecutable(DOVEADM);
        if (System.getenv("CI") != null) {
            assertThat(installed).as("dovecot-core must be installed by .ci/run").isTrue();
        }
        return installed;
    }

    /** Starts listgate with {@code mode} and {@code group}, sends alice one message. */
    private Path deliver(String mode, String group) throws Exception {
        site =
                new TestSite(dir)
                        .users(List.of(ALICE))
                        .property("maildir.mode", mode)
                        .property("maildir.group", group)
                        .start();
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("HELO client.example.test");
            client.command("MAIL FROM:<bob@example.test>");
            assertThat(client.command("RCPT TO:<" + ALICE + ">")).startsWith("250");
            assertThat(client.data("Subject: for the reader\r\n\r\nread me\r\n"))
                    .startsWith("250 2.0.0");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> site.delivered(ALICE).size() == 1);
        return site.delivered(ALICE).get(0);
    }

    /** {@code command}, run as the user and group {@code mail} and no other group. */
    private Run asReader(String... command) throws Exception {
        List<String> line =
                new ArrayList<>(
                        List.of(
                                SETPRIV.toString(),
                                "--reuid=" + READER,
                                "--regid=" + READER,
                                "--clear-groups",
                                "--"));
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        builder.environment().put("USER", READER);
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    /**
     * {@code doveadm fetch} of every message's subject and body, as the reader, from alice's
     * Maildir (no userdb lookup: the user is the reader itself, as with {@code USER} set and no
     * {@code -u}).
     */
    private Run doveadmFetch() throws Exception {
        Path config = dir.resolve("dovecot.conf");
        Files.writeString(
                config,
                "base_dir = " + dir.resolve("dovecot-run") + "\nlog_path = /dev/stderr\nssl = no\n",
                StandardCharsets.UTF_8);
        return asReader(
                DOVEADM.toString(),
                "-c",
                config.toString(),
                "-o",
                "mail_location=maildir:" + site.maildir(ALICE),
                "fetch",
                "hdr.subject body",
                "all");
    }

    private static String group(Path path) throws IOException {
        return Files.readAttributes(path, PosixFileAttributes.class).group().getName();
    }

    @Test
    void dovecotReadsAMessageDeliveredWithMode0660ToTheGroupMail() throws Exception {
        Path message = deliver("0660", READER);

        assertThat(group(message)).isEqualTo(READER);
        assertThat(asReader("cat", message.toString()).output()).contains("read me");
        assumeTrue(doveadmInstalled(), "doveadm (dovecot-core) is not installed");
        Run fetched = doveadmFetch();
        assertThat(fetched.exit()).as(fetched.output()).isZero();
        assertThat(fetched.output())
                .contains("hdr.subject: for the reader", "read me")
                .doesNotContain("Error");
    }

    @Test
    void withMode0640TheGroupReadsTheFileButDovecotCannotKeepItsIndexThere() throws Exception {
        Path message = deliver("0640", READER);

        Run cat = asReader("cat", message.toString());
        assertThat(cat.exit()).as(cat.output()).isZero();
        assertThat(cat.output()).contains("Delivered-To: " + ALICE, "read me");
        assumeTrue(doveadmInstalled(), "doveadm (dovecot-core) is not installed");
        assertThat(doveadmFetch().output())
                .contains("Permission denied", "missing +w perm")
                .doesNotContain("read me");
    }

    @Test
    void withMode0600OnlyListgateReadsIt() throws Exception {
        Path message = deliver("0600", READER);

        Run cat = asReader("cat", message.toString());
        assertThat(cat.exit()).isNotZero();
        assertThat(cat.output()).contains("Permission denied").doesNotContain("read me");
        assumeTrue(doveadmInstalled(), "doveadm (dovecot-core) is not installed");
        assertThat(doveadmFetch().output()).contains("Permission denied").doesNotContain("read me");
    }

    @Test
    void theFoldersListgateMadeLetTheGroupThroughWithTheMatchingMode() throws Exception {
        deliver("0640", READER);

        Path maildir = site.maildir(ALICE);
        for (Path folder :
                List.of(
                        dir.resolve("mail"),
                        maildir.getParent(),
                        maildir,
                        maildir.resolve("new"),
                        maildir.resolve("cur"),
                        maildir.resolve("tmp"))) {
            assertThat(group(folder)).as(folder.toString()).isEqualTo(READER);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                    .as(folder.toString())
                    .isEqualTo("rwxr-x---");
        }
        assertThat(asReader("ls", maildir.resolve("new").toString()).output())
                .contains(site.delivered(ALICE).get(0).getFileName().toString());
    }
}
