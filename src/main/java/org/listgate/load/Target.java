package org.listgate.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Whom each message goes to: {@code R} distinct generated addresses, or one list address. */
public sealed interface Target {

    /** The RCPT TO addresses of message {@code n} (0 for the first). */
    List<String> recipients(long n);

    /** RCPT commands each message has. */
    int perMessage();

    /** How the report names it. */
    String describe();

    /**
     * {@code count} distinct addresses a message made from {@code pattern} (one {@code %d}) with
     * the numbers 1 to {@code users}, taken in turn: message 0 goes to 1..R, message 1 to R+1..2R,
     * and so on round the users, so that consecutive messages reach different mailboxes.
     */
    record Generated(int count, String pattern, int users) implements Target {
        public Generated {
            if (count < 1 || count > users) {
                throw new IllegalArgumentException(
                        "recipients " + count + " must be between 1 and users " + users);
            }
            if (!isPattern(pattern)) {
                throw new IllegalArgumentException("not an address pattern: " + pattern);
            }
        }

        /** An address with exactly one {@code %d} and no other {@code %}. */
        public static boolean isPattern(String pattern) {
            int at = pattern.indexOf("%d");
            return at >= 0
                    && pattern.indexOf('%', at + 2) < 0
                    && pattern.indexOf('%') == at
                    && pattern.indexOf('@') > 0
                    && pattern.chars().noneMatch(c -> c <= ' ' || c == '<' || c == '>' || c > 126);
        }

        @Override
        public List<String> recipients(long n) {
            List<String> addresses = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                addresses.add(address((int) ((n * count + i) % users) + 1));
            }
            return addresses;
        }

        /** The address for number {@code k} (1 to users). */
        public String address(int k) {
            return pattern.replace("%d", Integer.toString(k));
        }

        @Override
        public int perMessage() {
            return count;
        }

        @Override
        public String describe() {
            return String.format(
                    Locale.ROOT,
                    "%,d recipient%s each (%s, %s)",
                    count,
                    count == 1 ? "" : "s",
                    address(1),
                    users == 1 ? "the only one" : "... " + address(users) + " in turn");
        }
    }

    /** One RCPT, a list the server expands. */
    record ListAddress(String address) implements Target {
        @Override
        public List<String> recipients(long n) {
            return List.of(address);
        }

        @Override
        public int perMessage() {
            return 1;
        }

        @Override
        public String describe() {
            return "the list " + address;
        }
    }
}
