package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.listgate.events.LoggedEvent;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.Smarthost;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * The queue against a smarthost double that answers each recipient 250, 450 or 550 and can be down:
 * the per-recipient split, retries with backoff, the final failure after the lifetime, and the
 * bounces read back field by field.
 */
class RelayQueueEndToEndTest extends GatewayTestBase {

    private Smarthost smarthost;

    @AfterEach
    void stopSmarthost() {
        if (smarthost != null) {
            smarthost.close();
        }
    }

    private TestSite site(String lifetime, String lists) {
        return new TestSite(dir)
                .property("relay.host", Smarthost.HOST)
                .property("relay.port", Integer.toString(smarthost.port()))
                .property("relay.tls", "none")
                .property("relay.connectTimeout", "2s")
                .property("relay.timeout", "5s")
                .property("queue.retry.initial", "150ms")
                .property("queue.retry.max", "400ms")
                .property("queue.maxLifetime", lifetime)
                .users(List.of("alice@example.test", "bob@example.test"))
                .lists(lists);
    }

    private String send(String from, String to, String subject) throws Exception {
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO client.test");
            assertThat(client.command("MAIL FROM:<" + from + ">")).startsWith("250");
            assertThat(client.command("RCPT TO:<" + to + ">")).startsWith("250");
            String reply =
                    client.data(
                            "From: "
                                    + from
                                    + "\r\nTo: "
                                    + to
                                    + "\r\nSubject: "
                                    + subject
                                    + "\r\nMessage-ID: <"
                                    + subject.replace(' ', '-')
                                    + "@client.test>\r\n\r\nHello.\r\n");
            assertThat(reply).startsWith("250 2.0.0 queued as ");
            return reply.substring(reply.lastIndexOf(' ') + 1);
        }
    }

    @Test
    void eachRecipientGetsItsOwnFateAndTheSenderARecordOfEveryFailure() throws Exception {
        smarthost = Smarthost.start();
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        smarthost.answerRecipients(
                address -> {
                    int attempt =
                            tries.computeIfAbsent(address, a -> new AtomicInteger())
                                    .incrementAndGet();
                    if (address.contains("flaky") && attempt <= 2) {
                        return new Smarthost.Reply(451, "4.3.2 try again later");
                    }
                    return Smarthost.byLocalPart(address);
                });
        site =
                site(
                                "3s",
                                "partners: ok@remote.test, flaky@remote.test, temp@remote.test, perm@remote.test,"
                                        + " bob@example.test\n")
                        .start();

        String queueId = send("alice@example.test", "partners@example.test", "quarterly figures");
        await().atMost(Duration.ofSeconds(30)).until(site::queueEmpty);

        // The smarthost got one copy for each recipient it accepted, each in its own transaction
        // order: ok at once, flaky on its third try; temp and perm never.
        List<String> relayed = new ArrayList<>();
        smarthost.received().forEach(received -> relayed.addAll(received.recipients()));
        assertThat(relayed).containsExactlyInAnyOrder("ok@remote.test", "flaky@remote.test");
        assertThat(smarthost.received().get(0).recipients()).containsExactly("ok@remote.test");
        assertThat(smarthost.received().get(0).text()).contains("Subject: quarterly figures");
        assertThat(site.delivered("bob@example.test")).hasSize(1);

        assertThat(events(3004, "flaky@remote.test"))
                .hasSize(2)
                .allSatisfy(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("status", "4.3.2")
                                        .containsKey("retryAt"));
        assertThat(events(2007, "flaky@remote.test"))
                .extracting(e -> e.fields().get("attempt"))
                .containsExactly(2, 3);
        assertThat(events(2003, "flaky@remote.test")).hasSize(1);
        assertThat(events(4037, "perm@remote.test"))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("status", "5.1.1")
                                        .containsEntry("stage", "delivery")
                                        .containsEntry("queueId", queueId));
        assertThat(events(4037, "temp@remote.test"))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("status", "4.4.7")
                                        .containsEntry("stage", "delivery")
                                        .hasEntrySatisfying(
                                                "reason",
                                                r ->
                                                        assertThat((String) r)
                                                                .contains(
                                                                        "450 4.2.0 mailbox busy")));
        assertThat(events(3004, "temp@remote.test").size()).isGreaterThanOrEqualTo(2);

        // perm failed in the first round, temp when its lifetime ran out: two reports, each one
        // multipart/report for its batch, to the sender (the list has no owner).
        List<Path> reports = site.delivered("alice@example.test");
        assertThat(reports).hasSize(2);
        assertThat(site.events(2006))
                .hasSize(2)
                .allSatisfy(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("queueId", queueId)
                                        .containsEntry("to", "alice@example.test")
                                        .containsEntry("recipients", 1)
                                        .containsEntry("action", "failed"));
        List<InternetHeaders> recipients = new ArrayList<>();
        for (Path report : reports) {
            MimeMessage message = parse(report);
            assertThat(message.getHeader("Return-Path", null)).isEqualTo("<>");
            assertThat(message.getContentType())
                    .startsWith("multipart/report")
                    .contains("report-type=delivery-status");
            assertThat(message.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
            assertThat(message.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
            MimeMultipart parts = (MimeMultipart) message.getContent();
            assertThat(parts.getCount()).isEqualTo(3);
            assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
            assertThat(parts.getBodyPart(1).getContentType()).startsWith("message/delivery-status");
            assertThat(parts.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
            assertThat(text(parts.getBodyPart(2)))
                    .contains("Subject: quarterly figures")
                    .contains("Message-ID: <quarterly-figures@client.test>")
                    .doesNotContain("Hello.");
            DeliveryStatus status =
                    new DeliveryStatus(new ByteArrayInputStream(bytes(parts.getBodyPart(1))));
            assertThat(status.getMessageDSN().getHeader("Reporting-MTA", null))
                    .isEqualTo("dns; mx.example.test");
            assertThat(status.getMessageDSN().getHeader("X-Listgate-Queue-ID", null))
                    .isEqualTo(queueId);
            assertThat(status.getRecipientDSNCount()).isEqualTo(1);
            recipients.add(status.getRecipientDSN(0));
        }
        assertThat(recipients)
                .extracting(r -> r.getHeader("Final-Recipient", null))
                .containsExactlyInAnyOrder("rfc822; perm@remote.test", "rfc822; temp@remote.test");
        InternetHeaders perm =
                recipients.stream()
                        .filter(r -> r.getHeader("Final-Recipient", null).contains("perm"))
                        .findFirst()
                        .orElseThrow();
        assertThat(perm.getHeader("Original-Recipient", null))
                .isEqualTo("rfc822; partners@example.test");
        assertThat(perm.getHeader("Action", null)).isEqualTo("failed");
        assertThat(perm.getHeader("Status", null)).isEqualTo("5.1.1");
        assertThat(perm.getHeader("Diagnostic-Code", null))
                .startsWith("smtp; 550 5.1.1 <perm@remote.test>: user unknown");
        InternetHeaders temp =
                recipients.stream()
                        .filter(r -> r.getHeader("Final-Recipient", null).contains("temp"))
                        .findFirst()
                        .orElseThrow();
        assertThat(temp.getHeader("Action", null)).isEqualTo("failed");
        assertThat(temp.getHeader("Status", null)).isEqualTo("4.4.7");
        assertThat(temp.getHeader("Diagnostic-Code", null)).contains("delivery time expired");
        assertThat(site.events(9001)).isEmpty();
    }

    @Test
    void aSmarthostThatIsDownDefersUntilItIsBackThenDeliversOnce() throws Exception {
        smarthost = Smarthost.start();
        site = site("1h", "far: someone@remote.test\n").start();
        smarthost.stop();

        send("alice@example.test", "far@example.test", "while down");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> events(3004, "someone@remote.test").size() >= 2);
        assertThat(events(3004, "someone@remote.test"))
                .allSatisfy(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("status", "4.4.1")
                                        .hasEntrySatisfying(
                                                "reason",
                                                r ->
                                                        assertThat((String) r)
                                                                .contains("Connection refused")));
        assertThat(site.queueEmpty()).isFalse();

        smarthost.restart();
        await().atMost(Duration.ofSeconds(20)).until(site::queueEmpty);
        assertThat(smarthost.received())
                .singleElement()
                .satisfies(r -> assertThat(r.recipients()).containsExactly("someone@remote.test"));
        assertThat(site.delivered("alice@example.test")).isEmpty();
        assertThat(site.events(4037)).isEmpty();
    }

    @Test
    void theSenderIsWarnedOnceOfADelayThenToldOfTheFailure() throws Exception {
        smarthost = Smarthost.start();
        site =
                site("2500ms", "slow: temp@remote.test, bob@example.test\n")
                        .property("queue.delayWarning", "500ms")
                        .start();

        send("alice@example.test", "slow@example.test", "delayed");
        await().atMost(Duration.ofSeconds(30)).until(site::queueEmpty);

        assertThat(site.events(2006))
                .extracting(e -> e.fields().get("action"))
                .containsExactly("delayed", "failed");
        List<String> reports = new ArrayList<>();
        for (Path report : site.delivered("alice@example.test")) {
            reports.add(Files.readString(report));
        }
        assertThat(reports).hasSize(2);
        assertThat(reports)
                .filteredOn(r -> r.contains("Action: delayed"))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r)
                                        .contains("Subject: Delayed Mail (still being retried)")
                                        .contains("Will-Retry-Until:")
                                        .contains("Final-Recipient: rfc822; temp@remote.test"));
        assertThat(reports)
                .filteredOn(r -> r.contains("Action: failed"))
                .singleElement()
                .satisfies(r -> assertThat(r).contains("Status: 4.4.7"));
    }

    @Test
    void aRestartResumesEachRecipientWhereItStood() throws Exception {
        smarthost = Smarthost.start();
        site = site("1h", "half: far@remote.test, bob@example.test\n").start();
        smarthost.stop();
        String queueId = send("alice@example.test", "half@example.test", "resumed");
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                events(3004, "far@remote.test").size() >= 1
                                        && site.delivered("bob@example.test").size() == 1);
        site.close();
        try (Stream<Path> queued = Files.list(site.spoolQueue())) {
            assertThat(queued).hasSize(1);
        }
        assertThat(Files.readString(dir.resolve("spool/state/" + queueId)))
                .contains("\nD ")
                .contains("\nR ");

        smarthost.restart();
        site.start();
        await().atMost(Duration.ofSeconds(20)).until(site::queueEmpty);

        assertThat(site.events(2005))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("queueId", queueId)
                                        .containsEntry("resumed", true));
        assertThat(smarthost.received())
                .singleElement()
                .satisfies(r -> assertThat(r.recipients()).containsExactly("far@remote.test"));
        assertThat(site.delivered("bob@example.test")).as("bob is not delivered twice").hasSize(1);
        assertThat(site.events(2002)).as("not expanded twice").hasSize(1);
    }

    @Test
    void relayRecipientsGoInBatchesOfRelayMaxRecipients() throws Exception {
        smarthost = Smarthost.start();
        site =
                site(
                                "1h",
                                "many: a@remote.test, b@remote.test, c@remote.test, d@remote.test, e@remote.test\n")
                        .property("relay.maxRecipients", "2")
                        .start();

        send("alice@example.test", "many@example.test", "batches");
        await().atMost(Duration.ofSeconds(20)).until(site::queueEmpty);

        assertThat(smarthost.received())
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.recipients().size()).isLessThanOrEqualTo(2));
        assertThat(smarthost.received())
                .flatExtracting(Smarthost.Received::recipients)
                .containsExactlyInAnyOrder(
                        "a@remote.test",
                        "b@remote.test",
                        "c@remote.test",
                        "d@remote.test",
                        "e@remote.test");
    }

    @Test
    void withoutARelayHostNonLocalMembersAreIsolatedAtExpansion() throws Exception {
        site =
                new TestSite(dir)
                        .users(List.of("alice@example.test", "bob@example.test"))
                        .lists("mixed: bob@example.test, far@remote.test\n")
                        .start();

        send("alice@example.test", "mixed@example.test", "no relay");
        await().atMost(Duration.ofSeconds(20)).until(site::queueEmpty);

        assertThat(events(4037, "far@remote.test"))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("status", "5.4.4")
                                        .containsEntry("stage", "expansion"));
        assertThat(site.delivered("bob@example.test")).hasSize(1);
    }

    private List<LoggedEvent> events(int id, String recipient) {
        return site.events(id).stream()
                .filter(e -> recipient.equals(e.fields().get("recipient")))
                .toList();
    }

    private static MimeMessage parse(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }

    private static byte[] bytes(BodyPart part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static String text(BodyPart part) throws Exception {
        return new String(bytes(part), java.nio.charset.StandardCharsets.US_ASCII);
    }
}
