package org.listgate.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the server's own records say happened to the replay's messages: copies found per mailbox per
 * send (from Maildir files, or from delivery events 2003 when no Maildir is given), and recipients
 * that will not get a message (events 4037) per transaction: a send split in two transactions by a
 * {@code 452} is two messages to the server, and a recipient refused in the first may be accepted
 * in the second.
 *
 * <p>Recipients are matched on their text as a list held it or RCPT sent it, without one pair of
 * angle brackets and case-folded, as listgate writes them; a recipient that the event log cut short
 * ({@code ...} at the end) matches every member it is the start of.
 */
final class Evidence {

    /** One 4037: the status, the reason, the stage (rcpt, expansion or delivery). */
    record Isolation(String status, String reason, String stage) {}

    private final Map<String, Integer> copies = new HashMap<>();
    private final Map<String, Isolation> isolations = new HashMap<>();
    private final Map<String, List<Map.Entry<String, Isolation>>> cutIsolations = new HashMap<>();
    private int found;

    void copy(int send, String mailbox) {
        copies.merge(send + " " + mailbox.toLowerCase(Locale.ROOT), 1, Integer::sum);
        found++;
    }

    void isolation(int send, int transaction, String recipient, Isolation isolation) {
        String key = key(recipient);
        String unit = send + "/" + transaction;
        if (key.endsWith("...")) {
            cutIsolations
                    .computeIfAbsent(unit, s -> new ArrayList<>())
                    .add(Map.entry(key.substring(0, key.length() - 3), isolation));
        } else {
            isolations.putIfAbsent(unit + " " + key, isolation);
        }
        found++;
    }

    /** Copies of send {@code send} in {@code mailbox}. */
    int copies(int send, String mailbox) {
        return copies.getOrDefault(send + " " + mailbox.toLowerCase(Locale.ROOT), 0);
    }

    /** The 4037 of a send's transaction for the member written {@code text}, if there is one. */
    Optional<Isolation> isolation(int send, int transaction, String text) {
        String unit = send + "/" + transaction;
        for (String key : keys(text)) {
            Isolation isolation = isolations.get(unit + " " + key);
            if (isolation != null) {
                return Optional.of(isolation);
            }
            for (Map.Entry<String, Isolation> cut : cutIsolations.getOrDefault(unit, List.of())) {
                if (key.startsWith(cut.getKey())) {
                    return Optional.of(cut.getValue());
                }
            }
        }
        return Optional.empty();
    }

    /** How many pieces of evidence have been found: it grows while the server works. */
    int found() {
        return found;
    }

    /**
     * The keys a member may be logged under: its text, and its UTF-8 bytes read as ISO-8859-1,
     * which is how a server that reads commands byte for byte records an 8-bit address.
     */
    private static List<String> keys(String text) {
        String key = key(text);
        String bytewise =
                new String(
                        key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        java.nio.charset.StandardCharsets.ISO_8859_1);
        return bytewise.equals(key)
                ? List.of(key)
                : List.of(key, bytewise.toLowerCase(Locale.ROOT));
    }

    static String key(String recipient) {
        String text = recipient.strip();
        if (text.regionMatches(true, 0, "TO:", 0, 3)) {
            text = text.substring(3).strip();
        }
        if (text.length() >= 2 && text.startsWith("<") && text.endsWith(">")) {
            text = text.substring(1, text.length() - 1);
        }
        return text.toLowerCase(Locale.ROOT);
    }
}
