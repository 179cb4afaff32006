package org.listgate.spool;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.listgate.address.Mailbox;
import org.listgate.address.Route;
import org.listgate.address.Status;

/**
 * One line of a {@link Journal}: a sealed type with one record per line kind, each of which formats
 * itself and is parsed by {@link #parse}. What a line means for a recipient's state is {@link
 * Recipients}'s business; here is only how it is written.
 *
 * <pre>
 * listgate-state 1 0000019AB3C4D1F2A              Header: the journal's queue id
 * T 0 L u1@example.test staff@example.test        Target: route L(ocal) or R(elay), from a list or "-"
 * T 3 R x@remote.test ops@example.test staff@example.test
 *                                                 a member of a nested list: then the lists
 *                                                 around it, outermost first (optional)
 * I 1 u%20x staff@example.test 5.1.3 bad%20syntax    Isolated at expansion
 * X                                               Expanded: the expansion is complete
 * D 0 1764011111000                               Delivered (time)
 * R 2 3 1764011171000 1764011111000 4.2.0 reason   Deferred: attempts, retry at, attempted at
 * F 2 5.1.1 1764011111000 reason                  Failed (time or "-")
 * P 1,2                                           Reported: the bounce is queued (or not due)
 * W 3                                             Warned of the delay
 * N 1764011111000                                 FlushRequested: every deferred recipient is due now
 * </pre>
 *
 * <p>Fields are separated by one space; a field's {@code %}, space and control characters are
 * written as {@code %XX}, an empty field as a lone {@code %}. A record that does not parse throws
 * {@link IllegalArgumentException} naming the problem.
 */
sealed interface JournalRecord {

    String MAGIC = "listgate-state 1";

    /** The line, without its newline. */
    String format();

    /** The first line: which message the journal belongs to. */
    record Header(String queueId) implements JournalRecord {
        @Override
        public String format() {
            return MAGIC + " " + escape(queueId);
        }
    }

    /** A target of the expansion and the lists it came through, outermost first, its list last. */
    record Target(int index, Route route, Mailbox mailbox, List<String> lists)
            implements JournalRecord {
        public Target {
            lists = List.copyOf(lists);
        }

        @Override
        public String format() {
            List<Object> fields =
                    new ArrayList<>(
                            List.of(
                                    index,
                                    route == Route.LOCAL ? "L" : "R",
                                    mailbox.address(),
                                    lists.isEmpty() ? "-" : lists.get(lists.size() - 1)));
            fields.addAll(lists.subList(0, Math.max(0, lists.size() - 1)));
            return line("T", fields.toArray());
        }

        static Target parse(String[] f) {
            if (f.length < 5) {
                throw new IllegalArgumentException("expected 5 fields");
            }
            Route route =
                    switch (f[2]) {
                        case "L" -> Route.LOCAL;
                        case "R" -> Route.RELAY;
                        default ->
                                throw new IllegalArgumentException("unknown route '" + f[2] + "'");
                    };
            List<String> lists = new ArrayList<>();
            if (f[4].equals("-")) {
                if (f.length > 5) {
                    throw new IllegalArgumentException("lists around no list");
                }
            } else {
                for (int i = 5; i < f.length; i++) {
                    lists.add(unescape(f[i]));
                }
                lists.add(unescape(f[4]));
            }
            return new Target(indexField(f[1]), route, mailboxField(unescape(f[3])), lists);
        }
    }

    /** A member isolated at expansion: as written, the list it came from. */
    record Isolated(int index, String written, Optional<String> list, Status status, String reason)
            implements JournalRecord {
        @Override
        public String format() {
            return line("I", index, written, list.orElse("-"), status, reason);
        }

        static Isolated parse(String[] f) {
            count(f, 6);
            return new Isolated(
                    indexField(f[1]),
                    unescape(f[2]),
                    optional(f[3]),
                    Status.parse(f[4]),
                    unescape(f[5]));
        }
    }

    /** The expansion is complete: every Target and Isolated is above. */
    record Expanded() implements JournalRecord {
        @Override
        public String format() {
            return "X";
        }
    }

    record Delivered(int index, Instant at) implements JournalRecord {
        @Override
        public String format() {
            return line("D", index, at.toEpochMilli());
        }

        static Delivered parse(String[] f) {
            count(f, 3);
            return new Delivered(indexField(f[1]), Instant.ofEpochMilli(Long.parseLong(f[2])));
        }
    }

    record Deferred(
            int index,
            int attempts,
            Instant retryAt,
            Optional<Instant> at,
            Status status,
            String reason)
            implements JournalRecord {
        @Override
        public String format() {
            return line("R", index, attempts, retryAt.toEpochMilli(), millis(at), status, reason);
        }

        static Deferred parse(String[] f) {
            count(f, 7);
            return new Deferred(
                    indexField(f[1]),
                    Integer.parseInt(f[2]),
                    Instant.ofEpochMilli(Long.parseLong(f[3])),
                    instant(f[4]),
                    Status.parse(f[5]),
                    unescape(f[6]));
        }
    }

    record Failed(int index, Status status, Optional<Instant> at, String reason)
            implements JournalRecord {
        @Override
        public String format() {
            return line("F", index, status, millis(at), reason);
        }

        static Failed parse(String[] f) {
            count(f, 5);
            return new Failed(indexField(f[1]), Status.parse(f[2]), instant(f[3]), unescape(f[4]));
        }
    }

    /** Failed recipients whose report is queued, or not due (a null sender). */
    record Reported(List<Integer> indexes) implements JournalRecord {
        public Reported {
            indexes = List.copyOf(indexes);
        }

        @Override
        public String format() {
            return "P " + joined(indexes);
        }
    }

    /** Deferred recipients whose sender has been warned of the delay. */
    record Warned(List<Integer> indexes) implements JournalRecord {
        public Warned {
            indexes = List.copyOf(indexes);
        }

        @Override
        public String format() {
            return "W " + joined(indexes);
        }
    }

    /** {@code listgate queue flush} while no server ran: every deferred recipient is due now. */
    record FlushRequested(Instant at) implements JournalRecord {
        @Override
        public String format() {
            return line("N", at.toEpochMilli());
        }
    }

    /** The record on {@code line} (no newline); the first line of a journal is its Header. */
    static JournalRecord parse(String line) {
        if (line.startsWith(MAGIC + " ")) {
            return new Header(unescape(line.substring(MAGIC.length() + 1)));
        }
        String[] f = line.split(" ", -1);
        return switch (f[0]) {
            case "T" -> Target.parse(f);
            case "I" -> Isolated.parse(f);
            case "X" -> {
                count(f, 1);
                yield new Expanded();
            }
            case "D" -> Delivered.parse(f);
            case "R" -> Deferred.parse(f);
            case "F" -> Failed.parse(f);
            case "P" -> new Reported(indexesField(f));
            case "W" -> new Warned(indexesField(f));
            case "N" -> {
                count(f, 2);
                yield new FlushRequested(Instant.ofEpochMilli(Long.parseLong(f[1])));
            }
            default -> throw new IllegalArgumentException("unknown record");
        };
    }

    // ---- fields -------------------------------------------------------------------------------

    private static void count(String[] fields, int count) {
        if (fields.length != count) {
            throw new IllegalArgumentException("expected " + count + " fields");
        }
    }

    private static int indexField(String field) {
        int index = Integer.parseInt(field);
        if (index < 0) {
            throw new IllegalArgumentException("negative index");
        }
        return index;
    }

    private static List<Integer> indexesField(String[] fields) {
        count(fields, 2);
        return Arrays.stream(fields[1].split(",", -1)).map(JournalRecord::indexField).toList();
    }

    /**
     * A target's mailbox, split at its last {@code @}: it was a valid mailbox when it was written,
     * and parsing it again would cost a full parse per recipient at every restart.
     */
    private static Mailbox mailboxField(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("a target without @");
        }
        return new Mailbox(address.substring(0, at), address.substring(at + 1));
    }

    private static Optional<String> optional(String field) {
        return field.equals("-") ? Optional.empty() : Optional.of(unescape(field));
    }

    private static Optional<Instant> instant(String field) {
        return field.equals("-")
                ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(Long.parseLong(field)));
    }

    private static String millis(Optional<Instant> when) {
        return when.map(at -> Long.toString(at.toEpochMilli())).orElse("-");
    }

    private static String joined(List<Integer> indexes) {
        StringJoiner joined = new StringJoiner(",");
        indexes.forEach(index -> joined.add(Integer.toString(index)));
        return joined.toString();
    }

    private static String line(String type, Object... fields) {
        StringBuilder line = new StringBuilder(type);
        for (Object field : fields) {
            line.append(' ').append(escape(String.valueOf(field)));
        }
        return line.toString();
    }

    static String escape(String text) {
        if (text.isEmpty()) {
            return "%";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == '%' || c == 0x7f) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                out.append('%').append(String.format("%02X", (int) c & 0xff));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    static String unescape(String field) {
        if (field.equals("%")) {
            return "";
        }
        if (field.indexOf('%') < 0) {
            return field;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(field.length());
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                out.write(
                        Integer.parseInt(
                                new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else if (bytes[i] == '%') {
                throw new IllegalArgumentException("bad escape");
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
