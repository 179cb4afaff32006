package org.listgate.cli;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.listgate.events.EventLog;
import org.listgate.spool.Spool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code queue list [--json]}: every message in the queue, oldest first; only reads the spool. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description =
                "List the queued messages, oldest first, with their recipients counted by state.")
final class QueueListCommand extends QueueCommand.Subcommand {

    @Option(names = "--json", description = "Print a JSON array, one object a message.")
    boolean json;

    @Override
    int run() throws IOException {
        List<Spool.Stored> messages = List.of();
        if (spoolExists()) {
            // Queue ids start with the arrival time in hex, so scan()'s order is oldest first.
            try (Spool spool = spool(new EventLog(config.smtp().hostname()))) {
                messages = spool.scan();
            }
        }
        Instant now = Instant.now();
        if (json) {
            out().println(QueueView.listJson(messages, now));
        } else {
            QueueView.list(out(), messages, now);
        }
        return 0;
    }
}
