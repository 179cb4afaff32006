package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * A spool that cannot take more mail, in this JVM: a write that fails as on a full disk ({@code
 * fault.inject = spool:GLOB}), a file system below {@code spool.minFreeBytes}, and a journal that
 * cannot be written after the 250. The client is told 452 4.3.1 and may try again; nothing
 * half-written is queued, the session goes on, and no 250 is broken.
 */
class FullSpoolTest extends GatewayTestBase {

    private static final String CANNOT_STORE = "452 4.3.1 Error: insufficient system storage";

    private final List<String> extraUsers = new java.util.ArrayList<>();
    private String lists = "";

    private void startSite(String... properties) throws Exception {
        List<String> users = new java.util.ArrayList<>(extraUsers);
        users.addAll(List.of("alice@example.test", "bob@example.test", "full@example.test"));
        site = new TestSite(dir).users(users);
        if (!lists.isEmpty()) {
            site.lists(lists);
        }
        for (int i = 0; i < properties.length; i += 2) {
            site.property(properties[i], properties[i + 1]);
        }
        site.start();
    }

    /**
     * Small: the write fails when the commit flushes. Large (past the 64 KiB buffer): during DATA.
     */
    @ParameterizedTest(name = "{0} bytes of body")
    @ValueSource(ints = {100, 200_000})
    void aWriteThatFailsAsOnAFullDiskGets452AndTheSessionGoesOn(int bodyBytes) throws Exception {
        startSite("fault.inject", "spool:full@*");
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<bob@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<full@example.test>")).startsWith("250");

            assertThat(client.data(message("<lost@test>", bodyBytes))).isEqualTo(CANNOT_STORE);

            assertThat(files("tmp")).isEmpty();
            assertThat(files("queue")).isEmpty();
            assertThat(client.command("NOOP")).startsWith("250");
            // The failed transaction is over: a new one needs MAIL again, and is served.
            assertThat(client.command("RCPT TO:<bob@example.test>")).startsWith("503");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<bob@example.test>")).startsWith("250");
            assertThat(client.data(message("<kept@test>", bodyBytes)))
                    .startsWith("250 2.0.0 queued as ");
        }
        await().atMost(Duration.ofSeconds(10)).until(site::queueEmpty);
        assertThat(site.delivered("bob@example.test"))
                .singleElement()
                .satisfies(
                        file ->
                                assertThat(Files.readString(file))
                                        .contains("Message-ID: <kept@test>"));
        assertThat(site.delivered("full@example.test")).isEmpty();
        assertThat(site.events(3005))
                .singleElement()
                .satisfies(
                        refused ->
                                assertThat(refused.fields())
                                        .containsEntry("status", "4.3.1")
                                        .hasEntrySatisfying(
                                                "reason",
                                                reason ->
                                                        assertThat((String) reason)
                                                                .startsWith(
                                                                        "cannot write to the spool: no space left on device")));
        assertThat(site.events(2001)).hasSize(1);
        assertThat(site.events(9001)).isEmpty();
    }

    @Test
    void aSpoolBelowMinFreeBytesRefusesMailFromWith452AndWarnsOnce() throws Exception {
        // A petabyte: more than any disk this test runs on has free.
        startSite("spool.minFreeBytes", "1000000000000000");
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            for (int attempt = 0; attempt < 3; attempt++) {
                assertThat(client.command("MAIL FROM:<alice@example.test>"))
                        .isEqualTo(CANNOT_STORE);
                assertThat(client.command("RCPT TO:<bob@example.test>")).startsWith("503 5.5.1");
                assertThat(client.command("NOOP")).startsWith("250");
            }
        }
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("HELO c");
            assertThat(client.command("MAIL FROM:<alice@example.test> SIZE=1000"))
                    .isEqualTo(CANNOT_STORE);
        }

        assertThat(site.events(3008))
                .singleElement()
                .satisfies(
                        low ->
                                assertThat(low.fields())
                                        .containsEntry("minFreeBytes", 1000000000000000L)
                                        .containsEntry("status", "4.3.1"));
        assertThat(files("queue")).isEmpty();
        assertThat(files("tmp")).isEmpty();
        assertThat(site.events(2001)).isEmpty();
        assertThat(site.events(9001)).isEmpty();
    }

    @Test
    void aJournalThatCannotBeWrittenAfterThe250IsTriedAgainNotLeftForTheNextStart()
            throws Exception {
        // A list of more than 16 members: its journal is written at once, not kept in memory
        // through the first round as a small message's is.
        StringBuilder members = new StringBuilder("many: bob@example.test");
        for (int i = 1; i <= 20; i++) {
            members.append(", alice@example.test".replace("alice", "m" + i));
            extraUsers.add("m" + i + "@example.test");
        }
        lists = members + "\n";
        startSite("queue.retry.initial", "200ms", "queue.retry.max", "1s");
        Path state = dir.resolve("spool/state");
        Files.delete(state);
        Files.createFile(state); // state/<ID> cannot be created: "Not a directory"
        String queued;
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            client.command("MAIL FROM:<alice@example.test>");
            client.command("RCPT TO:<many@example.test>");
            queued = client.data(message("<journal@test>", 100));
        }
        assertThat(queued).startsWith("250 2.0.0 queued as ");
        String queueId = queued.substring(queued.lastIndexOf(' ') + 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !site.events(3009).isEmpty());
        assertThat(site.events(3009))
                .singleElement()
                .satisfies(event -> assertThat(event.fields()).containsEntry("queueId", queueId));
        // A few retries, all failing: nothing is delivered meanwhile.
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> site.delivered("bob@example.test").isEmpty());
        assertThat(files("queue"))
                .extracting(file -> file.getFileName().toString())
                .containsExactly(queueId);

        Files.delete(state);
        Files.createDirectory(state);

        await().atMost(Duration.ofSeconds(10)).until(site::queueEmpty);
        assertThat(site.delivered("bob@example.test"))
                .singleElement()
                .satisfies(
                        file ->
                                assertThat(Files.readString(file))
                                        .contains("Message-ID: <journal@test>"));
        assertThat(site.events(3009)).hasSize(1);
        assertThat(site.events(9001)).isEmpty();
    }

    private List<Path> files(String folder) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("spool").resolve(folder))) {
            return files.toList();
        }
    }

    static String message(String messageId, int bodyBytes) {
        StringBuilder text =
                new StringBuilder("Message-ID: " + messageId + "\r\nSubject: spool\r\n\r\n");
        String line = "0123456789".repeat(7) + "\r\n";
        while (text.length() < bodyBytes) {
            text.append(line);
        }
        return text.toString();
    }
}
