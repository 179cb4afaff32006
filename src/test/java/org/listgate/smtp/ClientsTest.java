package org.listgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.listgate.config.Cidr;
import org.listgate.config.Config;

class ClientsTest {

    private static final Config.Guard GUARD =
            new Config.Guard(
                    java.time.Duration.ofSeconds(60),
                    500,
                    2,
                    0,
                    0,
                    10,
                    20,
                    java.time.Duration.ofSeconds(1),
                    100);

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void countsAnIpv6ClientByItsSlash64AndAnIpv4ClientByItsAddress() throws Exception {
        assertThat(Clients.key(ip("2001:db8:1:2:aaaa::1")))
                .isEqualTo(Clients.key(ip("2001:db8:1:2:bbbb::9")))
                .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(Clients.key(ip("2001:db8:1:3::1")))
                .isNotEqualTo(Clients.key(ip("2001:db8:1:2::1")));
        assertThat(Clients.key(ip("192.0.2.1"))).isEqualTo("192.0.2.1");
    }

    @Test
    void refusesPastThePerClientLimitAndTheSameSlash64CountsAsOneClient() throws Exception {
        Clients clients =
                new Clients(GUARD, Config.Auth.none(), List.of(), 1000, (client, refusals) -> {});
        assertThat(clients.open(ip("2001:db8::1"))).isEmpty();
        assertThat(clients.open(ip("2001:db8::2"))).isEmpty();
        assertThat(clients.open(ip("2001:db8::3"))).contains(Reply.CLIENT_CONNECTIONS);
        assertThat(clients.open(ip("2001:db8:0:1::1"))).isEmpty();
        clients.closed(ip("2001:db8::1"));
        assertThat(clients.open(ip("2001:db8::3"))).isEmpty();
    }

    @Test
    void aTrustedNetworkIsNotLimitedPerClientButTheServerLimitHolds() throws Exception {
        Clients clients =
                new Clients(
                        GUARD,
                        Config.Auth.none(),
                        List.of(Cidr.parse("192.0.2.0/24")),
                        5,
                        (client, refusals) -> {});
        for (int i = 0; i < 5; i++) {
            assertThat(clients.open(ip("192.0.2.7"))).isEmpty();
        }
        assertThat(clients.open(ip("192.0.2.7"))).isEqualTo(Optional.of(Reply.SERVER_FULL));
        assertThat(clients.isTrusted(ip("192.0.2.200"))).isTrue();
        assertThat(clients.isTrusted(ip("192.0.3.1"))).isFalse();
    }

    @Test
    void logsAHundredRefusalsAMinuteAndCountsTheRest() throws Exception {
        Clients clients =
                new Clients(GUARD, Config.Auth.none(), List.of(), 1000, (client, refusals) -> {});
        int logged = 0;
        for (int i = 0; i < 250; i++) {
            logged += clients.mayLogRefusal(ip("198.51.100.9")) ? 1 : 0;
        }
        assertThat(logged).isEqualTo(Clients.LOGGED_REFUSALS_PER_MINUTE);
        assertThat(clients.takeSuppressed(ip("198.51.100.9"))).isEqualTo(150);
        assertThat(clients.takeSuppressed(ip("198.51.100.9"))).isZero();
    }

    @Test
    void aClientThatHasGoneIsForgottenWithinTwoMinutesAndItsUnloggedRefusalsAreReported()
            throws Exception {
        long[] now = {0};
        java.util.Map<String, Integer> unlogged = new java.util.HashMap<>();
        Clients clients =
                new Clients(
                        GUARD, Config.Auth.none(), List.of(), 1000, unlogged::put, () -> now[0]);
        InetAddress gone = ip("198.51.100.9");
        assertThat(clients.open(gone)).isEmpty();
        for (int i = 0; i < 150; i++) {
            clients.mayLogRefusal(gone);
        }
        clients.closed(gone);
        assertThat(clients.remembered()).isEqualTo(1);

        now[0] += java.time.Duration.ofMinutes(2).toNanos();
        assertThat(clients.open(ip("192.0.2.1"))).isEmpty();

        assertThat(clients.remembered()).isEqualTo(1);
        assertThat(unlogged).containsExactly(java.util.Map.entry("198.51.100.9", 50));
    }
}
