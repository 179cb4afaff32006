package org.listgate.events;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One message's whole story, picked out of the event log as it streams past: every record whose
 * {@code queueId} is the message's, and — one level down — every record of a report (bounce or
 * delay warning) queued for it, found through the {@code reportId} of its 2006. Records are kept in
 * the order of the file, which is the order they happened in.
 *
 * <p>As a {@link Predicate} it is stateful and must see the records in file order, each once: a
 * 2006 of the message adds the report's queue id to those kept. It holds only those ids (one per
 * report), never the records, so a trace of a 10,000-member list streams in constant memory.
 *
 * <p>{@link #narrate} tells each record as one line, with its time as an offset from the first
 * record of the trace ({@code +0.012s}):
 *
 * <pre>
 * +0.000s  2001  accepted    by mx1.example.org from alice@example.org, client 192.0.2.7 (helo pegasus), 2048 bytes, 3 recipients, 1 refused
 * +0.001s  4037  refused     nobody@@example.org  5.1.3  bad address syntax
 * +0.010s  2002  expanded    staff@example.org: 4 members, 3 recipients, 1 isolated
 * </pre>
 *
 * BUGS: a refused RCPT's own event (3001) is logged before the message has a queue id, so the trace
 * shows each refusal through its rcpt-stage 4037 only.
 */
public final class Trace implements Predicate<LoggedEvent> {

    private final String queueId;
    private final Set<String> reports = new HashSet<>();
    private Instant first;

    public Trace(String queueId) {
        this.queueId = Objects.requireNonNull(queueId, "queueId");
    }

    public String queueId() {
        return queueId;
    }

    @Override
    public boolean test(LoggedEvent event) {
        Optional<String> id = EventTable.field(event, Event.QUEUE_ID);
        if (id.isEmpty()) {
            return false;
        }
        if (id.get().equals(queueId)) {
            if (event.id() == EventId.REPORT_QUEUED.number()) {
                EventTable.field(event, "reportId").ifPresent(reports::add);
            }
            return true;
        }
        return reports.contains(id.get());
    }

    /** The record as one line of the story; the first one sets the time the offsets count from. */
    public String narrate(LoggedEvent event) {
        Optional<Instant> time = event.time();
        if (first == null && time.isPresent()) {
            first = time.get();
        }
        String offset = time.map(t -> offset(Duration.between(first, t))).orElse("?");
        String id = EventTable.field(event, Event.QUEUE_ID).orElse("");
        String report = id.equals(queueId) ? "" : "report " + id + ": ";
        String[] told = tell(event);
        return String.format(
                        Locale.ROOT,
                        "%-9s %-5d %-11s %s%s",
                        offset,
                        event.id(),
                        told[0],
                        report,
                        Text.escaped(told[1]))
                .stripTrailing();
    }

    /** {@code +0.012s}, {@code +61.250s}; negative if the clock went back. */
    static String offset(Duration since) {
        long millis = since.toMillis();
        String sign = millis < 0 ? "-" : "+";
        long abs = Math.abs(millis);
        return String.format(Locale.ROOT, "%s%d.%03ds", sign, abs / 1000, abs % 1000);
    }

    /** What happened, as a verb and the rest of the sentence. */
    private static String[] tell(LoggedEvent event) {
        return switch (event.id()) {
            case 2001 -> new String[] {"accepted", accepted(event)};
            case 2002 ->
                    new String[] {
                        "expanded",
                        get(event, "list")
                                + ": "
                                + get(event, "members")
                                + " members, "
                                + get(event, "recipients")
                                + " recipients, "
                                + get(event, "isolated")
                                + " isolated"
                    };
            case 2003 -> new String[] {"delivered", recipient(event) + "  " + get(event, "status")};
            case 3004 ->
                    new String[] {
                        "deferred",
                        recipient(event)
                                + "  "
                                + get(event, "status")
                                + "  "
                                + get(event, "reason")
                                + "; attempt "
                                + get(event, "attempt")
                                + ", retry at "
                                + get(event, "retryAt")
                    };
            case 2007 ->
                    new String[] {
                        "retried", recipient(event) + ", attempt " + get(event, "attempt")
                    };
            case 4037 ->
                    new String[] {
                        fate(get(event, "stage")),
                        recipient(event) + "  " + get(event, "status") + "  " + get(event, "reason")
                    };
            case 2006 ->
                    new String[] {
                        "report",
                        get(event, "action")
                                + " report to "
                                + get(event, "to")
                                + " about "
                                + get(event, "recipients")
                                + " recipients, queued as "
                                + get(event, "reportId")
                                + EventTable.field(event, "reason")
                                        .map(r -> " (" + r + ")")
                                        .orElse("")
                    };
            case 2004 ->
                    new String[] {
                        "completed",
                        get(event, "delivered")
                                + " delivered, "
                                + get(event, "failed")
                                + " failed, "
                                + get(event, "isolated")
                                + " isolated, "
                                + get(event, "deferred")
                                + " not final, in "
                                + get(event, "millis")
                                + " ms"
                    };
            default -> new String[] {"", other(event)};
        };
    }

    private static String accepted(LoggedEvent event) {
        return EventTable.field(event, Event.GATEWAY).map(name -> "by " + name + " ").orElse("")
                + "from "
                + get(event, "sender")
                + ", client "
                + get(event, "client")
                + " (helo "
                + get(event, "helo")
                + "), "
                + get(event, "size")
                + " bytes, "
                + get(event, "recipients")
                + " recipients, "
                + get(event, "refused")
                + " refused";
    }

    private static String fate(String stage) {
        return switch (stage) {
            case "rcpt" -> "refused";
            case "expansion" -> "isolated";
            case "delivery" -> "failed";
            default -> "not sent";
        };
    }

    private static String recipient(LoggedEvent event) {
        String recipient = get(event, Event.RECIPIENT);
        return EventTable.field(event, Event.LIST)
                .map(list -> recipient + " (" + list + ")")
                .orElse(recipient);
    }

    /** Any other event of the message (a 9001, a 2005, ...): its message and its own fields. */
    private static String other(LoggedEvent event) {
        StringBuilder text = new StringBuilder(event.message());
        event.details()
                .forEach(
                        (name, value) -> {
                            if (!name.equals(Event.QUEUE_ID)) {
                                text.append("  ").append(name).append(": ").append(value);
                            }
                        });
        return text.toString();
    }

    private static String get(LoggedEvent event, String name) {
        return EventTable.field(event, name).orElse("?");
    }
}
