package org.listgate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.listgate.address.Addresses;
import org.listgate.address.ParseResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Addresses#parse} on what RCPT and the lists file give it: one op parses one address, taken
 * in turn from a table of {@value #TABLE} of the kind {@code kind}.
 *
 * <p>{@code valid}: plain, bracketed, tagged, quoted, address literals, a source route. {@code
 * invalid}: one of each reason the parser gives. {@code long}: a path at the 256-octet limit, one
 * past it, and hostile strings of 1,000 and 10,000 characters. {@code 8bit}: non-ASCII in the local
 * part or the domain, early or late. {@code mix}: a list file as one finds it, 52 valid in 64, 8
 * invalid, 2 long, 2 with 8-bit characters.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
public class AddressParseBenchmark {

    /** Addresses in a table: a power of two, so the next is found with a mask. */
    static final int TABLE = 64;

    private static final List<String> VALID =
            List.of(
                    "alice@example.org",
                    "<bob@example.org>",
                    "Carol.Jones@Example.ORG",
                    "user+lists@example.org",
                    "  <dave@mail.example.org>\t",
                    "\"john smith\"@example.org",
                    "admin@[192.0.2.1]",
                    "ops@[IPv6:2001:db8::1]",
                    "<@relay.example:eve@example.org>",
                    "x@a-b--c.example",
                    "o'brien@example.org",
                    "first.middle.last@sub.domain.example.org");

    private static final List<String> INVALID =
            List.of(
                    "",
                    "user\r\n@example.org",
                    "<user@example.org",
                    "<@relay.example:>",
                    "\"unterminated@example.org",
                    "user name@example.org",
                    "postmaster",
                    "alice@@example.org",
                    "@example.org",
                    ".alice@example.org",
                    "alice..smith@example.org",
                    "alice@exa_mple.org",
                    "alice@" + "a".repeat(64) + ".example",
                    "user@[IPv6:2001:db8::1::2]",
                    "user@[192.0.2.256]",
                    "\"a\"b@example.org");

    private static final List<String> LONG =
            List.of(
                    "<" + "a".repeat(64) + "@" + domainOf(189) + ">",
                    "<" + "a".repeat(64) + "@" + domainOf(190) + ">",
                    "a".repeat(1_000) + "@example.org",
                    "<" + "x.".repeat(5_000) + "@example.org>");

    private static final List<String> EIGHT_BIT =
            List.of(
                    "jos\u00e9@example.org",
                    "user@b\u00fccher.example",
                    "\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a",
                    "averyordinarylocalpart@example.\u00f6rg");

    @Param({"mix", "valid", "invalid", "long", "8bit"})
    public String kind;

    private String[] table;
    private int next;

    @Setup
    public void setUp() {
        List<String> addresses =
                switch (kind) {
                    case "valid" -> repeated(VALID, TABLE);
                    case "invalid" -> repeated(INVALID, TABLE);
                    case "long" -> repeated(LONG, TABLE);
                    case "8bit" -> repeated(EIGHT_BIT, TABLE);
                    case "mix" -> mix();
                    default -> throw new IllegalArgumentException("unknown kind: " + kind);
                };
        table = addresses.toArray(String[]::new);
    }

    @Benchmark
    public ParseResult parse() {
        return Addresses.parse(table[next++ & (TABLE - 1)]);
    }

    /** 52 valid, 8 invalid, 2 long, 2 with 8-bit characters, spread through the table. */
    private static List<String> mix() {
        List<String> invalid = repeated(INVALID, 8);
        List<String> unusual = new ArrayList<>();
        unusual.addAll(invalid);
        unusual.addAll(LONG.subList(0, 2));
        unusual.addAll(EIGHT_BIT.subList(0, 2));
        List<String> valid = repeated(VALID, TABLE - unusual.size());
        List<String> mix = new ArrayList<>();
        int step = TABLE / unusual.size();
        for (int i = 0, v = 0, u = 0; i < TABLE; i++) {
            mix.add(i % step == 0 && u < unusual.size() ? unusual.get(u++) : valid.get(v++));
        }
        return mix;
    }

    private static List<String> repeated(List<String> addresses, int count) {
        List<String> table = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            table.add(addresses.get(i % addresses.size()));
        }
        return table;
    }

    /** A domain of {@code length} octets: labels of 63 and shorter. */
    private static String domainOf(int length) {
        StringBuilder domain = new StringBuilder();
        while (domain.length() < length) {
            if (domain.length() > 0) {
                domain.append('.');
            }
            domain.append("d".repeat(Math.min(63, Math.max(1, length - domain.length()))));
        }
        return domain.toString();
    }
}
