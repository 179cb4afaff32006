package org.listgate.directory;

import java.util.ArrayList;
import java.util.List;

/**
 * The aliases(5) layer of the lists file: comment lines ({@code #} as the first non-blank
 * character) and blank lines are dropped; a line that starts with white space continues the logical
 * line before it; members are separated by commas outside quotes and angle brackets.
 */
final class AliasesReader {

    /**
     * One logical line and the file line it starts on; {@code starts} holds, for the first line and
     * each continuation, its offset in {@code text} and its file line, so that a member can be
     * traced to the line it is written on.
     */
    record Logical(int line, String text, List<int[]> starts) {
        Logical(int line, String text) {
            this(line, text, List.<int[]>of(new int[] {0, line}));
        }

        /**
         * The file line of the character at {@code offset} of {@code text}: a binary search, as a
         * list can run to many thousands of members on as many continuation lines.
         */
        int lineAt(int offset) {
            int low = 0;
            int high = starts.size() - 1;
            while (low < high) {
                int middle = (low + high + 1) >>> 1;
                if (starts.get(middle)[0] <= offset) {
                    low = middle;
                } else {
                    high = middle - 1;
                }
            }
            return starts.get(low)[1];
        }
    }

    /** One member as written, and its offset in the logical line. */
    record Piece(String text, int offset) {}

    private AliasesReader() {}

    static List<Logical> read(List<String> lines) {
        List<Logical> logical = new ArrayList<>();
        StringBuilder current = null;
        List<int[]> starts = new ArrayList<>();
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
                current.append(' ');
                starts.add(new int[] {current.length(), number});
                current.append(stripped);
                continue;
            }
            if (current != null) {
                logical.add(new Logical(start, current.toString(), starts));
            }
            current = new StringBuilder(stripped);
            start = number;
            starts = new ArrayList<>();
            starts.add(new int[] {0, number});
        }
        if (current != null) {
            logical.add(new Logical(start, current.toString(), starts));
        }
        return logical;
    }

    /**
     * Splits {@code a@x, "b,c"@y} on the commas that separate members. A comma belongs to a member
     * only inside a quoted local part that is closed ({@code "..."@}); an unbalanced quote or angle
     * bracket is an ordinary character, so one broken member can never swallow the members after
     * it.
     */
    static List<String> splitMembers(String text) {
        return pieces(text).stream().map(Piece::text).toList();
    }

    /** {@link #splitMembers}, with each member's offset in {@code text}. */
    static List<Piece> pieces(String text) {
        List<Piece> members = new ArrayList<>();
        int start = 0;
        // Whether the member so far is white space only: kept as we go, not re-read at each
        // quote, so that a line of quotes costs linear time.
        boolean blank = true;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' && blank) {
                int close = closingQuote(text, i + 1);
                if (close > 0) {
                    i = close + 1;
                    blank = false;
                    continue;
                }
            }
            if (c == ',') {
                add(members, text, start, i);
                start = i + 1;
                blank = true;
            } else if (!Character.isWhitespace(c)) {
                blank = false;
            }
            i++;
        }
        add(members, text, start, text.length());
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

    private static void add(List<Piece> members, String line, int from, int to) {
        String member = line.substring(from, to);
        String text = member.strip();
        if (!text.isEmpty()) {
            members.add(new Piece(text, from + member.indexOf(text.charAt(0))));
        }
    }
}
