package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.events.LoggedEvent;
import org.listgate.testing.ServerProcess;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * What a new administrator meets, tried on a real process: the sample configuration started from
 * {@code /} as systemd starts it, a missing directory file, a start that fails, and the event log
 * moved aside by logrotate and reopened on SIGHUP.
 */
class AdministratorProcessTest {

    @TempDir Path dir;

    @Test
    void theSampleConfigurationStartedFromTheRootFolderFindsItsDirectoryAndDelivers()
            throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        for (String name : List.of("listgate.properties", "users", "lists", "logback.xml")) {
            Files.copy(Path.of("config", name), etc.resolve(name));
        }
        // The sample as shipped, bound to loopback for the test (a later line wins).
        Files.writeString(
                etc.resolve("listgate.properties"),
                "\nsmtp.bind = 127.0.0.1\n",
                java.nio.file.StandardOpenOption.APPEND);

        Started server = start(Path.of("/"), etc.resolve("listgate.properties"), 0);
        try {
            List<LoggedEvent> loaded = server.events(1002);
            assertThat(loaded).hasSize(1);
            assertThat(((Number) loaded.get(0).fields().get("users")).intValue()).isEqualTo(1004);
            assertThat(((Number) loaded.get(0).fields().get("lists")).intValue()).isEqualTo(5);
            assertThat(loaded.get(0).fields())
                    .containsEntry("usersFile", etc.resolve("users").toString());
            try (SmtpClient client = new SmtpClient(server.port())) {
                client.command("HELO pegasus.example.test");
                client.command("MAIL FROM:<alice@example.test>");
                assertThat(client.command("RCPT TO:<staff@example.test>")).startsWith("250");
                client.command("DATA");
                client.write("Subject: from /\r\n\r\nhello\r\n");
                assertThat(client.command(".")).startsWith("250 2.0.0 queued as ");
            }
            // ../data from etc/: data/ beside it, not under the working directory /.
            Path mail = dir.resolve("data/mail/example.test");
            await().atMost(Duration.ofSeconds(60)).until(() -> !server.events(2004).isEmpty());
            assertThat(Files.list(mail.resolve("u1/new")).count()).isEqualTo(1);
            assertThat(Files.exists(Path.of("/data/mail"))).isFalse();
            // The 100 invalid members are reported to owner-staff, which is alice.
            assertThat(server.events(2006).get(0).fields())
                    .containsEntry("to", "owner-staff@example.test");
            await().atMost(Duration.ofSeconds(30)).until(() -> server.events(2004).size() == 2);
            assertThat(Files.list(mail.resolve("alice/new")).count()).isEqualTo(1);
        } finally {
            server.terminate();
        }
    }

    @Test
    void aMissingListsFileStopsStartUpWithOneLineNamingKeyAndPath() throws Exception {
        TestSite site = new TestSite(dir).users(List.of("alice@example.test"));
        Path config = site.write();
        Files.delete(dir.resolve("lists"));

        Process process = command(dir, "serve", "--config", config.toString()).start();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output(process))
                .isEqualTo(
                        "listgate: "
                                + config
                                + ": directory.lists: "
                                + dir.resolve("lists")
                                + ": no such file\n");
    }

    @Test
    void aStartThatFailsSaysWhyInOneSentenceAndDoesNotClaimACleanShutDown() throws Exception {
        TestSite site = new TestSite(dir).users(List.of("alice@example.test"));
        try (ServerSocket taken =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path config = site.write();
            Process process =
                    command(
                                    dir,
                                    "serve",
                                    "--config",
                                    config.toString(),
                                    "--port",
                                    Integer.toString(taken.getLocalPort()))
                            .start();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = output(process);
            assertThat(process.exitValue()).as(output).isEqualTo(1);
            assertThat(output)
                    .contains("listgate: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("Event ID: 1004")
                    .doesNotContain("shut down successfully")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
        assertThat(site.events(1001)).isEmpty();
        assertThat(site.events(1004)).hasSize(1);
        assertThat(site.events(1004).get(0).fields().get("reason").toString())
                .startsWith("cannot listen on 127.0.0.1:");
    }

    @Test
    void anUnusableSpoolOrEventsFolderIsOnePlainSentence() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        TestSite site = new TestSite(dir).users(List.of("alice@example.test"));
        site.property("spool.dir", file.resolve("spool").toString());
        Process spool = command(dir, "serve", "--config", site.write().toString()).start();
        assertThat(spool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(spool.exitValue()).isEqualTo(1);
        assertThat(output(spool))
                .contains(
                        "listgate: spool.dir "
                                + file.resolve("spool")
                                + " cannot be used: "
                                + file.resolve("spool")
                                + ": not a directory\n")
                .doesNotContain("java.");

        site.property("spool.dir", dir.resolve("spool").toString())
                .property("events.file", file.resolve("events.jsonl").toString());
        Process events = command(dir, "serve", "--config", site.write().toString()).start();
        assertThat(events.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(events.exitValue()).isEqualTo(1);
        assertThat(output(events))
                .isEqualTo(
                        "listgate: events.file "
                                + file.resolve("events.jsonl")
                                + " cannot be used: "
                                + file
                                + ": already exists, and is not a folder\n");
    }

    @Test
    void sighupAfterTheLogIsMovedAsideWritesTheNextEventsToANewFile() throws Exception {
        TestSite site = new TestSite(dir).users(List.of("alice@example.test", "bob@example.test"));
        Path log = dir.resolve("events.jsonl");
        Path rotated = dir.resolve("events.jsonl.1");
        try (ServerProcess server = ServerProcess.start(site)) {
            send(server.port(), "before rotation");
            await().atMost(Duration.ofSeconds(30)).until(() -> site.events(2004).size() == 1);

            // What logrotate does without copytruncate: rename, create a new empty file, HUP.
            Files.move(log, rotated);
            Files.createFile(log);
            hup(server.process().pid());
            await().atMost(Duration.ofSeconds(10)).until(() -> !site.events(1002).isEmpty());

            send(server.port(), "after rotation");
            await().atMost(Duration.ofSeconds(30)).until(() -> site.events(2004).size() == 1);
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }
        List<LoggedEvent> old = TestSite.readEvents(rotated);
        List<LoggedEvent> fresh = TestSite.readEvents(log);
        assertThat(ids(old)).contains(1000, 2001, 2004).doesNotContain(1001);
        assertThat(ids(fresh)).contains(1002, 2001, 2003, 2004, 1001).doesNotContain(1000);
        assertThat(ids(old).stream().filter(id -> id == 2001)).hasSize(1);
        assertThat(ids(fresh).stream().filter(id -> id == 2001)).hasSize(1);
    }

    private static List<Integer> ids(List<LoggedEvent> events) {
        return events.stream().map(LoggedEvent::id).toList();
    }

    private static void send(int port, String subject) throws IOException {
        try (SmtpClient client = new SmtpClient(port)) {
            client.command("EHLO admin.example.test");
            client.command("MAIL FROM:<alice@example.test>");
            assertThat(client.command("RCPT TO:<bob@example.test>")).startsWith("250");
            client.command("DATA");
            client.write("Subject: " + subject + "\r\n\r\nhello\r\n");
            assertThat(client.command(".")).startsWith("250 2.0.0 queued as ");
        }
    }

    private static void hup(long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).start();
        assertThat(kill.waitFor()).isZero();
    }

    /** {@code listgate ARGS} in a JVM of its own, started in {@code workingDirectory}. */
    private static ProcessBuilder command(Path workingDirectory, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.listgate.cli.Main");
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true);
    }

    private static String output(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private Started start(Path workingDirectory, Path config, int port) throws Exception {
        Path out = dir.resolve("server.out");
        Process process =
                command(
                                workingDirectory,
                                "serve",
                                "--config",
                                config.toString(),
                                "--port",
                                "" + port)
                        .redirectOutput(out.toFile())
                        .start();
        Path events = dir.resolve("data/events.jsonl");
        Started started = new Started(process, events, out);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !process.isAlive() || !started.events(1000).isEmpty());
        assertThat(process.isAlive()).as(started::output).isTrue();
        return started;
    }

    /** A server process and the event log it writes. */
    private record Started(Process process, Path eventsFile, Path out) {
        List<LoggedEvent> events(int id) {
            return TestSite.readEvents(eventsFile).stream().filter(e -> e.id() == id).toList();
        }

        int port() {
            return ((Number) events(1000).get(0).fields().get("port")).intValue();
        }

        String output() {
            try {
                return Files.readString(out);
            } catch (IOException e) {
                return "(no output)";
            }
        }

        void terminate() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
