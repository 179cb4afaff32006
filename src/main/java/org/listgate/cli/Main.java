package org.listgate.cli;

import org.listgate.auth.TlsContexts;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar listgate.jar <command>}: serve, replay, load, events, queue, lists, passwd. */
@Command(
        name = "listgate",
        mixinStandardHelpOptions = true,
        version = "listgate 0.1.0",
        description =
                "SMTP receiving gateway that isolates every bad recipient of a large distribution list.",
        subcommands = {
            ServeCommand.class,
            ReplayCommand.class,
            LoadCommand.class,
            EventsCommand.class,
            QueueCommand.class,
            ListsCommand.class,
            PasswdCommand.class
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        TlsContexts.hardenJsse(); // before any TLS handshake: the JDK reads these properties once
        System.exit(run(args));
    }

    /**
     * Runs a command line and returns its exit code: 0 ok, 1 failure, 2 usage or configuration
     * error.
     */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command line {@link #run} executes, with its one-line error handling; tests set its
     * output and error writers to read what a command prints.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(
                (exception, line, parseResult) -> {
                    // A fault of listgate's own: one line, with what it was for the bug report.
                    line.getErr()
                            .println(
                                    "listgate: internal error: "
                                            + exception.getMessage()
                                            + " ("
                                            + exception.getClass().getSimpleName()
                                            + ")");
                    return 1;
                });
        // A bad command line is one line and exit 2, not a usage screen.
        commandLine.setParameterExceptionHandler(
                (exception, arguments) -> {
                    exception
                            .getCommandLine()
                            .getErr()
                            .println("listgate: " + exception.getMessage() + " (see --help)");
                    return 2;
                });
        return commandLine;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.err);
    }
}
