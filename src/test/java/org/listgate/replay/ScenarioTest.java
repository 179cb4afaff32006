package org.listgate.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.address.Addresses;
import org.listgate.address.ParseResult;
import org.listgate.config.ConfigLoader;
import org.listgate.directory.Directory;
import org.listgate.events.EventLog;

class ScenarioTest {

    @TempDir Path dir;

    @Test
    void theSameSeedGivesTheSameScenario() {
        Scenario one = Scenario.generate(42, 1000, 0.1, "staff", "example.test");
        Scenario two = Scenario.generate(42, 1000, 0.1, "staff", "example.test");

        assertThat(two.members()).isEqualTo(one.members());
        assertThat(Scenario.generate(43, 1000, 0.1, "staff", "example.test").members())
                .isNotEqualTo(one.members());
    }

    @Test
    void theSameSeedWritesTheSameFiles() throws IOException {
        Scenario scenario = Scenario.generate(9, 500, 0.2, "staff", "example.test");
        List<Path> first =
                ScenarioDirectory.write(
                        scenario, dir.resolve("a"), 2525, "alice@example.test", "replay");
        List<Path> second =
                ScenarioDirectory.write(
                        Scenario.generate(9, 500, 0.2, "staff", "example.test"),
                        dir.resolve("b"),
                        2525,
                        "alice@example.test",
                        "replay");

        for (int i = 0; i < 2; i++) { // users, lists: the properties name their own directory
            assertThat(Files.readString(second.get(i))).isEqualTo(Files.readString(first.get(i)));
        }
    }

    @Test
    void theShareOfInvalidMembersIsTheRatioAndEveryKindIsThere() {
        Scenario scenario = Scenario.generate(1, 1000, 0.1, "staff", "example.test");
        Map<Kind, Integer> counts = scenario.counts();

        assertThat(scenario.members()).hasSize(1000);
        assertThat(counts.get(Kind.VALID)).isEqualTo(900);
        for (Kind kind : EnumSet.complementOf(EnumSet.of(Kind.VALID))) {
            assertThat(counts.get(kind))
                    .as(kind.key())
                    .isBetween(6, 7); // 100 over 15 kinds, evenly
        }
        assertThat(scenario.members())
                .extracting(Scenario.Member::index)
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.rangeClosed(1, 1000).boxed().toList());
    }

    @Test
    void eachKindIsWhatItSaysAsListgateReadsIt() {
        Scenario scenario = Scenario.generate(3, 2000, 0.5, "staff", "example.test");
        Set<String> users = new HashSet<>(scenario.users());
        for (Scenario.Member member : scenario.members()) {
            ParseResult parsed = Addresses.parse(member.text());
            switch (member.kind()) {
                case VALID,
                        DUPLICATE,
                        SOURCE_ROUTE,
                        UNKNOWN_USER,
                        IP_LITERAL,
                        NON_LOCAL_DOMAIN,
                        LIST_LOOP ->
                        assertThat(parsed).as(member.text()).isInstanceOf(ParseResult.Valid.class);
                default ->
                        assertThat(parsed)
                                .as(member.text())
                                .isInstanceOf(ParseResult.Invalid.class);
            }
            switch (member.kind()) {
                case VALID, DUPLICATE, SOURCE_ROUTE ->
                        assertThat(users).contains(member.mailbox().orElseThrow());
                default -> assertThat(member.mailbox()).isEmpty();
            }
        }
        assertThat(users).doesNotContain("ghost1@example.test");
    }

    @Test
    void aListWithNoValidMemberHasNoDuplicate() {
        Scenario scenario = Scenario.generate(5, 40, 1.0, "staff", "example.test");

        assertThat(scenario.counts().get(Kind.VALID)).isZero();
        assertThat(scenario.counts().get(Kind.DUPLICATE)).isZero();
        assertThat(scenario.members()).hasSize(40);
    }

    @Test
    void theWrittenDirectoryIsOneListgateServes() throws Exception {
        Scenario scenario = Scenario.generate(7, 1000, 0.1, "staff", "example.test");
        List<Path> files =
                ScenarioDirectory.write(scenario, dir, 2525, "alice@example.test", "replay");

        var config =
                ConfigLoader.load(
                        files.get(2),
                        warning -> {
                            throw new AssertionError(warning);
                        });
        Directory directory =
                new Directory(
                        config.domains(), config.usersFile(), config.listsFile(), new EventLog());
        directory.reload();

        assertThat(config.smtp().port()).isEqualTo(2525);
        assertThat(directory.lookup(new org.listgate.address.Mailbox("staff", "example.test")))
                .isPresent();
        assertThat(directory.lookup(new org.listgate.address.Mailbox("alice", "example.test")))
                .isPresent();
        assertThat(
                        directory.lookup(
                                new org.listgate.address.Mailbox("staff-loop1", "example.test")))
                .isPresent();
    }
}
