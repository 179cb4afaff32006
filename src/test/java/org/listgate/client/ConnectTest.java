package org.listgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connections to real loopback ports: one that listens, one that does not. */
class ConnectTest {

    @Test
    void aListeningServerIsConnectedWithTheTimeoutForEveryRead() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket socket =
                        Connect.open("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(3))) {
            assertThat(socket.isConnected()).isTrue();
            assertThat(socket.getTcpNoDelay()).isTrue();
            assertThat(socket.getSoTimeout()).isEqualTo(3000);
        }
    }

    @Test
    void aPortNobodyListensOnIsRefused() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }

        assertThatThrownBy(() -> Connect.open("127.0.0.1", port, Duration.ofSeconds(3)))
                .isInstanceOfSatisfying(
                        Connect.Failure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(Connect.Kind.REFUSED));
    }
}
