package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.listgate.testing.DirectoryLdif;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.LdapServer;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * listgate with {@code directory.type = ldap}, over SMTP, against an LDAP server on loopback: RCPT
 * answers from the directory, a group's bad members isolated one by one, and an outage that makes
 * RCPT answer 451 4.4.3 and an accepted message wait — nobody refused for good, isolated or bounced
 * — until the directory is back and everything is delivered.
 */
class LdapEndToEndTest extends GatewayTestBase {

    private LdapServer ldap;

    @AfterEach
    void stopDirectory() {
        if (ldap != null) {
            ldap.close();
        }
    }

    private static String ldif() {
        StringBuilder text = new StringBuilder(DirectoryLdif.base());
        for (String uid : List.of("alice", "bob", "carol")) {
            text.append(DirectoryLdif.user(uid));
        }
        text.append(DirectoryLdif.userWithoutMail("nomail"));
        text.append(
                DirectoryLdif.group(
                        "staff",
                        List.of(dn("bob"), dn("carol"), dn("ghost"), dn("nomail")),
                        List.of("x@@example.test", "carol@example.test"),
                        Optional.empty()));
        text.append(
                DirectoryLdif.group(
                        "team", List.of(dn("bob"), dn("carol")), List.of(), Optional.empty()));
        return text.toString();
    }

    private static String dn(String uid) {
        return DirectoryLdif.userDn(uid);
    }

    private void start() throws Exception {
        ldap = LdapServer.start(ldif());
        site =
                new TestSite(dir)
                        .property("directory.type", "ldap")
                        .property("directory.ldap.urls", ldap.url())
                        .property("directory.ldap.baseDn", LdapServer.BASE)
                        // Every lookup goes to the server, so the outage shows at once.
                        .property("directory.ldap.cacheTtl", "0")
                        .property("directory.ldap.timeout", "2s")
                        .property("queue.retry.initial", "1s")
                        .property("queue.retry.max", "2s")
                        .start();
    }

    @Test
    void rcptAndListExpansionComeFromTheDirectoryAndEachBadMemberIsIsolatedByName()
            throws Exception {
        start();
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("HELO pegasus.example.test");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<ghost@example.test>")).startsWith("550 5.1.1");
            assertThat(client.command("RCPT TO:<bob@example.test>")).startsWith("250 2.1.5");
            assertThat(client.command("RCPT TO:<staff@example.test>")).startsWith("250 2.1.5");
            assertThat(client.data("Subject: staff\r\n\r\nHello.\r\n")).startsWith("250 2.0.0");
        }

        await().atMost(Duration.ofSeconds(30)).until(site::queueEmpty);
        // bob named at RCPT and in the list: one copy; carol as a DN and an address: one copy.
        assertThat(site.delivered("bob@example.test")).hasSize(1);
        assertThat(site.delivered("carol@example.test")).hasSize(1);
        assertThat(site.events(4037))
                .extracting(e -> e.fields().get("recipient") + " " + e.fields().get("status"))
                .containsExactlyInAnyOrder(
                        "<ghost@example.test> 5.1.1",
                        dn("ghost") + " 5.1.1",
                        dn("nomail") + " 5.1.1",
                        "x@@example.test 5.1.3");
        assertThat(site.events(4037))
                .filteredOn(e -> dn("ghost").equals(e.fields().get("recipient")))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry(
                                                "reason", "no directory entry " + dn("ghost"))
                                        .containsEntry("list", "staff@example.test"));
        assertThat(site.events(9001)).isEmpty();
        assertThat(site.events(3014)).isEmpty();
    }

    @Test
    void anOutageDefersRcptAndExpansionAndTheDirectoryBackDeliversEverything() throws Exception {
        start();
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("HELO pegasus.example.test");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<team@example.test>")).startsWith("250 2.1.5");

            ldap.stop();

            // Accepted before the outage: queued, and its expansion waits.
            assertThat(client.data("Subject: team\r\n\r\nHello.\r\n")).startsWith("250 2.0.0");
            assertThat(client.command("MAIL FROM:<alice@example.test>")).startsWith("250");
            for (int i = 0; i < 3; i++) {
                assertThat(client.command("RCPT TO:<bob@example.test>")).startsWith("451 4.4.3 ");
            }
            assertThat(client.command("RSET")).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> site.events(3015).size() >= 2);
        assertThat(site.events(3014)).hasSize(1);
        assertThat(site.events(4037)).isEmpty();
        assertThat(site.events(2003)).isEmpty();
        assertThat(site.events(2006)).isEmpty();
        assertThat(site.queueEmpty()).isFalse();
        // A fresh client during the outage: 451 again, the session goes on.
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("HELO pegasus.example.test");
            client.command("MAIL FROM:<alice@example.test>");
            assertThat(client.command("RCPT TO:<carol@example.test>")).startsWith("451 4.4.3 ");
            assertThat(client.command("NOOP")).startsWith("250");
        }

        ldap.restart();

        await().atMost(Duration.ofSeconds(30)).until(site::queueEmpty);
        assertThat(site.delivered("bob@example.test")).hasSize(1);
        assertThat(site.delivered("carol@example.test")).hasSize(1);
        assertThat(site.events(1003)).hasSize(1);
        assertThat(site.events(3014)).hasSize(1);
        // The 451s were in a transaction the client reset: no recipient of a queued message.
        assertThat(site.events(4037)).isEmpty();
        assertThat(site.events(9001)).isEmpty();
        assertThat(site.events(3015))
                .allSatisfy(event -> assertThat(event.fields()).containsEntry("status", "4.4.3"));
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("HELO pegasus.example.test");
            client.command("MAIL FROM:<alice@example.test>");
            assertThat(client.command("RCPT TO:<carol@example.test>")).startsWith("250 2.1.5");
        }
    }
}
