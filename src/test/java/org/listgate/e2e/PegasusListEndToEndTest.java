package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * KB Q166570 re-enacted: Pegasus Mail sends to a 1,000-member distribution list of which one in ten
 * is invalid. Every valid member gets exactly one copy, every invalid one exactly one 4037, nothing
 * is a 9001, and the server keeps answering.
 */
class PegasusListEndToEndTest extends GatewayTestBase {

    @Test
    void serverSideListDeliversEveryValidMemberOnceAndIsolatesEveryInvalidOne() throws Exception {
        PegasusScenario scenario = new PegasusScenario(1000);
        site =
                new TestSite(dir)
                        .users(List.of("alice@example.test"))
                        .users(scenario.users())
                        .lists(scenario.listFile("staff"))
                        .start();

        String queued;
        try (SmtpClient client = new SmtpClient(site.port())) {
            assertThat(client.greeting()).startsWith("220 ");
            assertThat(client.command("HELO pegasus.example.test")).startsWith("250 ");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250 2.1.0");
            assertThat(client.command("RCPT TO:<staff@example.test>")).startsWith("250 2.1.5");
            queued =
                    client.data(PegasusScenario.pegasusMessage("alice@example.test", "Staff list"));
            assertThat(queued).matches("250 2\\.0\\.0 queued as [0-9A-F]+");
            assertThat(client.command("QUIT")).startsWith("221");
        }
        String queueId = queued.substring(queued.lastIndexOf(' ') + 1);
        assertThat(queueId)
                .as("the gateway's id ends its queue ids")
                .endsWith(org.listgate.config.Config.Smtp.gatewayIdOf("mx.example.test"));

        await().atMost(Duration.ofSeconds(60)).until(site::queueEmpty);
        for (PegasusScenario.Member member : scenario.validMembers()) {
            assertThat(site.delivered(member.address())).as(member.address()).hasSize(1);
        }
        // Every member plus one report to the sender on the isolated ones (RFC 3464, one per
        // message).
        assertThat(site.deliveredTotal()).isEqualTo(scenario.validMembers().size() + 1);
        assertThat(site.delivered("alice@example.test"))
                .singleElement()
                .satisfies(
                        report ->
                                assertThat(java.nio.file.Files.readString(report))
                                        .contains("report-type=delivery-status")
                                        .contains("Action: failed"));

        List<LoggedEvent> isolated = site.events(4037);
        assertThat(isolated).hasSize(scenario.invalidMembers().size());
        assertThat(isolated)
                .as("every event names the gateway")
                .allSatisfy(
                        e -> assertThat(e.fields()).containsEntry("gateway", "mx.example.test"));
        Map<String, LoggedEvent> byRecipient =
                isolated.stream()
                        .collect(
                                Collectors.toMap(
                                        e -> (String) e.fields().get("recipient"), e -> e));
        for (PegasusScenario.Member member : scenario.invalidMembers()) {
            LoggedEvent event = byRecipient.get(member.address());
            assertThat(event).as(member.address()).isNotNull();
            assertThat(event.fields())
                    .containsEntry("queueId", queueId)
                    .containsEntry("stage", "expansion")
                    .containsEntry("status", member.expansionStatus())
                    .containsEntry("list", "staff@example.test")
                    .containsKey("reason");
        }
        assertThat(site.events(9001)).isEmpty();

        try (SmtpClient client = new SmtpClient(site.port())) {
            assertThat(client.greeting()).startsWith("220 ");
            assertThat(client.command("NOOP")).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> isEmpty(site.spoolQueue()));
    }

    @Test
    void deliveredCopyCarriesReturnPathDeliveredToAndReceived() throws Exception {
        site = new TestSite(dir).users(List.of("alice@example.test", "bob@example.test")).start();
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO client.example.test");
            client.command("MAIL FROM:<alice@example.test>");
            client.command("RCPT TO:<bob@example.test>");
            assertThat(client.data("Subject: hi\r\n\r\n..dot first\r\nbody\r\n"))
                    .startsWith("250 2.0.0");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> site.delivered("bob@example.test").size() == 1);
        String copy = Files.readString(site.delivered("bob@example.test").get(0));
        assertThat(copy)
                .startsWith(
                        "Return-Path: <alice@example.test>\nDelivered-To: bob@example.test\nReceived: from client.example.test (127.0.0.1)\n");
        assertThat(copy).contains("with ESMTP id ").contains("for <bob@example.test>;");
        assertThat(copy).endsWith("Subject: hi\n\n.dot first\nbody\n").doesNotContain("\r");
    }

    private static boolean isEmpty(Path folder) throws java.io.IOException {
        try (var files = Files.list(folder)) {
            return files.findAny().isEmpty();
        }
    }
}
