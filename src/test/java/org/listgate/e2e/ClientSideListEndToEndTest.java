package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.listgate.events.LoggedEvent;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.PegasusScenario;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * Pegasus Mail expanding its own list: one RCPT per member, 1,000 of them, sequentially. Each
 * invalid one is refused with the right code and logged at once (3001), the transaction goes on,
 * the valid ones get the message, and each refused one gets its rcpt-stage 4037 when queued.
 */
class ClientSideListEndToEndTest extends GatewayTestBase {

    @Test
    void refusesEachInvalidRcptWithItsCodeAndDeliversToTheRest() throws Exception {
        PegasusScenario scenario = new PegasusScenario(1000);
        // The Pegasus user's host is trusted: its refused members are not charged as errors.
        site =
                new TestSite(dir)
                        .property("relay.networks", "127.0.0.1/32")
                        .users(List.of("alice@example.test"))
                        .users(scenario.users())
                        .start();
        String queued;
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("HELO pegasus.example.test");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250");
            for (PegasusScenario.Member member : scenario.members()) {
                String reply = client.command("RCPT TO:<" + member.address() + ">");
                assertThat(reply)
                        .as(member.address())
                        .startsWith(member.rcptCode() + " " + member.rcptStatus() + " ");
            }
            queued =
                    client.data(PegasusScenario.pegasusMessage("alice@example.test", "Staff list"));
            assertThat(queued).startsWith("250 2.0.0 queued as ");
        }
        String queueId = queued.substring(queued.lastIndexOf(' ') + 1);
        await().atMost(Duration.ofSeconds(60)).until(site::queueEmpty);

        for (PegasusScenario.Member member : scenario.validMembers()) {
            assertThat(site.delivered(member.address())).as(member.address()).hasSize(1);
        }
        assertThat(site.deliveredTotal()).isEqualTo(scenario.validMembers().size());
        assertThat(site.events(3001)).hasSize(scenario.invalidMembers().size());
        List<LoggedEvent> rcptStage = site.events(4037);
        assertThat(rcptStage)
                .hasSize(scenario.invalidMembers().size())
                .allSatisfy(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("stage", "rcpt")
                                        .containsEntry("queueId", queueId));
        Map<String, String> statusByRecipient =
                rcptStage.stream()
                        .collect(
                                Collectors.toMap(
                                        e -> (String) e.fields().get("recipient"),
                                        e -> (String) e.fields().get("status")));
        for (PegasusScenario.Member member : scenario.invalidMembers()) {
            assertThat(statusByRecipient)
                    .containsEntry("<" + member.address() + ">", member.rcptStatus());
        }
        assertThat(site.events(9001)).isEmpty();
    }

    @Test
    void refusesRecipientsBeyondTheLimitWith452AndKeepsTheOthers() throws Exception {
        List<String> users =
                java.util.stream.IntStream.rangeClosed(1, 105)
                        .mapToObj(i -> "u" + i + "@example.test")
                        .toList();
        site = new TestSite(dir).property("limits.maxRecipients", "100").users(users).start();
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            client.command("MAIL FROM:<>");
            for (int i = 1; i <= 100; i++) {
                assertThat(client.command("RCPT TO:<u" + i + "@example.test>"))
                        .startsWith("250 2.1.5");
            }
            assertThat(client.command("RCPT TO:<u101@example.test>")).startsWith("452 4.5.3 ");
            assertThat(client.data("Subject: x\r\n\r\nbody\r\n")).startsWith("250 2.0.0");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> site.deliveredTotal() == 100);
        assertThat(site.delivered("u101@example.test")).isEmpty();
        assertThat(site.events(4037))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("status", "4.5.3")
                                        .containsEntry("stage", "rcpt"));
    }
}
