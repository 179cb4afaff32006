package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * Who is told about recipients that will not get a message: about a list's members, the list's
 * owner-&lt;list&gt; when it has one (RFC 5321 §3.9), else the envelope sender when it is a local
 * user (or authenticated, see BouncerTest), else the postmaster — never an outside sender, who may
 * be forged (no backscatter); about a recipient the sender named, the sender; nobody for a message
 * with the null sender, and so never anybody about a report.
 */
class BounceRoutingTest extends GatewayTestBase {

    private static final String LISTS =
            """
            staff: bob@example.test, ghost@example.test
            owner-staff: carol@example.test
            open: bob@example.test, phantom@example.test
            looped: bob@example.test, nobody@example.test
            owner-looped: lost@example.test
            """;

    private void start(String... extra) throws Exception {
        TestSite configured =
                new TestSite(dir)
                        .users(
                                List.of(
                                        "alice@example.test",
                                        "bob@example.test",
                                        "carol@example.test",
                                        "postmaster@example.test"));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            configured.property(extra[i], extra[i + 1]);
        }
        site = configured.lists(LISTS).start();
    }

    private void send(String reversePath, String to) throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("HELO pegasus.test");
            assertThat(client.command("MAIL FROM:" + reversePath)).startsWith("250");
            assertThat(client.command("RCPT TO:<" + to + ">")).startsWith("250");
            assertThat(client.data("Subject: routing\r\n\r\nbody\r\n")).startsWith("250 2.0.0");
        }
        await().atMost(Duration.ofSeconds(20)).until(site::queueEmpty);
    }

    @Test
    void aListWithAnOwnerHasItsFailuresReportedToTheOwnerNotTheSender() throws Exception {
        start();
        send("<alice@example.test>", "staff@example.test");

        assertThat(site.delivered("bob@example.test")).hasSize(1);
        assertThat(site.delivered("alice@example.test")).isEmpty();
        assertThat(site.delivered("carol@example.test"))
                .singleElement()
                .satisfies(
                        report ->
                                assertThat(Files.readString(report))
                                        .contains("Final-Recipient: rfc822; ghost@example.test")
                                        .contains("Original-Recipient: rfc822; staff@example.test")
                                        .contains("Status: 5.1.1")
                                        .contains("To: owner-staff@example.test"));
        assertThat(site.events(2006))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("to", "owner-staff@example.test"));
    }

    @Test
    void aListWithoutAnOwnerHasItsFailuresReportedToALocalSender() throws Exception {
        start();
        send("<alice@example.test>", "open@example.test");

        assertThat(site.delivered("alice@example.test"))
                .singleElement()
                .satisfies(
                        report ->
                                assertThat(Files.readString(report))
                                        .contains("Final-Recipient: rfc822; phantom@example.test")
                                        .contains("Action: failed"));
        assertThat(site.delivered("carol@example.test")).isEmpty();
        assertThat(site.delivered("postmaster@example.test")).isEmpty();
    }

    @Test
    void aForgedOutsideSenderGetsNoReportAboutAListsMembersThePostmasterDoes() throws Exception {
        start();
        send("<victim@outside.test>", "open@example.test");

        assertThat(site.delivered("bob@example.test")).hasSize(1);
        assertThat(site.delivered("postmaster@example.test"))
                .singleElement()
                .satisfies(
                        report ->
                                assertThat(Files.readString(report))
                                        .contains("To: postmaster@example.test")
                                        .contains("Final-Recipient: rfc822; phantom@example.test")
                                        .contains("Original-Recipient: rfc822; open@example.test"));
        assertThat(site.events(2006))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("to", "postmaster@example.test")
                                        .hasEntrySatisfying(
                                                "reason",
                                                reason ->
                                                        assertThat((String) reason)
                                                                .contains("victim@outside.test")
                                                                .contains("postmaster")));
        // Nothing was queued for the outside sender: no report left for the relay, none isolated.
        assertThat(site.events(4037))
                .extracting(e -> e.fields().get("recipient"))
                .containsExactly("phantom@example.test");
        assertThat(site.deliveredTotal()).isEqualTo(2);
    }

    @Test
    void postmasterAddressSaysWhereRedirectedReportsGo() throws Exception {
        start("postmaster.address", "carol@example.test");
        send("<victim@outside.test>", "open@example.test");

        assertThat(site.delivered("carol@example.test"))
                .singleElement()
                .satisfies(
                        report ->
                                assertThat(Files.readString(report))
                                        .contains("Final-Recipient: rfc822; phantom@example.test"));
        assertThat(site.delivered("postmaster@example.test")).isEmpty();
    }

    @Test
    void theOwnerStillWinsOverAnOutsideSenderAndThePostmaster() throws Exception {
        start();
        send("<victim@outside.test>", "staff@example.test");

        assertThat(site.delivered("carol@example.test"))
                .singleElement()
                .satisfies(
                        report ->
                                assertThat(Files.readString(report))
                                        .contains("Final-Recipient: rfc822; ghost@example.test"));
        assertThat(site.delivered("postmaster@example.test")).isEmpty();
        assertThat(site.events(2006))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("to", "owner-staff@example.test")
                                        .doesNotContainKey("reason"));
    }

    @Test
    void aDirectRecipientThatFailsIsReportedToTheSender() throws Exception {
        start("fault.inject", "delivery:bob@*");
        send("<alice@example.test>", "bob@example.test");

        assertThat(site.delivered("alice@example.test"))
                .singleElement()
                .satisfies(
                        report ->
                                assertThat(Files.readString(report))
                                        .contains("Final-Recipient: rfc822; bob@example.test")
                                        .contains("Status: 5.3.0"));
    }

    @Test
    void aMessageWithTheNullSenderIsNeverReportedOn() throws Exception {
        start();
        send("<>", "open@example.test");

        assertThat(site.delivered("bob@example.test")).hasSize(1);
        assertThat(site.events(4037))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("recipient", "phantom@example.test"));
        assertThat(site.events(2006)).isEmpty();
        assertThat(site.events(2009))
                .singleElement()
                .satisfies(e -> assertThat(e.fields()).containsEntry("recipients", 1));
        assertThat(site.deliveredTotal()).isEqualTo(1);
    }

    @Test
    void aReportThatCannotBeDeliveredIsNotReportedOn() throws Exception {
        start();
        // nobody@ fails; its report goes to owner-looped, whose only member is unknown too.
        send("<alice@example.test>", "looped@example.test");

        assertThat(site.events(2006))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("to", "owner-looped@example.test"));
        String reportId = (String) site.events(2006).get(0).fields().get("reportId");
        assertThat(site.events(4037))
                .extracting(e -> e.fields().get("recipient"))
                .containsExactlyInAnyOrder("nobody@example.test", "lost@example.test");
        assertThat(site.events(2009))
                .singleElement()
                .satisfies(e -> assertThat(e.fields()).containsEntry("queueId", reportId));
        assertThat(site.delivered("alice@example.test")).isEmpty();
        assertThat(site.deliveredTotal()).isEqualTo(1);
    }
}
