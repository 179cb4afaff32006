package org.listgate.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listgate.client.MxList;

/**
 * {@code replay --ldap}: the scenario's members named as listgate names them when it reads the list
 * from the LDIF's directory. Every expected fate is the files' one; only the text differs, where
 * the member is a DN that leads to no mailbox, and for the 8-bit kind, whose 7-bit form is what the
 * directory can hold.
 */
class LdapJudgeTest {

    @TempDir Path dir;

    @Test
    void ldapExpectationsAreTheFilesExpectationsWithTheTextsOfTheLdapForms() {
        Scenario files = Scenario.generate(3, 2000, 0.2, "staff", "example.test");
        Scenario ldap = files.inLdapForm();
        List<LdapForm.Written> written = LdapForm.of(files);

        assertThat(ldap.members()).hasSameSizeAs(files.members());
        assertThat(ldap.users()).isEqualTo(files.users());
        assertThat(ldap.loopLists()).isEqualTo(files.loopLists());
        int renamed = 0;
        for (int i = 0; i < files.members().size(); i++) {
            Scenario.Member before = files.members().get(i);
            Scenario.Member after = ldap.members().get(i);
            LdapForm.Written form = written.get(i);
            assertThat(after.index()).isEqualTo(before.index());
            assertThat(after.kind()).isEqualTo(before.kind());
            assertThat(after.mailbox()).isEqualTo(before.mailbox());
            for (Mode mode : Mode.values()) {
                for (boolean correlated : new boolean[] {true, false}) {
                    assertThat(Judge.expected(after.kind(), mode, correlated, 1, true))
                            .isEqualTo(Judge.expected(before.kind(), mode, correlated, 1, true));
                }
            }
            switch (form.form()) {
                case DANGLING_DN, ENTRY_WITHOUT_MAIL -> {
                    assertThat(after.text()).isEqualTo(form.value()).startsWith("uid=ghost");
                    renamed++;
                }
                default -> {
                    if (before.kind() == Kind.EIGHT_BIT) {
                        assertThat(after.text()).isEqualTo(LdapForm.sevenBit(before.text()));
                        renamed++;
                    } else {
                        assertThat(after.text()).isEqualTo(before.text());
                    }
                }
            }
        }
        assertThat(renamed).isPositive();
        assertThat(ldap.inLdapForm().members()).isEqualTo(ldap.members());
    }

    @Test
    void aServerThatReportsMembersAsTheConventionsSayHasNoMismatchWithLdapOnly() throws Exception {
        Scenario files = Scenario.generate(7, 450, 0.1, "staff", "example.test");
        ScenarioDirectory.write(files, dir, 2525, "alice@example.test", "replay", true);
        Evidence evidence = new Evidence();
        InMemoryDirectoryServer server = LdapDirectoryTest.server(dir.resolve("directory.ldif"));
        try (LDAPConnection ldap = server.getConnection()) {
            LdapDirectoryTest.Conventions conventions =
                    new LdapDirectoryTest.Conventions(ldap, files.listAddress());
            Set<String> delivered = new LinkedHashSet<>();
            for (LdapForm.Written member : LdapForm.of(files)) {
                var resolved = conventions.resolve(member.attribute(), member.value());
                switch (resolved.fate()) {
                    case "isolated" ->
                            evidence.isolation(
                                    1,
                                    1,
                                    // The event log cuts a field at 256 characters.
                                    resolved.text().length() > 256
                                            ? resolved.text().substring(0, 256) + "..."
                                            : resolved.text(),
                                    new Evidence.Isolation(
                                            resolved.status(),
                                            "as the conventions say",
                                            "expansion"));
                    case "delivered" -> delivered.add(resolved.mailbox());
                    default -> {} // skipped: a loop, no event
                }
            }
            delivered.forEach(mailbox -> evidence.copy(1, mailbox)); // one copy: merged
        } finally {
            server.shutDown(true);
        }
        Send.Result result = queuedServerListSend(files);

        List<Judge.Verdict> withLdap =
                new Judge(files.inLdapForm(), Mode.SERVER_LIST, Optional.of(evidence))
                        .judge(List.of(result));
        List<Judge.Verdict> withFiles =
                new Judge(files, Mode.SERVER_LIST, Optional.of(evidence)).judge(List.of(result));

        assertThat(withLdap).allSatisfy(v -> assertThat(v.mismatch()).as(v.toString()).isEmpty());
        assertThat(withLdap).noneMatch(Judge.Verdict::otherStatus);
        // Without --ldap, the members the server names by a DN or by a 7-bit form are not found.
        List<Integer> renamed = new ArrayList<>();
        List<Scenario.Member> ldapMembers = files.inLdapForm().members();
        for (int i = 0; i < ldapMembers.size(); i++) {
            if (!ldapMembers.get(i).text().equals(files.members().get(i).text())) {
                renamed.add(i + 1);
            }
        }
        assertThat(renamed).isNotEmpty();
        assertThat(withFiles)
                .filteredOn(v -> v.mismatch().isPresent())
                .extracting(v -> v.member().index())
                .containsExactlyElementsOf(renamed);
    }

    /** One send of the list, accepted and queued: every member's fate is the server's to tell. */
    private static Send.Result queuedServerListSend(Scenario scenario) {
        Conversation.Reply ok = new Conversation.Reply(250, "2.1.5", "ok");
        List<Send.Rcpt> rcpts = new ArrayList<>();
        scenario.members().forEach(member -> rcpts.add(new Send.Rcpt.Accepted(ok, 1)));
        MxList.Server server = new MxList.Server("127.0.0.1", 25);
        return new Send.Result(
                1,
                "<replay@pegasus.example.test>",
                rcpts,
                List.of(
                        new Send.Transaction(
                                1,
                                server,
                                new Conversation.Reply(250, "2.0.0", "queued as Q1"),
                                Optional.of("Q1"))),
                List.of(new Send.Attempt(server, Optional.empty())),
                Optional.empty(),
                new Send.Timings(0, 0, 0, 0));
    }
}
