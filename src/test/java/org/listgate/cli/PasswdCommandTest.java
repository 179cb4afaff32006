package org.listgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.listgate.auth.PasswordFile;
import picocli.CommandLine;

/** {@code listgate passwd}, run as Main runs it, with the password on standard input. */
class PasswdCommandTest {

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void printsOneLineThatThePasswordFileTakes() throws Exception {
        assertThat(run("pässwörd\n", "passwd", "alice")).isZero();

        String line = out.toString();
        assertThat(line)
                .matches("alice:\\{SHA512-CRYPT}\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}\\R");
        assertThat(err.toString()).isEmpty();
        Path file = dir.resolve("passwd");
        Files.writeString(file, line);
        PasswordFile passwords = PasswordFile.load(file);
        assertThat(passwords.verify("alice", "pässwörd")).isTrue();
    }

    @Test
    void takesOnlyTheFirstLineWithoutItsLineEnd() throws Exception {
        assertThat(run("secret\r\nsecond line\n", "passwd", "bob")).isZero();

        Path file = dir.resolve("passwd");
        Files.writeString(file, out.toString());
        assertThat(PasswordFile.load(file).verify("bob", "secret")).isTrue();
    }

    @Test
    void takesALastLineWithoutLineEnd() throws Exception {
        assertThat(run("secret", "passwd", "bob")).isZero();
        assertThat(out.toString()).startsWith("bob:{SHA512-CRYPT}$6$");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            nothing at all  |           | no password given
            an empty line   | '\\n'     | empty password
            """)
    void refusesNoPasswordWithExit1(String what, String stdin, String problem) {
        assertThat(run(stdin == null ? "" : stdin.replace("\\n", "\n"), "passwd", "alice"))
                .isEqualTo(1);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString())
                .isEqualTo("listgate passwd: " + problem + System.lineSeparator());
    }

    @Test
    void refusesAnOverlongPasswordWithExit1() {
        assertThat(run("x".repeat(PasswordFile.MAX_PASSWORD_BYTES + 1) + "\n", "passwd", "alice"))
                .isEqualTo(1);

        assertThat(err.toString()).contains("password longer than 1024 octets");
    }

    @Test
    void refusesAPasswordThatIsNotUtf8WithExit1() {
        assertThat(run(new byte[] {'a', (byte) 0xff, '\n'}, "passwd", "alice")).isEqualTo(1);

        assertThat(err.toString()).contains("not UTF-8");
    }

    @Test
    void aUserNameTheFileCannotHoldIsExit2() {
        assertThat(run("secret\n", "passwd", "al:ice")).isEqualTo(2);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines())
                .containsExactly("listgate passwd: user name holds ':' (the field separator)");
    }

    @Test
    void noUserIsABadCommandLineWithExit2() {
        assertThat(run("secret\n", "passwd")).isEqualTo(2);

        assertThat(err.toString().lines())
                .hasSize(1)
                .first()
                .asString()
                .startsWith("listgate: Missing required parameter");
    }

    private int run(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    private int run(byte[] stdin, String... args) {
        CommandLine line = Main.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        PasswdCommand command = line.getSubcommands().get("passwd").getCommand();
        command.terminal = Optional::empty;
        command.stdin = new ByteArrayInputStream(stdin);
        return line.execute(args);
    }
}
