package org.listgate.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.listgate.address.Addresses;
import org.listgate.address.ParseResult;

/**
 * The {@code Delivered-To} header field (RFC 9228), the one place that writes and reads it.
 *
 * <p>Written: every copy of a list member's message carries one field for each list it came
 * through, prepended as each list would have prepended its own — the innermost list on top — as
 * Postfix's local(8) marks what an alias expands. Read: the lists a message arriving has already
 * been through, so that the expansion can refuse to send it round the same list again.
 *
 * <p>HOSTILE INPUT: the header section is read up to its first empty line and never past {@code
 * limits.maxHeaderBytes}; the field the limit falls in is dropped. Only values that are valid
 * mailboxes count, compared by {@link org.listgate.address.Mailbox#key()} (case folded). A sender
 * can name any list in a Delivered-To of its own: that only stops the list from being expanded for
 * that one message, which the sender could have got by not sending it.
 */
final class DeliveredTo {

    private static final String NAME = "delivered-to";

    private DeliveredTo() {}

    /**
     * The fields for a copy that came through {@code lists} (outermost first): innermost on top.
     */
    static String fields(List<String> lists, String lineEnd) {
        StringBuilder fields = new StringBuilder();
        for (int i = lists.size() - 1; i >= 0; i--) {
            fields.append("Delivered-To: ").append(lists.get(i)).append(lineEnd);
        }
        return fields.toString();
    }

    /**
     * The addresses (as {@code Mailbox.key()}) named by the Delivered-To fields of the header
     * section at the start of {@code content}, reading at most {@code maxHeaderBytes}.
     */
    static Set<String> read(InputStream content, int maxHeaderBytes) throws IOException {
        byte[] head = content.readNBytes(maxHeaderBytes);
        boolean cut = head.length == maxHeaderBytes && content.read() >= 0;
        Set<String> found = new HashSet<>();
        StringBuilder field = new StringBuilder();
        int start = 0;
        boolean ended = false;
        while (start < head.length) {
            int end = start;
            while (end < head.length && head[end] != '\n') {
                end++;
            }
            if (end == head.length && cut) {
                // This line goes on past the limit: it is dropped, but a field before it is
                // complete if the line starts a field of its own.
                if (head[start] != ' ' && head[start] != '\t') {
                    add(field, found);
                }
                field.setLength(0);
                break;
            }
            int stop = end > start && head[end - 1] == '\r' ? end - 1 : end;
            String line = new String(head, start, stop - start, StandardCharsets.ISO_8859_1);
            start = end + 1;
            if (line.isEmpty()) {
                ended = true;
                break;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                field.append(line); // RFC 5322 §2.2.3: a folded field goes on
                continue;
            }
            add(field, found);
            field.setLength(0);
            field.append(line);
        }
        // Past the limit, a field read to the end of a line may still go on: it is dropped.
        if (ended || !cut) {
            add(field, found);
        }
        return found;
    }

    private static void add(CharSequence field, Set<String> found) {
        String text = field.toString();
        int colon = text.indexOf(':');
        if (colon < 0 || !text.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(NAME)) {
            return;
        }
        String value = text.substring(colon + 1).strip();
        if (value.startsWith("<") && value.endsWith(">")) {
            value = value.substring(1, value.length() - 1);
        }
        if (Addresses.parse(value) instanceof ParseResult.Valid valid) {
            found.add(valid.mailbox().key());
        }
    }
}
