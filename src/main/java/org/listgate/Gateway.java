package org.listgate;

import java.io.IOException;
import java.time.Duration;
import org.listgate.config.Config;
import org.listgate.delivery.Dispatcher;
import org.listgate.directory.Directory;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.expansion.Expander;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;
import org.listgate.smtp.SmtpListener;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.Spool;

/**
 * The composition root: builds every part from the configuration, in the order the mail flows
 * (smtp → spool → expansion → delivery → events), starts them and stops them. No framework.
 */
public final class Gateway implements AutoCloseable {

    private final Config config;
    private final EventLog events;
    private final Directory directory;
    private final Spool spool;
    private final Dispatcher dispatcher;
    private final SmtpListener listener;
    private volatile boolean stopped;

    public Gateway(Config config, EventLog events) {
        this.config = config;
        this.events = events;
        Boundary boundary = new Boundary(events);
        boundary.installUncaughtHandler();
        FaultInjector faults = new FaultInjector(config.faultInject());
        this.directory = new Directory(config.domains(), config.usersFile(), config.listsFile(), events);
        this.spool = new Spool(config.spoolDir(), events);
        Expander expander = new Expander(directory, config.limits().maxExpansion(), false, faults, boundary);
        this.dispatcher = new Dispatcher(expander, spool, config.maildirRoot(), config.delivery().threads(),
                config.smtp().hostname(), events, boundary, faults);
        this.listener = new SmtpListener(config, directory, spool, dispatcher, events, boundary);
    }

    /** Opens the spool, reads the directory, resumes what the spool holds, then listens. */
    public void start() throws IOException, SmtpListener.BindFailure {
        spool.open();
        directory.reload();
        directory.watch(config.delivery().directoryPoll());
        listener.start();
        for (QueuedMessage message : spool.recover()) {
            events.emit(Event.of(EventId.SPOOL_RECOVERED).with("queueId", message.queueId())
                    .with("recipients", message.envelope().recipients().size()));
            dispatcher.submit(message);
        }
        events.emit(Event.of(EventId.SERVICE_STARTED)
                .with("listen", config.smtp().bind().getHostAddress() + ":" + listener.port())
                .with("port", listener.port())
                .with("hostname", config.smtp().hostname())
                .with("domains", String.join(",", config.domains()))
                .with("pid", ProcessHandle.current().pid()));
    }

    public int port() {
        return listener.port();
    }

    /** Re-reads the directory (SIGHUP). */
    public void reload() {
        directory.reload();
    }

    /** Messages accepted and not yet finished. */
    public int deliveriesInFlight() {
        return dispatcher.inFlight();
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
        listener.stop(grace);
        dispatcher.close(grace);
        directory.close();
        events.emit(Event.of(EventId.SERVICE_STOPPED).with("pid", ProcessHandle.current().pid()));
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
