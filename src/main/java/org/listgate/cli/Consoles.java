package org.listgate.cli;

import java.io.Console;
import java.util.Optional;

/** The console, when there is a terminal to talk to. */
final class Consoles {

    private Consoles() {}

    /**
     * {@link System#console()} when standard input and output are a terminal. Up to Java 21 the
     * console is null otherwise; from Java 22 on there is a console even when the streams are
     * redirected, and only {@code Console.isTerminal()} (new in 22, so called by reflection) tells.
     */
    @SuppressWarnings("SystemConsoleNull") // the null check is the answer up to Java 21; see above
    static Optional<Console> terminal() {
        Console console = System.console();
        if (console == null) {
            return Optional.empty();
        }
        if (Runtime.version().feature() < 22) {
            return Optional.of(console);
        }
        try {
            boolean terminal = (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            return terminal ? Optional.of(console) : Optional.empty();
        } catch (ReflectiveOperationException e) {
            throw new LinkageError("Console.isTerminal() on Java " + Runtime.version(), e);
        }
    }
}
