package org.listgate.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.listgate.address.Mailbox;
import org.listgate.events.Text;
import org.listgate.spool.Envelope;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.RecipientState;
import org.listgate.spool.Spool;

/**
 * How the queue looks: {@code queue list} (a line a message, like Postfix's mailq, with the
 * recipients counted by state) and {@code queue show} (the envelope, then a line a recipient), each
 * as text for a terminal or as JSON for scripts.
 *
 * <p>Text escapes every character that could break a line or drive a terminal (a reason can come
 * from a remote server, an isolated member is shown as written); JSON escapes them anyway. Times
 * are UTC; in JSON, ISO-8601 instants, and null where there is none.
 */
final class QueueView {

    private static final JSON JSON_OUT =
            JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES);

    private QueueView() {}

    /** A message's recipients counted by state. */
    record Counts(int pending, int deferred, int delivered, int failed) {

        static Counts of(List<RecipientState> recipients) {
            int pending = 0;
            int deferred = 0;
            int delivered = 0;
            int failed = 0;
            for (RecipientState recipient : recipients) {
                switch (recipient.state()) {
                    case PENDING -> pending++;
                    case DEFERRED -> deferred++;
                    case DELIVERED -> delivered++;
                    case FAILED -> failed++;
                }
            }
            return new Counts(pending, deferred, delivered, failed);
        }
    }

    // ---- queue list ---------------------------------------------------------------------------

    static void list(PrintWriter out, List<Spool.Stored> messages, Instant now) {
        if (messages.isEmpty()) {
            out.println("Mail queue is empty");
            return;
        }
        int senderWidth = "SENDER".length();
        int sizeWidth = "SIZE".length();
        for (Spool.Stored stored : messages) {
            senderWidth = Math.max(senderWidth, sender(stored.message().envelope()).length());
            sizeWidth =
                    Math.max(sizeWidth, Long.toString(stored.message().contentLength()).length());
        }
        String row = "%-16s %6s %" + sizeWidth + "s  %-" + senderWidth + "s %7s %8s %9s %6s%n";
        out.printf(
                row, "ID", "AGE", "SIZE", "SENDER", "PENDING", "DEFERRED", "DELIVERED", "FAILED");
        long waiting = 0;
        for (Spool.Stored stored : messages) {
            QueuedMessage message = stored.message();
            Counts counts = Counts.of(stored.recipientsOrRcpts());
            waiting += counts.pending() + counts.deferred();
            out.printf(
                    row,
                    message.queueId(),
                    age(message.envelope().received(), now),
                    message.contentLength(),
                    sender(message.envelope()),
                    counts.pending(),
                    counts.deferred(),
                    counts.delivered(),
                    counts.failed());
        }
        out.println(
                plural(messages.size(), "message")
                        + ", "
                        + plural(waiting, "recipient")
                        + " pending or deferred");
    }

    static String listJson(List<Spool.Stored> messages, Instant now) {
        List<Map<String, Object>> array = new ArrayList<>();
        for (Spool.Stored stored : messages) {
            Map<String, Object> object = summary(stored, now);
            object.remove("client");
            object.remove("helo");
            object.remove("rcpts");
            array.add(object);
        }
        return json(array);
    }

    // ---- queue show ---------------------------------------------------------------------------

    static void show(PrintWriter out, Spool.Stored stored, Instant now) {
        QueuedMessage message = stored.message();
        Envelope envelope = message.envelope();
        List<RecipientState> recipients = stored.recipientsOrRcpts();
        Counts counts = Counts.of(recipients);
        out.println("Queue ID:    " + message.queueId());
        out.println(
                "Arrival:     "
                        + envelope.received().truncatedTo(ChronoUnit.SECONDS)
                        + " ("
                        + age(envelope.received(), now)
                        + " ago)");
        out.println("Size:        " + plural(message.contentLength(), "byte"));
        out.println("Client:      " + Text.escaped(envelope.client()));
        out.println("HELO:        " + Text.escaped(envelope.helo()));
        out.println("Sender:      " + Text.escaped(envelope.reversePath()));
        for (Mailbox rcpt : envelope.recipients()) {
            out.println("RCPT:        " + Text.escaped(rcpt.address()));
        }
        out.println(
                "Recipients:  "
                        + recipients.size()
                        + (stored.recipients().isPresent()
                                ? ", expanded: "
                                        + counts.pending()
                                        + " pending, "
                                        + counts.deferred()
                                        + " deferred, "
                                        + counts.delivered()
                                        + " delivered, "
                                        + counts.failed()
                                        + " failed"
                                : ", not expanded yet: the RCPTs, all pending"));
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(
                new String[] {
                    "ADDRESS",
                    "LIST",
                    "ROUTE",
                    "STATE",
                    "ATTEMPTS",
                    "NEXT RETRY",
                    "STATUS",
                    "REASON"
                });
        for (RecipientState recipient : recipients) {
            rows.add(
                    new String[] {
                        Text.escaped(recipient.address()),
                        Text.escaped(recipient.list().orElse("-")),
                        recipient.route().name(),
                        recipient.state().name(),
                        Integer.toString(recipient.attempts()),
                        nextRetry(recipient, now),
                        recipient.status().map(Object::toString).orElse("-"),
                        recipient.reason().isEmpty() ? "-" : Text.escaped(recipient.reason())
                    });
        }
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns - 1; i++) {
                line.append(String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.append(row[columns - 1]));
        }
    }

    static String showJson(Spool.Stored stored, Instant now) {
        Map<String, Object> object = summary(stored, now);
        List<Map<String, Object>> recipients = new ArrayList<>();
        for (RecipientState recipient : stored.recipientsOrRcpts()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", recipient.index());
            entry.put("address", recipient.address());
            entry.put("list", recipient.list().orElse(null));
            entry.put("route", recipient.route().name());
            entry.put("state", recipient.state().name());
            entry.put("attempts", recipient.attempts());
            entry.put(
                    "retryAt",
                    recipient.state() == RecipientState.State.DEFERRED
                            ? recipient.retryAt().toString()
                            : null);
            entry.put("lastAttempt", recipient.lastAttempt().map(Instant::toString).orElse(null));
            entry.put("status", recipient.status().map(Object::toString).orElse(null));
            entry.put("reason", recipient.reason());
            entry.put("reported", recipient.reported());
            entry.put("warned", recipient.warned());
            recipients.add(entry);
        }
        object.put("recipientStates", recipients);
        return json(object);
    }

    // ---- shared -------------------------------------------------------------------------------

    /** The fields {@code list --json} and {@code show --json} share, in their order. */
    private static Map<String, Object> summary(Spool.Stored stored, Instant now) {
        QueuedMessage message = stored.message();
        Envelope envelope = message.envelope();
        List<RecipientState> recipients = stored.recipientsOrRcpts();
        Counts counts = Counts.of(recipients);
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("queueId", message.queueId());
        object.put("arrival", envelope.received().toString());
        object.put(
                "ageSeconds", Math.max(0, Duration.between(envelope.received(), now).toSeconds()));
        object.put("size", message.contentLength());
        object.put("client", envelope.client());
        object.put("helo", envelope.helo());
        // As Postfix's postqueue -j: the null reverse-path is the empty string.
        object.put("sender", envelope.sender().map(Mailbox::address).orElse(""));
        object.put("rcpts", envelope.recipients().stream().map(Mailbox::address).toList());
        object.put("recipients", recipients.size());
        object.put("pending", counts.pending());
        object.put("deferred", counts.deferred());
        object.put("delivered", counts.delivered());
        object.put("failed", counts.failed());
        object.put("expanded", stored.recipients().isPresent());
        return object;
    }

    private static String nextRetry(RecipientState recipient, Instant now) {
        return switch (recipient.state()) {
            case PENDING -> "now";
            case DEFERRED ->
                    recipient.retryAt().isAfter(now)
                            ? "in " + age(now, recipient.retryAt())
                            : "now";
            case DELIVERED, FAILED -> "-";
        };
    }

    /**
     * The time from {@code from} to {@code to} in its two largest units: 42s, 3m12s, 2h, 2h15m, 4d,
     * 4d3h.
     */
    static String age(Instant from, Instant to) {
        long seconds = Math.max(0, Duration.between(from, to).toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return units(seconds / 60, "m", seconds % 60, "s");
        }
        if (seconds < 86_400) {
            return units(seconds / 3600, "h", seconds % 3600 / 60, "m");
        }
        return units(seconds / 86_400, "d", seconds % 86_400 / 3600, "h");
    }

    private static String units(long major, String majorUnit, long minor, String minorUnit) {
        return major + majorUnit + (minor == 0 ? "" : minor + minorUnit);
    }

    private static String sender(Envelope envelope) {
        return envelope.sender().map(sender -> Text.escaped(sender.address())).orElse("<>");
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static String json(Object value) {
        try {
            return JSON_OUT.asString(value);
        } catch (IOException e) {
            // Maps of strings, numbers and booleans written to a String: there is no I/O to fail.
            throw new UncheckedIOException(e);
        }
    }
}
