package org.listgate.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.config.Config;
import org.listgate.testing.DirectoryLdif;
import org.listgate.testing.EventCapture;
import org.listgate.testing.LdapServer;

/**
 * The LDAP directory against UnboundID's in-memory server on loopback: users, groups and every kind
 * of bad member, what a large group costs in searches, the cache, the owner of a list, and an
 * outage with its one start and one end event.
 */
class LdapDirectoryTest {

    @TempDir Path dir;

    private LdapServer server;
    private EventCapture events;
    private Directory directory;

    @AfterEach
    void tearDown() {
        if (directory != null) {
            directory.close();
        }
        if (server != null) {
            server.close();
        }
        if (events != null) {
            events.close();
        }
    }

    private static String base() {
        return DirectoryLdif.base();
    }

    private static String user(String uid) {
        return DirectoryLdif.user(uid);
    }

    private static String userWithMail(String uid, String mail) {
        return mail == null
                ? DirectoryLdif.userWithoutMail(uid)
                : DirectoryLdif.userWithMail(uid, mail);
    }

    private static String group(
            String name, List<String> memberDns, List<String> addresses, String owner) {
        return DirectoryLdif.group(name, memberDns, addresses, Optional.ofNullable(owner));
    }

    private static String userDn(String uid) {
        return DirectoryLdif.userDn(uid);
    }

    private static String groupDn(String name) {
        return DirectoryLdif.groupDn(name);
    }

    private Directory open(String ldif, Duration cacheTtl) throws Exception {
        return open(ldif, cacheTtl, 0);
    }

    private Directory open(String ldif, Duration cacheTtl, int range) throws Exception {
        return open(ldif, cacheTtl, range, Optional.empty(), Optional.empty());
    }

    private Directory open(
            String ldif,
            Duration cacheTtl,
            int range,
            Optional<String> bindDn,
            Optional<String> password)
            throws Exception {
        return open(ldif, cacheTtl, range, bindDn, password, List.of());
    }

    /** {@code before}: URLs tried before the server's (failover). */
    private Directory open(
            String ldif,
            Duration cacheTtl,
            int range,
            Optional<String> bindDn,
            Optional<String> password,
            List<String> before)
            throws Exception {
        server = LdapServer.start(ldif, range);
        events = EventCapture.in(dir);
        List<String> urls = new ArrayList<>(before);
        urls.add(server.url());
        Config.Ldap settings =
                LdapServer.settings(urls, bindDn, password, cacheTtl, Duration.ofSeconds(2));
        directory =
                Directory.ldap(List.of("example.test"), settings, Optional.empty(), events.log());
        return directory;
    }

    private static Mailbox at(String local) {
        return new Mailbox(local, "example.test");
    }

    private LdapSource source() {
        return (LdapSource) directory.source();
    }

    @Test
    void aUserIsAUserAndAnAddressNobodyHasIsNothing() throws Exception {
        open(base() + user("alice"), Duration.ofSeconds(60));

        assertThat(directory.lookup(new Mailbox("Alice", "EXAMPLE.test")))
                .contains(new Entry.User(at("alice")));
        assertThat(directory.lookup(at("ghost"))).isEmpty();
        // RFC 5321 §4.5.1: the postmaster exists whatever the directory says.
        assertThat(directory.lookup(at("postmaster"))).contains(new Entry.User(at("postmaster")));
    }

    @Test
    void aGroupsMembersAreResolvedAndEachBadOneSaysWhichEntry() throws Exception {
        String ldif =
                base()
                        + user("bob")
                        + userWithMail("nomail", null)
                        + userWithMail("badmail", "bad mail@@example.test")
                        + group("inner", List.of(userDn("bob")), List.of(), null)
                        + group(
                                "staff",
                                List.of(
                                        userDn("bob"),
                                        userDn("ghost"),
                                        userDn("nomail"),
                                        userDn("badmail"),
                                        groupDn("inner")),
                                List.of("carol@example.test", "not-an-address"),
                                null);
        open(ldif, Duration.ofSeconds(60));

        Entry.DistributionList staff =
                (Entry.DistributionList) directory.lookup(at("staff")).orElseThrow();

        assertThat(staff.members())
                .extracting(Member::text)
                .containsExactly(
                        "bob@example.test",
                        userDn("ghost"),
                        userDn("nomail"),
                        "bad mail@@example.test",
                        "inner@example.test",
                        "carol@example.test",
                        "not-an-address");
        assertThat(staff.members().get(0).entry()).contains(new Entry.User(at("bob")));
        assertThat(reason(staff.members().get(1)))
                .isEqualTo("no directory entry " + userDn("ghost"));
        assertThat(reason(staff.members().get(2)))
                .isEqualTo("directory entry " + userDn("nomail") + " has no mail");
        assertThat(reason(staff.members().get(3))).endsWith("(mail of " + userDn("badmail") + ")");
        assertThat(((ParseResult.Invalid) staff.members().get(3).parsed()).status().toString())
                .isEqualTo("5.1.3");
        // A nested group is looked up by its mail when it is expanded, so a loop is found by it.
        assertThat(staff.members().get(4).entry()).isEmpty();
        assertThat(directory.lookup(at("inner"))).get().isInstanceOf(Entry.DistributionList.class);
    }

    @Test
    void everyGroupWithAMailInALocalDomainIsAListFoundPageByPage() throws Exception {
        StringBuilder ldif = new StringBuilder(base() + user("alice"));
        for (int i = 1; i <= 1_201; i++) {
            ldif.append(group("g" + i, List.of(userDn("alice")), List.of(), null));
        }
        // Not lists: a group of another domain, and one without a mail to send to.
        ldif.append(
                        DirectoryLdif.group(
                                        "far",
                                        List.of(userDn("alice")),
                                        List.of(),
                                        Optional.empty())
                                .replace("mail: far@example.test", "mail: far@elsewhere.test"))
                .append(
                        DirectoryLdif.group(
                                        "nomail",
                                        List.of(userDn("alice")),
                                        List.of(),
                                        Optional.empty())
                                .replace("mail: nomail@example.test\n", ""));
        open(ldif.toString(), Duration.ofSeconds(60));

        List<Mailbox> lists = directory.distributionLists();

        assertThat(lists).hasSize(1_201).doesNotContain(at("far"), at("nomail"), at("alice"));
        assertThat(lists.get(0)).isEqualTo(at("g1"));
        assertThat(lists.get(1)).isEqualTo(at("g10"));
        // RFC 2696 paged results, 500 to a page: three searches, none for the members.
        assertThat(source().searches()).isEqualTo(3);
    }

    @Test
    void aGroupOfTenThousandCostsAFewDozenSearchesAndNoneOnceCached() throws Exception {
        StringBuilder ldif = new StringBuilder(base());
        List<String> dns = new ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            ldif.append(user("u" + i));
            dns.add(userDn("u" + i));
        }
        ldif.append(group("all", dns, List.of(), null));
        open(ldif.toString(), Duration.ofSeconds(60));
        LdapSource source = source();

        long cold = System.nanoTime();
        Entry.DistributionList all =
                (Entry.DistributionList) directory.lookup(at("all")).orElseThrow();
        long coldMillis = (System.nanoTime() - cold) / 1_000_000;
        int coldSearches = source.searches();
        long warm = System.nanoTime();
        directory.lookup(at("all"));
        long warmMicros = (System.nanoTime() - warm) / 1_000;

        assertThat(all.members())
                .hasSize(10_000)
                .allSatisfy(m -> assertThat(m.entry()).isPresent());
        // One search for the group, one per 200 member DNs.
        assertThat(coldSearches).isEqualTo(1 + 10_000 / LdapSource.BATCH);
        assertThat(source.searches()).isEqualTo(coldSearches);
        System.out.println(
                "LDAP 10,000-member group (in-memory server): "
                        + coldSearches
                        + " searches, cold "
                        + coldMillis
                        + " ms, cached "
                        + warmMicros
                        + " µs");
    }

    @Test
    void aMemberAttributeReturnedInRangesIsReadWhole() throws Exception {
        StringBuilder ldif = new StringBuilder(base());
        List<String> dns = new ArrayList<>();
        for (int i = 1; i <= 2_500; i++) {
            ldif.append(user("u" + i));
            dns.add(userDn("u" + i));
        }
        ldif.append(group("all", dns, List.of(), null));
        // Active Directory's MaxValRange is 1,500.
        open(ldif.toString(), Duration.ofSeconds(60), 1_500);

        Entry.DistributionList all =
                (Entry.DistributionList) directory.lookup(at("all")).orElseThrow();

        assertThat(all.members()).hasSize(2_500);
        assertThat(all.members().get(0).text()).isEqualTo("u1@example.test");
        assertThat(all.members().get(2_499).text()).isEqualTo("u2500@example.test");
        // The group, its second range, and the members 200 at a time.
        assertThat(source().searches()).isEqualTo(2 + 2_500 / LdapSource.BATCH + 1);
    }

    @Test
    void concurrentLookupsOfOneListAreDoneOnceAndSighupForgetsThem() throws Exception {
        open(
                base() + user("bob") + group("staff", List.of(userDn("bob")), List.of(), null),
                Duration.ofSeconds(60));
        LdapSource source = source();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Optional<Entry>>> lookups = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                lookups.add(
                        CompletableFuture.supplyAsync(
                                () -> {
                                    try {
                                        return directory.lookup(at("staff"));
                                    } catch (DirectoryUnavailable e) {
                                        throw new IllegalStateException(e);
                                    }
                                },
                                pool));
            }
            lookups.forEach(lookup -> assertThat(lookup.join()).isPresent());
        } finally {
            pool.shutdownNow();
        }
        assertThat(source.searches()).isEqualTo(2);

        directory.reload();
        directory.lookup(at("staff"));
        assertThat(source.searches()).isEqualTo(4);
    }

    @Test
    void aListsOwnerIsReachedAsOwnerDashList() throws Exception {
        open(
                base()
                        + user("bob")
                        + userWithMail("boss", "the.boss@example.test")
                        + group("staff", List.of(userDn("bob")), List.of(), userDn("boss"))
                        + group("plain", List.of(userDn("bob")), List.of(), null),
                Duration.ofSeconds(60));

        assertThat(directory.lookup(at("owner-staff"))).contains(new Entry.User(at("the.boss")));
        assertThat(directory.lookup(at("owner-plain"))).isEmpty();
        assertThat(directory.lookup(at("owner-nothing"))).isEmpty();
    }

    @Test
    void anOutageIsOneEventAtItsStartAndOneAtItsEndAndLookupsWorkAgainAfterIt() throws Exception {
        open(base() + user("alice"), Duration.ZERO);
        assertThat(directory.lookup(at("alice"))).isPresent();

        server.stop();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> directory.lookup(at("alice")))
                    .isInstanceOf(DirectoryUnavailable.class)
                    .hasMessageStartingWith("directory unavailable: ");
        }
        assertThat(events.withId(3014))
                .singleElement()
                .satisfies(
                        event ->
                                assertThat(event.fields())
                                        .containsEntry("status", "4.4.3")
                                        .containsEntry("servers", server.url()));

        server.restart();
        assertThat(directory.lookup(at("alice"))).isPresent();
        assertThat(events.withId(1003))
                .singleElement()
                .satisfies(event -> assertThat(event.fields()).containsEntry("failedLookups", 5));
        assertThat(events.withId(3014)).hasSize(1);
        assertThat(events.withId(9001)).isEmpty();
    }

    @Test
    void aSimpleBindWithTheRightPasswordReadsAndAWrongOneIsAnOutageNotAnUnknownUser()
            throws Exception {
        open(
                base() + user("alice"),
                Duration.ZERO,
                0,
                Optional.of(LdapServer.BIND_DN),
                Optional.of(LdapServer.BIND_PASSWORD));
        assertThat(directory.lookup(at("alice"))).isPresent();
        directory.close();
        server.close();
        events.close();

        open(
                base() + user("alice"),
                Duration.ZERO,
                0,
                Optional.of(LdapServer.BIND_DN),
                Optional.of("wrong"));
        assertThatThrownBy(() -> directory.lookup(at("alice")))
                .isInstanceOf(DirectoryUnavailable.class)
                .hasMessageContaining("invalid credentials");
        assertThat(events.withId(3014)).hasSize(1);
    }

    @Test
    void ldapsTrustsWhatTheJvmTrustStoreTrustsAndNothingElse() throws Exception {
        org.listgate.testing.SelfSignedCertificate certificate =
                org.listgate.testing.SelfSignedCertificate.create(dir, "localhost");
        java.nio.file.Path trustStore = dir.resolve("trust.p12");
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ldap", certificate.certificate());
        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(trustStore)) {
            trusted.store(out, "changeit".toCharArray());
        }
        server = LdapServer.startLdaps(base() + user("alice"), certificate);
        events = EventCapture.in(dir);
        Config.Ldap settings =
                LdapServer.settings(
                        List.of(server.url()),
                        Optional.empty(),
                        Optional.empty(),
                        Duration.ZERO,
                        Duration.ofSeconds(2));

        // Not in the JDK's cacerts: refused, an outage, not an unknown user.
        directory =
                Directory.ldap(List.of("example.test"), settings, Optional.empty(), events.log());
        assertThatThrownBy(() -> directory.lookup(at("alice")))
                .isInstanceOf(DirectoryUnavailable.class);
        directory.close();

        String before = System.getProperty("javax.net.ssl.trustStore");
        String beforePassword = System.getProperty("javax.net.ssl.trustStorePassword");
        System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        try {
            directory =
                    Directory.ldap(
                            List.of("example.test"), settings, Optional.empty(), events.log());
            assertThat(directory.lookup(at("alice"))).isPresent();
        } finally {
            restore("javax.net.ssl.trustStore", before);
            restore("javax.net.ssl.trustStorePassword", beforePassword);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void aServerThatIsDownIsPassedOverForTheNextUrl() throws Exception {
        int dead;
        try (java.net.ServerSocket probe =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = probe.getLocalPort();
        }
        open(
                base() + user("alice"),
                Duration.ZERO,
                0,
                Optional.empty(),
                Optional.empty(),
                List.of("ldap://127.0.0.1:" + dead));

        assertThat(directory.lookup(at("alice"))).isPresent();
        assertThat(directory.lookup(at("ghost"))).isEmpty();
        assertThat(events.withId(3014)).isEmpty();
    }

    @Test
    void aServerThatNeverAnswersCostsOneTimeoutNotOneEachLookup() throws Exception {
        events = EventCapture.in(dir);
        try (java.net.ServerSocket silent =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Config.Ldap settings =
                    LdapServer.settings(
                            List.of("ldap://127.0.0.1:" + silent.getLocalPort()),
                            Optional.empty(),
                            Optional.empty(),
                            Duration.ZERO,
                            Duration.ofMillis(500));
            directory =
                    Directory.ldap(
                            List.of("example.test"), settings, Optional.empty(), events.log());

            long first = System.nanoTime();
            assertThatThrownBy(() -> directory.lookup(at("alice")))
                    .isInstanceOf(DirectoryUnavailable.class);
            long firstMillis = (System.nanoTime() - first) / 1_000_000;
            long second = System.nanoTime();
            assertThatThrownBy(() -> directory.lookup(at("bob")))
                    .isInstanceOf(DirectoryUnavailable.class);
            long secondMillis = (System.nanoTime() - second) / 1_000_000;

            assertThat(firstMillis).isGreaterThanOrEqualTo(400);
            assertThat(secondMillis).isLessThan(firstMillis / 2);
            assertThat(events.withId(3014)).hasSize(1);
        }
    }

    private static String reason(Member member) {
        return ((ParseResult.Invalid) member.parsed()).reason();
    }
}
