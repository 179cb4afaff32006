package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.listgate.testing.GatewayTestBase;
import org.listgate.testing.Smarthost;
import org.listgate.testing.SmtpClient;
import org.listgate.testing.TestSite;

/**
 * Relay control: mail for other domains only from {@code relay.networks} or authenticated clients,
 * and never through the old forms of source routing, whoever asks.
 */
class RelayControlTest extends GatewayTestBase {

    private Smarthost smarthost;

    @AfterEach
    void stopSmarthost() {
        if (smarthost != null) {
            smarthost.close();
        }
    }

    private TestSite relayingSite() throws Exception {
        smarthost = Smarthost.start();
        return new TestSite(dir)
                .property("relay.host", Smarthost.HOST)
                .property("relay.port", Integer.toString(smarthost.port()))
                .property("relay.tls", "none")
                .property("relay.networks", "127.0.0.2/32")
                .property("smtp.errorDelay", "10ms")
                .users(List.of("alice@example.test", "bob@example.test"))
                .start();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<victim@elsewhere.test>",
                "<victim%elsewhere.test@example.test>",
                "<\"victim@elsewhere.test\"@example.test>",
                "<elsewhere.test!victim@example.test>",
                "<@example.test:victim@elsewhere.test>",
                "<victim@[192.0.2.1]>",
                "<victim@elsewhere.test.>"
            })
    void aStrangerCannotRelayInAnyForm(String path) throws Exception {
        site = relayingSite();
        try (SmtpClient client = new SmtpClient(site.port(), "127.0.0.1")) {
            client.command("EHLO stranger.example.net");
            client.command("MAIL FROM:<spammer@example.net>");
            String reply = client.command("RCPT TO:" + path);
            assertThat(reply)
                    .as(path)
                    .matches("(554 5\\.7\\.1 Relay access denied|501 5\\.1\\.3 .*)");
            assertThat(client.command("RCPT TO:<bob@example.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.data("Subject: relay?\r\n\r\nhi\r\n")).startsWith("250 2.0.0");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> site.delivered("bob@example.test").size() == 1);
        assertThat(smarthost.received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<victim%elsewhere.test@example.test>",
                "<\"victim@elsewhere.test\"@example.test>",
                "<elsewhere.test!victim@example.test>"
            })
    void evenATrustedClientCannotRouteThroughALocalDomain(String path) throws Exception {
        site = relayingSite();
        try (SmtpClient client = new SmtpClient(site.port(), "127.0.0.2")) {
            client.command("EHLO trusted");
            client.command("MAIL FROM:<alice@example.test>");
            assertThat(client.command("RCPT TO:" + path))
                    .as(path)
                    .isEqualTo("554 5.7.1 Relay access denied");
        }
    }

    @Test
    void aClientInRelayNetworksMayRelayThroughTheRelayHost() throws Exception {
        site = relayingSite();
        try (SmtpClient client = new SmtpClient(site.port(), "127.0.0.2")) {
            client.command("EHLO office.example.test");
            client.command("MAIL FROM:<alice@example.test>");
            assertThat(client.command("RCPT TO:<friend@elsewhere.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.data("Subject: out\r\n\r\nhi\r\n"))
                    .startsWith("250 2.0.0 queued as ");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> smarthost.received().size() == 1);
        assertThat(smarthost.received().get(0).recipients())
                .containsExactly("friend@elsewhere.test");
    }

    @Test
    void aTrustedClientWithoutARelayHostIsToldThereIsNoRoute() throws Exception {
        site =
                new TestSite(dir)
                        .property("relay.networks", "127.0.0.1/32")
                        .users(List.of("alice@example.test"))
                        .start();
        try (SmtpClient client = new SmtpClient(site.port())) {
            client.command("EHLO c");
            client.command("MAIL FROM:<alice@example.test>");
            assertThat(client.command("RCPT TO:<friend@elsewhere.test>"))
                    .isEqualTo("550 5.4.4 Unable to route: no relay host for other domains");
        }
    }
}
