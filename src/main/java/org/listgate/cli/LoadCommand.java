package org.listgate.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.listgate.config.Durations;
import org.listgate.load.Load;
import org.listgate.load.LoadReport;
import org.listgate.load.LoadReportText;
import org.listgate.load.Target;
import org.listgate.replay.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code listgate load}: a load client for any SMTP server, listgate or another. C concurrent
 * sessions send M messages of about BYTES octets, each to R generated recipients or to one list;
 * reports accepted/s, recipients/s, the final-dot latency, the errors by reply, and with {@code
 * --maildir} the copies delivered per second end to end.
 *
 * <p>DIAGNOSTICS: exit 0 every message got its 250, nothing was refused, and (with {@code
 * --maildir}) every expected copy arrived; 1 otherwise; 2 a bad command line (one line on stderr).
 */
@Command(
        name = "load",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Send M messages over C concurrent SMTP sessions, each to R recipients made from a pattern"
                    + " or to one list, and report accepted messages and recipients per second, the"
                    + " latency of the 250 after the final dot (p50, p99, max), the errors by reply,"
                    + " and with --maildir the files delivered per second from the first MAIL to the"
                    + " last file.",
            "Sessions stay open (EHLO once, then MAIL after MAIL) unless --new-connection-per-message;"
                    + " commands are never pipelined.",
            "Exit 0: every message got its 250 (and every file arrived); 1: not; 2: usage error."
        })
public final class LoadCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--host",
            paramLabel = "H",
            description =
                    "The server, or several, comma-separated, tried in turn as MX hosts are: host or"
                            + " host:port (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(
            names = "--port",
            paramLabel = "P",
            description = "Its port (default: ${DEFAULT-VALUE}).")
    int port = 25;

    @Option(
            names = "--connections",
            paramLabel = "C",
            description = "Concurrent sessions (default: ${DEFAULT-VALUE}).")
    int connections = 1;

    @Option(
            names = "--messages",
            paramLabel = "M",
            description = "Messages in all (default: ${DEFAULT-VALUE}).")
    long messages = 100;

    @Option(
            names = "--recipients",
            paramLabel = "R",
            description =
                    "RCPTs a message, distinct addresses from --to-pattern (default 1; not with --list).")
    Integer recipients;

    @Option(
            names = "--list",
            paramLabel = "ADDRESS",
            description = "Send every message to this one address, a list the server expands.")
    String list;

    @Option(
            names = "--to-pattern",
            paramLabel = "PATTERN",
            description =
                    "Recipient addresses, %%d the number 1..--users (default: u%%d@example.test;"
                            + " Postfix's smtp-source -N style: %%du@example.test).")
    String toPattern = "u%d@example.test";

    @Option(
            names = "--users",
            paramLabel = "N",
            description =
                    "Numbers for --to-pattern, taken in turn round 1..N (default: ${DEFAULT-VALUE}).")
    int users = 1000;

    @Option(
            names = "--size",
            paramLabel = "BYTES",
            description =
                    "About this many octets a message, headers included (default: ${DEFAULT-VALUE}).")
    int size = 5120;

    @Option(
            names = "--from",
            paramLabel = "ADDRESS",
            description = "The sender (default: ${DEFAULT-VALUE}).")
    String from = "load@example.test";

    @Option(
            names = "--helo",
            paramLabel = "NAME",
            description = "The name said in EHLO (default: ${DEFAULT-VALUE}).")
    String helo = "load.example.test";

    @Option(
            names = "--new-connection-per-message",
            description = "Open a new connection for every message, as Postfix's smtp-source does.")
    boolean newConnectionPerMessage;

    @Option(
            names = "--idle",
            paramLabel = "N",
            description =
                    "First open N more connections, one by one, each waiting for its banner, and"
                            + " hold them silent until the end (default: ${DEFAULT-VALUE}).")
    int idle = 0;

    @Option(
            names = "--maildir",
            paramLabel = "DIR",
            description =
                    "The server's Maildirs (DIR/<domain>/<mailbox>/new): wait for the copies and"
                            + " report files delivered per second end to end.")
    Path maildir;

    @Option(
            names = "--expect",
            paramLabel = "N",
            description =
                    "With --maildir: files each accepted message makes (required with --list; default"
                            + " for --recipients: one per accepted recipient).")
    Long expect;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description =
                    "With --maildir: the longest wait for the files after the sending (default: ${DEFAULT-VALUE}).")
    String timeout = "5m";

    @Option(
            names = "--reply-timeout",
            paramLabel = "DURATION",
            description = "For a connection and for each reply (default: ${DEFAULT-VALUE}).")
    String replyTimeout = "60s";

    @Option(
            names = "--spread",
            description =
                    "With several --host servers: treat them as MX hosts of equal preference and"
                            + " start connection i on server i mod n, so that they share the load"
                            + " (RFC 5321 5.1); without it every connection starts on the first.")
    boolean spread;

    @Option(
            names = "--rate",
            paramLabel = "N",
            description =
                    "Send at most N messages a second in all, evenly spaced (default: as fast as"
                            + " the servers answer).")
    double rate;

    @Option(
            names = "--log",
            paramLabel = "FILE",
            description =
                    "Write one JSON line per message to FILE: its number, Message-ID, the server"
                            + " that took it (or that last refused it), whether it was accepted, and"
                            + " how many servers it was sent to.")
    Path log;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--no-progress", description = "No progress bar, even on a terminal.")
    boolean noProgress;

    @Override
    public Integer call() {
        Optional<String> problem = problem();
        if (problem.isPresent()) {
            return fail(problem.get());
        }
        Target target =
                list != null
                        ? new Target.ListAddress(list)
                        : new Target.Generated(
                                recipients == null ? 1 : recipients, toPattern, users);
        Load.Options options =
                new Load.Options(
                        host,
                        port,
                        connections,
                        messages,
                        target,
                        size,
                        from,
                        helo,
                        newConnectionPerMessage,
                        idle,
                        Optional.ofNullable(maildir),
                        expect == null ? 0 : expect,
                        Durations.parse(timeout),
                        Durations.parse(replyTimeout),
                        new Load.Pacing(spread, rate, Optional.ofNullable(log)));
        boolean terminal = Consoles.terminal().isPresent() && !json && !noProgress;
        LoadReport report;
        try {
            report = Load.run(options, new Progress(System.err, terminal));
        } catch (IOException e) {
            return fail("cannot write " + log + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            try {
                out.println(JSON.std.asString(report.json()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.print(LoadReportText.render(report));
        }
        out.flush();
        return report.exitCode();
    }

    private Optional<String> problem() {
        if (list != null && recipients != null) {
            return Optional.of("--recipients and --list do not go together: choose one");
        }
        if (port < 1 || port > 65535) {
            return Optional.of("--port must be between 1 and 65535, not " + port);
        }
        try {
            org.listgate.client.MxList.parse(host, port);
        } catch (IllegalArgumentException e) {
            return Optional.of("--host: " + e.getMessage());
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            return Optional.of("--rate must be a number of messages a second, not " + rate);
        }
        if (log != null && Files.isDirectory(log)) {
            return Optional.of("--log must be a file, not a directory: " + log);
        }
        if (connections < 1 || connections > 10_000) {
            return Optional.of("--connections must be between 1 and 10000, not " + connections);
        }
        if (messages < 1 || messages > 100_000_000) {
            return Optional.of("--messages must be between 1 and 100000000, not " + messages);
        }
        if (users < 1) {
            return Optional.of("--users must be at least 1, not " + users);
        }
        if (recipients != null && (recipients < 1 || recipients > users)) {
            return Optional.of(
                    "--recipients must be between 1 and --users ("
                            + users
                            + "), as each message's recipients are distinct, not "
                            + recipients);
        }
        if (!Target.Generated.isPattern(toPattern)) {
            return Optional.of(
                    "--to-pattern must be an address with one %d, such as u%d@example.test, not '"
                            + toPattern
                            + "'");
        }
        if (list != null && !isAddress(list)) {
            return Optional.of(
                    "--list must be an address such as staff@example.test, not '" + list + "'");
        }
        if (!isAddress(from)) {
            return Optional.of(
                    "--from must be an address such as load@example.test, not '" + from + "'");
        }
        if (!helo.matches("[A-Za-z0-9.\\[\\]:-]{1,255}")) {
            return Optional.of("--helo must be a host name, not '" + helo + "'");
        }
        if (size < 0 || size > 100 * 1024 * 1024) {
            return Optional.of("--size must be between 0 and 104857600, not " + size);
        }
        if (idle < 0 || idle > 100_000) {
            return Optional.of("--idle must be between 0 and 100000, not " + idle);
        }
        if (expect != null && maildir == null) {
            return Optional.of("--expect goes with --maildir");
        }
        if (expect != null && expect < 1) {
            return Optional.of("--expect must be at least 1, not " + expect);
        }
        if (list != null && maildir != null && expect == null) {
            return Optional.of(
                    "--maildir with --list needs --expect N: the files one message makes (the list's"
                            + " valid members, and any report to the sender)");
        }
        if (maildir != null && Files.exists(maildir) && !Files.isDirectory(maildir)) {
            return Optional.of(
                    "--maildir must be a directory (the server's Maildir root): " + maildir);
        }
        for (String[] duration :
                new String[][] {{"--timeout", timeout}, {"--reply-timeout", replyTimeout}}) {
            try {
                Duration value = Durations.parse(duration[1]);
                if (value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
                    return Optional.of(duration[0] + " must be more than 0 and at most 24d");
                }
            } catch (IllegalArgumentException e) {
                return Optional.of(duration[0] + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static boolean isAddress(String address) {
        return address.matches("[^\\s<>@]+@[^\\s<>@]+") && address.chars().allMatch(c -> c < 127);
    }

    private int fail(String problem) {
        spec.commandLine().getErr().println("listgate load: " + problem);
        return 2;
    }
}
