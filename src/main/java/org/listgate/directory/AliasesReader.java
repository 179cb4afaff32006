package org.listgate.directory;

import java.util.ArrayList;
import java.util.List;

/**
 * The aliases(5) layer of the lists file: comment lines ({@code #} as the first non-blank
 * character) and blank lines are dropped; a line that starts with white space continues the
 * logical line before it; members are separated by commas outside quotes and angle brackets.
 */
final class AliasesReader {

    /** One logical line and the file line it starts on. */
    record Logical(int line, String text) {}

    private AliasesReader() {}

    static List<Logical> read(List<String> lines) {
        List<Logical> logical = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        int number = 0;
        for (String line : lines) {
            number++;
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            boolean continuation = Character.isWhitespace(line.charAt(0));
            if (continuation && current != null) {
                current.append(' ').append(stripped);
                continue;
            }
            if (current != null) {
                logical.add(new Logical(start, current.toString()));
            }
            current = new StringBuilder(stripped);
            start = number;
        }
        if (current != null) {
            logical.add(new Logical(start, current.toString()));
        }
        return logical;
    }

    /**
     * Splits {@code a@x, "b,c"@y} on the commas that separate members. A comma belongs to a member
     * only inside a quoted local part that is closed ({@code "..."@}); an unbalanced quote or
     * angle bracket is an ordinary character, so one broken member can never swallow the members
     * after it.
     */
    static List<String> splitMembers(String text) {
        List<String> members = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' && text.substring(start, i).isBlank()) {
                int close = closingQuote(text, i + 1);
                if (close > 0) {
                    i = close + 1;
                    continue;
                }
            }
            if (c == ',') {
                add(members, text.substring(start, i));
                start = i + 1;
            }
            i++;
        }
        add(members, text.substring(start));
        return members;
    }

    /** The index of the quote that closes a quoted local part ({@code "@} follows), or -1. */
    private static int closingQuote(String text, int from) {
        for (int i = from; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return text.charAt(i + 1) == '@' ? i : -1;
            }
        }
        return -1;
    }

    private static void add(List<String> members, String member) {
        String text = member.strip();
        if (!text.isEmpty()) {
            members.add(text);
        }
    }
}
