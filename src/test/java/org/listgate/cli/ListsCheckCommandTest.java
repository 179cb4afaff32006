package org.listgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.testing.DirectoryLdif;
import org.listgate.testing.LdapServer;
import org.listgate.testing.TestSite;
import picocli.CommandLine;

/**
 * {@code listgate lists check}, run as Main runs it, on real users and lists files written to a
 * temporary folder, on UnboundID's in-memory LDAP server, and on the sample configuration.
 */
class ListsCheckCommandTest {

    private static final String ALICE = "alice@example.test";
    private static final String BOB = "bob@example.test";

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int check(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("lists", "check"));
        all.addAll(List.of(args));
        return commandLine.execute(all.toArray(String[]::new));
    }

    /** A site with alice and bob, and {@code lists} as the lists file; its properties file. */
    private Path files(String lists, String... properties) throws IOException {
        TestSite site = new TestSite(dir).users(List.of(ALICE, BOB)).lists(lists);
        for (int i = 0; i < properties.length; i += 2) {
            site.property(properties[i], properties[i + 1]);
        }
        return site.write();
    }

    private String line(int number) {
        return dir.resolve("lists") + ":" + number;
    }

    private List<String> rows() {
        return out.toString().lines().toList();
    }

    private List<Map<String, Object>> json() throws IOException {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String text : rows()) {
            objects.add(JSON.std.mapFrom(text));
        }
        return objects;
    }

    // ---- the files ------------------------------------------------------------------------------

    @Test
    void aDirectoryWithNothingWrongIsExit0AndSaysSo() throws Exception {
        Path config = files("team: alice@example.test, bob@example.test\nall: team\n");

        assertThat(check("--config", config.toString())).isZero();

        assertThat(rows())
                .containsExactly(
                        "No problems found.",
                        "",
                        "all@example.test: 3 members, 2 would be delivered, 0 isolated, 0 loops,"
                                + " 0 duplicates",
                        "team@example.test: 2 members, 2 would be delivered, 0 isolated, 0 loops,"
                                + " 0 duplicates",
                        "2 lists checked: 5 members, 4 would be delivered, 0 isolated, 0 loops,"
                                + " 0 duplicates, 0 over limits.maxExpansion");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void eachMemberThatWouldBeIsolatedIsARowWithItsStatusReasonAndLine() throws Exception {
        Path config =
                files(
                        "staff: alice@example.test, nobody.example.test,\n"
                                + "       ghost@example.test, far@elsewhere.test\n");

        assertThat(check("--config", config.toString())).isEqualTo(1);

        assertThat(rows().get(0)).matches("LIST +FINDING +STATUS +MEMBER +ORIGIN +REASON");
        assertThat(rows().subList(1, 4))
                .satisfiesExactly(
                        row ->
                                assertThat(row)
                                        .matches(
                                                row(
                                                        "staff@example.test",
                                                        "isolated",
                                                        "5.1.3",
                                                        "nobody.example.test",
                                                        line(1),
                                                        "missing @")),
                        row ->
                                assertThat(row)
                                        .matches(
                                                row(
                                                        "staff@example.test",
                                                        "isolated",
                                                        "5.1.1",
                                                        "ghost@example.test",
                                                        line(2),
                                                        "unknown user")),
                        row ->
                                assertThat(row)
                                        .matches(
                                                row(
                                                        "staff@example.test",
                                                        "isolated",
                                                        "5.4.4",
                                                        "far@elsewhere.test",
                                                        line(2),
                                                        "non-local domain and no relay host")));
        // The columns line up: each field starts where its heading does.
        int origin = rows().get(0).indexOf("ORIGIN");
        assertThat(rows().subList(1, 4))
                .allSatisfy(row -> assertThat(row.indexOf(dir.toString())).isEqualTo(origin));
        assertThat(rows())
                .endsWith(
                        "staff@example.test: 4 members, 1 would be delivered, 3 isolated, 0 loops,"
                                + " 0 duplicates",
                        "1 list checked: 4 members, 1 would be delivered, 3 isolated, 0 loops,"
                                + " 0 duplicates, 0 over limits.maxExpansion");
    }

    /** A table row as a pattern: the fields in order, separated by two or more spaces. */
    private static String row(String... fields) {
        return java.util.Arrays.stream(fields)
                .map(java.util.regex.Pattern::quote)
                .collect(java.util.stream.Collectors.joining(" {2,}"));
    }

    @Test
    void aLoopThroughANestedListIsFoundInEachListOnIt() throws Exception {
        Path config =
                files("team: alice@example.test, managers\nmanagers: bob@example.test, team\n");

        assertThat(check("--config", config.toString())).isEqualTo(1);

        assertThat(out.toString())
                .containsPattern(
                        "managers@example.test +loop +- +managers +"
                                + line(1)
                                + " +loop: managers@example.test -> team@example.test ->"
                                + " managers@example.test")
                .containsPattern(
                        "team@example.test +loop +- +team +"
                                + line(2)
                                + " +loop: team@example.test -> managers@example.test ->"
                                + " team@example.test")
                .contains(
                        "team@example.test: 4 members, 2 would be delivered, 0 isolated, 1 loop,"
                                + " 0 duplicates");
    }

    @Test
    void aMailboxReachedTwiceIsADuplicateNamingWhereItWasFirst() throws Exception {
        Path config = files("team: alice@example.test, sub\nsub: Alice@Example.Test\n");

        assertThat(check("--config", config.toString(), "--list", "team")).isEqualTo(1);

        assertThat(out.toString())
                .containsPattern(
                        "team@example.test +duplicate +- +Alice@Example.Test +"
                                + line(2)
                                + " +already a recipient \\(first at "
                                + line(1)
                                + "\\)")
                .contains(
                        "team@example.test: 3 members, 1 would be delivered, 0 isolated, 0 loops,"
                                + " 1 duplicate");
    }

    @Test
    void aListPastMaxExpansionIsAFindingAndSoIsEachMemberPastTheCap() throws Exception {
        Path config =
                files(
                        "big: alice@example.test, bob@example.test, ghost@example.test\n",
                        "limits.maxExpansion",
                        "1");

        assertThat(check("--config", config.toString(), "--json")).isEqualTo(1);

        List<Map<String, Object>> objects = json();
        assertThat(objects)
                .filteredOn(o -> "isolated".equals(o.get("kind")))
                .extracting(o -> o.get("recipient"), o -> o.get("status"))
                .containsExactly(
                        // The cap counts recipients: an unknown user is isolated for that.
                        org.assertj.core.groups.Tuple.tuple(BOB, "5.5.3"),
                        org.assertj.core.groups.Tuple.tuple("ghost@example.test", "5.1.1"));
        assertThat(objects)
                .filteredOn(o -> "over-limit".equals(o.get("kind")))
                .singleElement()
                .satisfies(
                        o ->
                                assertThat(o)
                                        .containsEntry("list", "big@example.test")
                                        .containsEntry("status", "5.5.3")
                                        .containsEntry(
                                                "reason",
                                                "expands to 2 recipients, over limits.maxExpansion"
                                                        + " = 1: 1 member past it would be"
                                                        + " isolated"));
        assertThat(objects.get(objects.size() - 1))
                .containsEntry("kind", "summary")
                .containsEntry("listsOverLimit", 1)
                .containsEntry("clean", false);
    }

    @Test
    void listChecksThatListAloneByNameOrByAddress() throws Exception {
        Path config = files("good: alice@example.test\nbad: ghost@example.test\n");

        assertThat(check("--config", config.toString(), "--list", "good")).isZero();
        assertThat(out.toString()).contains("1 list checked").doesNotContain("bad@");

        out.getBuffer().setLength(0);
        assertThat(check("--config", config.toString(), "--list", "BAD@example.test")).isEqualTo(1);
        assertThat(out.toString()).contains("ghost@example.test").contains("1 list checked");
    }

    @Test
    void jsonIsAnObjectAFindingThenOneAListThenTheSummary() throws Exception {
        Path config =
                files("staff: alice@example.test, ghost@example.test\nteam: bob@example.test\n");

        assertThat(check("--config", config.toString(), "--json")).isEqualTo(1);

        List<Map<String, Object>> objects = json();
        assertThat(objects)
                .extracting(o -> o.get("kind"))
                .containsExactly("isolated", "list", "list", "summary");
        assertThat(objects.get(0))
                .containsEntry("list", "staff@example.test")
                .containsEntry("recipient", "ghost@example.test")
                .containsEntry("status", "5.1.1")
                .containsEntry("reason", "unknown user")
                .containsEntry("origin", line(1))
                .containsEntry("in", "staff@example.test");
        assertThat(objects.get(1))
                .containsEntry("list", "staff@example.test")
                .containsEntry("members", 2)
                .containsEntry("delivered", 1)
                .containsEntry("isolated", 1)
                .containsEntry("overLimit", false);
        assertThat(objects.get(3))
                .containsEntry("lists", 2)
                .containsEntry("members", 3)
                .containsEntry("delivered", 2)
                .containsEntry("isolated", 1)
                .containsEntry("loops", 0)
                .containsEntry("duplicates", 0);
    }

    @Test
    void aLineOfTheListsFileThatIsNotReadIsAFindingAndNothingGoesToTheEventLog() throws Exception {
        Path config = files("team: alice@example.test\nteam: bob@example.test\n");

        assertThat(check("--config", config.toString())).isEqualTo(1);

        assertThat(out.toString())
                .containsPattern(
                        "- +directory +- +- +"
                                + line(2)
                                + " +list team is defined twice; the first definition is used")
                .endsWith(
                        "1 list checked: 1 member, 1 would be delivered, 0 isolated, 0 loops,"
                                + " 0 duplicates, 0 over limits.maxExpansion, 1 line of the"
                                + " directory files not read"
                                + System.lineSeparator());
        assertThat(dir.resolve("events.jsonl")).doesNotExist();
        assertThat(dir.resolve("spool")).doesNotExist();
    }

    @Test
    void aBadCommandLineConfigurationOrListIsOneLineAndExit2() throws Exception {
        Path config = files("team: alice@example.test\n");

        assertThat(check("--config", dir.resolve("nope.properties").toString())).isEqualTo(2);
        assertThat(check("--config", config.toString(), "--list", "nope")).isEqualTo(2);
        assertThat(check("--config", config.toString(), "--list", ALICE)).isEqualTo(2);
        assertThat(check("--config", config.toString(), "--list", "a@@b")).isEqualTo(2);
        assertThat(check("--config", config.toString(), "--bogus")).isEqualTo(2);

        assertThat(err.toString().lines())
                .hasSize(5)
                .allSatisfy(problem -> assertThat(problem).startsWith("listgate: "));
        assertThat(err.toString())
                .contains("nope.properties")
                .contains("no list nope@example.test in the directory")
                .contains("no list alice@example.test in the directory (it is a user)")
                .doesNotContain("Exception");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void listsAloneIsAMissingCommand() {
        assertThat(Main.run("lists")).isEqualTo(2);
    }

    // ---- LDAP -----------------------------------------------------------------------------------

    private Path ldap(LdapServer server) throws IOException {
        return new TestSite(dir)
                .property("directory.type", "ldap")
                .property("directory.ldap.urls", server.url())
                .property("directory.ldap.baseDn", LdapServer.BASE)
                .property("directory.ldap.timeout", "2s")
                .write();
    }

    @Test
    void anLdapGroupsBadMembersAreFoundWithTheGroupsDnAsOrigin() throws Exception {
        String ldif =
                DirectoryLdif.base()
                        + DirectoryLdif.user("alice")
                        + DirectoryLdif.group(
                                "inner",
                                List.of(
                                        DirectoryLdif.userDn("alice"),
                                        DirectoryLdif.groupDn("staff")),
                                List.of(),
                                Optional.empty())
                        + DirectoryLdif.group(
                                "staff",
                                List.of(
                                        DirectoryLdif.userDn("alice"),
                                        DirectoryLdif.userDn("ghost"),
                                        DirectoryLdif.groupDn("inner")),
                                List.of("not-an-address"),
                                Optional.empty());
        try (LdapServer server = LdapServer.start(ldif)) {
            Path config = ldap(server);

            assertThat(check("--config", config.toString(), "--json", "--list", "staff"))
                    .isEqualTo(1);
        }

        List<Map<String, Object>> objects = json();
        String staff = DirectoryLdif.groupDn("staff");
        assertThat(objects)
                .filteredOn(o -> "isolated".equals(o.get("kind")))
                .extracting(o -> o.get("recipient"), o -> o.get("status"), o -> o.get("origin"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                DirectoryLdif.userDn("ghost"), "5.1.1", staff),
                        org.assertj.core.groups.Tuple.tuple("not-an-address", "5.1.3", staff));
        assertThat(objects)
                .filteredOn(o -> "isolated".equals(o.get("kind")))
                .first()
                .satisfies(
                        o ->
                                assertThat(o)
                                        .containsEntry(
                                                "reason",
                                                "no directory entry "
                                                        + DirectoryLdif.userDn("ghost")));
        assertThat(objects)
                .filteredOn(o -> "loop".equals(o.get("kind")))
                .singleElement()
                .satisfies(
                        o ->
                                assertThat(o)
                                        .containsEntry("recipient", "staff@example.test")
                                        .containsEntry("origin", DirectoryLdif.groupDn("inner"))
                                        .containsEntry(
                                                "reason",
                                                "loop: staff@example.test -> inner@example.test"
                                                        + " -> staff@example.test"));
        assertThat(objects)
                .filteredOn(o -> "duplicate".equals(o.get("kind")))
                .singleElement()
                .satisfies(o -> assertThat(o).containsEntry("recipient", ALICE));
    }

    @Test
    void everyLdapGroupIsCheckedWhenNoListIsNamed() throws Exception {
        String ldif =
                DirectoryLdif.base()
                        + DirectoryLdif.user("alice")
                        + DirectoryLdif.group(
                                "a",
                                List.of(DirectoryLdif.userDn("alice")),
                                List.of(),
                                Optional.empty())
                        + DirectoryLdif.group(
                                "b",
                                List.of(DirectoryLdif.groupDn("a")),
                                List.of(),
                                Optional.empty());
        try (LdapServer server = LdapServer.start(ldif)) {
            Path config = ldap(server);

            assertThat(check("--config", config.toString())).isZero();
        }

        assertThat(rows())
                .contains(
                        "a@example.test: 1 member, 1 would be delivered, 0 isolated, 0 loops,"
                                + " 0 duplicates",
                        "b@example.test: 2 members, 1 would be delivered, 0 isolated, 0 loops,"
                                + " 0 duplicates");
    }

    @Test
    void anLdapDirectoryThatIsDownIsOneLineAndExit3() throws Exception {
        Path config;
        try (LdapServer server = LdapServer.start(DirectoryLdif.base())) {
            config = ldap(server);
        }

        assertThat(check("--config", config.toString())).isEqualTo(3);

        assertThat(err.toString().lines())
                .singleElement()
                .satisfies(
                        problem ->
                                assertThat(problem)
                                        .startsWith("listgate: directory unavailable: ")
                                        .endsWith("; nothing was checked"));
        assertThat(out.toString()).isEmpty();
    }

    // ---- the sample configuration ---------------------------------------------------------------

    @Test
    void theSampleStaffListHasItsHundredInvalidMembersAndTeamItsLoop() throws Exception {
        assertThat(check("--config", "config/listgate.properties")).isEqualTo(1);

        assertThat(rows())
                .contains(
                        "staff@example.test: 1000 members, 900 would be delivered, 100 isolated,"
                                + " 0 loops, 0 duplicates",
                        "team@example.test: 6 members, 3 would be delivered, 0 isolated, 1 loop,"
                                + " 1 duplicate");
        assertThat(rows().get(rows().size() - 1)).startsWith("5 lists checked: ");
        assertThat(out.toString())
                .containsPattern(
                        "staff@example.test +isolated +5\\.1\\.1 +ghost0@example.test +\\S+config/lists:18 +unknown user");
    }
}
