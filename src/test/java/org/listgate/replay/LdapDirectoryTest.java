package org.listgate.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.listgate.address.Addresses;
import org.listgate.address.ParseResult;
import org.listgate.cli.Main;

/**
 * {@code replay --write-directory DIR --ldif}: the LDIF is deterministic, parses, holds every kind
 * in every LDAP form, loads into an LDAP server with schema checking on, and there each member of
 * the group resolves, by the rules of the LDAP conventions, to its kind's fate.
 */
class LdapDirectoryTest {

    /** 45 invalid members: three of each kind. */
    private static final int MEMBERS = 450;

    private static final String SUFFIX = "dc=example,dc=test";

    /**
     * rfc822MailMember as OpenLDAP's misc.schema defines it: the in-memory server's standard schema
     * lacks it (it has account, extensibleObject and uniqueMember), so it is added and schema
     * checking stays on.
     */
    private static final String RFC822_MAIL_MEMBER =
            "( 1.3.6.1.4.1.42.2.27.2.1.15 NAME 'rfc822MailMember'"
                    + " DESC 'rfc822 mail address of group member(s)'"
                    + " EQUALITY caseIgnoreIA5Match SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 )";

    @TempDir Path dir;

    @Test
    void theSameSeedWritesTheSameLdif() throws Exception {
        Path one = write(Scenario.generate(9, 500, 0.2, "staff", "example.test"), "a");
        Path two = write(Scenario.generate(9, 500, 0.2, "staff", "example.test"), "b");
        Path other = write(Scenario.generate(10, 500, 0.2, "staff", "example.test"), "c");

        assertThat(Files.readString(two)).isEqualTo(Files.readString(one));
        assertThat(Files.readString(other)).isNotEqualTo(Files.readString(one));
    }

    @Test
    void everyKindAndEveryFormIsInTheLdifAndItParses() throws Exception {
        Scenario scenario = Scenario.generate(7, MEMBERS, 0.1, "staff", "example.test");
        List<LdapForm.Written> written = LdapForm.of(scenario);
        List<Entry> entries = read(write(scenario, "s"));

        assertThat(written)
                .extracting(w -> w.member().kind())
                .containsAll(EnumSet.allOf(Kind.class));
        assertThat(written)
                .extracting(LdapForm.Written::form)
                .containsAll(EnumSet.complementOf(EnumSet.of(LdapForm.Form.UNIQUE_MEMBER_DN)));
        // The forms each kind goes round all occur with three members of it.
        assertThat(formsOf(written, Kind.UNKNOWN_USER))
                .containsExactlyInAnyOrder(
                        LdapForm.Form.MAIL_MEMBER,
                        LdapForm.Form.DANGLING_DN,
                        LdapForm.Form.ENTRY_WITHOUT_MAIL);
        for (Kind kind :
                List.of(
                        Kind.MISSING_AT,
                        Kind.DOUBLE_AT,
                        Kind.EMPTY_LOCAL_PART,
                        Kind.OVERLONG_LOCAL_PART,
                        Kind.DOTS,
                        Kind.UNBALANCED,
                        Kind.CONTROL_CHARACTER,
                        Kind.EIGHT_BIT)) {
            assertThat(formsOf(written, kind))
                    .as(kind.key())
                    .containsExactlyInAnyOrder(
                            LdapForm.Form.MAIL_MEMBER, LdapForm.Form.ENTRY_WITH_BAD_MAIL);
        }
        assertThat(formsOf(written, Kind.LIST_LOOP))
                .containsExactlyInAnyOrder(LdapForm.Form.GROUP_DN, LdapForm.Form.MAIL_MEMBER);

        Entry group = entry(entries, "cn=staff,ou=groups," + SUFFIX);
        assertThat(group.getObjectClassValues()).contains("groupOfNames", "extensibleObject");
        assertThat(group.getAttributeValue("mail")).isEqualTo("staff@example.test");
        for (LdapForm.Written member : written) {
            assertThat(group.getAttribute(member.attribute()).getValues())
                    .as(member.member().toString())
                    .contains(member.value());
        }
        assertEveryValueOnce(entries);
        assertThat(entries)
                .extracting(Entry::getDN)
                .contains(
                        "uid=postmaster,ou=people," + SUFFIX,
                        "uid=alice,ou=people," + SUFFIX,
                        "uid=u1,ou=people," + SUFFIX,
                        "uid=routed1,ou=people," + SUFFIX,
                        "cn=staff-loop1,ou=groups," + SUFFIX,
                        "uid=j\u00f6rg3,ou=people," + SUFFIX);
    }

    @Test
    void theLdifBase64sWhatLdifCannotHoldAsItIs() throws Exception {
        Scenario scenario = Scenario.generate(7, MEMBERS, 0.1, "staff", "example.test");
        String ldif = Files.readString(write(scenario, "s"), StandardCharsets.UTF_8);

        assertThat(ldif).startsWith("# The list staff@example.test as an LDAP directory");
        assertThat(ldif).contains("slapadd -f slapd.conf -l directory.ldif");
        assertThat(ldif).contains("ldapadd -x -H ldap://127.0.0.1:3389 -D cn=admin," + SUFFIX);
        assertThat(ldif).doesNotContain("version:");
        assertThat(ldif).doesNotContain("\u0007").doesNotContain("\u00f6");
        assertThat(ldif).contains("rfc822MailMember:: ").contains("dn:: ").contains("member:: ");
        assertThat(ldif).contains("rfc822MailMember: j\\c3\\b6rg1@example.test");
        assertThat(ldif).contains("\nmail:: ");
    }

    @Test
    void theSuffixComesFromTheDomain() throws Exception {
        Scenario scenario = Scenario.generate(1, 50, 0.1, "staff", "Lists.Example.ORG");
        List<Entry> entries = read(write(scenario, "s"));

        Entry suffix = entries.get(0);
        assertThat(suffix.getDN()).isEqualTo("dc=lists,dc=example,dc=org");
        assertThat(suffix.getAttributeValue("dc")).isEqualTo("lists");
        assertThat(entries.get(1).getDN()).isEqualTo("ou=people,dc=lists,dc=example,dc=org");
        assertThat(entry(entries, "cn=staff,ou=groups,dc=lists,dc=example,dc=org")).isNotNull();
    }

    @ParameterizedTest(name = "seed {0}, {1} members, invalid {2}")
    @CsvSource({"7, 450, 0.1", "3, 600, 0.2", "11, 300, 0.9", "5, 300, 0.98"})
    void inAnLdapServerEveryMemberResolvesToItsKindsFate(long seed, int size, double invalid)
            throws Exception {
        Scenario scenario = Scenario.generate(seed, size, invalid, "staff", "example.test");
        List<LdapForm.Written> written = LdapForm.of(scenario);
        InMemoryDirectoryServer server = server(write(scenario, "s"));
        try (LDAPConnection ldap = server.getConnection()) {
            Conventions conventions = new Conventions(ldap, "staff@example.test");
            Map<String, Integer> copies = new HashMap<>();
            for (LdapForm.Written member : written) {
                Conventions.Resolved resolved =
                        conventions.resolve(member.attribute(), member.value());
                Kind kind = member.member().kind();
                String what = member.member() + " as " + member.form();
                switch (kind.fate()) {
                    case DELIVER, MERGE -> {
                        assertThat(resolved.fate()).as(what).isEqualTo("delivered");
                        assertThat(resolved.mailbox())
                                .as(what)
                                .isEqualTo(
                                        member.member()
                                                .mailbox()
                                                .orElseThrow()
                                                .toLowerCase(Locale.ROOT));
                        copies.merge(resolved.mailbox(), 1, Integer::sum);
                    }
                    case REFUSE -> {
                        assertThat(resolved.fate()).as(what).isEqualTo("isolated");
                        assertThat(resolved.status()).as(what).isEqualTo(kind.isolationStatus());
                        assertThat(resolved.text()).as(what).isEqualTo(member.text());
                    }
                    case SKIP -> assertThat(resolved.fate()).as(what).isEqualTo("skipped");
                }
            }
            // Each duplicate reaches the mailbox of a valid member: merged with it.
            for (LdapForm.Written member : written) {
                if (member.member().kind() == Kind.DUPLICATE) {
                    assertThat(copies.get(member.member().mailbox().orElseThrow()))
                            .isGreaterThan(1);
                }
            }
            // Both entries without mail: an account and a person.
            if (scenario.counts().get(Kind.UNKNOWN_USER) >= 6) {
                assertThat(
                                ldap.search(
                                                SUFFIX,
                                                SearchScope.SUB,
                                                "(&(uid=ghost*)(|(objectClass=account)(objectClass=inetOrgPerson)))")
                                        .getSearchEntries())
                        .extracting(e -> e.hasObjectClass("account"))
                        .contains(true, false);
            }
        } finally {
            server.shutDown(true);
        }
    }

    @Test
    void aMailboxReachedManyTimesIsWrittenInFormsOneGroupCanHold() throws Exception {
        // 6 valid members and about 20 duplicates of them: mailboxes reached four times and more.
        Scenario scenario = Scenario.generate(5, 300, 0.98, "staff", "example.test");
        List<LdapForm.Written> written = LdapForm.of(scenario);

        assertThat(written)
                .filteredOn(w -> w.member().kind() == Kind.DUPLICATE)
                .extracting(LdapForm.Written::value)
                .anyMatch(value -> value.startsWith("<"))
                .anyMatch(value -> value.startsWith("@dup4."));
        assertThat(written)
                .extracting(LdapForm.Written::form)
                .contains(LdapForm.Form.UNIQUE_MEMBER_DN);
        assertEveryValueOnce(read(write(scenario, "s")));
    }

    /** An attribute holds a value once: a DN, or an IA5 address compared without case. */
    private static void assertEveryValueOnce(List<Entry> entries) {
        for (Entry entry : entries) {
            for (Attribute attribute : entry.getAttributes()) {
                Set<String> distinct = new HashSet<>();
                for (String value : attribute.getValues()) {
                    distinct.add(value.toLowerCase(Locale.ROOT));
                }
                assertThat(distinct)
                        .as(entry.getDN() + " " + attribute.getName())
                        .hasSize(attribute.size());
            }
        }
    }

    @Test
    void aGroupWithNoMemberInADnFormNamesItselfSinceGroupOfNamesMustHaveAMember() throws Exception {
        int selfNamed = 0;
        for (long seed = 1; seed <= 40; seed++) {
            Scenario scenario = Scenario.generate(seed, 2, 1.0, "staff", "example.test");
            Entry group = entry(read(write(scenario, "s" + seed)), "cn=staff,ou=groups," + SUFFIX);
            boolean anyDn =
                    LdapForm.of(scenario).stream()
                            .anyMatch(w -> w.attribute().equals(LdapForm.MEMBER));
            assertThat(group.getAttributeValues("member")).isNotEmpty();
            if (!anyDn) {
                // A loop into itself: skipped, no recipient, as the files have none.
                assertThat(group.getAttributeValues("member"))
                        .containsExactly("cn=staff,ou=groups," + SUFFIX);
                selfNamed++;
            }
        }
        assertThat(selfNamed).isPositive();
    }

    /**
     * mail and rfc822MailMember are IA5String: slapd refuses an 8-bit value there ("mail: value #0
     * invalid per syntax", from ldapadd; slapadd does not check). The in-memory server does not
     * check that syntax, so the LDIF is checked here: every such value is 7-bit, control characters
     * allowed.
     */
    @Test
    void everyMailAndRfc822MailMemberValueIsAnIa5String() throws Exception {
        Scenario scenario = Scenario.generate(3, 2000, 0.2, "staff", "example.test");
        int values = 0;
        for (Entry entry : read(write(scenario, "s"))) {
            for (String attribute : List.of("mail", "rfc822MailMember")) {
                for (String value :
                        entry.getAttributeValues(attribute) == null
                                ? new String[0]
                                : entry.getAttributeValues(attribute)) {
                    assertThat(value.chars().allMatch(c -> c < 0x80))
                            .as(entry.getDN() + " " + attribute + ": " + value)
                            .isTrue();
                    values++;
                }
            }
        }
        assertThat(values).isGreaterThan(2000);
        assertThat(scenario.counts().get(Kind.EIGHT_BIT)).isPositive();
    }

    @Test
    void writeDirectoryWithLdifWritesAListgateThatReadsIt() throws Exception {
        Path scenario = dir.resolve("scenario");
        StringWriter out = new StringWriter();
        int exit = replay(out, "--write-directory", scenario.toString(), "--seed", "7", "--ldif");

        assertThat(exit).isZero();
        for (String file :
                List.of("users", "lists", "listgate.properties", "directory.ldif", "slapd.conf")) {
            assertThat(out.toString()).contains("wrote " + scenario.resolve(file));
        }
        assertThat(out.toString())
                .contains("  slapadd -f " + scenario.resolve("slapd.conf"))
                .contains(
                        "  slapd -f "
                                + scenario.resolve("slapd.conf")
                                + " -h ldap://127.0.0.1:3389/")
                .contains("--ldap");
        String properties = Files.readString(scenario.resolve("listgate.properties"));
        assertThat(properties)
                .contains("\ndirectory.type = ldap\n")
                .contains("\ndirectory.ldap.urls = ldap://127.0.0.1:3389\n")
                .contains("\ndirectory.ldap.baseDn = dc=example,dc=test\n")
                .contains("\ndirectory.users = ");
        assertThat(Files.readString(scenario.resolve("slapd.conf")))
                .contains("suffix \"dc=example,dc=test\"")
                .contains("include /etc/ldap/schema/misc.schema");
        assertThat(scenario.resolve("data/ldap")).isDirectory();
    }

    @Test
    void withoutLdifTheDirectoryIsAsItWas() throws Exception {
        Path scenario = dir.resolve("scenario");
        int exit = replay(new StringWriter(), "--write-directory", scenario.toString());

        assertThat(exit).isZero();
        assertThat(scenario.resolve("directory.ldif")).doesNotExist();
        assertThat(Files.readString(scenario.resolve("listgate.properties")))
                .doesNotContain("directory.type")
                .doesNotContain("ldap");
    }

    @Test
    void ldifWithoutWriteDirectoryAndLdapWithItAreUsageErrors() {
        assertThat(replay(new StringWriter(), "--ldif")).isEqualTo(2);
        assertThat(replay(new StringWriter(), "--write-directory", dir.toString(), "--ldap"))
                .isEqualTo(2);
    }

    private Path write(Scenario scenario, String name) throws Exception {
        ScenarioDirectory.write(
                scenario, dir.resolve(name), 2525, "alice@" + scenario.domain(), "replay", true);
        return dir.resolve(name).resolve("directory.ldif");
    }

    private static List<Entry> read(Path ldif) throws Exception {
        List<Entry> entries = new ArrayList<>();
        try (LDIFReader reader = new LDIFReader(ldif.toFile())) {
            for (Entry entry = reader.readEntry(); entry != null; entry = reader.readEntry()) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static Entry entry(List<Entry> entries, String dn) throws LDAPException {
        DN wanted = new DN(dn);
        return entries.stream()
                .filter(
                        entry -> {
                            try {
                                return entry.getParsedDN().equals(wanted);
                            } catch (LDAPException e) {
                                throw new AssertionError(e);
                            }
                        })
                .findFirst()
                .orElseThrow(() -> new AssertionError("no entry " + dn));
    }

    private static Set<LdapForm.Form> formsOf(List<LdapForm.Written> written, Kind kind) {
        Set<LdapForm.Form> forms = EnumSet.noneOf(LdapForm.Form.class);
        written.stream().filter(w -> w.member().kind() == kind).forEach(w -> forms.add(w.form()));
        return forms;
    }

    /** An in-memory LDAP server, schema checking on, listening, loaded with {@code ldif}. */
    static InMemoryDirectoryServer server(Path ldif) throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(SUFFIX);
        Schema misc =
                new Schema(
                        new Entry(
                                "cn=schema", new Attribute("attributeTypes", RFC822_MAIL_MEMBER)));
        config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), misc));
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        try (LDIFReader reader = new LDIFReader(ldif.toFile())) {
            server.importFromLDIF(true, reader);
        }
        server.startListening();
        return server;
    }

    private static int replay(StringWriter out, String... args) {
        var command = Main.commandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(new StringWriter()));
        List<String> line = new ArrayList<>(List.of("replay"));
        line.addAll(List.of(args));
        return command.execute(line.toArray(String[]::new));
    }

    /**
     * What listgate makes of a group's member, as the LDAP conventions say, found with plain LDAP
     * searches: a member DN is read; a user entry's mail and an rfc822MailMember value are parsed
     * as the address parser parses a line of the lists file; a local address is looked up with the
     * default user and group filters; a group that names the list again is a loop.
     */
    static final class Conventions {

        /** delivered (with its mailbox), isolated (with status and text), or skipped. */
        record Resolved(String fate, String status, String text, String mailbox) {
            static Resolved isolated(String status, String text) {
                return new Resolved("isolated", status, text, "");
            }
        }

        private final LDAPConnection ldap;
        private final DN list;

        Conventions(LDAPConnection ldap, String listAddress) throws LDAPException {
            this.ldap = ldap;
            this.list = group(listAddress).getParsedDN();
        }

        Resolved resolve(String attribute, String value) throws LDAPException {
            return attribute.equals(LdapForm.MAIL_MEMBER) ? address(value) : dn(value);
        }

        private Resolved dn(String value) throws LDAPException {
            SearchResultEntry entry = ldap.getEntry(value);
            if (entry == null) {
                return Resolved.isolated("5.1.1", value); // "no directory entry <DN>"
            }
            if (entry.hasObjectClass("groupOfNames")) {
                return loop(entry);
            }
            String mail = entry.getAttributeValue("mail");
            if (mail == null) {
                return Resolved.isolated("5.1.1", value); // "directory entry <DN> has no mail"
            }
            ParseResult parsed = Addresses.parse(mail);
            if (parsed instanceof ParseResult.Invalid invalid) {
                return Resolved.isolated(invalid.status().toString(), mail);
            }
            return new Resolved(
                    "delivered", "", mail, ((ParseResult.Valid) parsed).mailbox().key());
        }

        private Resolved address(String value) throws LDAPException {
            ParseResult parsed = Addresses.parse(value);
            if (parsed instanceof ParseResult.Invalid invalid) {
                return Resolved.isolated(invalid.status().toString(), value);
            }
            String mailbox = ((ParseResult.Valid) parsed).mailbox().key();
            if (!mailbox.endsWith("@example.test")) {
                return Resolved.isolated("5.4.4", value); // no relay host
            }
            List<SearchResultEntry> users =
                    ldap.search(
                                    SUFFIX,
                                    SearchScope.SUB,
                                    Filter.createANDFilter(
                                            Filter.createEqualityFilter(
                                                    "objectClass", "inetOrgPerson"),
                                            Filter.createEqualityFilter("mail", mailbox)))
                            .getSearchEntries();
            if (users.size() == 1) {
                return new Resolved("delivered", "", value, mailbox);
            }
            SearchResultEntry group = group(mailbox);
            return group != null ? loop(group) : Resolved.isolated("5.1.1", value);
        }

        /** A nested group: a loop if one of its member DNs is the list's. */
        private Resolved loop(SearchResultEntry group) throws LDAPException {
            for (String member : group.getAttributeValues("member")) {
                if (new DN(member).equals(list)) {
                    return new Resolved("skipped", "", group.getDN(), "");
                }
            }
            throw new AssertionError("a nested group that is not a loop: " + group.getDN());
        }

        /** The default groupFilter, for one address. */
        private SearchResultEntry group(String address) throws LDAPException {
            List<SearchResultEntry> found =
                    ldap.search(
                                    SUFFIX,
                                    SearchScope.SUB,
                                    Filter.createANDFilter(
                                            Filter.createORFilter(
                                                    Filter.createEqualityFilter(
                                                            "objectClass", "groupOfNames"),
                                                    Filter.createEqualityFilter(
                                                            "objectClass", "groupOfUniqueNames"),
                                                    Filter.createEqualityFilter(
                                                            "objectClass", "group")),
                                            Filter.createEqualityFilter("mail", address)))
                            .getSearchEntries();
            return found.isEmpty() ? null : found.get(0);
        }
    }
}
