package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.events.LoggedEvent;
import org.listgate.testing.Dovecot;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * listgate with {@code delivery.lmtp} handing a list's copies to Debian's Dovecot: what Dovecot
 * takes is read back over IMAP, what it refuses fails with its 4037 and a report to the sender, and
 * while it is stopped the copies wait in the queue and go once it is back.
 */
class LmtpEndToEndTest {

    @TempDir Path dir;

    private TestSite site;

    @AfterEach
    void tearDown() {
        if (site != null) {
            site.close();
        }
    }

    private void startSite(Dovecot dovecot) throws Exception {
        site =
                new TestSite(dir.resolve("listgate"))
                        .users(
                                List.of(
                                        "alice@example.test",
                                        "bob@example.test",
                                        "carol@example.test"))
                        .lists(
                                "staff: alice@example.test, bob@example.test, carol@example.test,"
                                        + " ghost@example.test\n")
                        .property("delivery.lmtp", "lmtp://127.0.0.1:" + dovecot.lmtpPort())
                        .property("delivery.lmtpTimeout", "10s")
                        .property("queue.retry.initial", "300ms")
                        .property("queue.retry.max", "1s");
        site.start();
    }

    private String send(String to, String subject) throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO pegasus.example.test");
            client.command("MAIL FROM:<alice@example.test>");
            assertThat(client.command("RCPT TO:<" + to + ">")).startsWith("250");
            return client.data(
                    "Message-ID: <"
                            + subject
                            + "@test>\r\nSubject: "
                            + subject
                            + "\r\n\r\nhello\r\n");
        }
    }

    @Test
    void whatDovecotTakesIsInItsMailboxesAndWhatItRefusesIsIsolatedAndReported() throws Exception {
        // Dovecot knows alice and bob; carol exists for listgate only.
        try (Dovecot dovecot =
                Dovecot.start(
                        dir.resolve("dovecot"),
                        List.of("alice@example.test", "bob@example.test"))) {
            startSite(dovecot);

            assertThat(send("staff@example.test", "meeting")).startsWith("250 2.0.0");

            await().atMost(Duration.ofSeconds(20)).until(site::queueEmpty);
            assertThat(dovecot.messages("bob@example.test"))
                    .singleElement()
                    .satisfies(
                            text ->
                                    assertThat(text)
                                            .contains("Subject: meeting")
                                            .contains("Delivered-To: staff@example.test"));
            // alice: her copy, and the report on carol and ghost.
            assertThat(dovecot.messages("alice@example.test"))
                    .hasSize(2)
                    .anySatisfy(text -> assertThat(text).contains("Subject: meeting"))
                    .anySatisfy(text -> assertThat(text).contains("carol@example.test"));
            assertThat(site.events(2003))
                    .extracting(event -> event.fields().get("recipient"))
                    .contains("alice@example.test", "bob@example.test");
            List<LoggedEvent> isolated = site.events(4037);
            assertThat(isolated)
                    .anySatisfy(
                            event ->
                                    assertThat(event.fields())
                                            .containsEntry("recipient", "carol@example.test")
                                            .containsEntry("status", "5.1.1")
                                            .containsEntry("stage", "delivery"));
            assertThat(isolated)
                    .anySatisfy(
                            event ->
                                    assertThat(event.fields())
                                            .containsEntry("recipient", "ghost@example.test")
                                            .containsEntry("stage", "expansion"));
            assertThat(site.events(9001)).isEmpty();
        }
    }

    @Test
    void whileDovecotIsStoppedTheCopiesWaitAndGoOnceItIsBack() throws Exception {
        try (Dovecot dovecot =
                Dovecot.start(
                        dir.resolve("dovecot"),
                        List.of("alice@example.test", "bob@example.test"))) {
            startSite(dovecot);
            dovecot.stop();

            assertThat(send("bob@example.test", "later")).startsWith("250 2.0.0");

            await().atMost(Duration.ofSeconds(20)).until(() -> !site.events(3004).isEmpty());
            assertThat(site.events(3004).get(0).fields())
                    .containsEntry("recipient", "bob@example.test")
                    .containsEntry("status", "4.4.1");
            assertThat(site.queueEmpty()).isFalse();

            dovecot.restart();

            await().atMost(Duration.ofSeconds(20)).until(site::queueEmpty);
            assertThat(dovecot.messages("bob@example.test"))
                    .singleElement()
                    .satisfies(text -> assertThat(text).contains("Subject: later"));
            assertThat(site.events(2003))
                    .singleElement()
                    .satisfies(
                            event ->
                                    assertThat(event.fields())
                                            .containsEntry("recipient", "bob@example.test"));
            assertThat(site.events(9001)).isEmpty();
        }
    }
}
