package org.listgate.events;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which records of the event log to show: every condition given must hold (they combine with AND;
 * within one condition the values given are alternatives). An empty set or an empty optional does
 * not filter.
 *
 * <ul>
 *   <li>{@code ids}: the record's id is one of them;
 *   <li>{@code types}: its type is one of Error, Warning, Information (any case);
 *   <li>{@code queue}: its {@code queueId} or its {@code reportId} is this queue id, so a report
 *       shows with both the message it reports on and its own delivery;
 *   <li>{@code recipient}: its {@code recipient} matches this glob ({@code *} any run, {@code ?}
 *       one character, case-insensitive, over the whole value);
 *   <li>{@code list}: its {@code list} is this address (case-insensitive);
 *   <li>{@code since} (inclusive) and {@code until} (exclusive): its time is in that range; a
 *       record without a readable time is left out when either is given.
 * </ul>
 */
public record EventFilter(
        Set<Integer> ids,
        Set<String> types,
        Optional<String> queue,
        Optional<Pattern> recipient,
        Optional<String> list,
        Optional<Instant> since,
        Optional<Instant> until)
        implements Predicate<LoggedEvent> {

    /** Keeps every record. */
    public static final EventFilter ALL =
            new EventFilter(
                    Set.of(),
                    Set.of(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty());

    public EventFilter {
        ids = Set.copyOf(ids);
        types =
                types.stream()
                        .map(t -> t.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toUnmodifiableSet());
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(recipient, "recipient");
        list = list.map(l -> l.toLowerCase(Locale.ROOT));
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
    }

    @Override
    public boolean test(LoggedEvent event) {
        if (!ids.isEmpty() && !ids.contains(event.id())) {
            return false;
        }
        if (!types.isEmpty() && !types.contains(event.type().toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (queue.isPresent()
                && !queue.get().equals(field(event, Event.QUEUE_ID))
                && !queue.get().equals(field(event, "reportId"))) {
            return false;
        }
        if (recipient.isPresent()) {
            String value = field(event, Event.RECIPIENT);
            if (value == null || !recipient.get().matcher(value).matches()) {
                return false;
            }
        }
        if (list.isPresent()) {
            String value = field(event, Event.LIST);
            if (value == null || !list.get().equals(value.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        if (since.isPresent() || until.isPresent()) {
            Optional<Instant> time = event.time();
            if (time.isEmpty()) {
                return false;
            }
            if (since.isPresent() && time.get().isBefore(since.get())) {
                return false;
            }
            if (until.isPresent() && !time.get().isBefore(until.get())) {
                return false;
            }
        }
        return true;
    }

    /**
     * False only for a line this filter cannot keep, told from the raw text without parsing it, so
     * that a million-line log is read in seconds: a line whose text holds neither the queue id
     * asked for nor any of the ids asked for cannot be one of theirs. A queue id of other than
     * letters, digits, dot, dash and underscore is not looked for, since JSON may escape it.
     */
    public boolean mightKeep(String line) {
        if (queue.isPresent() && PLAIN.matcher(queue.get()).matches()) {
            if (!line.contains(queue.get())) {
                return false;
            }
        }
        if (!ids.isEmpty()) {
            for (int id : ids) {
                if (line.contains(Integer.toString(id))) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]+");

    /**
     * A glob as a pattern: {@code *} any run of characters, {@code ?} exactly one, everything else
     * literal; matched case-insensitively against the whole value.
     */
    public static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder(glob.length() + 16);
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(
                regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    private static String field(LoggedEvent event, String name) {
        Object value = event.fields().get(name);
        return value == null ? null : value.toString();
    }
}
