package org.listgate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.listgate.config.Config;
import org.listgate.config.ConfigException;
import org.listgate.config.ConfigLoader;
import org.listgate.events.EventLog;
import org.listgate.events.Logging;
import org.listgate.events.Text;
import org.listgate.spool.Control;
import org.listgate.spool.ControlRequest;
import org.listgate.spool.Spool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code listgate queue list|show|flush|delete --config FILE}: looks at and acts on the queue in
 * {@code spool.dir}, like Postfix's mailq, postqueue -f and postsuper -d.
 *
 * <p>Looking ({@code list}, {@code show}) only reads the spool, server running or not (queue files
 * are never changed in place). Acting ({@code flush}, {@code delete}) goes through the spool's
 * lock: when a server holds it, the request goes to that server through {@code spool.dir/control/}
 * and its one-line answer is printed; when none does, the command takes the lock and acts on the
 * spool itself, writing the events the server would to {@code events.file}, then lets the lock go.
 *
 * <p>Exit status: 0 done; 1 no such message, the server did not answer, or it answered with an
 * error; 2 bad command line or configuration. Errors are one line on stderr, never a stack trace.
 * SECURITY: a queue id is checked to be hexadecimal before it names a file or goes to the server,
 * so {@code ../../etc} is only an unknown message.
 */
@Command(
        name = "queue",
        mixinStandardHelpOptions = true,
        description =
                "Look at or act on the mail queue (spool.dir), with or without a running server.",
        subcommands = {
            QueueListCommand.class,
            QueueShowCommand.class,
            QueueFlushCommand.class,
            QueueDeleteCommand.class
        })
public final class QueueCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine()
                .getErr()
                .println(
                        "listgate: queue: missing command: list, show, flush or delete (see --help)");
        return 2;
    }

    /** What every queue command shares: {@code --config}, the spool, one-line errors. */
    abstract static class Subcommand implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(
                names = "--config",
                required = true,
                paramLabel = "FILE",
                description = "listgate.properties (its spool.dir holds the queue).")
        Path configFile;

        Config config;

        @Override
        public final Integer call() {
            try {
                config =
                        ConfigLoader.load(
                                configFile, warning -> err().println("listgate: " + warning));
            } catch (ConfigException e) {
                return fail(2, e.getMessage());
            }
            try {
                return run();
            } catch (IOException e) {
                return fail(
                        1,
                        "cannot use the spool "
                                + config.spoolDir()
                                + ": "
                                + e.getClass().getSimpleName()
                                + ": "
                                + e.getMessage());
            } finally {
                out().flush();
            }
        }

        abstract int run() throws IOException;

        /** The spool, not taken: reading it is safe while a server runs. */
        Spool spool(EventLog events) {
            return new Spool(config.spoolDir(), events, config.smtp().gatewayId());
        }

        /**
         * Whether there is a spool at all: a server that never ran has none, so its queue is empty.
         */
        boolean spoolExists() {
            return Files.isDirectory(config.spoolDir());
        }

        /** The queue id as the spool names it (upper-case hex); empty when it cannot be one. */
        static Optional<String> queueId(String text) {
            return text.matches("[0-9A-Fa-f]{1,32}")
                    ? Optional.of(text.toUpperCase(Locale.ROOT))
                    : Optional.empty();
        }

        int noSuchMessage(String queueId) {
            return fail(1, "no message " + Text.escaped(queueId) + " in the queue");
        }

        int fail(int status, String problem) {
            err().println("listgate: " + problem);
            return status;
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    /**
     * A command that acts on the queue: asks the running server, or, when there is none, acts
     * itself with the spool's lock held.
     */
    abstract static class Request extends Subcommand {

        @Option(
                names = "--timeout",
                paramLabel = "SECONDS",
                defaultValue = "10",
                description =
                        "How long to wait for the running server's answer (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        /**
         * Sends {@code request} to the server holding {@code spool} and returns 0 when it answers
         * "ok ...", printing {@code onOk} if given, else the rest of the answer; 1, with one line
         * on stderr, when it answers "error ..." or not at all within {@code --timeout}.
         */
        int ask(Spool spool, ControlRequest request, Optional<String> onOk) throws IOException {
            Optional<String> answer =
                    Control.ask(
                            spool.control(), request.line(), Duration.ofSeconds(timeoutSeconds));
            if (answer.isEmpty()) {
                return fail(
                        1,
                        "the server ("
                                + spool.owner()
                                + ") did not answer within "
                                + timeoutSeconds
                                + " s");
            }
            String text = answer.get();
            if (text.startsWith("ok ")) {
                out().println(onOk.orElse(Text.escaped(text.substring(3))));
                return 0;
            }
            return fail(
                    1,
                    Text.escaped(
                            text.startsWith("error ")
                                    ? text.substring(6)
                                    : "unexpected answer: " + text));
        }

        /** No server: this command's events go to events.file as the server's would. */
        EventLog eventsForCommand() {
            Logging.configureForCommand(config.eventsFile());
            return new EventLog(config.smtp().hostname());
        }

        @Override
        final int run() throws IOException {
            if (timeoutSeconds < 1) {
                return fail(2, "--timeout: must be at least 1 second, got " + timeoutSeconds);
            }
            return act();
        }

        abstract int act() throws IOException;
    }
}
