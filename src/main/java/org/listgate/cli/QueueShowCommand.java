package org.listgate.cli;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.listgate.events.EventLog;
import org.listgate.spool.Spool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code queue show ID [--json]}: one message's envelope and each recipient's state; only reads.
 */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Show one queued message: its envelope, then each recipient's state.")
final class QueueShowCommand extends QueueCommand.Subcommand {

    @Parameters(paramLabel = "ID", description = "The queue id, as queue list shows it.")
    String id;

    @Option(names = "--json", description = "Print a JSON object.")
    boolean json;

    @Override
    int run() throws IOException {
        Optional<String> queueId = queueId(id);
        if (queueId.isEmpty() || !spoolExists()) {
            return noSuchMessage(id);
        }
        Optional<Spool.Stored> stored;
        try (Spool spool = spool(new EventLog(config.smtp().hostname()))) {
            stored = spool.find(queueId.get());
        }
        if (stored.isEmpty()) {
            return noSuchMessage(id);
        }
        Instant now = Instant.now();
        if (json) {
            out().println(QueueView.showJson(stored.get(), now));
        } else {
            QueueView.show(out(), stored.get(), now);
        }
        return 0;
    }
}
