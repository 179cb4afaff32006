package org.listgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.listgate.config.Config;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * A real SMTP server on a free loopback port standing in for the smarthost, built on SubEtha SMTP.
 * It answers each RCPT by a rule (by default by local part: {@code temp*} 450 4.2.0, {@code perm*}
 * 550 5.1.1, else 250), the end of DATA with 250 or a reply the test sets, and can refuse whole
 * sessions. It records each message it accepts: envelope sender ({@code ""} for {@code <>}),
 * accepted recipients, the content bytes as received (dot-unstuffed, no trace header added) and
 * whether the session was under TLS.
 *
 * <p>{@link #stop()} takes it down (the port refuses connections); {@link #restart()} listens on
 * the same port again. With {@link Builder#offeringStartTls()} it advertises STARTTLS with a
 * self-signed certificate made by the JDK's keytool at first use.
 */
public final class Smarthost implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    /** A reply the double gives: {@code 550} and {@code "5.1.1 <x@y>: user unknown"}. */
    public record Reply(int code, String text) {
        public static final Reply OK = new Reply(250, "2.1.5 Ok");

        public boolean refuses() {
            return code >= 400;
        }
    }

    /** A message the double accepted at the end of DATA. */
    @SuppressWarnings("ArrayRecordComponent") // read by the tests, never compared or hashed
    public record Received(String sender, List<String> recipients, byte[] content, boolean tls) {
        public Received {
            recipients = List.copyOf(recipients);
        }

        public String text() {
            return new String(content, StandardCharsets.ISO_8859_1);
        }
    }

    public static final class Builder {
        private boolean startTls;

        public Builder offeringStartTls() {
            this.startTls = true;
            return this;
        }

        public Smarthost start() {
            return new Smarthost(startTls);
        }
    }

    private final boolean startTls;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<String, Reply> recipients = Smarthost::byLocalPart;
    private volatile Reply endOfData = new Reply(250, "2.0.0 Ok");
    private volatile Optional<Reply> refusal = Optional.empty();
    private final int port;
    private SMTPServer server;
    private ExecutorService sessions;

    private Smarthost(boolean startTls) {
        this.startTls = startTls;
        listen(0);
        this.port = server.getPortAllocated();
    }

    /** A double without STARTTLS, answering by local part. */
    public static Smarthost start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default RCPT rule: {@code temp*} 450 4.2.0, {@code perm*} 550 5.1.1, else 250. */
    public static Reply byLocalPart(String address) {
        int at = address.lastIndexOf('@');
        String localPart = at < 0 ? address : address.substring(0, at);
        if (localPart.startsWith("temp")) {
            return new Reply(450, "4.2.0 mailbox busy");
        }
        if (localPart.startsWith("perm")) {
            return new Reply(550, "5.1.1 <" + address + ">: user unknown");
        }
        return Reply.OK;
    }

    /**
     * How each RCPT is answered from now on, given the address as the client sent it. A 4yz or 5yz
     * reply is sent as it is; any other accepts (SubEtha then answers {@code 250 Ok}).
     */
    public Smarthost answerRecipients(Function<String, Reply> rule) {
        this.recipients = rule;
        return this;
    }

    /** How the end of DATA is answered from now on; the message is recorded only on a 2yz. */
    public Smarthost answerEndOfData(int code, String text) {
        this.endOfData = new Reply(code, text);
        return this;
    }

    /** Greet every new session with this reply instead of 220. */
    public Smarthost refuseSessions(int code, String text) {
        this.refusal = Optional.of(new Reply(code, text));
        return this;
    }

    public int port() {
        return port;
    }

    /** A relay configuration pointing here, with short timeouts. */
    public Config.Relay relay(Config.Tls tls) {
        return new Config.Relay(
                HOST, port, tls, Duration.ofSeconds(5), Duration.ofSeconds(10), 100, 4);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Down: the port is closed and open sessions are dropped. */
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            sessions.shutdownNow();
            server = null;
        }
    }

    /** Up again on the same port (SO_REUSEADDR, so a port in TIME_WAIT can be bound). */
    public synchronized void restart() {
        stop();
        listen(port);
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void listen(int onPort) {
        sessions =
                Executors.newCachedThreadPool(
                        runnable -> {
                            Thread thread = new Thread(runnable, "smarthost-session");
                            thread.setDaemon(true);
                            return thread;
                        });
        SMTPServer.Builder builder =
                SMTPServer.port(onPort)
                        .bindAddress(loopback())
                        .hostName("smarthost.test")
                        .softwareName("smarthost double")
                        .executorService(sessions)
                        .insertReceivedHeaders(false)
                        .connectionTimeout(30, TimeUnit.SECONDS)
                        .serverSocketFactory(
                                () -> {
                                    ServerSocket socket = new ServerSocket();
                                    socket.setReuseAddress(true);
                                    return socket;
                                })
                        .sessionHandler(
                                new SessionHandler() {
                                    @Override
                                    public SessionAcceptance accept(Session session) {
                                        return refusal.map(
                                                        reply ->
                                                                SessionAcceptance.failure(
                                                                        reply.code(), reply.text()))
                                                .orElse(SessionAcceptance.success());
                                    }

                                    @Override
                                    public void onSessionEnd(Session session) {}
                                })
                        .messageHandlerFactory(Transaction::new);
        if (startTls) {
            builder.enableTLS().startTlsSocketFactory(SelfSigned.CONTEXT);
        }
        server = builder.build();
        server.start();
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByName(HOST);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One mail transaction as SubEtha hands it over. */
    private final class Transaction implements MessageHandler {
        private final Session session;
        private String sender = "";
        private final List<String> accepted = new ArrayList<>();

        Transaction(MessageContext context) {
            this.session = (Session) context;
        }

        @Override
        public void from(String from) {
            this.sender = from;
        }

        @Override
        public void recipient(String recipient) throws RejectException {
            Reply reply = recipients.apply(recipient);
            if (reply.refuses()) {
                throw new RejectException(reply.code(), reply.text());
            }
            accepted.add(recipient);
        }

        @Override
        public String data(InputStream data) throws RejectException, IOException {
            // Read to the end first: a reply before the stream is drained would make SubEtha
            // read the rest of the body as commands.
            byte[] content = data.readAllBytes();
            Reply reply = endOfData;
            if (reply.refuses()) {
                throw new RejectException(reply.code(), reply.text());
            }
            received.add(new Received(sender, accepted, content, session.isTLSStarted()));
            return reply.text() + " queued as " + received.size();
        }

        @Override
        public void done() {}
    }

    /** A key pair and self-signed certificate made by keytool once per test run, held in memory. */
    private static final class SelfSigned {
        private static final char[] PASSWORD = "smarthost".toCharArray();
        static final SSLContext CONTEXT = create();

        private static SSLContext create() {
            try {
                Path dir = Files.createTempDirectory("smarthost-tls");
                Path store = dir.resolve("smarthost.p12");
                try {
                    String keytool =
                            Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
                    Process process =
                            new ProcessBuilder(
                                            keytool,
                                            "-genkeypair",
                                            "-alias",
                                            "smarthost",
                                            "-keyalg",
                                            "EC",
                                            "-groupname",
                                            "secp256r1",
                                            "-dname",
                                            "CN=smarthost.test",
                                            "-ext",
                                            "SAN=dns:smarthost.test,ip:127.0.0.1",
                                            "-validity",
                                            "2",
                                            "-storetype",
                                            "PKCS12",
                                            "-keystore",
                                            store.toString(),
                                            "-storepass",
                                            new String(PASSWORD),
                                            "-keypass",
                                            new String(PASSWORD))
                                    .redirectErrorStream(true)
                                    .start();
                    String output =
                            new String(
                                    process.getInputStream().readAllBytes(),
                                    StandardCharsets.UTF_8);
                    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                        throw new IllegalStateException("keytool failed: " + output);
                    }
                    KeyStore keys = KeyStore.getInstance("PKCS12");
                    try (InputStream in = Files.newInputStream(store)) {
                        keys.load(in, PASSWORD);
                    }
                    KeyManagerFactory managers =
                            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    managers.init(keys, PASSWORD);
                    SSLContext context = SSLContext.getInstance("TLS");
                    context.init(managers.getKeyManagers(), null, null);
                    return context;
                } finally {
                    Files.deleteIfExists(store);
                    Files.deleteIfExists(dir);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
