package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.listgate.address.Mailbox;
import org.listgate.events.EventLog;
import org.listgate.events.LoggedEvent;
import org.listgate.spool.Envelope;
import org.listgate.spool.MessageWriter;
import org.listgate.spool.Spool;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.Smarthost;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * Mail loops through lists: every copy a list sends out carries {@code Delivered-To: <list>}, and a
 * message whose header section already names a list it meets is not expanded by that list again —
 * the list is isolated as a loop (4037, 5.4.6, stage expansion), its members get nothing, every
 * other recipient is unaffected.
 */
class ListLoopTest extends GatewayTestBase {

    private static final List<String> USERS =
            List.of(
                    "alice@example.test",
                    "bob@example.test",
                    "carol@example.test",
                    "dave@example.test",
                    "erin@example.test");

    private Smarthost smarthost;

    @AfterEach
    void stopSmarthost() {
        if (smarthost != null) {
            smarthost.close();
        }
    }

    private void send(String from, String header, String... to) throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO client.test");
            assertThat(client.command("MAIL FROM:<" + from + ">")).startsWith("250");
            for (String rcpt : to) {
                assertThat(client.command("RCPT TO:<" + rcpt + ">")).startsWith("250");
            }
            assertThat(
                            client.data(
                                    header
                                            + "From: "
                                            + from
                                            + "\r\nSubject: loop\r\n\r\nHello.\r\n"))
                    .startsWith("250 2.0.0");
        }
        await().atMost(Duration.ofSeconds(20)).until(site::queueEmpty);
    }

    private static void assertLoop(LoggedEvent event, String list) {
        assertThat(event.fields())
                .containsEntry("recipient", list)
                .containsEntry("status", "5.4.6")
                .containsEntry("reason", "mail forwarding loop for " + list)
                .containsEntry("stage", "expansion");
    }

    @Test
    void aMessageThatHasBeenThroughAListIsNotExpandedByItAgain() throws Exception {
        site =
                new TestSite(dir)
                        .users(USERS)
                        .lists("staff: bob@example.test, carol@example.test\n")
                        .start();

        send(
                "alice@example.test",
                "Delivered-To: <STAFF@example.test>\r\n",
                "staff@example.test",
                "dave@example.test");

        assertThat(site.events(4037))
                .singleElement()
                .satisfies(
                        event -> {
                            assertLoop(event, "staff@example.test");
                            assertThat(event.fields()).doesNotContainKey("list");
                        });
        assertThat(site.delivered("bob@example.test")).isEmpty();
        assertThat(site.delivered("carol@example.test")).isEmpty();
        assertThat(site.delivered("dave@example.test")).hasSize(1);
        // A local poster is told.
        assertThat(site.delivered("alice@example.test"))
                .singleElement()
                .satisfies(
                        report ->
                                assertThat(Files.readString(report))
                                        .contains("Final-Recipient: rfc822; staff@example.test")
                                        .contains("Status: 5.4.6"));
        assertThat(site.events(2002)).isEmpty();
        assertThat(site.events(9001)).isEmpty();
    }

    @Test
    void aLoopForgedByAnOutsideSenderIsReportedToThePostmasterNotToTheSender() throws Exception {
        site =
                new TestSite(dir)
                        .users(USERS)
                        .property("postmaster.address", "dave@example.test")
                        .lists("staff: bob@example.test, carol@example.test\n")
                        .start();

        send("victim@outside.test", "Delivered-To: staff@example.test\r\n", "staff@example.test");

        assertThat(site.events(4037))
                .singleElement()
                .satisfies(event -> assertLoop(event, "staff@example.test"));
        // Both the sender and the Delivered-To field are the client's words: no backscatter.
        assertThat(site.delivered("dave@example.test"))
                .singleElement()
                .satisfies(
                        report -> assertThat(Files.readString(report)).contains("Status: 5.4.6"));
        assertThat(site.events(2006))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("to", "dave@example.test"));
    }

    @Test
    void aNestedListMetAgainThroughDeliveredToIsIsolatedAndTheOuterListStillExpanded()
            throws Exception {
        site =
                new TestSite(dir)
                        .users(USERS)
                        .lists(
                                """
                staff: bob@example.test, sales
                sales: carol@example.test, dave@example.test
                owner-staff: erin@example.test
                """)
                        .start();

        send("alice@example.test", "Delivered-To: sales@example.test\r\n", "staff@example.test");

        assertThat(site.events(4037))
                .singleElement()
                .satisfies(
                        event -> {
                            assertLoop(event, "sales@example.test");
                            assertThat(event.fields()).containsEntry("list", "staff@example.test");
                        });
        assertThat(site.delivered("bob@example.test")).hasSize(1);
        assertThat(site.delivered("carol@example.test")).isEmpty();
        assertThat(site.delivered("dave@example.test")).isEmpty();
        assertThat(site.delivered("erin@example.test"))
                .singleElement()
                .satisfies(
                        report ->
                                assertThat(Files.readString(report))
                                        .contains("Final-Recipient: rfc822; sales@example.test")
                                        .contains(
                                                "Original-Recipient: rfc822; staff@example.test"));
        assertThat(site.events(2002))
                .filteredOn(event -> "staff@example.test".equals(event.fields().get("list")))
                .singleElement()
                .satisfies(event -> assertThat(event.fields()).containsEntry("isolated", 1));
    }

    @Test
    void copiesCarryTheirListsAndACopyComingBackThroughTheSmarthostIsStopped() throws Exception {
        smarthost = Smarthost.start();
        site =
                new TestSite(dir)
                        .property("relay.host", Smarthost.HOST)
                        .property("relay.port", Integer.toString(smarthost.port()))
                        .property("relay.tls", "none")
                        .users(USERS)
                        .lists(
                                """
                        staff: bob@example.test, y@remote.test, sales
                        sales: x@remote.test, z@remote.test
                        """)
                        .start();

        send("alice@example.test", "", "staff@example.test");

        // One transaction a set of lists: y came through staff; x and z through staff, then sales.
        assertThat(smarthost.received()).hasSize(2);
        Smarthost.Received direct =
                smarthost.received().stream()
                        .filter(received -> received.recipients().contains("y@remote.test"))
                        .findFirst()
                        .orElseThrow();
        Smarthost.Received nested =
                smarthost.received().stream()
                        .filter(received -> received.recipients().contains("x@remote.test"))
                        .findFirst()
                        .orElseThrow();
        assertThat(direct.recipients()).containsExactly("y@remote.test");
        assertThat(direct.text())
                .startsWith("Delivered-To: staff@example.test\r\nReceived: from client.test");
        assertThat(nested.recipients()).containsExactly("x@remote.test", "z@remote.test");
        assertThat(nested.text())
                .startsWith(
                        "Delivered-To: sales@example.test\r\nDelivered-To: staff@example.test\r\n"
                                + "Received: from client.test");
        assertThat(site.delivered("bob@example.test"))
                .singleElement()
                .satisfies(
                        copy ->
                                assertThat(Files.readString(copy))
                                        .startsWith(
                                                "Return-Path: <alice@example.test>\nDelivered-To: bob@example.test\n"
                                                        + "Delivered-To: staff@example.test\nReceived: "));

        // x forwards its copy back to the list, as a badly set up forwarder does.
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO remote.test");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<staff@example.test>")).startsWith("250");
            assertThat(client.data(nested.text())).startsWith("250 2.0.0");
        }
        await().atMost(Duration.ofSeconds(20)).until(site::queueEmpty);

        assertThat(site.events(4037))
                .singleElement()
                .satisfies(event -> assertLoop(event, "staff@example.test"));
        assertThat(smarthost.received()).hasSize(2);
        assertThat(site.delivered("bob@example.test")).hasSize(1);
    }

    @Test
    void aLoopIsFoundInAMessageAnEarlierRunLeftInTheSpool() throws Exception {
        Spool spool = new Spool(dir.resolve("spool"), new EventLog());
        spool.open();
        Envelope envelope =
                new Envelope(
                        spool.newQueueId(),
                        Instant.now(),
                        "192.0.2.1",
                        "earlier.run",
                        Optional.of(new Mailbox("alice", TestSite.DOMAIN)),
                        List.of(new Mailbox("staff", TestSite.DOMAIN)));
        try (MessageWriter writer = spool.begin(envelope)) {
            writer.content()
                    .write(
                            "Received: by mx\r\nDelivered-To: staff@example.test\r\nSubject: again\r\n\r\nx\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
            writer.commit();
        }
        spool.close();

        site =
                new TestSite(dir)
                        .users(USERS)
                        .lists("staff: bob@example.test, carol@example.test\n")
                        .start();
        await().atMost(Duration.ofSeconds(20)).until(site::queueEmpty);

        assertThat(site.events(4037))
                .singleElement()
                .satisfies(event -> assertLoop(event, "staff@example.test"));
        assertThat(site.delivered("bob@example.test")).isEmpty();
        assertThat(site.delivered("carol@example.test")).isEmpty();
    }
}
