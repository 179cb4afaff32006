package org.listgate.smtp;

import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.listgate.config.Cidr;
import org.listgate.config.Config;
import org.listgate.directory.Directory;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.isolation.Boundary;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.Spool;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The SMTP listener: a SubEtha SMTP server with listgate's commands installed. One thread per
 * connection, up to {@code smtp.maxConnections}; an idle client is dropped after {@code
 * smtp.idleTimeout} (421).
 */
public final class SmtpListener implements AutoCloseable {

    /** Binding the port failed; the message is the one line the operator sees. */
    public static final class BindFailure extends Exception {
        private static final long serialVersionUID = 1L;

        BindFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * What the listener reads of the configuration: {@code smtp.*}, {@code limits.*}, the client
     * guard and content rules, AUTH, {@code relay.networks}, whether a {@code relay.host} is set
     * and whether {@code tls.required} is.
     */
    public record Settings(
            Config.Smtp smtp,
            Config.Limits limits,
            Config.Guard guard,
            Config.Content content,
            Config.Auth auth,
            List<Cidr> relayNetworks,
            boolean relayHost,
            boolean tlsRequired) {}

    private final SMTPServer server;
    private final Clients clients;
    private final SubethaAdapter adapter;
    private final ExecutorService sessions;
    private final Watchdog watchdog;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final String where;

    /**
     * {@code accepted}: told of each message once it is durable (smtp does not know delivery);
     * {@code tls}: the STARTTLS context when {@code tls.keystore} is set; {@code authenticator}:
     * the password check when {@code auth.passwordFile} is set.
     */
    public SmtpListener(
            Settings settings,
            Directory directory,
            Spool spool,
            Consumer<QueuedMessage> accepted,
            EventLog events,
            Boundary boundary,
            Optional<SSLContext> tls,
            Optional<Authenticator> authenticator) {
        Config.Smtp smtp = settings.smtp();
        this.watchdog =
                new Watchdog(
                        smtp.idleTimeout(),
                        socket ->
                                events.emit(
                                        Event.of(EventId.CLIENT_CUT_OFF)
                                                .with(
                                                        "client",
                                                        socket.getInetAddress().getHostAddress())
                                                .with("limit", "write timeout")
                                                .with(
                                                        "detail",
                                                        "the client did not read a reply within smtp.idleTimeout")));
        this.clients =
                new Clients(
                        settings.guard(),
                        settings.auth(),
                        settings.relayNetworks(),
                        smtp.maxConnections(),
                        (client, refusals) ->
                                events.emit(
                                        Event.of(EventId.REFUSALS_NOT_LOGGED)
                                                .with("client", client)
                                                .with("refusals", refusals)));
        SmtpContext context =
                new SmtpContext(
                        smtp.hostname(),
                        settings.limits(),
                        settings.guard(),
                        settings.content(),
                        new RecipientPolicy(directory, settings.relayHost()),
                        spool,
                        accepted,
                        events,
                        boundary,
                        clients,
                        tls.map(c -> new StartTls(c, settings.guard().commandTimeout(), watchdog)),
                        settings.tlsRequired(),
                        authenticator,
                        settings.auth().allowPlaintext(),
                        draining::get);
        Wire.Timing timing =
                new Wire.Timing(
                        smtp.idleTimeout(),
                        settings.guard().commandTimeout(),
                        settings.guard().minDataRate());
        WireSocket.Server.Wiring wiring =
                socket -> new Wire(socket, timing, Dialogue.VERBS, smtp.hostname(), watchdog);
        this.adapter = new SubethaAdapter(context, wiring);
        this.where = smtp.bind().getHostAddress() + ":" + smtp.port();
        AtomicInteger number = new AtomicInteger();
        this.sessions =
                Executors.newCachedThreadPool(
                        runnable -> {
                            Thread thread =
                                    new Thread(
                                            runnable, "smtp-session-" + number.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        });
        this.server =
                SMTPServer.port(smtp.port())
                        .bindAddress(smtp.bind())
                        .hostName(smtp.hostname())
                        .softwareName("listgate")
                        .serverSocketFactory(() -> new WireSocket.Server(wiring))
                        .sessionHandler(adapter)
                        .executorService(sessions)
                        // Postfix listens with a backlog of 100; Java's default of 50 drops a
                        // burst.
                        .backlog(100)
                        // listgate refuses past smtp.maxConnections itself, with an enhanced code;
                        // SubEtha's
                        // own limit sits above it so that its reply is never the one a client sees.
                        .maxConnections(smtp.maxConnections() + 64)
                        .connectionTimeout(
                                (int) smtp.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .maxRecipients(-1)
                        .insertReceivedHeaders(false)
                        .build();
        adapter.install(server);
    }

    public void start() throws BindFailure {
        try {
            server.start();
        } catch (RuntimeException e) { // isolation: library seam, SubEtha reports a failed bind so
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof BindException
                    && cause.getMessage() != null
                    && cause.getMessage().contains("Permission denied")) {
                throw new BindFailure(
                        "cannot listen on "
                                + where
                                + ": permission denied (ports below 1024 need root"
                                + " or CAP_NET_BIND_SERVICE; or use --port 2525)",
                        e);
            }
            throw new BindFailure("cannot listen on " + where + ": " + cause.getMessage(), e);
        }
    }

    /** The port listened on (the real one when 0 was asked for). */
    public int port() {
        return server.getPortAllocated();
    }

    /** Whether it is listening. */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** Connections open now. */
    public int openConnections() {
        return clients.counts().open();
    }

    /** Connections accepted since the start. */
    public long connectionsOpened() {
        return clients.counts().opened();
    }

    /** Connections refused for a limit (server full, per client, rate) since the start. */
    public long connectionsRefused() {
        return clients.counts().refused();
    }

    /**
     * Stops taking new mail (new connections and MAIL get 421), waits up to {@code grace} for the
     * transactions in flight to finish, then closes every connection.
     */
    public void stop(Duration grace) {
        draining.set(true);
        long deadline = System.nanoTime() + grace.toNanos();
        while (adapter.openTransactions() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop();
        watchdog.close();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
