package org.listgate.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.events.LoggedEvent;
import org.listgate.testing.EventCapture;

class DirectoryTest {

    private static final String DOMAIN = "example.test";

    @TempDir Path dir;

    private EventCapture events;
    private Path users;
    private Path lists;
    private Directory directory;

    @BeforeEach
    void setUp() {
        events = EventCapture.in(dir);
        users = dir.resolve("users");
        lists = dir.resolve("lists");
        directory = new Directory(List.of(DOMAIN, "other.test"), users, lists, events.log());
    }

    @AfterEach
    void tearDown() {
        directory.close();
        events.close();
    }

    private void write(Path file, String... lines) throws IOException {
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
    }

    private Optional<Entry> lookup(String address) {
        try {
            return directory.lookup(
                    ((ParseResult.Valid) org.listgate.address.Addresses.parse(address)).mailbox());
        } catch (DirectoryUnavailable e) {
            throw new AssertionError("the files are never unavailable", e);
        }
    }

    private List<String> memberTexts(String list) {
        return ((Entry.DistributionList) lookup(list).orElseThrow())
                .members().stream().map(Member::text).toList();
    }

    private Member member(String list, String text) {
        return ((Entry.DistributionList) lookup(list).orElseThrow())
                .members().stream().filter(m -> m.text().equals(text)).findFirst().orElseThrow();
    }

    @Test
    void distributionListsAreTheListsFilesListsInAddressOrder() throws Exception {
        write(users, "alice@example.test");
        write(lists, "staff: alice@example.test", "Board: staff", "", "all: staff, Board");

        assertThat(directory.distributionLists()).as("before the first reading").isEmpty();
        directory.reload();

        assertThat(directory.distributionLists())
                .extracting(Mailbox::address)
                .containsExactly("all@example.test", "Board@example.test", "staff@example.test");
    }

    @Test
    void readsListsWithContinuationsCommentsAndQuotedCommas() throws IOException {
        write(users);
        write(
                lists,
                "# lists",
                "staff: a@example.test, \"b,c\"@example.test,",
                "  d@example.test",
                "",
                "sales: e@example.test");

        directory.reload();

        assertThat(memberTexts("staff@example.test"))
                .containsExactly("a@example.test", "\"b,c\"@example.test", "d@example.test");
        assertThat(member("staff@example.test", "\"b,c\"@example.test").parsed())
                .isInstanceOf(ParseResult.Valid.class);
        assertThat(memberTexts("SALES@Example.Test")).containsExactly("e@example.test");
        assertThat(events.withId(3003)).isEmpty();
        assertThat(events.withId(1002))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.fields())
                                        .containsEntry("lists", 2)
                                        .containsEntry("users", 0));
    }

    @Test
    void anUnbalancedQuoteOrBracketDoesNotSwallowTheFollowingMembers() throws IOException {
        write(users);
        write(
                lists,
                "staff: \"broken@example.test, a@example.test, <b@example.test, c@example.test");

        directory.reload();

        assertThat(memberTexts("staff@example.test"))
                .containsExactly(
                        "\"broken@example.test",
                        "a@example.test",
                        "<b@example.test",
                        "c@example.test");
        assertThat(events.field(3002, "recipient"))
                .containsExactlyInAnyOrder("\"broken@example.test", "<b@example.test");
    }

    @Test
    void skipsABrokenLineWithEvent3003NamingFileAndLine() throws IOException {
        write(users);
        write(
                lists,
                "staff: a@example.test",
                "no colon here",
                "bad name!: b@example.test",
                "  continued@example.test",
                "sales: c@example.test");

        directory.reload();

        assertThat(lookup("staff@example.test")).isPresent();
        assertThat(lookup("sales@example.test")).isPresent();
        assertThat(events.field(3003, "origin")).containsExactly(lists + ":2", lists + ":3");
        assertThat(events.field(3003, "reason").get(1).toString()).contains("not a list name");
    }

    @Test
    void keepsAnInvalidMemberAndReportsItOnceAtLoad() throws IOException {
        write(users);
        write(lists, "staff: a@example.test, not an address, b@@example.test");

        directory.reload();

        Member invalid = member("staff@example.test", "b@@example.test");
        assertThat(invalid.parsed()).isInstanceOf(ParseResult.Invalid.class);
        assertThat(invalid.origin()).isEqualTo(lists + ":1");
        assertThat(events.withId(3002)).hasSize(2);
        LoggedEvent event = events.withId(3002).get(1);
        assertThat(event.fields())
                .containsEntry("list", "staff@example.test")
                .containsEntry("recipient", "b@@example.test")
                .containsEntry("status", "5.1.3")
                .containsEntry("origin", lists + ":1")
                .containsKey("reason");
    }

    @Test
    void aBareWordIsANestedListOnlyIfTheFileDefinesThatList() throws IOException {
        write(users);
        write(lists, "staff: Sales, nobody", "sales: a@example.test");

        directory.reload();

        Member nested = member("staff@example.test", "Sales");
        assertThat(nested.parsed()).isEqualTo(new ParseResult.Valid(new Mailbox("Sales", DOMAIN)));
        assertThat(member("staff@example.test", "nobody").parsed())
                .isInstanceOf(ParseResult.Invalid.class);
        assertThat(events.field(3002, "recipient")).containsExactly("nobody");
    }

    @Test
    void skipsUsersOutsideTheDomainsUnsafeFolderNamesAndDuplicates() throws IOException {
        write(
                users,
                "# users",
                "alice@example.test",
                "bob@elsewhere.test",
                "../x@example.test",
                ".hidden@example.test",
                "a/b@example.test",
                "\"q\"@example.test",
                "ALICE@Example.test",
                "",
                "carol@other.test");
        write(lists);

        directory.reload();

        assertThat(lookup("alice@example.test")).containsInstanceOf(Entry.User.class);
        assertThat(lookup("carol@other.test")).containsInstanceOf(Entry.User.class);
        assertThat(lookup("bob@elsewhere.test")).isEmpty();
        assertThat(lookup("a/b@example.test")).isEmpty();
        assertThat(lookup("\"q\"@example.test")).isEmpty();
        assertThat(events.field(3003, "origin"))
                .containsExactly(
                        users + ":3",
                        users + ":4",
                        users + ":5",
                        users + ":6",
                        users + ":7",
                        users + ":8");
        assertThat(events.field(3003, "reason").get(5).toString()).contains("twice");
        // The first spelling is kept.
        assertThat(((Entry.User) lookup("alice@example.test").orElseThrow()).mailbox().localPart())
                .isEqualTo("alice");
    }

    @Test
    void aUserLookedUpIsSpeltAsTheUsersFileSpellsIt() throws IOException {
        write(users, "Dave@Example.TEST", "erin@example.test");
        write(lists);

        directory.reload();

        assertThat(lookup("DAVE@example.test"))
                .containsInstanceOf(Entry.User.class)
                .hasValueSatisfying(
                        e ->
                                assertThat(((Entry.User) e).mailbox().address())
                                        .isEqualTo("Dave@example.test"));
        assertThat(lookup("Erin@EXAMPLE.test"))
                .hasValueSatisfying(
                        e ->
                                assertThat(((Entry.User) e).mailbox())
                                        .isEqualTo(new Mailbox("erin", DOMAIN)));
        assertThat(lookup("erin@example.test"))
                .contains(new Entry.User(new Mailbox("erin", DOMAIN)));
        assertThat(events.withId(1002))
                .singleElement()
                .satisfies(e -> assertThat(e.fields()).containsEntry("users", 2));
    }

    @Test
    void aMembersTextIsAsWrittenWhetherOrNotItIsItsAddress() throws IOException {
        write(users, "frank@example.test");
        write(lists, "staff: frank@example.test, <Grace@Example.TEST>, heidi@EXAMPLE.test, @@");

        directory.reload();

        assertThat(memberTexts("staff@example.test"))
                .containsExactly(
                        "frank@example.test", "<Grace@Example.TEST>", "heidi@EXAMPLE.test", "@@");
        Member grace = member("staff@example.test", "<Grace@Example.TEST>");
        assertThat(grace.parsed()).isEqualTo(new ParseResult.Valid(new Mailbox("Grace", DOMAIN)));
        assertThat(member("staff@example.test", "heidi@EXAMPLE.test").parsed())
                .isEqualTo(new ParseResult.Valid(new Mailbox("heidi", DOMAIN)));
        assertThat(member("staff@example.test", "@@").parsed())
                .isInstanceOf(ParseResult.Invalid.class);
    }

    @Test
    void sharingOneDomainStringKeepsEveryAddressAsWritten() throws IOException {
        write(users, "Ivan@EXAMPLE.TEST", "judy@other.test");
        write(
                lists,
                "staff: Ivan@Example.Test, KARL@example.test, judy@Other.Test, judy@other.test");

        directory.reload();

        List<Mailbox> mailboxes =
                ((Entry.DistributionList) lookup("staff@example.test").orElseThrow())
                        .members().stream()
                                .map(m -> ((ParseResult.Valid) m.parsed()).mailbox())
                                .toList();
        assertThat(mailboxes)
                .extracting(Mailbox::localPart)
                .containsExactly("Ivan", "KARL", "judy", "judy");
        assertThat(mailboxes)
                .extracting(Mailbox::address)
                .containsExactly(
                        "Ivan@example.test",
                        "KARL@example.test",
                        "judy@other.test",
                        "judy@other.test");
        assertThat(mailboxes.get(0).domain()).isSameAs(mailboxes.get(1).domain());
        assertThat(mailboxes.get(2).domain()).isSameAs(mailboxes.get(3).domain());
        assertThat(((Entry.User) lookup("ivan@example.test").orElseThrow()).mailbox().address())
                .isEqualTo("Ivan@example.test");
    }

    @Test
    void aMembersOriginIsItsFileAndTheLineItIsWrittenOn() throws IOException {
        write(users);
        write(
                lists,
                "# lists",
                "staff: a@example.test, b@example.test,",
                "  c@example.test,",
                "# a comment between continuations",
                "  not an address",
                "sales: staff");

        directory.reload();

        assertThat(member("staff@example.test", "a@example.test").origin()).isEqualTo(lists + ":2");
        assertThat(member("staff@example.test", "b@example.test").origin()).isEqualTo(lists + ":2");
        assertThat(member("staff@example.test", "c@example.test").origin()).isEqualTo(lists + ":3");
        assertThat(member("staff@example.test", "not an address").origin()).isEqualTo(lists + ":5");
        assertThat(member("sales@example.test", "staff").origin()).isEqualTo(lists + ":6");
        assertThat(events.field(3002, "origin")).containsExactly(lists + ":5");
    }

    @Test
    void aMemberOfAFileEqualsTheSameMemberMadeWithItsWholeOrigin() throws IOException {
        write(users);
        write(lists, "staff: a@example.test");

        directory.reload();

        Member read = member("staff@example.test", "a@example.test");
        Member made =
                new Member(
                        "a@example.test",
                        new ParseResult.Valid(new Mailbox("a", DOMAIN)),
                        lists + ":1");
        assertThat(read).isEqualTo(made).hasSameHashCodeAs(made).hasToString(made.toString());
        assertThat(read.entry()).isEmpty();
        assertThat(new Member("b", new ParseResult.Valid(new Mailbox("b", DOMAIN)), "").text())
                .as("a text that is not the address is kept")
                .isEqualTo("b");
    }

    @Test
    void aMissingFileIsEmptyAndReported() {
        directory.reload();

        assertThat(lookup("alice@example.test")).isEmpty();
        assertThat(events.field(3003, "origin"))
                .containsExactly(users.toString(), lists.toString());
    }

    @Test
    void reloadReplacesTheSnapshot() throws IOException {
        write(users, "alice@example.test");
        write(lists, "staff: alice@example.test");
        directory.reload();
        assertThat(lookup("bob@example.test")).isEmpty();

        write(users, "alice@example.test", "bob@example.test");
        write(lists, "ops: bob@example.test");
        directory.reload();

        assertThat(lookup("bob@example.test")).isPresent();
        assertThat(lookup("ops@example.test")).isPresent();
        assertThat(lookup("staff@example.test")).isEmpty();
    }

    @Test
    void watchPicksUpAnEditedListsFile() throws IOException {
        write(users, "alice@example.test");
        write(lists, "staff: alice@example.test");
        directory.reload();
        directory.watch(Duration.ofMillis(50));

        write(lists, "staff: alice@example.test", "sales: alice@example.test");

        await().atMost(Duration.ofSeconds(5)).until(() -> lookup("sales@example.test").isPresent());
        assertThat(events.withId(1002)).hasSizeGreaterThanOrEqualTo(2);
    }
}
