package org.listgate;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.listgate.address.Mailbox;
import org.listgate.auth.CredentialFileException;
import org.listgate.auth.PasswordFile;
import org.listgate.auth.TlsContexts;
import org.listgate.config.Config;
import org.listgate.delivery.Agents;
import org.listgate.delivery.Bouncer;
import org.listgate.delivery.QueueManager;
import org.listgate.delivery.Workers;
import org.listgate.directory.Directory;
import org.listgate.directory.DirectoryUnavailable;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.expansion.Expander;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;
import org.listgate.metrics.Metrics;
import org.listgate.metrics.MetricsServer;
import org.listgate.smtp.SmtpListener;
import org.listgate.spool.Control;
import org.listgate.spool.ControlRequest;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.Spool;

/**
 * The composition root: builds every part from the configuration, in the order the mail flows (smtp
 * → spool → expansion → delivery → events), starts them and stops them. No framework.
 */
public final class Gateway implements AutoCloseable {

    private final Config config;
    private final EventLog events;
    private final Directory directory;
    private final Spool spool;
    private final QueueManager queueManager;
    private final SmtpListener listener;
    private volatile boolean stopped;
    private volatile PasswordFile passwords;
    private final Boundary boundary;
    private Control control;

    /**
     * Counted only when served ({@code metrics.port}): Micrometer costs classes and GC listeners.
     */
    private final Optional<Metrics> metrics;

    private MetricsServer metricsServer;

    /**
     * Builds every part. Throws when the TLS keystore or the AUTH password file cannot be used (the
     * message is one line naming the file).
     */
    public Gateway(Config config, EventLog events) throws CredentialFileException {
        this.config = config;
        this.events = events;
        this.boundary = new Boundary(events);
        boundary.installUncaughtHandler();
        FaultInjector faults = new FaultInjector(config.faultInject());
        this.directory = directory(config, events);
        this.spool =
                new Spool(
                        config.spoolDir(),
                        events,
                        boundary,
                        config.queue().groupCommit(),
                        config.queue().minFreeBytes(),
                        faults,
                        config.smtp().gatewayId());
        Expander expander = expander(config, directory, faults, boundary);
        Bouncer bouncer = bouncer(config, spool, directory, events);
        String hostname = config.smtp().hostname();
        this.queueManager =
                new QueueManager(
                        config.queue(),
                        config.content().maxHeaderBytes(),
                        config.relay().map(Config.Relay::maxRecipients).orElse(100),
                        expander,
                        spool,
                        bouncer,
                        events,
                        boundary,
                        faults,
                        Agents.of(
                                config.maildir(),
                                config.relay(),
                                config.delivery().lmtp(),
                                hostname),
                        Workers.threads(
                                config.delivery().threads(),
                                config.relay().map(Config.Relay::threads).orElse(1)),
                        Clock.systemUTC());
        Optional<SSLContext> tls =
                config.tls().isPresent()
                        ? Optional.of(TlsContexts.server(config.tls().get()))
                        : Optional.empty();
        if (config.auth().passwordFile().isPresent()) {
            passwords = PasswordFile.load(config.auth().passwordFile().get());
        }
        SmtpListener.Settings smtp =
                new SmtpListener.Settings(
                        config.smtp(),
                        config.limits(),
                        config.guard(),
                        config.content(),
                        config.auth(),
                        config.relayNetworks(),
                        config.relay().isPresent(),
                        config.tls().map(Config.ServerTls::required).orElse(false));
        this.listener =
                new SmtpListener(
                        smtp,
                        directory,
                        spool,
                        queueManager::submit,
                        events,
                        boundary,
                        tls,
                        config.auth()
                                .passwordFile()
                                .map(file -> (user, password) -> passwords.verify(user, password)));
        this.metrics = config.metrics().map(unused -> registerMetrics(new Metrics()));
    }

    /** The levels the metrics read when scraped; the events they count as they are emitted. */
    private Metrics registerMetrics(Metrics metrics) {
        events.listen(metrics::count);
        metrics.gauge("smtpd_connections_open", "SMTP connections open", listener::openConnections);
        metrics.counter(
                "smtpd_connections", "SMTP connections accepted", listener::connectionsOpened);
        metrics.counter(
                "smtpd_connections_refused",
                "SMTP connections refused for a limit",
                listener::connectionsRefused);
        metrics.gauge("queue_messages", "Messages in the queue", queueManager::inFlight);
        metrics.gauge(
                "queue_oldest_age_seconds",
                "How long the oldest message in the queue has waited",
                () -> queueManager.oldestAge().toMillis() / 1000.0);
        metrics.counter("directory_lookups", "Directory lookups", directory::lookups);
        metrics.counter(
                "directory_lookup_failures",
                "Directory lookups not answered (outage)",
                directory::lookupFailures);
        return metrics;
    }

    /** {@code /health}: the listener listens, the spool takes mail, the directory answers. */
    private java.util.List<MetricsServer.Check> healthChecks() {
        return java.util.List.of(
                new MetricsServer.Check(
                        "smtp",
                        () ->
                                listener.isRunning()
                                        ? Optional.empty()
                                        : Optional.of("not listening")),
                new MetricsServer.Check("spool", spool::problem),
                new MetricsServer.Check(
                        "directory",
                        () ->
                                directory.healthy()
                                        ? Optional.empty()
                                        : Optional.of("unavailable (see event 3014)")));
    }

    /**
     * Takes the spool (one server per spool), reads the directory, listens, resumes what the spool
     * holds, and serves {@code listgate queue} requests.
     */
    public void start() throws IOException, SmtpListener.BindFailure {
        spool.open();
        directory.reload();
        if (config.postmasterAddress().isEmpty() && !knows(directory, directory.postmaster())) {
            // RFC 5321 §4.5.1 mail is still accepted: it goes to the Maildir of postmaster@<first
            // domain>.
            org.slf4j.LoggerFactory.getLogger(Gateway.class)
                    .warn(
                            "no user {} and no postmaster.address: mail to"
                                    + " the postmaster goes to that Maildir; set postmaster.address to a mailbox someone reads",
                            directory.postmaster().address());
        }
        directory.watch(config.delivery().directoryPoll());
        List<Path> backlog = spool.backlog();
        listener.start();
        for (Spool.Stored stored : spool.recover(backlog)) {
            QueuedMessage message = stored.message();
            events.emit(
                    Event.about(EventId.SPOOL_RECOVERED, message.queueId())
                            .with("recipients", message.envelope().recipients().size())
                            .with("resumed", stored.recipients().isPresent()));
            queueManager.resume(stored);
        }
        control =
                Control.serve(spool.control(), this::administer, boundary, Duration.ofMillis(200));
        if (config.metrics().isPresent() && metrics.isPresent()) {
            metricsServer =
                    MetricsServer.start(
                            config.metrics().get().bind(),
                            config.metrics().get().port(),
                            metrics.get(),
                            healthChecks());
        }
        events.emit(
                Event.of(EventId.SERVICE_STARTED)
                        .with(
                                "listen",
                                config.smtp().bind().getHostAddress() + ":" + listener.port())
                        .with("port", listener.port())
                        .with("hostname", config.smtp().hostname())
                        .with("domains", String.join(",", config.domains()))
                        .with("pid", ProcessHandle.current().pid()));
    }

    /** Whether the directory names {@code mailbox}; yes when it cannot say (no warning then). */
    private static boolean knows(Directory directory, Mailbox mailbox) {
        try {
            return directory.lists(mailbox);
        } catch (DirectoryUnavailable e) {
            return true;
        }
    }

    /**
     * The directory as the server reads it (the offline {@code listgate queue delete} routes its
     * reports with the same one): the users and lists files, and the postmaster.
     */
    public static Directory directory(Config config, EventLog events) {
        if (config.ldap().isPresent()) {
            return Directory.ldap(
                    config.domains(), config.ldap().get(), config.postmasterAddress(), events);
        }
        return new Directory(
                config.domains(),
                config.usersFile(),
                config.listsFile(),
                config.postmasterAddress(),
                events);
    }

    /**
     * The expansion as the server does it ({@code listgate lists check} expands lists with the same
     * one): the cap, and whether members in other domains go to the relay.
     */
    public static Expander expander(
            Config config, Directory directory, FaultInjector faults, Boundary boundary) {
        return new Expander(
                directory,
                config.limits().maxExpansion(),
                config.relay().isPresent(),
                faults,
                boundary);
    }

    /**
     * The reports of {@code spool}'s messages, routed through {@code directory} as the server does.
     */
    public static Bouncer bouncer(
            Config config, Spool spool, Directory directory, EventLog events) {
        return new Bouncer(
                spool, directory, config.smtp().hostname(), directory.postmaster(), events);
    }

    /**
     * One {@code listgate queue} request (see {@link Control}); the answer starts with ok or error.
     */
    private String administer(String line) {
        Optional<ControlRequest> request = ControlRequest.parse(line);
        if (request.isEmpty()) {
            return "error unknown request: "
                    + (line.length() <= 100 ? line : line.substring(0, 100) + "...");
        }
        if (request.get() instanceof ControlRequest.Flush flush) {
            if (flush.queueId().isEmpty()) {
                int flushed = queueManager.flush(Optional.empty());
                return "ok " + flushed + (flushed == 1 ? " message" : " messages") + " flushed";
            }
            String queueId = flush.queueId().get();
            return queueManager.flush(flush.queueId()) == 1
                    ? "ok " + queueId + " flushed"
                    : "error no message " + queueId + " in the queue";
        }
        if (request.get() instanceof ControlRequest.Delete delete) {
            return queueManager.delete(delete.queueId(), delete.report())
                    ? "ok "
                            + delete.queueId()
                            + " deleted"
                            + (delete.report() ? ", the sender is told" : " silently")
                    : "error no message " + delete.queueId() + " in the queue";
        }
        throw new AssertionError(request.get());
    }

    public int port() {
        return listener.port();
    }

    /** Re-reads the directory (SIGHUP). */
    public void reload() {
        directory.reload();
        if (passwords != null) {
            try {
                passwords = PasswordFile.load(passwords.file());
            } catch (CredentialFileException e) {
                // The file as it was stays in force; the operator sees why on the console.
                org.slf4j.LoggerFactory.getLogger(Gateway.class)
                        .warn("{}; the password file read before is kept", e.getMessage());
            }
        }
    }

    /** Messages accepted and not yet finished. */
    public int deliveriesInFlight() {
        return queueManager.inFlight();
    }

    /**
     * Stops: no new mail, transactions in flight finish (up to {@code grace}), deliveries running
     * finish (up to {@code grace}); whatever is left stays in the spool for the next start.
     */
    public synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        release(grace);
        events.emit(Event.of(EventId.SERVICE_STOPPED).with("pid", ProcessHandle.current().pid()));
    }

    /**
     * Gives up a start that failed ({@link #start} threw): releases whatever it had taken and logs
     * 1004 with {@code reason}, the one plain sentence the operator also sees on stderr.
     */
    public synchronized void abandon(String reason) {
        if (stopped) {
            return;
        }
        stopped = true;
        release(Duration.ZERO);
        events.emit(notStarted(reason));
    }

    /** Event 1004: the service could not start, for {@code reason}. */
    public static Event notStarted(String reason) {
        return Event.of(EventId.SERVICE_NOT_STARTED)
                .with(Event.REASON, reason)
                .with("pid", ProcessHandle.current().pid());
    }

    private void release(Duration grace) {
        if (control != null) {
            control.close();
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        listener.stop(grace);
        queueManager.close(grace);
        directory.close();
        spool.close();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
