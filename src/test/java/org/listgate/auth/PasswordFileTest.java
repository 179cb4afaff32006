package org.listgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Password files as Dovecot's tools write them. The hashes were made by {@code doveadm pw} (Dovecot
 * 2.3) and, for {@code $2a$} and {@code $2b$}, by libxcrypt's crypt(3).
 */
class PasswordFileTest {

    private static final String PASSWORD = "correct horse battery staple";

    /** doveadm pw -s SHA512-CRYPT -p 'correct horse battery staple' */
    static final String DOVECOT_SHA512 =
            "{SHA512-CRYPT}$6$M8/GfNj8Ko3gOq6G$gx/JbFOKw0.cxKvDIVpDe5191zHdhxyoR4Mc"
                    + "/a9Us2Pdejdvsf8hMJTNCwMEUArjbtRI.CuVfio3srcHsDLS2.";

    /** doveadm pw -s SHA256-CRYPT -p 'correct horse battery staple' */
    static final String DOVECOT_SHA256 =
            "{SHA256-CRYPT}$5$OgHQMz3U4b5pWpmB$h4.aAtF/q.UVR1XpUvrPIm4d70UmuE4u.utomj9j7l6";

    /** doveadm pw -s BLF-CRYPT -p 'correct horse battery staple' */
    static final String DOVECOT_BLF =
            "{BLF-CRYPT}$2y$05$KEVQATOKgkPROABl6lptv.M4kjCAa5NJ9Lhow9WgWxR1ZwiNd2Pwm";

    @TempDir Path dir;

    static Stream<Arguments> writtenByDovecotOrCrypt() {
        String x100 = "x".repeat(100);
        return Stream.of(
                Arguments.of("SHA512-CRYPT", DOVECOT_SHA512, PASSWORD),
                Arguments.of("SHA256-CRYPT", DOVECOT_SHA256, PASSWORD),
                Arguments.of("BLF-CRYPT $2y$", DOVECOT_BLF, PASSWORD),
                // doveadm pw -s SHA512-CRYPT -r 10000 -p 'pässwörd'
                Arguments.of(
                        "SHA512-CRYPT, rounds=10000, UTF-8",
                        "{SHA512-CRYPT}$6$rounds=10000$sxJdrJn67DNSKdUe$iO7T5ycc"
                                + "Olrvl7KPq/TRG2mrazf5npXAwJXIG4Y6OP6LhVOQNWQ3qXDWRbIgOy2Lop1mK5aBYPWLCQvO6ake30",
                        "pässwörd"),
                // doveadm pw -s BLF-CRYPT -r 5 -p 'pässwörd'
                Arguments.of(
                        "BLF-CRYPT, UTF-8",
                        "{BLF-CRYPT}$2y$05$tSQzJ7JmjPUugG8Hj8lKQ.Xd7MkDictIxqk.znmO82h9PLVWl3n6u",
                        "pässwörd"),
                // doveadm pw -s BLF-CRYPT -r 4 -p xxx... (100 octets): bcrypt reads 72 of them
                Arguments.of(
                        "BLF-CRYPT, 100 octets",
                        "{BLF-CRYPT}$2y$04$3v71vhrRAzkDwM12yCTwheYfZgo99UbtMS.LY8eTzxPt3ual82LAa",
                        x100),
                Arguments.of(
                        "BLF-CRYPT, the same 72 octets",
                        "{BLF-CRYPT}$2y$04$3v71vhrRAzkDwM12yCTwheYfZgo99UbtMS.LY8eTzx"
                                + "Pt3ual82LAa",
                        x100.substring(0, 72)),
                // python3 -c "import crypt; print(crypt.crypt(PASSWORD,
                // '$2a$04$abcdefghijklmnopqrstuu'))"
                Arguments.of(
                        "$2a$, no scheme",
                        "$2a$04$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG",
                        PASSWORD),
                Arguments.of(
                        "$2b$, no scheme",
                        "$2b$04$abcdefghijklmnopqrstuu7EJV7kdjBBQxyb0HjTh9KS7.Lah/6CG",
                        PASSWORD),
                Arguments.of(
                        "$6$, no scheme",
                        DOVECOT_SHA512.substring("{SHA512-CRYPT}".length()),
                        PASSWORD),
                Arguments.of(
                        "$5$ under {CRYPT}",
                        "{CRYPT}" + DOVECOT_SHA256.substring("{SHA256-CRYPT}".length()),
                        PASSWORD),
                Arguments.of(
                        "scheme in lower case",
                        "{sha512-crypt}" + DOVECOT_SHA512.substring(14),
                        PASSWORD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writtenByDovecotOrCrypt")
    void verifiesHashesWrittenByDovecotAndCrypt(String kind, String hash, String password)
            throws Exception {
        PasswordFile passwords = load("alice:" + hash);

        assertThat(passwords.verify("alice", password)).isTrue();
        assertThat(passwords.verify("alice", "!" + password)).isFalse();
        assertThat(passwords.verify("alice", "wrong")).isFalse();
    }

    @Test
    void verifiesDovecotSha512CryptLine() throws Exception {
        PasswordFile passwords =
                load(
                        "alice@example.test:"
                                + DOVECOT_SHA512
                                + ":1000:1000::/home/alice::userdb_quota_rule=*:storage=1G");

        assertThat(passwords.verify("alice@example.test", PASSWORD)).isTrue();
    }

    @Test
    void bcryptReadsOnlyTheFirst72Octets() throws Exception {
        // As crypt_blowfish and OpenBSD do: the 73rd octet on makes no difference.
        PasswordFile passwords =
                load("bob:{BLF-CRYPT}$2y$04$3v71vhrRAzkDwM12yCTwheYfZgo99UbtMS.LY8eTzxPt3ual82LAa");

        assertThat(passwords.verify("bob", "x".repeat(72) + "anything")).isTrue();
        assertThat(passwords.verify("bob", "x".repeat(71))).isFalse();
    }

    @Test
    void matchesUserNamesInAnyCase() throws Exception {
        PasswordFile passwords = load("Alice:" + DOVECOT_SHA512);

        assertThat(passwords.verify("alice", PASSWORD)).isTrue();
        assertThat(passwords.verify("ALICE", PASSWORD)).isTrue();
    }

    @Test
    void skipsCommentsAndBlankLines() throws Exception {
        PasswordFile passwords =
                load(
                        "# users of AUTH",
                        "",
                        "   ",
                        "  # indented comment",
                        "alice:" + DOVECOT_SHA512,
                        "bob:" + DOVECOT_BLF + "\r");

        assertThat(passwords.size()).isEqualTo(2);
        assertThat(passwords.verify("bob", PASSWORD)).isTrue();
    }

    @Test
    void unknownUserStillSpendsOneHash() throws Exception {
        PasswordFile passwords = load("alice:" + DOVECOT_SHA512);

        // No timing here: only that the answer is "no" and that the decoy is a real hash check.
        assertThat(passwords.verify("mallory", PASSWORD)).isFalse();
        assertThat(passwords.decoy().stored()).startsWith("{SHA512-CRYPT}$6$decoy");
        assertThat(passwords.decoy().matches(PASSWORD.getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void theDecoyHasTheSchemeAndCostMostUsersHave() throws Exception {
        PasswordFile passwords =
                load(
                        "alice:" + DOVECOT_SHA512,
                        "bob:" + DOVECOT_BLF,
                        "carol:{BLF-CRYPT}$2y$05$tSQzJ7JmjPUugG8Hj8lKQ.Xd7MkDictIxqk.znmO82h9PLVWl3n6u");

        assertThat(passwords.decoy().stored()).startsWith("{BLF-CRYPT}$2y$05$decoy");
    }

    @Test
    void theDecoyKeepsTheRoundsOfShaCrypt() throws Exception {
        PasswordFile passwords =
                load(
                        "alice:{SHA512-CRYPT}$6$rounds=10000$sxJdrJn67DNSKdUe$iO7T5yccOlrvl7KPq/TRG2mrazf5"
                                + "npXAwJXIG4Y6OP6LhVOQNWQ3qXDWRbIgOy2Lop1mK5aBYPWLCQvO6ake30");

        assertThat(passwords.decoy().stored()).startsWith("{SHA512-CRYPT}$6$rounds=10000$decoy");
    }

    @Test
    void anEmptyFileVerifiesNoOne() throws Exception {
        PasswordFile passwords = load("# nobody yet");

        assertThat(passwords.size()).isZero();
        assertThat(passwords.verify("alice", PASSWORD)).isFalse();
    }

    @Test
    void emptyAndOverlongPasswordsAreWrong() throws Exception {
        PasswordFile passwords = load("alice:" + DOVECOT_SHA512);

        assertThat(passwords.verify("alice", "")).isFalse();
        assertThat(passwords.verify("alice", "x".repeat(PasswordFile.MAX_PASSWORD_BYTES + 1)))
                .isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            {PLAIN}hunter2                 | plain-text password (scheme {PLAIN}) refused
            {CLEARTEXT}hunter2             | plain-text password (scheme {CLEARTEXT}) refused
            {plain}hunter2                 | plain-text password (scheme {PLAIN}) refused
            hunter2                        | no {SCHEME} and not a $6$, $5$ or $2y$ crypt hash
            """)
    void refusesPlainTextPasswordsWithoutShowingThem(String field, String problem)
            throws IOException {
        Path file = write("# comment", "alice:" + field);

        assertThatThrownBy(() -> PasswordFile.load(file))
                .isInstanceOf(CredentialFileException.class)
                .hasMessageStartingWith(file + ":2: user alice: " + problem)
                .hasMessageNotContaining("hunter2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            {MD5-CRYPT}$1$abcdefgh$ABCDEFGHIJKLMNOPQRSTUV | unknown scheme {MD5-CRYPT}; use SHA512-CRYPT, SHA256-CRYPT or BLF-CRYPT
            {SSHA512}c2FsdGVkaGFzaA==                     | unknown scheme {SSHA512}; use SHA512-CRYPT, SHA256-CRYPT or BLF-CRYPT
            {ARGON2ID}$argon2id$v=19$m=65536              | unknown scheme {ARGON2ID}; use SHA512-CRYPT, SHA256-CRYPT or BLF-CRYPT
            {CRYPT}abJnggxhB/yWI                          | {CRYPT} hash is not $6$, $5$ or $2y$ (DES-crypt is refused)
            {SHA512-CRYPT                                 | no '}' after '{' of the scheme
            $1$abcdefgh$ABCDEFGHIJKLMNOPQRSTUV            | no {SCHEME} and not a $6$, $5$ or $2y$ crypt hash; plain text is refused (see listgate passwd)
            """)
    void refusesUnknownScheme(String field, String problem) throws IOException {
        Path file = write("alice:" + field);

        assertThatThrownBy(() -> PasswordFile.load(file))
                .hasMessage(file + ":1: user alice: " + problem);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            {SHA512-CRYPT}$6$salt$tooshort                                  | malformed SHA512-CRYPT hash
            {SHA512-CRYPT}$5$OgHQMz3U4b5pWpmB$h4.aAtF/q.UVR1XpUvrPIm4d70UmuE4u.utomj9j7l6 | malformed SHA512-CRYPT hash
            {SHA256-CRYPT}$5$OgHQMz3U4b5pWpmB$h4.aAtF/q.UVR1XpUvrPIm4d70UmuE4u.utomj9j7l | malformed SHA256-CRYPT hash
            {SHA256-CRYPT}$5$rounds=999$OgHQMz3U4b5pWpmB$h4.aAtF/q.UVR1XpUvrPIm4d70UmuE4u.utomj9j7l6 | SHA256-CRYPT hash with fewer than 1000 rounds
            {SHA256-CRYPT}$5$salt_with_!$h4.aAtF/q.UVR1XpUvrPIm4d70UmuE4u.utomj9j7l6 | malformed SHA256-CRYPT hash
            {BLF-CRYPT}$2y$05$KEVQATOKgkPROABl6lptv.M4kjCAa5NJ9Lhow9WgWxR1ZwiNd2Pw | malformed BLF-CRYPT hash
            {BLF-CRYPT}$2y$03$KEVQATOKgkPROABl6lptv.M4kjCAa5NJ9Lhow9WgWxR1ZwiNd2Pwm | malformed BLF-CRYPT hash
            {BLF-CRYPT}$2x$05$KEVQATOKgkPROABl6lptv.M4kjCAa5NJ9Lhow9WgWxR1ZwiNd2Pwm | malformed BLF-CRYPT hash
            {SHA512-CRYPT}                                                  | malformed SHA512-CRYPT hash
            """)
    void refusesMalformedHashes(String field, String problem) throws IOException {
        Path file = write("alice:" + field);

        assertThatThrownBy(() -> PasswordFile.load(file))
                .hasMessage(file + ":1: user alice: " + problem);
    }

    @Test
    void refusesAUserTwiceInAnyCase() throws IOException {
        Path file =
                write("alice:" + DOVECOT_SHA512, "bob:" + DOVECOT_BLF, "ALICE:" + DOVECOT_SHA256);

        assertThatThrownBy(() -> PasswordFile.load(file))
                .hasMessage(file + ":3: user ALICE is already on line 1");
    }

    @Test
    void refusesALineWithoutAPasswordField() throws IOException {
        Path file = write("alice");

        assertThatThrownBy(() -> PasswordFile.load(file))
                .hasMessage(file + ":1: expected user:{SCHEME}hash");
    }

    @Test
    void refusesAnEmptyUserName() throws IOException {
        Path file = write(":" + DOVECOT_SHA512);

        assertThatThrownBy(() -> PasswordFile.load(file)).hasMessage(file + ":1: empty user name");
    }

    @Test
    void namesAMissingFile() {
        Path file = dir.resolve("passwd");

        assertThatThrownBy(() -> PasswordFile.load(file)).hasMessage(file + ": no such file");
    }

    @Test
    void refusesAFileThatIsNotUtf8() throws IOException {
        Path file = dir.resolve("passwd");
        Files.write(file, new byte[] {'a', (byte) 0xff, ':', '$'});

        assertThatThrownBy(() -> PasswordFile.load(file)).hasMessage(file + ": not UTF-8 text");
    }

    @Test
    void writesEntriesThatLoadAndVerify() throws Exception {
        String entry = PasswordFile.entry("alice", "pässwörd");

        assertThat(entry)
                .matches("alice:\\{SHA512-CRYPT}\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}");
        assertThat(PasswordFile.entry("alice", "pässwörd"))
                .as("a fresh salt each time")
                .isNotEqualTo(entry);
        PasswordFile passwords = load(entry);
        assertThat(passwords.verify("alice", "pässwörd")).isTrue();
        assertThat(passwords.verify("alice", "passwörd")).isFalse();
    }

    @Test
    void doveadmVerifiesTheEntriesWritten() throws Exception {
        Path doveadm = Path.of("/usr/bin/doveadm");
        Assumptions.assumeTrue(
                Files.isExecutable(doveadm), "doveadm (dovecot-core) is not installed");
        String hash = PasswordFile.entry("alice", PASSWORD).substring("alice:".length());

        Process process =
                new ProcessBuilder(doveadm.toString(), "pw", "-t", hash, "-p", PASSWORD)
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output).contains("(verified)");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "al:ice", "al ice", "al\tice", "#alice", "al\u0000ice", "al\u00a0ice"})
    void refusesUserNamesTheFileCannotHold(String user) {
        assertThat(PasswordFile.userProblem(user)).isPresent();
        assertThatThrownBy(() -> PasswordFile.entry(user, PASSWORD))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "alice@example.test", "Älice", "a.b-c_d+e"})
    void takesUserNamesThatAreOneField(String user) {
        assertThat(PasswordFile.userProblem(user)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "rw-------, true",
        "r--------, true",
        "rw-r-----, false",
        "rw-r--r--, false",
        "rwx------, false"
    })
    void warnsWhenOthersThanTheOwnerMayReadTheFile(String mode, boolean quiet) throws Exception {
        Assumptions.assumeTrue(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = write("alice:" + DOVECOT_SHA512);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

        if (quiet) {
            assertThat(PasswordFile.permissionWarning(file)).isEmpty();
        } else {
            assertThat(PasswordFile.permissionWarning(file))
                    .hasValueSatisfying(
                            warning ->
                                    assertThat(warning)
                                            .startsWith(file + ": mode 0")
                                            .contains("wider than 0600", "chmod 600 " + file));
        }
    }

    @Test
    void namesTheModeInOctal() throws Exception {
        Assumptions.assumeTrue(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = write("alice:" + DOVECOT_SHA512);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(PasswordFile.permissionWarning(file))
                .hasValueSatisfying(
                        warning ->
                                assertThat(warning)
                                        .startsWith(file + ": mode 0644 is wider than 0600"));
    }

    private PasswordFile load(String... lines) throws IOException, CredentialFileException {
        return PasswordFile.load(write(lines));
    }

    private Path write(String... lines) throws IOException {
        Path file = dir.resolve("passwd");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }
}
