package org.listgate.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;

/** 127.0.0.1, where the servers the tests start listen: a free port, and whether one listens. */
public final class Loopback {

    /** 127.0.0.1 itself (not whatever "localhost" resolves to). */
    public static final InetAddress ADDRESS = address();

    private Loopback() {}

    /** A port nobody listens on at this moment. */
    public static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, ADDRESS)) {
            return probe.getLocalPort();
        }
    }

    /** Whether a connection to {@code port} is accepted within 200 ms. */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ADDRESS, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetAddress address() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
