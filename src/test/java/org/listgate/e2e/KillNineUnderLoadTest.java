package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.testing.MailLoad;
import org.listgate.testing.MailLoad.Fate;
import org.listgate.testing.MailLoad.Sent;
import org.listgate.testing.MaildirCensus;
import org.listgate.testing.ServerProcess;
import org.listgate.testing.TestSite;

/**
 * SIGKILL while six clients send as fast as they can, twice, each restart on the same spool under
 * load again; then a last start drains the queue. Every message answered 250 must reach every
 * mailbox it was for (nothing lost); a message whose reply never came reaches all of them or none;
 * a message never sent to the end reaches none. Copies delivered twice (killed between the Maildir
 * file and the journal record) are allowed but must stay rare. No timing is asserted: the load runs
 * until it has both lasted long enough and queued enough, however slow the machine.
 */
class KillNineUnderLoadTest {

    private static final String SENDER = "alice@example.test";
    private static final int CLIENTS = 6;
    private static final int ROUNDS = 2;
    private static final Duration LOAD_AT_LEAST = Duration.ofMillis(1800);
    private static final int ACCEPTED_PER_ROUND_AT_LEAST = 50;

    @TempDir Path dir;

    @Test
    void killDashNineUnderLoadLosesNoAcceptedMessage() throws Exception {
        List<String> users =
                IntStream.rangeClosed(1, 50).mapToObj(n -> "u" + n + "@example.test").toList();
        List<String> team =
                IntStream.rangeClosed(1, 20)
                        .mapToObj(n -> "u" + (2 * n) + "@example.test")
                        .toList();
        TestSite site =
                new TestSite(dir)
                        .users(List.of(SENDER))
                        .users(users)
                        .lists("team: " + String.join(",\n  ", team) + "\n");
        MailLoad.Ledger ledger = new MailLoad.Ledger(users, Map.of("team@example.test", team));

        // One port for every start: the clients keep sending across a kill and find the restarted
        // server as soon as it listens, while it is still taking up what the killed one left.
        int port = org.listgate.testing.Loopback.freePort();
        long queuedAtKill = 0;
        MailLoad load = null;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                try (ServerProcess server = ServerProcess.start(site, port)) {
                    if (load == null) {
                        load = MailLoad.start(ledger, port, SENDER, 1, CLIENTS);
                    }
                    loadFor(ledger);
                    server.kill();
                    queuedAtKill += count(site.spoolQueue());
                }
            }
        } finally {
            if (load != null) {
                load.stop();
            }
        }
        // The kills must have left work behind, or the restart proves nothing.
        assertThat(queuedAtKill).as("messages in the queue right after the kills").isPositive();

        try (ServerProcess last = ServerProcess.start(site, port)) {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> count(site.spoolQueue()) == 0);
            assertThat(last.terminate(Duration.ofSeconds(60))).as(last.output()).isZero();
        }

        MaildirCensus census = MaildirCensus.of(dir.resolve("mail"));
        Tally tally = Tally.of(ledger.all(), census);
        String summary =
                "kill -9 under load: accepted="
                        + ledger.count(Fate.ACCEPTED)
                        + " deliveries="
                        + tally.deliveries()
                        + " lost="
                        + tally.lost().size()
                        + " duplicated="
                        + tally.duplicated()
                        + " unknown="
                        + ledger.count(Fate.UNKNOWN)
                        + " (unknown delivered="
                        + tally.unknownDelivered()
                        + ", refused="
                        + ledger.count(Fate.REFUSED)
                        + ", kills="
                        + ROUNDS
                        + ", queued at the kills="
                        + queuedAtKill
                        + ", files="
                        + census.files()
                        + ")";
        System.out.println(summary);
        Files.createDirectories(Path.of("target"));
        Files.writeString(
                Path.of("target", "kill9-report.txt"), summary + "\n", StandardCharsets.UTF_8);

        assertThat(tally.lost()).as("acknowledged with 250 but missing from a mailbox").isEmpty();
        assertThat(tally.partial())
                .as("no reply seen, delivered to some recipients only")
                .isEmpty();
        assertThat(tally.misdelivered())
                .as("delivered where it was not sent, or never sent to the end")
                .isEmpty();
        assertThat(census.malformed()).as("files in new/ that are not a whole delivery").isEmpty();
        assertThat(census.messageIds())
                .as("Message-IDs no client sent")
                .isSubsetOf(ledger.all().stream().map(Sent::messageId).toList());
        assertThat(ledger.count(Fate.ACCEPTED))
                .isGreaterThanOrEqualTo((long) ROUNDS * ACCEPTED_PER_ROUND_AT_LEAST);
        // A copy delivered twice needs a kill between the Maildir file and its journal record:
        // a few per kill (at most one per delivery thread), a few in a thousand deliveries.
        assertThat(tally.duplicated()).as(summary).isLessThan(Math.max(1, tally.deliveries() / 20));
        assertThat(site.events(9001)).as("unexpected faults").isEmpty();
        assertThat(site.events(4037)).as("recipients not delivered").isEmpty();
        assertThat(site.events(3009)).as("journals not written").isEmpty();
        assertThat(site.events(3006)).as("spool files taken for corrupt").isEmpty();
    }

    /**
     * The ledger against the Maildirs. deliveries: (message, mailbox) pairs promised by a 250;
     * duplicated: pairs with more than one copy, whatever the message's fate.
     */
    private record Tally(
            long deliveries,
            long duplicated,
            long unknownDelivered,
            List<String> lost,
            List<String> partial,
            List<String> misdelivered) {

        static Tally of(List<Sent> sent, MaildirCensus census) {
            long deliveries = 0;
            long duplicated = 0;
            long unknownDelivered = 0;
            List<String> lost = new ArrayList<>();
            List<String> partial = new ArrayList<>();
            List<String> misdelivered = new ArrayList<>();
            for (Sent message : sent) {
                Map<String, Integer> copies = census.copies(message.messageId());
                duplicated += copies.values().stream().filter(n -> n > 1).count();
                copies.keySet().stream()
                        .filter(mailbox -> !message.expected().contains(mailbox))
                        .forEach(mailbox -> misdelivered.add(message + " in " + mailbox));
                switch (message.fate()) {
                    case ACCEPTED -> {
                        deliveries += message.expected().size();
                        message.expected().stream()
                                .filter(mailbox -> !copies.containsKey(mailbox))
                                .forEach(mailbox -> lost.add(message + " for " + mailbox));
                    }
                    case UNKNOWN -> {
                        if (!copies.isEmpty()) {
                            unknownDelivered++;
                            if (!copies.keySet().containsAll(message.expected())) {
                                partial.add(message + " only in " + copies.keySet());
                            }
                        }
                    }
                    case NOT_SENT, REFUSED -> {
                        if (!copies.isEmpty()) {
                            misdelivered.add(message + " in " + copies.keySet());
                        }
                    }
                }
            }
            return new Tally(deliveries, duplicated, unknownDelivered, lost, partial, misdelivered);
        }
    }

    /** Lets the load run until it has both lasted a while and been answered 250 often enough. */
    private static void loadFor(MailLoad.Ledger ledger) {
        long acceptedBefore = ledger.count(Fate.ACCEPTED);
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () ->
                                System.nanoTime() - started >= LOAD_AT_LEAST.toNanos()
                                        && ledger.count(Fate.ACCEPTED) - acceptedBefore
                                                >= ACCEPTED_PER_ROUND_AT_LEAST);
    }

    private static long count(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }
}
