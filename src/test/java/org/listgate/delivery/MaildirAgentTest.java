package org.listgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.listgate.address.Mailbox;
import org.listgate.address.Status;
import org.listgate.config.Config;
import org.listgate.events.EventLog;
import org.listgate.spool.Envelope;
import org.listgate.spool.MessageWriter;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.Spool;

class MaildirAgentTest {

    private static final Mailbox ALICE = new Mailbox("alice", "example.test");

    /** A group that exists on Debian (gid 8) and that the test process is not in. */
    private static final String READER_GROUP = "mail";

    @TempDir Path dir;

    private Path root;
    private Spool spool;
    private MaildirAgent agent;

    @BeforeEach
    void setUp() throws IOException {
        root = dir.resolve("mail");
        spool = new Spool(dir.resolve("spool"), new EventLog());
        spool.open();
        agent =
                new MaildirAgent(
                        root, MaildirAccess.asCreated(), new MaildirNames(7, "mx.example.test"));
    }

    private QueuedMessage queued(Optional<Mailbox> sender, String content) throws IOException {
        Envelope envelope =
                new Envelope(
                        spool.newQueueId(),
                        Instant.now(),
                        "127.0.0.1",
                        "client.test",
                        sender,
                        List.of(ALICE));
        try (MessageWriter writer = spool.begin(envelope)) {
            writer.content().write(content.getBytes(StandardCharsets.US_ASCII));
            return writer.commit();
        }
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void writesIntoNewWithReturnPathAndDeliveredToFirstAndUnixLineEnds() throws IOException {
        QueuedMessage message =
                queued(
                        Optional.of(new Mailbox("bob", "sender.test")),
                        "Subject: hi\r\n\r\nbody\r\n");

        Outcome outcome = agent.deliver(message, ALICE);

        Path maildir = root.resolve("example.test").resolve("alice");
        assertThat(outcome).isInstanceOf(Outcome.Delivered.class);
        assertThat(files(maildir.resolve("new")))
                .singleElement()
                .satisfies(
                        file -> {
                            assertThat(((Outcome.Delivered) outcome).where())
                                    .isEqualTo(file.toString());
                            assertThat(Files.readString(file, StandardCharsets.US_ASCII))
                                    .isEqualTo(
                                            "Return-Path: <bob@sender.test>\nDelivered-To: alice@example.test\nSubject: hi\n\nbody\n");
                        });
        assertThat(files(maildir.resolve("tmp"))).isEmpty();
        assertThat(maildir.resolve("cur")).isDirectory();
    }

    @Test
    void aListMembersCopyAlsoGetsADeliveredToForEachListItCameThroughInnermostFirst()
            throws IOException {
        QueuedMessage message =
                queued(
                        Optional.of(new Mailbox("bob", "sender.test")),
                        "Subject: hi\r\n\r\nbody\r\n");

        agent.deliver(message, ALICE, List.of("staff@example.test", "sales@example.test"));

        assertThat(files(root.resolve("example.test/alice/new")))
                .singleElement()
                .satisfies(
                        file ->
                                assertThat(Files.readString(file, StandardCharsets.US_ASCII))
                                        .isEqualTo(
                                                "Return-Path: <bob@sender.test>\nDelivered-To: alice@example.test\n"
                                                        + "Delivered-To: sales@example.test\nDelivered-To: staff@example.test\n"
                                                        + "Subject: hi\n\nbody\n"));
    }

    @Test
    void theNullSenderGivesAnEmptyReturnPath() throws IOException {
        Outcome outcome = agent.deliver(queued(Optional.empty(), "x\r\n"), ALICE);

        Path file = Path.of(((Outcome.Delivered) outcome).where());
        assertThat(Files.readString(file, StandardCharsets.US_ASCII))
                .startsWith("Return-Path: <>\n");
    }

    @Test
    void twoDeliveriesToOneMailboxAreTwoFiles() throws IOException {
        QueuedMessage message = queued(Optional.empty(), "x\r\n");

        agent.deliver(message, ALICE);
        agent.deliver(message, ALICE);

        assertThat(files(root.resolve("example.test/alice/new"))).hasSize(2);
    }

    @Test
    void recreatesTheFoldersOfAMaildirRemovedSinceTheLastDelivery() throws IOException {
        QueuedMessage message = queued(Optional.empty(), "x\r\n");
        agent.deliver(message, ALICE);
        Path maildir = root.resolve("example.test/alice");
        try (Stream<Path> files = Files.walk(maildir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }

        Outcome again = agent.deliver(message, ALICE);

        // Nothing is remembered of a Maildir: the next delivery finds it gone and makes it again.
        assertThat(again).isInstanceOf(Outcome.Delivered.class);
        assertThat(files(maildir.resolve("new"))).hasSize(1);
        assertThat(maildir.resolve("cur")).isDirectory();
    }

    @Test
    void aStagedCopyWhoseMaildirWentMeanwhileIsStillPublished() throws IOException {
        MaildirAgent shared =
                new MaildirAgent(
                        root,
                        MaildirAccess.asCreated(),
                        new MaildirNames(7, "mx.example.test"),
                        Config.MaildirSync.SHARED);
        QueuedMessage message = queued(Optional.empty(), "x\r\n");
        Agents.Staged staged = shared.stage(message, ALICE, List.of());
        Path maildir = root.resolve("example.test/alice");
        Files.delete(maildir.resolve("new"));
        Files.delete(maildir.resolve("cur"));

        shared.sync();
        Outcome outcome = staged.publish();

        assertThat(outcome).isInstanceOf(Outcome.Delivered.class);
        assertThat(files(maildir.resolve("new"))).hasSize(1);
        assertThat(files(maildir.resolve("tmp"))).isEmpty();
        assertThat(maildir.resolve("cur")).isDirectory();
    }

    @Test
    void copiesOfMessagesDeliveredInTurnEachCarryTheirOwnContent() throws IOException {
        // The content of the message written last is kept converted: it must never leak into a
        // copy of another message.
        QueuedMessage first = queued(Optional.empty(), "first\r\n");
        QueuedMessage second = queued(Optional.empty(), "second\r\n");
        Mailbox bob = new Mailbox("bob", "example.test");

        for (QueuedMessage message : List.of(first, second, first, second)) {
            agent.deliver(message, ALICE);
            agent.deliver(message, bob);
        }

        for (Path box :
                List.of(root.resolve("example.test/alice"), root.resolve("example.test/bob"))) {
            List<String> bodies = new java.util.ArrayList<>();
            for (Path file : files(box.resolve("new"))) {
                String text = Files.readString(file, StandardCharsets.US_ASCII);
                bodies.add(text.substring(text.lastIndexOf('\n', text.length() - 2) + 1));
            }
            assertThat(bodies)
                    .containsExactlyInAnyOrder("first\n", "second\n", "first\n", "second\n");
        }
    }

    @Test
    void anUnwritableMaildirRootDefersInsteadOfThrowing() throws IOException {
        Files.createDirectories(root);
        Files.writeString(root.resolve("example.test"), "a file where the domain folder should be");

        Outcome outcome = agent.deliver(queued(Optional.empty(), "x\r\n"), ALICE);

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Outcome.Deferred.class,
                        deferred -> {
                            assertThat(deferred.status())
                                    .isEqualTo(Status.LOCAL_MAILBOX_ERROR_TRANSIENT);
                        });
    }

    private MaildirAgent agentWith(String mode, Optional<String> group) throws IOException {
        Optional<GroupPrincipal> principal = Optional.empty();
        if (group.isPresent()) {
            principal =
                    Optional.of(
                            dir.getFileSystem()
                                    .getUserPrincipalLookupService()
                                    .lookupPrincipalByGroupName(group.get()));
        }
        return new MaildirAgent(
                root,
                new MaildirAccess(
                        new Config.Maildir(
                                root,
                                Optional.of(PosixFilePermissions.fromString(mode)),
                                principal)),
                new MaildirNames(7, "mx.example.test"));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static String group(Path path) throws IOException {
        return Files.readAttributes(path, PosixFileAttributes.class).group().getName();
    }

    /** Every folder a first delivery to alice creates, from the root down. */
    private List<Path> foldersOfAlice() {
        Path maildir = root.resolve("example.test/alice");
        return List.of(
                root,
                root.resolve("example.test"),
                maildir,
                maildir.resolve("tmp"),
                maildir.resolve("new"),
                maildir.resolve("cur"));
    }

    @ParameterizedTest
    @CsvSource({
        "rw-r-----, rwxr-x---",
        // The umask (022 in a test) would make these rw-r----- and rw-r--r--: the mode is exact.
        "rw-rw----, rwxrwx---",
        "rw-rw-rw-, rwxrwxrwx",
        "rw-------, rwx------"
    })
    void aModeIsGivenToTheFileAndTheFoldersGetExecuteWhereReadIsSet(String file, String folders)
            throws IOException {
        MaildirAgent agent = agentWith(file, Optional.empty());

        Outcome outcome = agent.deliver(queued(Optional.empty(), "x\r\n"), ALICE);

        Path delivered = Path.of(((Outcome.Delivered) outcome).where());
        assertThat(mode(delivered)).isEqualTo(file);
        for (Path folder : foldersOfAlice()) {
            assertThat(mode(folder)).as(folder.toString()).isEqualTo(folders);
        }
    }

    @Test
    void withoutAModeFilesAndFoldersAreAsTheUmaskMakesThem() throws IOException {
        Path file = Files.createFile(dir.resolve("as-created"));
        Path folder = Files.createDirectory(dir.resolve("as-created.d"));

        Outcome outcome = agent.deliver(queued(Optional.empty(), "x\r\n"), ALICE);

        assertThat(mode(Path.of(((Outcome.Delivered) outcome).where()))).isEqualTo(mode(file));
        for (Path made : foldersOfAlice()) {
            assertThat(mode(made)).as(made.toString()).isEqualTo(mode(folder));
            assertThat(group(made)).isEqualTo(group(folder));
        }
    }

    @Test
    void aGroupIsGivenToTheFileAndToTheFoldersTheAgentCreatesOnly() throws IOException {
        // chgrp to a group one is not a member of needs root; the tests run as root in CI.
        assumeTrue(((Integer) Files.getAttribute(dir, "unix:uid")) == 0, "not running as root");
        Files.createDirectories(root);
        String before = group(root);
        assertThat(before).isNotEqualTo(READER_GROUP);
        MaildirAgent agent = agentWith("rw-r-----", Optional.of(READER_GROUP));

        Outcome outcome = agent.deliver(queued(Optional.empty(), "x\r\n"), ALICE);

        Path delivered = Path.of(((Outcome.Delivered) outcome).where());
        assertThat(group(delivered)).isEqualTo(READER_GROUP);
        assertThat(mode(delivered)).isEqualTo("rw-r-----");
        // The root was there: left as it was. The rest the agent made.
        assertThat(group(root)).isEqualTo(before);
        for (Path folder : foldersOfAlice().subList(1, 6)) {
            assertThat(group(folder)).as(folder.toString()).isEqualTo(READER_GROUP);
            assertThat(mode(folder)).as(folder.toString()).isEqualTo("rwxr-x---");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a/b", "../../escape", "x/../.."})
    void refusesALocalPartThatIsNotOneFolderUnderItsDomain(String localPart) throws IOException {
        // Another user's delivery has made the domain folder, so ".." would lead somewhere real.
        Files.createDirectories(root.resolve("example.test").resolve("bob"));

        Outcome outcome =
                agent.deliver(
                        queued(Optional.empty(), "x\r\n"), new Mailbox(localPart, "example.test"));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Outcome.Failed.class,
                        failed -> assertThat(failed.status()).isEqualTo(Status.BAD_MAILBOX));
        try (Stream<Path> written = Files.walk(root)) {
            assertThat(written.filter(p -> p.getFileName().toString().matches("new|tmp|cur")))
                    .isEmpty();
        }
    }
}
