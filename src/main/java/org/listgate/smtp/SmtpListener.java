package org.listgate.smtp;

import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.listgate.config.Config;
import org.listgate.delivery.Dispatcher;
import org.listgate.directory.Directory;
import org.listgate.events.EventLog;
import org.listgate.isolation.Boundary;
import org.listgate.spool.Spool;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The SMTP listener: a SubEtha SMTP server with listgate's commands installed. One thread per
 * connection, up to {@code smtp.maxConnections}; an idle client is dropped after
 * {@code smtp.idleTimeout} (421).
 */
public final class SmtpListener implements AutoCloseable {

    /** Binding the port failed; the message is the one line the operator sees. */
    public static final class BindFailure extends Exception {
        BindFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final SMTPServer server;
    private final SubethaAdapter adapter;
    private final ExecutorService sessions;
    private final String where;

    public SmtpListener(Config config, Directory directory, Spool spool, Dispatcher dispatcher, EventLog events,
            Boundary boundary) {
        SmtpContext context = new SmtpContext(config.smtp().hostname(), config.limits(),
                new RecipientPolicy(directory), spool, dispatcher, events, boundary);
        this.adapter = new SubethaAdapter(context);
        this.where = config.smtp().bind().getHostAddress() + ":" + config.smtp().port();
        AtomicInteger number = new AtomicInteger();
        this.sessions = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "smtp-session-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.server = SMTPServer.port(config.smtp().port())
                .bindAddress(config.smtp().bind())
                .hostName(config.smtp().hostname())
                .softwareName("listgate")
                .messageHandlerFactory(adapter)
                .sessionHandler(adapter)
                .executorService(sessions)
                .maxConnections(config.smtp().maxConnections())
                .connectionTimeout((int) config.smtp().idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxRecipients(-1)
                .insertReceivedHeaders(false)
                .build();
        adapter.install(server);
    }

    public void start() throws BindFailure {
        try {
            server.start();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof BindException && cause.getMessage() != null
                    && cause.getMessage().contains("Permission denied")) {
                throw new BindFailure("cannot listen on " + where + ": permission denied (ports below 1024 need root"
                        + " or CAP_NET_BIND_SERVICE; or use --port 2525)", e);
            }
            throw new BindFailure("cannot listen on " + where + ": " + cause.getMessage(), e);
        }
    }

    /** The port listened on (the real one when 0 was asked for). */
    public int port() {
        return server.getPortAllocated();
    }

    /**
     * Stops taking new mail (new connections and MAIL get 421), waits up to {@code grace} for
     * the transactions in flight to finish, then closes every connection.
     */
    public void stop(Duration grace) {
        adapter.drain();
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
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
