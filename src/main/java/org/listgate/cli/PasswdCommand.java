package org.listgate.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.listgate.auth.PasswordFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code listgate passwd USER}: asks for a password and prints one line for {@code
 * auth.passwordFile}, {@code USER:{SHA512-CRYPT}$6$salt$hash}, as {@code doveadm pw -s
 * SHA512-CRYPT} would hash it.
 *
 * <p>When standard input is a terminal the password is asked for twice, not echoed; otherwise the
 * first line of standard input is the password (its line end removed), for scripts. Only the line
 * goes to standard output, so {@code listgate passwd alice >> passwd} works.
 *
 * <p>Exit status: 0 printed; 1 no password, the two differ, or it is over 1024 octets or not UTF-8;
 * 2 bad command line or user name. Errors are one line on stderr.
 */
@Command(
        name = "passwd",
        mixinStandardHelpOptions = true,
        description =
                "Hash a password (asked for, or the first line of standard input) "
                        + "into a line for auth.passwordFile.")
public final class PasswdCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "USER", description = "The user name, as the client gives it to AUTH.")
    String user;

    /** Read when it is not a terminal; a test sets its own. */
    InputStream stdin = System.in;

    /** The terminal to ask at, when standard input is one; a test sets none. */
    Supplier<Optional<Terminal>> terminal = this::findTerminal;

    @Override
    public Integer call() {
        Optional<String> badUser = PasswordFile.userProblem(user);
        if (badUser.isPresent()) {
            return fail(2, badUser.get());
        }
        Typed typed;
        try {
            typed = read();
        } catch (IOException e) {
            return fail(1, "cannot read the password: " + e.getMessage());
        }
        if (typed instanceof Typed.Password password) {
            spec.commandLine().getOut().println(PasswordFile.entry(user, password.text()));
            spec.commandLine().getOut().flush();
            return 0;
        }
        return fail(1, ((Typed.Refused) typed).problem());
    }

    /** What was typed: a password fit to hash, or why not. */
    sealed interface Typed {
        record Password(String text) implements Typed {}

        record Refused(String problem) implements Typed {}
    }

    /** Where a password is typed without echo. */
    interface Terminal extends AutoCloseable {
        Typed read(String prompt) throws IOException;

        @Override
        default void close() {}
    }

    private Typed read() throws IOException {
        Optional<Terminal> asking = terminal.get();
        if (asking.isEmpty()) {
            return readLine(stdin);
        }
        try (Terminal at = asking.get()) {
            return ask(at);
        }
    }

    private Typed ask(Terminal at) throws IOException {
        Typed first = at.read("Password for " + user + ": ");
        if (!(first instanceof Typed.Password password)) {
            return first;
        }
        Typed second = at.read("Again: ");
        if (!(second instanceof Typed.Password again)) {
            return second;
        }
        return password.text().equals(again.text())
                ? password
                : new Typed.Refused("the passwords differ");
    }

    private Optional<Terminal> findTerminal() {
        Optional<Console> terminal = Consoles.terminal();
        if (terminal.isPresent()) {
            Console console = terminal.get();
            return Optional.of(
                    prompt -> {
                        char[] typed = console.readPassword("%s", prompt);
                        if (typed == null) {
                            return new Typed.Refused("no password given");
                        }
                        try {
                            return checked(new String(typed));
                        } finally {
                            Arrays.fill(typed, ' ');
                        }
                    });
        }
        // Java 17 has a Console only when standard output is a terminal as well, which it is not
        // in "listgate passwd alice >> passwd". stty fails when standard input is no terminal.
        if (!stty("-echo")) {
            return Optional.empty();
        }
        Thread restore = new Thread(() -> stty("echo"));
        Runtime.getRuntime().addShutdownHook(restore); // Ctrl-C while asking
        PrintWriter prompts = spec.commandLine().getErr();
        return Optional.of(
                new Terminal() {
                    @Override
                    public Typed read(String prompt) throws IOException {
                        prompts.print(prompt);
                        prompts.flush();
                        Typed typed = readLine(stdin);
                        prompts.println(); // the Enter typed was not echoed either
                        return typed;
                    }

                    @Override
                    public void close() {
                        stty("echo");
                        Runtime.getRuntime().removeShutdownHook(restore);
                    }
                });
    }

    /** Runs stty on this process's standard input; whether it could. */
    private static boolean stty(String setting) {
        try {
            Process stty =
                    new ProcessBuilder("stty", setting)
                            .redirectInput(ProcessBuilder.Redirect.INHERIT)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            return stty.waitFor() == 0;
        } catch (IOException e) {
            return false; // no stty: not a POSIX system
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A line of {@code in}, up to LF or the end, its CR LF or LF removed. */
    private static Typed readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b = in.read();
        if (b < 0) {
            return new Typed.Refused("no password given");
        }
        while (b >= 0 && b != '\n') {
            if (line.size() > PasswordFile.MAX_PASSWORD_BYTES) { // room for a CR after the longest
                return tooLong();
            }
            line.write(b);
            b = in.read();
        }
        byte[] bytes = line.toByteArray();
        int length =
                bytes.length > 0 && bytes[bytes.length - 1] == '\r'
                        ? bytes.length - 1
                        : bytes.length;
        try {
            return checked(
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, 0, length))
                            .toString());
        } catch (CharacterCodingException e) {
            return new Typed.Refused("the password is not UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static Typed checked(String password) {
        if (password.isEmpty()) {
            return new Typed.Refused("empty password");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > PasswordFile.MAX_PASSWORD_BYTES) {
            return tooLong();
        }
        return new Typed.Password(password);
    }

    private static Typed tooLong() {
        return new Typed.Refused(
                "password longer than " + PasswordFile.MAX_PASSWORD_BYTES + " octets");
    }

    private int fail(int status, String problem) {
        spec.commandLine().getErr().println("listgate passwd: " + problem);
        return status;
    }
}
