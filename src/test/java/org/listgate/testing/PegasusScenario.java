package org.listgate.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.listgate.replay.PegasusMessage;

/**
 * A distribution list of {@code size} members, one in ten invalid, of nine kinds, each with the
 * reply a correct server gives it at RCPT and the status it is isolated with at expansion; and a
 * message shaped as Pegasus Mail for Windows wrote it.
 */
public final class PegasusScenario {

    /**
     * One member: as written, and its fate. {@code rcptCode} 250 and {@code status} null: valid.
     */
    public record Member(String address, int rcptCode, String rcptStatus, String expansionStatus) {
        public boolean valid() {
            return rcptCode == 250;
        }
    }

    private static final String D = TestSite.DOMAIN;

    private final List<Member> members = new ArrayList<>();

    public PegasusScenario(int size) {
        int invalid = 0;
        for (int i = 1; members.size() < size; i++) {
            if (i % 10 == 0) {
                members.add(invalid(invalid++));
            } else {
                members.add(new Member("u" + i + "@" + D, 250, "2.1.5", null));
            }
        }
    }

    private static Member invalid(int n) {
        return switch (n % 9) {
            case 0 -> new Member("ghost" + n + "@" + D, 550, "5.1.1", "5.1.1");
            case 1 -> new Member("nobody" + n + "." + D, 501, "5.1.3", "5.1.3");
            case 2 -> new Member("two@@host" + n + "." + D, 501, "5.1.3", "5.1.3");
            case 3 -> new Member("@host" + n + "." + D, 501, "5.1.3", "5.1.3");
            case 4 -> new Member("dot..dot" + n + "@" + D, 501, "5.1.3", "5.1.3");
            case 5 -> new Member("trailing" + n + ".@" + D, 501, "5.1.3", "5.1.3");
            case 6 -> new Member("\"unbalanced" + n + "@" + D, 501, "5.1.3", "5.1.3");
            case 7 -> new Member("member" + n + "@elsewhere.test", 550, "5.4.4", "5.4.4");
            case 8 -> new Member("x".repeat(60) + "long" + n + "@" + D, 501, "5.1.3", "5.1.3");
            default -> throw new AssertionError(n);
        };
    }

    public List<Member> members() {
        return members;
    }

    public List<Member> validMembers() {
        return members.stream().filter(Member::valid).toList();
    }

    public List<Member> invalidMembers() {
        return members.stream().filter(m -> !m.valid()).toList();
    }

    /** The users file: every valid member. */
    public List<String> users() {
        return validMembers().stream().map(Member::address).toList();
    }

    /** The lists file, {@code name: m1, m2, ...}, a member a continuation line. */
    public String listFile(String name) {
        StringBuilder text =
                new StringBuilder("# Pegasus scenario list\n").append(name).append(":");
        for (int i = 0; i < members.size(); i++) {
            text.append(i == 0 ? " " : ",\n    ").append(members.get(i).address());
        }
        return text.append('\n').toString();
    }

    /**
     * The message as Pegasus Mail for Win32 wrote it ({@link PegasusMessage}), with a fixed date
     * and Message-ID so that every test sends the same bytes.
     */
    public static String pegasusMessage(String from, String listName) {
        return new String(
                PegasusMessage.content(
                        from,
                        listName,
                        "<3A585D9F.21907.1452FA04@localhost>",
                        Instant.parse("1997-11-24T10:15:00Z")),
                StandardCharsets.US_ASCII);
    }
}
