package org.listgate.expansion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.address.Mailbox;
import org.listgate.address.Route;
import org.listgate.address.Status;
import org.listgate.directory.Directory;
import org.listgate.directory.DirectoryUnavailable;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;
import org.listgate.testing.EventCapture;

class ExpanderTest {

    private static final String DOMAIN = "example.test";

    @TempDir Path dir;

    private EventCapture events;
    private Directory directory;

    @BeforeEach
    void setUp() {
        events = EventCapture.in(dir);
        directory =
                new Directory(
                        List.of(DOMAIN), dir.resolve("users"), dir.resolve("lists"), events.log());
    }

    @AfterEach
    void tearDown() {
        events.close();
    }

    private void directory(List<String> users, List<String> lists) throws IOException {
        Files.write(dir.resolve("users"), users, StandardCharsets.UTF_8);
        Files.write(dir.resolve("lists"), lists, StandardCharsets.UTF_8);
        directory.reload();
    }

    private static List<String> users(int count) {
        List<String> users = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            users.add("u" + i + "@" + DOMAIN);
        }
        return users;
    }

    private Expansion expand(
            int maxExpansion, boolean relay, FaultInjector faults, String... recipients) {
        Expander expander =
                new Expander(directory, maxExpansion, relay, faults, new Boundary(events.log()));
        try {
            return expander.expand(
                    "Q1", java.util.Arrays.stream(recipients).map(ExpanderTest::mailbox).toList());
        } catch (DirectoryUnavailable e) {
            throw new AssertionError("the files are never unavailable", e);
        }
    }

    private Expansion expand(String... recipients) {
        return expand(100_000, false, FaultInjector.none(), recipients);
    }

    private static Mailbox mailbox(String address) {
        int at = address.lastIndexOf('@');
        return new Mailbox(address.substring(0, at), address.substring(at + 1));
    }

    private static List<String> targets(Expansion expansion) {
        return expansion.targets().stream().map(t -> t.mailbox().address()).toList();
    }

    @Test
    void expandsNestedListsInFileOrder() throws IOException {
        directory(
                users(4),
                List.of(
                        "staff: u1@example.test, sales, u4@example.test",
                        "sales: u2@example.test, ops",
                        "ops: u3@example.test"));

        Expansion expansion = expand("staff@example.test");

        assertThat(targets(expansion))
                .containsExactly(
                        "u1@example.test", "u2@example.test", "u3@example.test", "u4@example.test");
        assertThat(expansion.targets().get(2).list()).contains("ops@example.test");
        assertThat(expansion.isolated()).isEmpty();
        assertThat(expansion.lists())
                .extracting(
                        Expansion.ListSummary::list,
                        Expansion.ListSummary::members,
                        Expansion.ListSummary::delivered,
                        Expansion.ListSummary::isolated)
                .containsExactly(
                        tuple("staff@example.test", 3, 2, 0),
                        tuple("sales@example.test", 2, 1, 0),
                        tuple("ops@example.test", 1, 1, 0));
    }

    @Test
    void skipsALoopWithoutIsolatingAnyone() throws IOException {
        directory(users(2), List.of("a: u1@example.test, b", "b: u2@example.test, a, b"));

        Expansion expansion = expand("a@example.test");

        assertThat(targets(expansion)).containsExactly("u1@example.test", "u2@example.test");
        assertThat(expansion.isolated()).isEmpty();
        assertThat(events.withId(9001)).isEmpty();
    }

    @Test
    void deliversAMemberReachedTwiceOnceWhateverItsCase() throws IOException {
        directory(
                users(2),
                List.of(
                        "a: u1@example.test, b, c, U1@EXAMPLE.TEST",
                        "b: u1@Example.Test, u2@example.test",
                        "c: u2@example.test"));

        Expansion expansion = expand("a@example.test", "u2@example.test", "A@example.test");

        assertThat(targets(expansion)).containsExactly("u1@example.test", "u2@example.test");
        assertThat(expansion.isolated()).isEmpty();
    }

    @Test
    void isolatesMembersBeyondTheCapWith553() throws IOException {
        directory(users(5), List.of("staff: " + String.join(", ", users(5))));

        Expansion expansion = expand(3, false, FaultInjector.none(), "staff@example.test");

        assertThat(targets(expansion))
                .containsExactly("u1@example.test", "u2@example.test", "u3@example.test");
        assertThat(expansion.isolated())
                .extracting(Expansion.Isolated::recipient, Expansion.Isolated::status)
                .containsExactly(
                        tuple("u4@example.test", Status.TOO_MANY_RECIPIENTS_PERMANENT),
                        tuple("u5@example.test", Status.TOO_MANY_RECIPIENTS_PERMANENT));
        assertThat(expansion.isolated().get(0).list()).contains("staff@example.test");
    }

    @Test
    void isolatesEachBadMemberWithItsStatusAndReason() throws IOException {
        directory(
                users(1),
                List.of(
                        "staff: u1@example.test, ghost@example.test, b@@example.test, far@remote.test, nobody"));

        Expansion expansion = expand("staff@example.test");

        assertThat(targets(expansion)).containsExactly("u1@example.test");
        assertThat(expansion.isolated())
                .extracting(
                        Expansion.Isolated::recipient,
                        Expansion.Isolated::status,
                        Expansion.Isolated::reason)
                .containsExactly(
                        tuple("ghost@example.test", Status.BAD_MAILBOX, "unknown user"),
                        tuple("b@@example.test", Status.BAD_MAILBOX_SYNTAX, "more than one @"),
                        tuple(
                                "far@remote.test",
                                Status.NO_ROUTE,
                                "non-local domain and no relay host"),
                        tuple("nobody", Status.BAD_MAILBOX_SYNTAX, "missing @"));
        assertThat(expansion.lists())
                .singleElement()
                .satisfies(list -> assertThat(list.isolated()).isEqualTo(4));
    }

    @Test
    void routesANonLocalMemberToTheRelayWhenOneIsConfigured() throws IOException {
        directory(users(1), List.of("staff: u1@example.test, far@remote.test"));

        Expansion expansion = expand(100, true, FaultInjector.none(), "staff@example.test");

        assertThat(expansion.targets())
                .extracting(t -> t.mailbox().address(), Expansion.Target::route)
                .containsExactly(
                        tuple("u1@example.test", Route.LOCAL),
                        tuple("far@remote.test", Route.RELAY));
    }

    @Test
    void isolatesAnInvalidMemberWrittenTwiceOnce() throws IOException {
        directory(
                users(1),
                List.of(
                        "a: bad@@example.test, u1@example.test, b, Ghost@example.test",
                        "b: bad@@example.test, ghost@example.test"));

        Expansion expansion = expand("a@example.test");

        assertThat(expansion.isolated())
                .extracting(Expansion.Isolated::recipient)
                .containsExactly(
                        "bad@@example.test", "ghost@example.test"); // b is expanded before Ghost
    }

    @Test
    void anInjectedFaultIsolatesThatMemberWith530AndTheRestStillExpand() throws IOException {
        directory(users(5), List.of("staff: " + String.join(", ", users(5))));

        Expansion expansion =
                expand(
                        100,
                        false,
                        new FaultInjector(List.of("expansion:u3@*")),
                        "staff@example.test");

        assertThat(targets(expansion))
                .containsExactly(
                        "u1@example.test", "u2@example.test", "u4@example.test", "u5@example.test");
        assertThat(expansion.isolated())
                .singleElement()
                .satisfies(
                        isolated -> {
                            assertThat(isolated.recipient()).isEqualTo("u3@example.test");
                            assertThat(isolated.status()).isEqualTo(Status.SYSTEM_ERROR);
                        });
        assertThat(events.withId(9001))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("recipient", "u3@example.test")
                                        .containsEntry("queueId", "Q1")
                                        .containsEntry("stage", "expansion")
                                        .containsEntry("list", "staff@example.test")
                                        .containsEntry("code", "0xc0000005"));
    }

    @Test
    void aFaultInANestedListNamesAndCountsTheListTheMemberIsWrittenIn() throws IOException {
        directory(
                users(6),
                List.of(
                        "staff: u1@example.test, sales, u5@example.test, u6@example.test",
                        "sales: u2@example.test, ops, u4@example.test",
                        "ops: u3@example.test"));

        Expansion expansion =
                expand(
                        100,
                        false,
                        new FaultInjector(List.of("expansion:u4@*", "expansion:u6@*")),
                        "staff@example.test");

        assertThat(targets(expansion))
                .containsExactly(
                        "u1@example.test", "u2@example.test", "u3@example.test", "u5@example.test");
        assertThat(expansion.isolated())
                .extracting(Expansion.Isolated::recipient, Expansion.Isolated::list)
                .containsExactly(
                        tuple("u4@example.test", Optional.of("sales@example.test")),
                        tuple("u6@example.test", Optional.of("staff@example.test")));
        assertThat(events.field(9001, "list"))
                .containsExactly("sales@example.test", "staff@example.test");
        assertThat(expansion.lists())
                .extracting(
                        Expansion.ListSummary::list,
                        Expansion.ListSummary::delivered,
                        Expansion.ListSummary::isolated)
                .containsExactly(
                        tuple("staff@example.test", 2, 1),
                        tuple("sales@example.test", 1, 1),
                        tuple("ops@example.test", 1, 0));
    }

    @Test
    void expandsAHundredThousandMembersInLinearTime() throws IOException {
        List<String> users = users(100_000);
        directory(users, List.of("big: " + String.join(", ", users)));

        long start = System.nanoTime();
        Expansion expansion = expand("big@example.test");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(expansion.targets()).hasSize(100_000);
        assertThat(millis).as("expansion time in ms").isLessThan(5_000);
    }

    @Test
    void expandsADeepChainOfNestedListsWithoutOverflowingTheStack() throws IOException {
        int depth = 10_000;
        List<String> lists = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            lists.add("l" + i + ": " + (i + 1 < depth ? "l" + (i + 1) : "u1@example.test"));
        }
        directory(users(1), lists);

        Expansion expansion = expand("l0@example.test");

        assertThat(targets(expansion)).containsExactly("u1@example.test");
        assertThat(expansion.lists()).hasSize(depth);
    }

    private Expansion expandDeliveredTo(Set<String> deliveredTo, String... recipients) {
        Expander expander =
                new Expander(
                        directory, 100_000, true, FaultInjector.none(), new Boundary(events.log()));
        try {
            return expander.expand(
                    "Q1",
                    java.util.Arrays.stream(recipients).map(ExpanderTest::mailbox).toList(),
                    deliveredTo);
        } catch (DirectoryUnavailable e) {
            throw new AssertionError("the files are never unavailable", e);
        }
    }

    @Test
    void isolatesAListTheMessageHasBeenThroughWith546AndDeliversToNoneOfItsMembers()
            throws IOException {
        directory(users(3), List.of("staff: u1@example.test, u2@example.test"));

        Expansion expansion =
                expandDeliveredTo(
                        Set.of("staff@example.test"), "Staff@example.test", "u3@example.test");

        assertThat(targets(expansion)).containsExactly("u3@example.test");
        assertThat(expansion.isolated())
                .singleElement()
                .satisfies(
                        isolated -> {
                            assertThat(isolated.recipient()).isEqualTo("staff@example.test");
                            assertThat(isolated.list()).isEmpty();
                            assertThat(isolated.status()).isEqualTo(Status.ROUTING_LOOP);
                            assertThat(isolated.reason())
                                    .isEqualTo("mail forwarding loop for staff@example.test");
                        });
        assertThat(expansion.lists()).isEmpty();
        assertThat(events.withId(9001)).isEmpty();
    }

    @Test
    void isolatesANestedListMetAgainThroughDeliveredToOnceAndExpandsTheRest() throws IOException {
        directory(
                users(4),
                List.of(
                        "staff: u1@example.test, sales, ops",
                        "sales: u2@example.test, u3@example.test",
                        "ops: sales, u4@example.test"));

        Expansion expansion =
                expandDeliveredTo(
                        Set.of("sales@example.test"), "staff@example.test", "sales@example.test");

        assertThat(targets(expansion)).containsExactly("u1@example.test", "u4@example.test");
        assertThat(expansion.isolated())
                .extracting(
                        Expansion.Isolated::recipient,
                        Expansion.Isolated::list,
                        Expansion.Isolated::status)
                .containsExactly(
                        tuple(
                                "sales@example.test",
                                Optional.of("staff@example.test"),
                                Status.ROUTING_LOOP));
        assertThat(expansion.lists())
                .extracting(
                        Expansion.ListSummary::list,
                        Expansion.ListSummary::members,
                        Expansion.ListSummary::delivered,
                        Expansion.ListSummary::isolated)
                .containsExactly(
                        tuple("staff@example.test", 3, 1, 1), tuple("ops@example.test", 2, 1, 0));
    }

    @Test
    void aDeliveredToNamingAUserOrAnotherListChangesNothing() throws IOException {
        directory(users(2), List.of("staff: u1@example.test, u2@example.test"));

        Expansion expansion =
                expandDeliveredTo(
                        Set.of("u1@example.test", "sales@example.test"), "staff@example.test");

        assertThat(targets(expansion)).containsExactly("u1@example.test", "u2@example.test");
        assertThat(expansion.isolated()).isEmpty();
    }

    @Test
    void eachTargetKnowsEveryListItCameThroughOutermostFirst() throws IOException {
        directory(
                users(2),
                List.of(
                        "staff: u1@example.test, sales",
                        "sales: far@remote.test, u2@example.test"));

        Expansion expansion = expandDeliveredTo(Set.of(), "staff@example.test", "u2@example.test");

        assertThat(expansion.targets())
                .extracting(t -> t.mailbox().address(), Expansion.Target::lists)
                .containsExactly(
                        tuple("u1@example.test", List.of("staff@example.test")),
                        tuple(
                                "far@remote.test",
                                List.of("staff@example.test", "sales@example.test")),
                        tuple(
                                "u2@example.test",
                                List.of("staff@example.test", "sales@example.test")));
        assertThat(expansion.targets().get(1).list()).contains("sales@example.test");
    }

    @Test
    void aDeepTargetCarriesTheOutermostListsAndItsOwnOnly() throws IOException {
        int depth = 25;
        List<String> lists = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            lists.add("l" + i + ": " + (i + 1 < depth ? "l" + (i + 1) : "u1@example.test"));
        }
        directory(users(1), lists);

        Expansion expansion = expand("l0@example.test");

        assertThat(expansion.targets())
                .singleElement()
                .satisfies(
                        target -> {
                            assertThat(target.lists())
                                    .hasSize(Expander.MAX_LISTS_CARRIED)
                                    .startsWith("l0@example.test")
                                    .endsWith("l8@example.test", "l24@example.test");
                            assertThat(target.list()).contains("l24@example.test");
                        });
    }

    @Test
    void aRecipientThatIsNotAListIsATarget() throws IOException {
        directory(users(1), List.of());

        Expansion expansion = expand("u1@example.test", "ghost@example.test");

        assertThat(expansion.targets())
                .singleElement()
                .satisfies(
                        t -> {
                            assertThat(t.mailbox().address()).isEqualTo("u1@example.test");
                            assertThat(t.list()).isEqualTo(Optional.empty());
                        });
        assertThat(expansion.isolated())
                .extracting(Expansion.Isolated::status)
                .containsExactly(Status.BAD_MAILBOX);
    }

    // ---- check: what lists check is told -------------------------------------------------------

    private Expansion check(int maxExpansion, String list) {
        Expander expander =
                new Expander(
                        directory,
                        maxExpansion,
                        false,
                        FaultInjector.none(),
                        new Boundary(events.log()));
        try {
            return expander.check(mailbox(list));
        } catch (DirectoryUnavailable e) {
            throw new AssertionError("the files are never unavailable", e);
        }
    }

    private String line(int number) {
        return dir.resolve("lists") + ":" + number;
    }

    @Test
    void eachIsolatedMemberCarriesTheFileLineItIsWrittenOn() throws IOException {
        directory(
                users(1),
                List.of(
                        "staff: u1@example.test,",
                        "  ghost@example.test, b@@example.test,",
                        "  far@remote.test"));

        Expansion expansion = expand("staff@example.test");

        assertThat(expansion.isolated())
                .extracting(Expansion.Isolated::recipient, Expansion.Isolated::origin)
                .containsExactly(
                        tuple("ghost@example.test", Optional.of(line(2))),
                        tuple("b@@example.test", Optional.of(line(2))),
                        tuple("far@remote.test", Optional.of(line(3))));
    }

    @Test
    void aRcptThatIsIsolatedHasNoOrigin() throws IOException {
        directory(users(1), List.of());

        Expansion expansion = expand("ghost@example.test");

        assertThat(expansion.isolated())
                .singleElement()
                .satisfies(isolated -> assertThat(isolated.origin()).isEmpty());
    }

    @Test
    void aMessagesExpansionRecordsNoSkippedMember() throws IOException {
        directory(users(1), List.of("a: u1@example.test, b, u1@example.test", "b: a"));

        Expansion expansion = expand("a@example.test");

        assertThat(targets(expansion)).containsExactly("u1@example.test");
        assertThat(expansion.skipped()).isEmpty();
    }

    @Test
    void checkRecordsALoopThroughNestingWithItsPathAndTheLineThatClosesIt() throws IOException {
        directory(users(1), List.of("a: u1@example.test, b", "b: c", "c: a"));

        Expansion expansion = check(100, "a@example.test");

        assertThat(targets(expansion)).containsExactly("u1@example.test");
        assertThat(expansion.isolated()).isEmpty();
        assertThat(expansion.skipped())
                .singleElement()
                .satisfies(
                        loop -> {
                            assertThat(loop.kind()).isEqualTo(Expansion.Skipped.Kind.LOOP);
                            assertThat(loop.recipient()).isEqualTo("a");
                            assertThat(loop.list()).contains("c@example.test");
                            assertThat(loop.origin()).contains(line(3));
                            assertThat(loop.reason())
                                    .isEqualTo(
                                            "loop: a@example.test -> b@example.test"
                                                    + " -> c@example.test -> a@example.test");
                        });
    }

    @Test
    void checkRecordsAListThatNamesItselfAsALoop() throws IOException {
        directory(users(1), List.of("a: u1@example.test, a"));

        Expansion expansion = check(100, "a@example.test");

        assertThat(expansion.skipped())
                .extracting(Expansion.Skipped::kind, Expansion.Skipped::reason)
                .containsExactly(
                        tuple(
                                Expansion.Skipped.Kind.LOOP,
                                "loop: a@example.test -> a@example.test"));
    }

    @Test
    void checkRecordsEachDuplicateWithWhereItWasFirstMet() throws IOException {
        directory(
                users(2),
                List.of(
                        "a: u1@example.test, b, c, ghost@example.test",
                        "b: U1@example.test, shared",
                        "c: shared, ghost@example.test",
                        "shared: u2@example.test"));

        Expansion expansion = check(100, "a@example.test");

        assertThat(targets(expansion)).containsExactly("u1@example.test", "u2@example.test");
        assertThat(expansion.skipped())
                .extracting(
                        Expansion.Skipped::kind,
                        Expansion.Skipped::recipient,
                        Expansion.Skipped::origin,
                        Expansion.Skipped::reason)
                .containsExactly(
                        tuple(
                                Expansion.Skipped.Kind.DUPLICATE,
                                "U1@example.test",
                                Optional.of(line(2)),
                                "already a recipient (first at " + line(1) + ")"),
                        tuple(
                                Expansion.Skipped.Kind.DUPLICATE,
                                "shared",
                                Optional.of(line(3)),
                                "list shared@example.test already expanded (first at "
                                        + line(2)
                                        + ")"),
                        tuple(
                                Expansion.Skipped.Kind.DUPLICATE,
                                "ghost@example.test",
                                Optional.of(line(1)),
                                "already isolated (first at " + line(3) + ")"));
        assertThat(expansion.isolated()).hasSize(1);
    }

    @Test
    void checkIsolatesPastTheCapAsAMessageWould() throws IOException {
        directory(users(5), List.of("staff: " + String.join(", ", users(5))));

        Expansion checked = check(3, "staff@example.test");
        Expansion sent = expand(3, false, FaultInjector.none(), "staff@example.test");

        assertThat(checked.targets()).isEqualTo(sent.targets());
        assertThat(checked.isolated()).isEqualTo(sent.isolated());
        assertThat(checked.isolated())
                .extracting(Expansion.Isolated::status)
                .containsOnly(Status.TOO_MANY_RECIPIENTS_PERMANENT);
    }

    @Test
    void aLoopThousandsOfListsDeepIsOneShortReason() throws IOException {
        int depth = 5_000;
        List<String> lists = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            lists.add("l" + i + ": " + (i + 1 < depth ? "l" + (i + 1) : "l0"));
        }
        directory(users(1), lists);

        Expansion expansion = check(100, "l0@example.test");

        assertThat(expansion.skipped())
                .singleElement()
                .satisfies(
                        loop ->
                                assertThat(loop.reason())
                                        .startsWith("loop: l0@example.test -> l1@example.test")
                                        .contains(" -> ... -> ")
                                        .endsWith("l4999@example.test -> l0@example.test")
                                        .hasSizeLessThan(300));
    }
}
