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

    /** Splits {@code a@x, "b,c"@y, <d@z>} on the commas that separate members. */
    static List<String> splitMembers(String text) {
        List<String> members = new ArrayList<>();
        StringBuilder member = new StringBuilder();
        boolean quoted = false;
        int angle = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\' && i + 1 < text.length()) {
                member.append(c).append(text.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                angle++;
            } else if (!quoted && c == '>') {
                angle = Math.max(0, angle - 1);
            } else if (!quoted && angle == 0 && c == ',') {
                add(members, member);
                member.setLength(0);
                continue;
            }
            member.append(c);
        }
        add(members, member);
        return members;
    }

    private static void add(List<String> members, StringBuilder member) {
        String text = member.toString().strip();
        if (!text.isEmpty()) {
            members.add(text);
        }
    }
}
