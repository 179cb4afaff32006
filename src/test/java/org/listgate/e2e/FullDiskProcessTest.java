package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.events.EventLog;
import org.listgate.spool.Spool;
import org.listgate.testing.ServerProcess;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * A spool on a disk that really fills up: listgate as a separate process with its spool on a tmpfs
 * of 512 KiB (in a mount namespace of its own), the Maildirs and the event log on the normal disk.
 * Deliveries are held back (a file stands where bob's Maildir folder should be, so every attempt is
 * deferred) so that accepted mail stays in the spool and fills it; then they are let through and
 * the queue drains. Skipped where unshare or mount is not allowed.
 */
class FullDiskProcessTest {

    private static final String CANNOT_STORE = "452 4.3.1 Error: insufficient system storage";
    private static final String BOB = "bob@example.test";
    private static final int MESSAGE_BYTES = 20 * 1024;

    @TempDir Path dir;

    private TestSite site;
    private Path obstacle;

    @BeforeEach
    void needsATmpfs() throws IOException {
        Optional<String> why = ServerProcess.tmpfsUnavailable(dir);
        assumeTrue(
                why.isEmpty(),
                () ->
                        "skipped: cannot mount a tmpfs for the spool in a private mount namespace"
                                + " (unshare -rm sh -c 'mount -t tmpfs ...'): "
                                + why.orElse(""));
        site =
                new TestSite(dir)
                        .users(List.of("alice@example.test", BOB))
                        .property("queue.retry.initial", "200ms")
                        .property("queue.retry.max", "500ms");
        obstacle = site.maildir(BOB);
        Files.createDirectories(obstacle.getParent());
        Files.writeString(obstacle, "not a folder: deliveries to bob are deferred until this goes");
    }

    @Test
    void aFullSpoolDiskAnswers452AndEveryMessageThatGot250IsDelivered() throws Exception {
        try (ServerProcess server = ServerProcess.startWithSpoolOnTmpfs(site, 512)) {
            Path spool = server.asSeenByServer(dir.resolve("spool"));
            Map<String, String> accepted = new LinkedHashMap<>(); // queue id → Message-ID
            int refused;
            int acceptedBeforeFull;
            try (SmtpClient client = new SmtpClient(server.port())) {
                client.command("EHLO c");
                refused = sendUntilRefused(client, MESSAGE_BYTES, accepted);
                acceptedBeforeFull = accepted.size();
                // What is left may hold a small message but not its journal too: that one got its
                // 250 and must be delivered all the same.
                refused += sendUntilRefused(client, 1024, accepted);
            }

            // Full: the spool holds exactly what got a 250, each queue file whole, nothing in tmp/.
            assertThat(accepted).hasSizeGreaterThan(5);
            assertThat(names(spool.resolve("tmp"))).isEmpty();
            assertThat(names(spool.resolve("queue")))
                    .containsExactlyInAnyOrderElementsOf(accepted.keySet());
            assertEachQueueFileIsWhole(spool, accepted);
            assertThat(site.events(3005))
                    .hasSize(refused)
                    .allSatisfy(
                            event ->
                                    assertThat(event.fields())
                                            .containsEntry("status", "4.3.1")
                                            .hasEntrySatisfying(
                                                    "reason",
                                                    reason ->
                                                            assertThat((String) reason)
                                                                    .contains(
                                                                            "no space left on device")));
            try (SmtpClient another = new SmtpClient(server.port())) {
                assertThat(another.greeting()).startsWith("220 ");
                assertThat(another.command("NOOP")).startsWith("250");
            }

            Files.delete(obstacle);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> delivered().containsAll(accepted.values()));
            assertThat(delivered())
                    .as("each message delivered once")
                    .containsExactlyInAnyOrderElementsOf(accepted.values());
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    names(spool.resolve("queue")).isEmpty()
                                            && names(spool.resolve("state")).isEmpty());

            // The space is back.
            try (SmtpClient client = new SmtpClient(server.port())) {
                client.command("EHLO c");
                client.command("MAIL FROM:<alice@example.test>");
                client.command("RCPT TO:<" + BOB + ">");
                assertThat(client.data(FullSpoolTest.message("<after@full.test>", MESSAGE_BYTES)))
                        .startsWith("250 2.0.0 queued as ");
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> delivered().contains("<after@full.test>"));
            assertThat(site.events(9001)).isEmpty();
            System.out.printf(
                    "FullDiskProcessTest: 512 KiB spool, %d-byte messages: %d accepted before the"
                            + " first 452, %d small ones after it, %d refused with 452 4.3.1, %d journals written late"
                            + " (3009), %d lost%n",
                    MESSAGE_BYTES,
                    acceptedBeforeFull,
                    accepted.size() - acceptedBeforeFull,
                    refused,
                    site.events(3009).size(),
                    accepted.size()
                            - delivered().stream()
                                    .filter(accepted::containsValue)
                                    .distinct()
                                    .count());
            assertThat(server.terminate(Duration.ofSeconds(30))).as(server.output()).isZero();
        }
    }

    @Test
    void minFreeBytesRefusesMailFromWith452BeforeTheDiskIsFull() throws Exception {
        site.property("spool.minFreeBytes", Integer.toString(256 * 1024));
        try (ServerProcess server = ServerProcess.startWithSpoolOnTmpfs(site, 512)) {
            Path spool = server.asSeenByServer(dir.resolve("spool"));
            List<String> accepted = new ArrayList<>();
            int refusedAtMail = 0;
            try (SmtpClient client = new SmtpClient(server.port())) {
                client.command("EHLO c");
                for (int n = 1; refusedAtMail < 4; n++) {
                    assertThat(n)
                            .as("messages sent without reaching spool.minFreeBytes")
                            .isLessThan(100);
                    String mail = client.command("MAIL FROM:<alice@example.test>");
                    if (mail.equals(CANNOT_STORE)) {
                        refusedAtMail++;
                        assertThat(client.command("NOOP")).startsWith("250");
                        continue;
                    }
                    assertThat(refusedAtMail)
                            .as("MAIL accepted after a 452, while nothing left the spool")
                            .isZero();
                    assertThat(mail).startsWith("250 ");
                    assertThat(client.command("RCPT TO:<" + BOB + ">")).startsWith("250 ");
                    String messageId = "<m" + n + "@min.test>";
                    assertThat(client.data(FullSpoolTest.message(messageId, MESSAGE_BYTES)))
                            .startsWith("250 2.0.0 queued as ");
                    accepted.add(messageId);
                }
            }

            assertThat(accepted).hasSizeGreaterThan(3);
            assertThat(site.events(3008))
                    .singleElement()
                    .satisfies(
                            event ->
                                    assertThat(event.fields())
                                            .containsEntry("status", "4.3.1")
                                            .hasEntrySatisfying(
                                                    "minFreeBytes",
                                                    min ->
                                                            assertThat(((Number) min).longValue())
                                                                    .isEqualTo(256 * 1024))
                                            .hasEntrySatisfying(
                                                    "usableBytes",
                                                    usable ->
                                                            assertThat(
                                                                            ((Number) usable)
                                                                                    .longValue())
                                                                    .isLessThan(256 * 1024)));
            // Refused by the threshold, not by the disk: no write failed.
            assertThat(site.events(3005)).isEmpty();
            assertThat(names(spool.resolve("queue"))).hasSize(accepted.size());

            Files.delete(obstacle);
            await().atMost(Duration.ofSeconds(60)).until(() -> delivered().containsAll(accepted));
            assertThat(delivered()).containsExactlyInAnyOrderElementsOf(accepted);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> names(spool.resolve("queue")).isEmpty());
            try (SmtpClient client = new SmtpClient(server.port())) {
                client.command("EHLO c");
                assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250 ");
            }
            assertThat(site.events(9001)).isEmpty();
            System.out.printf(
                    "FullDiskProcessTest: 512 KiB spool, spool.minFreeBytes 256 KiB: %d accepted, then"
                            + " MAIL refused with 452 4.3.1, one 3008%n",
                    accepted.size());
            assertThat(server.terminate(Duration.ofSeconds(30))).as(server.output()).isZero();
        }
    }

    /**
     * Sends messages of {@code bytes} until five in a row are refused with 452 4.3.1 (each refusal
     * followed by a NOOP that must be answered); returns the refusals.
     */
    private static int sendUntilRefused(SmtpClient client, int bytes, Map<String, String> accepted)
            throws IOException {
        int refused = 0;
        for (int n = 1; refused < 5; n++) {
            assertThat(n).as("messages sent without the spool filling up").isLessThan(200);
            String messageId = "<" + bytes + "." + n + "@full.test>";
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250 ");
            assertThat(client.command("RCPT TO:<" + BOB + ">")).startsWith("250 ");
            String reply = client.data(FullSpoolTest.message(messageId, bytes));
            if (reply.startsWith("250 2.0.0 queued as ")) {
                assertThat(refused).as("a 250 after a 452, while nothing left the spool").isZero();
                accepted.put(queueId(reply), messageId);
            } else {
                assertThat(reply).isEqualTo(CANNOT_STORE);
                refused++;
                assertThat(client.command("NOOP")).startsWith("250");
            }
        }
        return refused;
    }

    private static String queueId(String reply) {
        return reply.substring(reply.lastIndexOf(' ') + 1);
    }

    /** Each queue file reads back (END record, envelope) with the content that was sent. */
    private static void assertEachQueueFileIsWhole(Path spool, Map<String, String> accepted)
            throws IOException {
        Spool view = new Spool(spool, new EventLog());
        for (Map.Entry<String, String> entry : accepted.entrySet()) {
            Spool.Stored stored =
                    view.find(entry.getKey())
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    entry.getKey() + " cannot be read back"));
            try (InputStream content = stored.message().openContent()) {
                assertThat(new String(content.readAllBytes(), StandardCharsets.US_ASCII))
                        .contains("Message-ID: " + entry.getValue())
                        .endsWith("0123456789\r\n");
            }
        }
    }

    /** The Message-IDs in bob's Maildir, one per delivered file. */
    private List<String> delivered() throws IOException {
        List<String> ids = new ArrayList<>();
        for (Path file : site.delivered(BOB)) {
            Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
                    .filter(line -> line.startsWith("Message-ID: "))
                    .findFirst()
                    .ifPresent(line -> ids.add(line.substring("Message-ID: ".length())));
        }
        return ids;
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
