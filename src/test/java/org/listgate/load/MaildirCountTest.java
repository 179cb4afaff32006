package org.listgate.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirCountTest {

    @TempDir Path root;

    private Path maildir(String domain, String mailbox) throws IOException {
        Path box = root.resolve(domain).resolve(mailbox);
        for (String folder : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(box.resolve(folder));
        }
        return box;
    }

    private static void deliver(Path maildir, String folder, String name) throws IOException {
        Files.writeString(maildir.resolve("tmp").resolve(name), "x");
        Files.move(maildir.resolve("tmp").resolve(name), maildir.resolve(folder).resolve(name));
    }

    @Test
    void countsTheFilesOfEveryNewAndCurButNotTmp() throws IOException {
        Path a = maildir("example.test", "a");
        Path b = maildir("other.test", "b");
        deliver(a, "new", "1");
        deliver(a, "cur", "2");
        deliver(b, "new", "3");
        Files.writeString(a.resolve("tmp").resolve("4"), "being written");

        assertThat(new MaildirCount(root).full().files()).isEqualTo(3);
    }

    @Test
    void aQuickCountSeesNewFilesAndMaildirsMadeSince() throws IOException {
        Path a = maildir("example.test", "a");
        MaildirCount count = new MaildirCount(root);
        assertThat(count.full().files()).isZero();

        deliver(a, "new", "1");
        assertThat(count.quick()).isEqualTo(1);
        Path c = maildir("example.test", "c");
        deliver(c, "new", "2");
        deliver(maildir("third.test", "d"), "new", "3");
        assertThat(count.quick()).isEqualTo(3);
        deliver(a, "new", "4");
        assertThat(count.quick()).isEqualTo(4);
    }

    @Test
    void aNewFolderWhoseTimeDidNotMoveIsNotListedAgain() throws IOException {
        Path a = maildir("example.test", "a");
        deliver(a, "new", "1");
        // Long ago: well before the listing, so its time is to be trusted.
        FileTime past = FileTime.from(Instant.now().minusSeconds(60));
        Files.setLastModifiedTime(a.resolve("new"), past);
        MaildirCount count = new MaildirCount(root);
        assertThat(count.full().files()).isEqualTo(1);

        // A file slipped in with the folder's time put back: a quick count trusts the time...
        deliver(a, "new", "2");
        Files.setLastModifiedTime(a.resolve("new"), past);
        assertThat(count.quick()).isEqualTo(1);
        // ...a full count does not.
        assertThat(count.full().files()).isEqualTo(2);
    }

    @Test
    void theLastChangeIsTheLatestTimeOfANewOrCurFolder() throws IOException {
        Path a = maildir("example.test", "a");
        Path b = maildir("example.test", "b");
        Instant early = Instant.parse("2026-11-24T19:00:00Z");
        Instant late = Instant.parse("2026-11-24T19:00:03.250Z");
        Files.setLastModifiedTime(a.resolve("new"), FileTime.from(early));
        Files.setLastModifiedTime(a.resolve("cur"), FileTime.from(early));
        Files.setLastModifiedTime(b.resolve("new"), FileTime.from(late));
        Files.setLastModifiedTime(b.resolve("cur"), FileTime.from(early));

        assertThat(new MaildirCount(root).full().lastChange()).contains(late);
    }

    @Test
    void noRootYetIsNoFiles() {
        MaildirCount count = new MaildirCount(root.resolve("not-yet"));

        assertThat(count.full().files()).isZero();
        assertThat(count.quick()).isZero();
    }
}
