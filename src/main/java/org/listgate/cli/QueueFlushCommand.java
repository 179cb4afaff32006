package org.listgate.cli;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.spool.ControlRequest;
import org.listgate.spool.Spool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code queue flush [ID]}: every deferred recipient (of one message, or of all) is to be tried
 * now. A running server retries them at once; without one, the flush is written to each message's
 * journal, and the next start tries them straight away instead of at their retry time.
 */
@Command(
        name = "flush",
        mixinStandardHelpOptions = true,
        description = "Retry the deferred recipients of every message, or of one, now.")
final class QueueFlushCommand extends QueueCommand.Request {

    @Parameters(arity = "0..1", paramLabel = "ID", description = "Only this message.")
    String id;

    @Override
    int act() throws IOException {
        Optional<String> queueId = Optional.empty();
        if (id != null) {
            queueId = queueId(id);
            if (queueId.isEmpty()) {
                return noSuchMessage(id);
            }
        }
        if (!spoolExists()) {
            return queueId.isPresent() ? noSuchMessage(id) : flushed(0);
        }
        try (Spool spool = spool(new EventLog(config.smtp().hostname()))) {
            if (!spool.openIfIdle()) {
                return ask(spool, new ControlRequest.Flush(queueId), Optional.empty());
            }
            List<Spool.Stored> messages;
            if (queueId.isPresent()) {
                Optional<Spool.Stored> stored = spool.find(queueId.get());
                if (stored.isEmpty()) {
                    return noSuchMessage(id);
                }
                messages = List.of(stored.get());
            } else {
                messages = spool.scan();
            }
            EventLog events = eventsForCommand();
            for (Spool.Stored stored : messages) {
                spool.requestFlush(stored.message());
                events.emit(
                        Event.about(EventId.QUEUE_FLUSHED, stored.message().queueId())
                                .with("offline", true));
            }
            return flushed(messages.size());
        }
    }

    private int flushed(int messages) {
        out().println(
                        "no server is running: "
                                + messages
                                + (messages == 1 ? " message" : " messages")
                                + " will be retried as soon as listgate starts");
        return 0;
    }
}
