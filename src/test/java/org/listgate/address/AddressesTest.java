package org.listgate.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

    private static final int MEGABYTE = 1 << 20;

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvFileSource(resources = "addresses.csv", numLinesToSkip = 1, emptyValue = "")
    void parsesTheGrammarAsTheTableSays(String input, String expected) {
        assertThat(describe(Addresses.parse(decode(input)))).isEqualTo(decode(expected));
    }

    static Stream<Arguments> hostileInputs() {
        return Stream.of(
                Arguments.of("a megabyte of atext", "a".repeat(MEGABYTE)),
                Arguments.of("a megabyte-long domain", "user@" + "a".repeat(MEGABYTE)),
                Arguments.of("a megabyte of labels", "user@" + "a.".repeat(MEGABYTE / 2) + "org"),
                Arguments.of("a megabyte of dots", ".".repeat(MEGABYTE)),
                Arguments.of("a megabyte of @", "@".repeat(MEGABYTE)),
                Arguments.of("an unterminated quote", "\"" + "\\a".repeat(MEGABYTE / 2)),
                Arguments.of("a megabyte of brackets", "<".repeat(MEGABYTE) + ">".repeat(MEGABYTE)),
                Arguments.of("a megabyte-long route", "<" + "@a,".repeat(MEGABYTE / 3) + "@a:u@b>"),
                Arguments.of("a megabyte of colons", "u@[IPv6:" + ":".repeat(MEGABYTE) + "]"),
                Arguments.of("a megabyte of spaces inside", "a" + " ".repeat(MEGABYTE) + "@b"),
                Arguments.of("a megabyte-long local part", "a".repeat(MEGABYTE) + "@example.org"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void refusesMegabyteInputsInLinearTime(String shape, String input) {
        ParseResult result =
                assertTimeoutPreemptively(Duration.ofSeconds(2), () -> Addresses.parse(input));
        assertThat(result).isInstanceOf(ParseResult.Invalid.class);
        ParseResult reverse =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(2), () -> Addresses.parseReversePath(input));
        assertThat(reverse).isInstanceOf(ParseResult.Invalid.class);
    }

    @Test
    void dropsASourceRouteAndKeepsTheMailbox() {
        ParseResult result = Addresses.parse("<@hosta.int,@jkl.org:userc@d.bar.org>");

        assertThat(result).isEqualTo(new ParseResult.Valid(new Mailbox("userc", "d.bar.org")));
    }

    @Test
    void dropsASourceRouteFromTheReversePathToo() {
        ParseResult result = Addresses.parseReversePath("<@relay.example:bounce@example.org>");

        assertThat(result).isEqualTo(new ParseResult.Valid(new Mailbox("bounce", "example.org")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<@relay.example:>",
                "<@relay.example,:user@example.org>",
                "<@relay.example,relay2.example:user@example.org>",
                "<@-relay.example:user@example.org>",
                "<@relay.example.:user@example.org>",
                "<@relay example:user@example.org>",
                "<@:user@example.org>"
            })
    void refusesAMalformedSourceRouteWith513(String input) {
        assertThat(Addresses.parse(input))
                .isEqualTo(invalid(Status.BAD_MAILBOX_SYNTAX, "malformed source route"));
    }

    @Test
    void acceptsTheNullReversePathInMailFrom() {
        assertThat(Addresses.parseReversePath("<>")).isEqualTo(new ParseResult.NullSender());
        assertThat(Addresses.parseReversePath(" <> ")).isEqualTo(new ParseResult.NullSender());
    }

    @Test
    void refusesTheNullPathAsARecipient() {
        assertThat(Addresses.parse("<>"))
                .isEqualTo(invalid(Status.BAD_MAILBOX_SYNTAX, "empty address"));
    }

    @Test
    void parsesAReversePathLikeAForwardPath() {
        assertThat(Addresses.parseReversePath("<Owner-List@Example.ORG>"))
                .isEqualTo(new ParseResult.Valid(new Mailbox("Owner-List", "example.org")));
        assertThat(Addresses.parseReversePath("owner@example.org"))
                .isEqualTo(new ParseResult.Valid(new Mailbox("owner", "example.org")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "< >", "<owner@example.org", "owner", "a@@b", "a\u0000@b"})
    void refusesABadReversePathWith517(String input) {
        assertThat(Addresses.parseReversePath(input))
                .isInstanceOfSatisfying(
                        ParseResult.Invalid.class,
                        invalid ->
                                assertThat(invalid.status()).isEqualTo(Status.BAD_SENDER_SYNTAX));
    }

    @Test
    void refusesANullReversePathAsEmpty() {
        assertThat(Addresses.parseReversePath(null))
                .isEqualTo(invalid(Status.BAD_SENDER_SYNTAX, "empty address"));
    }

    @Test
    void keyIgnoresTheCaseOfLocalPartAndDomain() {
        Mailbox upper = valid(Addresses.parse("<Alice.Smith@EXAMPLE.Org>"));
        Mailbox lower = valid(Addresses.parse("alice.smith@example.org"));

        assertThat(upper).isNotEqualTo(lower);
        assertThat(upper.localPart()).isEqualTo("Alice.Smith");
        assertThat(upper.domain()).isEqualTo("example.org");
        assertThat(upper.key()).isEqualTo(lower.key()).isEqualTo("alice.smith@example.org");
    }

    /**
     * Random strings over the characters that matter to the grammar: nothing throws, and every
     * mailbox found parses again to itself.
     */
    @Test
    void neverThrowsAndEveryValidMailboxParsesBackToItself() {
        String alphabet = "aZ09.-@<>\"\\[]:, \t\u0001\u00e9_!IPv6f";
        Random random = new Random(5321);
        int valid = 0;
        for (int round = 0; round < 50_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(24);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            for (ParseResult result :
                    new ParseResult[] {
                        Addresses.parse(text.toString()),
                        Addresses.parseReversePath(text.toString())
                    }) {
                if (result instanceof ParseResult.Valid v) {
                    valid++;
                    assertThat(Addresses.parse(v.mailbox().address())).isEqualTo(result);
                } else if (result instanceof ParseResult.Invalid i) {
                    assertThat(i.reason()).isNotBlank();
                }
            }
        }
        assertThat(valid).as("the alphabet should make some mailboxes").isPositive();
    }

    private static ParseResult.Invalid invalid(Status status, String reason) {
        return new ParseResult.Invalid(status, reason);
    }

    private static Mailbox valid(ParseResult result) {
        assertThat(result).isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) result).mailbox();
    }

    /** The table's spelling of a result: {@code valid:address} or {@code invalid:status:reason}. */
    private static String describe(ParseResult result) {
        if (result instanceof ParseResult.Valid v) {
            return "valid:" + v.mailbox().address();
        }
        if (result instanceof ParseResult.Invalid i) {
            return "invalid:" + i.status() + ":" + i.reason();
        }
        if (result instanceof ParseResult.NullSender) {
            return "null-sender";
        }
        throw new AssertionError(result);
    }

    /** Decodes the table's escapes: {@code \}{@code uXXXX} and {@code \{unit*N}}. */
    static String decode(String cell) {
        if (cell == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < cell.length()) {
            if (cell.startsWith("\\u", i) && i + 6 <= cell.length()) {
                out.append((char) Integer.parseInt(cell.substring(i + 2, i + 6), 16));
                i += 6;
            } else if (cell.startsWith("\\{", i)) {
                int close = cell.indexOf('}', i);
                int star = cell.lastIndexOf('*', close);
                String unit = cell.substring(i + 2, star);
                out.append(unit.repeat(Integer.parseInt(cell.substring(star + 1, close))));
                i = close + 1;
            } else {
                out.append(cell.charAt(i++));
            }
        }
        return out.toString();
    }
}
