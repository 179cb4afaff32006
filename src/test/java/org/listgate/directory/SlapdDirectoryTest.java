package org.listgate.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.address.Mailbox;
import org.listgate.config.Config;
import org.listgate.testing.DirectoryLdif;
import org.listgate.testing.EventCapture;
import org.listgate.testing.LdapServer;
import org.listgate.testing.Slapd;

/**
 * The LDAP directory against Debian's real slapd: a 10,000-member group is read in one search for
 * the group and one per 200 members, and not again while it is cached. Prints the searches and the
 * cold and cached times (the figures README quotes).
 */
class SlapdDirectoryTest {

    @TempDir Path dir;

    @Test
    void aTenThousandMemberGroupCostsFiftyOneSearchesColdAndNoneCached() throws Exception {
        Assumptions.assumeTrue(
                Slapd.available(), "slapd is not installed (apt-get install slapd ldap-utils)");
        StringBuilder ldif = new StringBuilder(DirectoryLdif.base());
        List<String> members = new ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            ldif.append(DirectoryLdif.user("u" + i));
            members.add(DirectoryLdif.userDn("u" + i));
        }
        ldif.append(DirectoryLdif.group("all", members, List.of(), Optional.empty()));
        try (Slapd slapd = Slapd.start(dir.resolve("slapd"), ldif.toString());
                EventCapture events = EventCapture.in(dir)) {
            Config.Ldap settings =
                    LdapServer.settings(
                            List.of(slapd.url()),
                            Optional.empty(),
                            Optional.empty(),
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(5));
            try (Directory directory =
                    Directory.ldap(
                            List.of("example.test"), settings, Optional.empty(), events.log())) {
                Mailbox all = new Mailbox("all", "example.test");
                long cold = System.nanoTime();
                Entry.DistributionList group =
                        (Entry.DistributionList) directory.lookup(all).orElseThrow();
                long coldMillis = (System.nanoTime() - cold) / 1_000_000;
                LdapSource source = (LdapSource) directory.source();
                int coldSearches = source.searches();
                long cached = System.nanoTime();
                directory.lookup(all);
                long cachedMicros = (System.nanoTime() - cached) / 1_000;

                assertThat(group.members())
                        .hasSize(10_000)
                        .allSatisfy(member -> assertThat(member.entry()).isPresent());
                assertThat(coldSearches).isEqualTo(1 + 10_000 / LdapSource.BATCH);
                assertThat(source.searches()).isEqualTo(coldSearches);
                System.out.println(
                        "slapd, 10,000-member group: "
                                + coldSearches
                                + " searches, cold "
                                + coldMillis
                                + " ms, cached "
                                + cachedMicros
                                + " µs");
            }
        }
    }
}
