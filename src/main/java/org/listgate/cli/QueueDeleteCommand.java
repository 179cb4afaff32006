package org.listgate.cli;

import java.io.IOException;
import java.util.Optional;
import org.listgate.Gateway;
import org.listgate.delivery.Bouncer;
import org.listgate.delivery.Deletion;
import org.listgate.directory.Directory;
import org.listgate.events.EventLog;
import org.listgate.spool.ControlRequest;
import org.listgate.spool.Spool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code queue delete ID [--no-bounce]}: removes a message from the queue. Its recipients not yet
 * delivered fail with 5.0.0 (a 4037 each) and, unless {@code --no-bounce}, the sender (or the
 * list's owner) gets a report, as for any failure. Without a server the report is queued in the
 * spool and goes out at the next start.
 */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Delete a message from the queue; its sender is told unless --no-bounce.")
final class QueueDeleteCommand extends QueueCommand.Request {

    @Parameters(paramLabel = "ID", description = "The queue id, as queue list shows it.")
    String id;

    @Option(names = "--no-bounce", description = "Tell nobody (no delivery status notification).")
    boolean noBounce;

    @Override
    int act() throws IOException {
        Optional<String> queueId = queueId(id);
        if (queueId.isEmpty() || !spoolExists()) {
            return noSuchMessage(id);
        }
        try (Spool spool = spool(new EventLog(config.smtp().hostname()))) {
            // Read before asking the server, only to word the answer: a null sender gets no report.
            Optional<Spool.Stored> seen = spool.find(queueId.get());
            if (!spool.openIfIdle()) {
                return ask(
                        spool,
                        new ControlRequest.Delete(queueId.get(), !noBounce),
                        Optional.of(deleted(queueId.get(), seen)));
            }
            Optional<Spool.Stored> stored = spool.find(queueId.get());
            if (stored.isEmpty()) {
                return noSuchMessage(id);
            }
            EventLog events = eventsForCommand();
            Optional<Bouncer> bouncer = Optional.empty();
            Directory directory = null;
            if (!noBounce) {
                // Only to route a list member's report (the list's owner, a local sender or the
                // postmaster) as the server would.
                directory = Gateway.directory(config, events);
                directory.reload();
                bouncer = Optional.of(Gateway.bouncer(config, spool, directory, events));
            }
            try {
                Deletion.delete(spool, stored.get(), bouncer, events, java.time.Clock.systemUTC());
            } catch (Bouncer.Partial e) {
                return fail(
                        1,
                        "the report on "
                                + queueId.get()
                                + " could not be queued ("
                                + e.getMessage()
                                + "); the message is kept, and the next start reports on it and removes it");
            } finally {
                if (directory != null) {
                    directory.close();
                }
            }
            out().println(deleted(queueId.get(), stored));
            return 0;
        }
    }

    private String deleted(String queueId, Optional<Spool.Stored> stored) {
        if (noBounce) {
            return "deleted " + queueId + " silently";
        }
        boolean nullSender =
                stored.isPresent() && stored.get().message().envelope().sender().isEmpty();
        return "deleted "
                + queueId
                + (nullSender ? " (no report: the sender is <>)" : " (the sender is told)");
    }
}
