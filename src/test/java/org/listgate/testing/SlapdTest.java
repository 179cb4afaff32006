package org.listgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.listgate.testing.DirectoryLdif.base;
import static org.listgate.testing.DirectoryLdif.group;
import static org.listgate.testing.DirectoryLdif.groupDn;
import static org.listgate.testing.DirectoryLdif.user;
import static org.listgate.testing.DirectoryLdif.userDn;
import static org.listgate.testing.DirectoryLdif.userWithMail;
import static org.listgate.testing.DirectoryLdif.userWithoutMail;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlapdTest {

    @TempDir Path dir;

    @BeforeAll
    static void slapdInstalled() {
        assumeTrue(Slapd.available(), "slapd is not installed (apt-get install slapd ldap-utils)");
    }

    private static String staff() {
        return base()
                + user("a")
                + user("b")
                + user("c")
                + group(
                        "staff",
                        List.of(userDn("a"), userDn("b")),
                        List.of("outside@elsewhere.test"),
                        Optional.of(userDn("c")));
    }

    @Test
    void findsAGroupByMailAndItsMembersByAnEntryDnOrFilter() throws Exception {
        try (Slapd slapd = Slapd.start(dir, staff());
                LDAPConnection ldap = new LDAPConnection("127.0.0.1", slapd.port())) {
            SearchResultEntry staff = onlyEntry(ldap, slapd, "(mail=staff@example.test)");

            assertThat(staff.getDN()).isEqualTo(groupDn("staff"));
            assertThat(staff.getAttributeValues("member"))
                    .containsExactlyInAnyOrder(userDn("a"), userDn("b"));
            assertThat(staff.getAttributeValues("rfc822MailMember"))
                    .containsExactly("outside@elsewhere.test");
            assertThat(staff.getAttributeValue("owner")).isEqualTo(userDn("c"));
            assertThat(mailsByDn(ldap, slapd, List.of(staff.getAttributeValues("member"))))
                    .containsOnly(
                            Map.entry(userDn("a"), "a@example.test"),
                            Map.entry(userDn("b"), "b@example.test"));
        }
    }

    @Test
    void stopClosesThePortAndRestartServesTheSameDataOnTheSamePort() throws Exception {
        try (Slapd slapd = Slapd.start(dir, staff())) {
            int port = slapd.port();

            slapd.stop();
            assertThat(Loopback.accepts(port)).isFalse();
            assertThatThrownBy(() -> new LDAPConnection("127.0.0.1", port).close())
                    .isInstanceOf(LDAPException.class);

            slapd.restart();
            assertThat(slapd.port()).isEqualTo(port);
            assertThat(slapd.url()).isEqualTo("ldap://127.0.0.1:" + port);
            try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", port)) {
                assertThat(onlyEntry(ldap, slapd, "(mail=staff@example.test)").getDN())
                        .isEqualTo(groupDn("staff"));
            }
        }
    }

    @Test
    void restartReportsSlapdsOwnMessageWhenThePortIsTaken() throws Exception {
        try (Slapd slapd = Slapd.start(dir, staff())) {
            slapd.stop();
            try (ServerSocket squatter =
                    new ServerSocket(
                            slapd.port(), 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
                assertThatThrownBy(slapd::restart)
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("could not listen on port " + squatter.getLocalPort())
                        .hasMessageContaining("Address already in use");
            }
        }
    }

    @Test
    void theAdministratorCanWriteAndAnonymousCannot() throws Exception {
        try (Slapd slapd = Slapd.start(dir, staff());
                LDAPConnection admin =
                        new LDAPConnection(
                                "127.0.0.1", slapd.port(), slapd.adminDn(), slapd.adminPassword());
                LDAPConnection anonymous = new LDAPConnection("127.0.0.1", slapd.port())) {
            admin.delete(userDn("c"));

            assertThat(anonymous.search(slapd.baseDn(), SearchScope.SUB, "(uid=c)").getEntryCount())
                    .isZero();
            assertThatThrownBy(() -> anonymous.delete(userDn("a")))
                    .isInstanceOf(LDAPException.class);
        }
    }

    @Test
    void keepsInvalidAsciiMailValuesExactlyAsLoaded() throws Exception {
        List<String> mails =
                List.of(
                        "u x@example.test",
                        "a@@b",
                        "@",
                        "no-at-sign",
                        "<angle@example.test>",
                        " leading@example.test",
                        "trailing@example.test ",
                        ":colon@example.test",
                        "tab\there@example.test");
        StringBuilder ldif = new StringBuilder(base());
        for (int i = 0; i < mails.size(); i++) {
            ldif.append(userWithMail("odd" + i, mails.get(i)));
        }
        ldif.append(userWithoutMail("nomail"))
                .append(
                        group(
                                "odd",
                                List.of(userDn("odd0")),
                                List.of("a@@b", " x@example.test", "<list@example.test>"),
                                Optional.empty()));

        try (Slapd slapd = Slapd.start(dir, ldif.toString());
                LDAPConnection ldap = new LDAPConnection("127.0.0.1", slapd.port())) {
            for (int i = 0; i < mails.size(); i++) {
                assertThat(onlyEntry(ldap, slapd, "(uid=odd" + i + ")").getAttributeValue("mail"))
                        .isEqualTo(mails.get(i));
            }
            assertThat(onlyEntry(ldap, slapd, "(uid=nomail)").hasAttribute("mail")).isFalse();
            assertThat(
                            onlyEntry(ldap, slapd, "(mail=odd@example.test)")
                                    .getAttributeValues("rfc822MailMember"))
                    .containsExactlyInAnyOrder("a@@b", " x@example.test", "<list@example.test>");
        }
    }

    @Test
    void refusesAnEightBitMailAndSaysWhy() {
        String ldif = base() + userWithMail("jörg", "jörg@example.test");

        assertThatThrownBy(() -> Slapd.start(dir, ldif))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("slapadd exited with 1")
                .hasMessageContaining("mail: value #0 invalid per syntax");
    }

    @Test
    void loadsTenThousandUsersAndATenThousandMemberGroup() throws Exception {
        int users = 10_000;
        List<String> dns = IntStream.range(0, users).mapToObj(i -> userDn("u" + i)).toList();
        StringBuilder ldif = new StringBuilder(base());
        IntStream.range(0, users).forEach(i -> ldif.append(user("u" + i)));
        ldif.append(group("everyone", dns, List.of(), Optional.empty()));

        try (Slapd slapd = Slapd.start(dir, ldif.toString());
                LDAPConnection ldap = new LDAPConnection("127.0.0.1", slapd.port())) {
            System.out.printf(
                    "slapd: slapadd loaded %d users and a %d-member group in %d ms;"
                            + " slapd listened after %d ms%n",
                    users, users, slapd.loadTime().toMillis(), slapd.startTime().toMillis());

            long groupStart = System.nanoTime();
            SearchResultEntry everyone = onlyEntry(ldap, slapd, "(mail=everyone@example.test)");
            long groupMillis = (System.nanoTime() - groupStart) / 1_000_000;
            assertThat(everyone.getAttributeValues("member")).hasSize(users);

            List<String> batch = List.of(everyone.getAttributeValues("member")).subList(0, 200);
            long batchStart = System.nanoTime();
            Map<String, String> mails = mailsByDn(ldap, slapd, batch);
            long batchMillis = (System.nanoTime() - batchStart) / 1_000_000;
            assertThat(mails).hasSize(200).containsKeys(batch.toArray(String[]::new));
            System.out.printf(
                    "slapd: the group with %d members read in %d ms;"
                            + " 200 users by one entryDN OR filter in %d ms%n",
                    users, groupMillis, batchMillis);
        }
    }

    private static SearchResultEntry onlyEntry(LDAPConnection ldap, Slapd slapd, String filter)
            throws LDAPException {
        SearchResult result = ldap.search(slapd.baseDn(), SearchScope.SUB, filter);
        assertThat(result.getSearchEntries()).as(filter).hasSize(1);
        return result.getSearchEntries().get(0);
    }

    /** The users with these DNs, in one search: {@code (|(entryDN=...)(entryDN=...))}. */
    private static Map<String, String> mailsByDn(LDAPConnection ldap, Slapd slapd, List<String> dns)
            throws LDAPException {
        Filter anyOf =
                Filter.createORFilter(
                        dns.stream()
                                .map(dn -> Filter.createEqualityFilter("entryDN", dn))
                                .toList());
        return ldap
                .search(slapd.baseDn(), SearchScope.SUB, anyOf, "mail")
                .getSearchEntries()
                .stream()
                .collect(
                        Collectors.toMap(
                                SearchResultEntry::getDN, e -> e.getAttributeValue("mail")));
    }
}
