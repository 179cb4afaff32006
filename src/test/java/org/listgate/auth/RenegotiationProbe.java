package org.listgate.auth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.listgate.testing.SelfSignedCertificate;

/**
 * Run in a JVM of its own, because the JDK reads the renegotiation property once per JVM: {@code
 * java ... RenegotiationProbe hardened|default}. A TLS 1.2 client connects to a {@link TlsContexts}
 * server, exchanges a byte, asks to renegotiate, and exchanges another. Prints {@code renegotiated}
 * or {@code refused}.
 */
public final class RenegotiationProbe {

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("hardened")) {
            TlsContexts.hardenJsse();
        }
        Path dir = Files.createTempDirectory("renegotiation");
        SelfSignedCertificate certificate =
                SelfSignedCertificate.create(
                        dir, "mx.example.test", SelfSignedCertificate.KeyType.EC);
        SSLContext context = TlsContexts.server(certificate.serverTls());
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> echoOnce(listener, context));
            server.setDaemon(true);
            server.start();
            try (SSLSocket client =
                    (SSLSocket)
                            certificate
                                    .clientContext()
                                    .getSocketFactory()
                                    .createSocket(
                                            listener.getInetAddress(), listener.getLocalPort())) {
                client.setSoTimeout(10_000);
                client.setEnabledProtocols(new String[] {"TLSv1.2"});
                client.startHandshake();
                exchange(client, 'a');
                String outcome;
                try {
                    client.startHandshake(); // TLS 1.2: a new ClientHello, client-initiated
                    // renegotiation
                    exchange(client, 'b');
                    outcome = "renegotiated";
                } catch (IOException e) {
                    outcome = "refused";
                }
                System.out.println(outcome);
            }
        } finally {
            Files.deleteIfExists(certificate.keystore());
            Files.deleteIfExists(certificate.pem());
            Files.deleteIfExists(dir);
        }
    }

    private static void exchange(SSLSocket client, char c) throws IOException {
        client.getOutputStream().write(c);
        client.getOutputStream().flush();
        if (client.getInputStream().read() != c) {
            throw new IOException("no echo");
        }
    }

    private static void echoOnce(ServerSocket listener, SSLContext context) {
        try (Socket plain = listener.accept();
                SSLSocket socket = TlsContexts.serverSocket(context, plain)) {
            for (int b = socket.getInputStream().read();
                    b >= 0;
                    b = socket.getInputStream().read()) {
                socket.getOutputStream().write(b);
                socket.getOutputStream().flush();
            }
        } catch (IOException e) {
            // the client sees the refusal
        }
    }
}
