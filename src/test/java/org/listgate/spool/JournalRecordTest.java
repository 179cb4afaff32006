package org.listgate.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.listgate.address.Mailbox;
import org.listgate.address.Route;
import org.listgate.address.Status;

/** Each kind of journal line: written as the format says, and read back as the same record. */
class JournalRecordTest {

    private static final Instant T = Instant.ofEpochMilli(1_764_011_111_000L);

    static Stream<Object[]> records() {
        return Stream.of(
                new Object[] {
                    new JournalRecord.Header("0000019AB3C4D1F2A"),
                    "listgate-state 1 0000019AB3C4D1F2A"
                },
                new Object[] {
                    new JournalRecord.Target(
                            0,
                            Route.LOCAL,
                            new Mailbox("u1", "example.test"),
                            List.of("staff@example.test")),
                    "T 0 L u1@example.test staff@example.test"
                },
                new Object[] {
                    new JournalRecord.Target(
                            3,
                            Route.RELAY,
                            new Mailbox("x", "remote.test"),
                            List.of("staff@example.test", "ops@example.test")),
                    "T 3 R x@remote.test ops@example.test staff@example.test"
                },
                new Object[] {
                    new JournalRecord.Target(
                            2, Route.LOCAL, new Mailbox("c", "example.test"), List.of()),
                    "T 2 L c@example.test -"
                },
                new Object[] {
                    new JournalRecord.Isolated(
                            1,
                            "u x",
                            Optional.of("staff@example.test"),
                            new Status(5, 1, 3),
                            "bad syntax"),
                    "I 1 u%20x staff@example.test 5.1.3 bad%20syntax"
                },
                new Object[] {
                    new JournalRecord.Isolated(
                            1, "", Optional.empty(), new Status(5, 1, 3), "empty"),
                    "I 1 % - 5.1.3 empty"
                },
                new Object[] {new JournalRecord.Expanded(), "X"},
                new Object[] {new JournalRecord.Delivered(0, T), "D 0 1764011111000"},
                new Object[] {
                    new JournalRecord.Deferred(
                            2,
                            3,
                            T.plusSeconds(60),
                            Optional.of(T),
                            new Status(4, 2, 0),
                            "100% busy"),
                    "R 2 3 1764011171000 1764011111000 4.2.0 100%25%20busy"
                },
                new Object[] {
                    new JournalRecord.Failed(
                            2, new Status(5, 1, 1), Optional.empty(), "no such user"),
                    "F 2 5.1.1 - no%20such%20user"
                },
                new Object[] {new JournalRecord.Reported(List.of(1, 2)), "P 1,2"},
                new Object[] {new JournalRecord.Warned(List.of(3)), "W 3"},
                new Object[] {new JournalRecord.FlushRequested(T), "N 1764011111000"});
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("records")
    void eachRecordIsWrittenAsItsLineAndReadBackEqual(JournalRecord record, String line) {
        assertThat(record.format()).isEqualTo(line);
        assertThat(JournalRecord.parse(line)).isEqualTo(record);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Q 1                                  | unknown record",
                "D 0                                  | expected 3 fields",
                "D -1 1764011111000                   | negative index",
                "T 0 Z u@example.test -               | unknown route 'Z'",
                "T 0 L u@example.test - staff@x.test  | lists around no list",
                "T 0 L no-at-sign -                   | a target without @",
                "I 1 x - 5.1.3 reason extra           | expected 6 fields",
                "X 1                                  | expected 1 fields",
                "R 2 3 1764011171000 - 4.2.0          | expected 7 fields",
                "F 2 5.1.1 - bad%zzescape             | For input string",
                "P 1,2,                               | For input string"
            })
    void aLineThatIsNotARecordIsRefusedWithTheReason(String line, String reason) {
        assertThatThrownBy(() -> JournalRecord.parse(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
