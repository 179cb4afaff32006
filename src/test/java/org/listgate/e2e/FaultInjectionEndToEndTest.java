package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.listgate.events.LoggedEvent;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.PegasusScenario;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * The IMS crash on purpose: an unexpected exception while handling one recipient. listgate logs
 * 9001 (IMS-style code, flags, address, exception) and that recipient's 4037 (5.3.0), delivers to
 * every other member, and keeps answering.
 */
class FaultInjectionEndToEndTest extends GatewayTestBase {

    @Test
    void faultAtDeliveryIsolatesOnlyThatRecipient() throws Exception {
        assertIsolatesOnly("delivery:u13@example.test", "u13@example.test", "delivery");
    }

    @Test
    void faultAtExpansionIsolatesOnlyThatMember() throws Exception {
        assertIsolatesOnly("expansion:U27@*", "u27@example.test", "expansion");
    }

    private void assertIsolatesOnly(String rule, String victim, String stage) throws Exception {
        PegasusScenario scenario = new PegasusScenario(200);
        site =
                new TestSite(dir)
                        .property("fault.inject", rule)
                        .users(List.of("alice@example.test"))
                        .users(scenario.users())
                        .lists(scenario.listFile("staff"))
                        .start();
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("HELO pegasus");
            client.command("MAIL FROM:<alice@example.test>");
            client.command("RCPT TO:<staff@example.test>");
            assertThat(
                            client.data(
                                    PegasusScenario.pegasusMessage(
                                            "alice@example.test", "Staff list")))
                    .startsWith("250 2.0.0");
        }
        await().atMost(Duration.ofSeconds(30)).until(site::queueEmpty);

        assertThat(site.events(9001))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("code", "0xc0000005")
                                        .containsEntry("flags", "0x00000000")
                                        .containsEntry("recipient", victim)
                                        .containsEntry("boundary", "recipient")
                                        .containsEntry(
                                                "exception",
                                                "org.listgate.isolation.FaultInjector$InjectedFault")
                                        .hasEntrySatisfying(
                                                "address",
                                                a ->
                                                        assertThat((String) a)
                                                                .matches(
                                                                        ".+\\..+\\(.+\\.java:\\d+\\)")));
        List<LoggedEvent> victimEvents =
                site.events(4037).stream()
                        .filter(e -> victim.equals(e.fields().get("recipient")))
                        .toList();
        assertThat(victimEvents)
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("status", "5.3.0")
                                        .containsEntry("stage", stage));
        int nine001 = site.events().indexOf(site.events(9001).get(0));
        assertThat(site.events().indexOf(victimEvents.get(0))).isGreaterThan(nine001);

        assertThat(site.delivered(victim)).isEmpty();
        for (PegasusScenario.Member member : scenario.validMembers()) {
            if (!member.address().equals(victim)) {
                assertThat(site.delivered(member.address())).as(member.address()).hasSize(1);
            }
        }
        try (SmtpClient client = new SmtpClient(site.port())) {
            assertThat(client.greeting()).startsWith("220");
            assertThat(client.command("NOOP")).startsWith("250");
        }
    }
}
