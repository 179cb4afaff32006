package org.listgate.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.listgate.client.MxList;
import org.listgate.config.Durations;
import org.listgate.replay.Mode;
import org.listgate.replay.Progress;
import org.listgate.replay.Replay;
import org.listgate.replay.Report;
import org.listgate.replay.ReportHtml;
import org.listgate.replay.ReportText;
import org.listgate.replay.Scenario;
import org.listgate.replay.ScenarioDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code listgate replay}: re-enacts KB Q166570 against an SMTP server, listgate or any other.
 *
 * <p>{@code --host a,b:2526,[::1]:25} names several servers, tried in turn by each send as an MTA
 * tries MX hosts: a connection refused, timed out or lost, or a {@code 421}, moves the send to the
 * next server with what the last one did not settle (a {@code 5xx} ends it); the report says which
 * server took each send and counts the failovers. {@code --events} and {@code --maildir} may be
 * given once for each gateway.
 *
 * <p>Exit 0: the server survived and every recipient met its expected fate; 1: it did not survive
 * (a connection dropped, or afterwards no banner or no NOOP); with several servers, every server
 * must survive: a session lost on one, or one whose probe fails (one that refused the connection
 * lost no session, but fails its probe), is exit 1 even when the next took every message; 2: a
 * usage error, or a file the replay was pointed at cannot be read or written (the report is printed
 * before the {@code --html} page is written, so a page that cannot be written exits 2 after it); 3:
 * it survived, but some fate mismatched.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Re-enact the IMS fault of KB Q166570: Pegasus Mail sends to a large distribution list with invalid "
                    + "members. Reports each recipient's fate and whether the server survived.",
            "With --host a,b,... each send tries the servers in turn, as an MTA tries MX hosts: a connection"
                    + " refused or lost, or a 421, moves it to the next with what was not settled; the report"
                    + " says which server took each send and counts the failovers. Every server must survive.",
            "Exit 0: survived, no mismatch; 1: did not survive; 2: usage error; 3: survived, fates mismatched."
        })
public final class ReplayCommand implements Callable<Integer> {

    private static final int WRITTEN_PORT = 2525;

    @Spec CommandSpec spec;

    @Option(
            names = "--host",
            paramLabel = "H",
            description =
                    "The SMTP server, or several, comma-separated, tried in turn as MX hosts are: host,"
                            + " host:port or [v6]:port (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(
            names = "--port",
            paramLabel = "P",
            description =
                    "The port of a --host without one (default 25; with --write-directory, the port"
                            + " written, default 2525).")
    Integer port;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "The scenario's seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(
            names = "--members",
            paramLabel = "N",
            description = "Members of the list (default: ${DEFAULT-VALUE}).")
    int members = 1000;

    @Option(
            names = "--invalid",
            paramLabel = "RATIO",
            description =
                    "Share of members that are not valid, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double invalid = 0.1;

    @Option(
            names = "--list",
            paramLabel = "NAME",
            description = "The list's name (default: ${DEFAULT-VALUE}).")
    String list = "staff";

    @Option(
            names = "--domain",
            paramLabel = "D",
            description = "The list's domain (default: ${DEFAULT-VALUE}).")
    String domain = "example.test";

    @Option(
            names = "--from",
            paramLabel = "ADDRESS",
            description = "The sender (default: alice@<domain>).")
    String from;

    @Option(
            names = "--helo",
            paramLabel = "NAME",
            description = "The client's name (default: pegasus.<domain>).")
    String helo;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            description =
                    "server-list: one RCPT, the list; client-list: one RCPT per member (default: ${DEFAULT-VALUE}).")
    String mode = "server-list";

    @Option(names = "--ehlo", description = "Say EHLO (Pegasus Mail said HELO).")
    boolean ehlo;

    @Option(
            names = "--repeat",
            paramLabel = "K",
            description = "Send the message K times (default: ${DEFAULT-VALUE}).")
    int repeat = 1;

    @Option(
            names = "--connections",
            paramLabel = "C",
            description = "Over C concurrent connections (default: ${DEFAULT-VALUE}).")
    int connections = 1;

    @Option(
            names = "--events",
            paramLabel = "FILE",
            description =
                    "listgate's event log: follow each recipient's fate (once for each gateway).")
    List<Path> events = new ArrayList<>();

    @Option(
            names = "--maildir",
            paramLabel = "DIR",
            description =
                    "listgate's maildir.root: count each copy delivered (once for each gateway).")
    List<Path> maildirs = new ArrayList<>();

    @Option(
            names = "--wait",
            paramLabel = "DURATION",
            description =
                    "With --events or --maildir: give up when nothing new turns up for this long (default: ${DEFAULT-VALUE}).")
    String wait = "30s";

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description =
                    "How long to wait for a connection or a reply (default: ${DEFAULT-VALUE}).")
    String timeout = "60s";

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            description =
                    "Also write the report as a self-contained HTML page (inline style and chart, no scripts).")
    Path html;

    @Option(names = "--no-progress", description = "No progress bar, even on a terminal.")
    boolean noProgress;

    @Option(
            names = "--write-directory",
            paramLabel = "DIR",
            description =
                    "Do not send: write users, lists and listgate.properties for this scenario into DIR.")
    Path writeDirectory;

    @Option(
            names = "--ldif",
            description =
                    "With --write-directory: also write the scenario as an LDAP directory (directory.ldif, slapd.conf)"
                            + " and a listgate.properties that reads it (directory.type = ldap).")
    boolean ldif;

    @Option(
            names = "--ldap",
            description =
                    "The server reads the list from the directory --ldif wrote: expect the members by the texts"
                            + " listgate reports for their LDAP forms (server-list mode; client-list sends addresses).")
    boolean ldap;

    @Override
    public Integer call() {
        Optional<String> problem = problem();
        if (problem.isPresent()) {
            return fail(problem.get());
        }
        Scenario scenario = Scenario.generate(seed, members, invalid, list, domain);
        String sender = from != null ? from : "alice@" + domain;
        PrintWriter out = spec.commandLine().getOut();
        if (writeDirectory != null) {
            return write(scenario, sender, out);
        }
        if (ldap && parseMode() == Mode.SERVER_LIST) {
            // Client-list mode sends each member's address at RCPT, a DN-form member the address
            // its DN stands for (ghostN@domain): the server refuses it as with the files, and the
            // scenario's own texts are what it reports.
            scenario = scenario.inLdapForm();
        }
        Replay.Options options =
                new Replay.Options(
                        servers(),
                        parseMode(),
                        ehlo,
                        helo != null ? helo : "pegasus." + domain,
                        sender,
                        Durations.parse(timeout),
                        repeat,
                        connections,
                        events,
                        maildirs,
                        Durations.parse(wait));
        boolean terminal = Consoles.terminal().isPresent() && !json && !noProgress;
        Report report;
        try {
            report = Replay.run(scenario, options, new Progress(System.err, terminal));
        } catch (IOException e) {
            List<Path> read = new ArrayList<>(events);
            read.addAll(maildirs);
            return fail(
                    "cannot read "
                            + String.join(", ", read.stream().map(Path::toString).toList())
                            + ": "
                            + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
        if (json) {
            try {
                out.println(
                        JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(report.json()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.print(ReportText.render(report));
        }
        out.flush();
        if (html != null) {
            try {
                Files.writeString(html, ReportHtml.render(report), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return fail("cannot write " + html + ": " + e.getMessage());
            }
        }
        return report.exitCode();
    }

    private int write(Scenario scenario, String sender, PrintWriter out) {
        int writtenPort = port == null ? WRITTEN_PORT : port;
        Path dir = writeDirectory.toAbsolutePath().normalize();
        String replay =
                "java -jar target/listgate.jar replay --port "
                        + writtenPort
                        + " --seed "
                        + seed
                        + " --members "
                        + members
                        + " --invalid "
                        + invalid
                        + " --list "
                        + list
                        + " --domain "
                        + domain
                        + " --events "
                        + dir.resolve("data/events.jsonl")
                        + " --maildir "
                        + dir.resolve("data/mail")
                        + (ldif ? " --ldap" : "");
        try {
            List<Path> files =
                    ScenarioDirectory.write(scenario, dir, writtenPort, sender, replay, ldif);
            files.forEach(file -> out.println("wrote " + file));
        } catch (IOException e) {
            return fail("cannot write " + dir + ": " + e.getMessage());
        }
        out.printf(
                Locale.ROOT,
                "%,d members of %s, %,d not valid. %s, then replay it:%n",
                scenario.members().size(),
                scenario.listAddress(),
                scenario.members().size() - scenario.counts().get(org.listgate.replay.Kind.VALID),
                ldif ? "Load the directory into a slapd on port 3389, serve it" : "Serve it");
        if (ldif) {
            ScenarioDirectory.ldapCommands(dir).forEach(command -> out.println("  " + command));
        }
        out.println(
                "  java -jar target/listgate.jar serve --config "
                        + dir.resolve("listgate.properties"));
        out.println("  " + replay);
        out.flush();
        return 0;
    }

    private Optional<String> problem() {
        if (ldif && writeDirectory == null) {
            return Optional.of("--ldif goes with --write-directory DIR");
        }
        if (ldap && writeDirectory != null) {
            return Optional.of(
                    "--ldap is for a send; with --write-directory, --ldif writes the directory");
        }
        if (members < 1 || members > 1_000_000) {
            return Optional.of("--members must be between 1 and 1000000, not " + members);
        }
        if (!(invalid >= 0 && invalid <= 1)) {
            return Optional.of("--invalid must be a ratio between 0 and 1, not " + invalid);
        }
        if (repeat < 1 || repeat > 1_000_000) {
            return Optional.of("--repeat must be between 1 and 1000000, not " + repeat);
        }
        if (connections < 1 || connections > 1000) {
            return Optional.of("--connections must be between 1 and 1000, not " + connections);
        }
        if (port != null && (port < 1 || port > 65535)) {
            return Optional.of("--port must be between 1 and 65535, not " + port);
        }
        try {
            List<MxList.Server> servers = servers();
            if (new HashSet<>(servers).size() < servers.size()) {
                return Optional.of("--host: a server is named twice: '" + host + "'");
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("--host: " + e.getMessage());
        }
        if (!list.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")) {
            return Optional.of(
                    "--list must be a plain local part (letters, digits, . _ + -), not '"
                            + list
                            + "'");
        }
        if (!domain.matches(
                "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+")) {
            return Optional.of(
                    "--domain must be a domain name such as example.test, not '" + domain + "'");
        }
        if (from != null && !from.matches("[^\\s<>@]+@[^\\s<>@]+")) {
            return Optional.of(
                    "--from must be an address such as alice@example.test, not '" + from + "'");
        }
        if (helo != null && !helo.matches("[A-Za-z0-9.\\[\\]:-]{1,255}")) {
            return Optional.of("--helo must be a host name, not '" + helo + "'");
        }
        if (!List.of("server-list", "client-list").contains(mode)) {
            return Optional.of("--mode must be server-list or client-list, not '" + mode + "'");
        }
        for (String[] duration : new String[][] {{"--wait", wait}, {"--timeout", timeout}}) {
            try {
                if (Durations.parse(duration[1]).isZero() && duration[0].equals("--timeout")) {
                    return Optional.of("--timeout must be more than 0");
                }
            } catch (IllegalArgumentException e) {
                return Optional.of(duration[0] + ": " + e.getMessage());
            }
        }
        for (Path log : events) {
            if (Files.isDirectory(log)) {
                return Optional.of("--events must be the event log file, not a directory: " + log);
            }
        }
        if (html != null) {
            Path folder = html.toAbsolutePath().getParent();
            if (Files.isDirectory(html) || folder == null || !Files.isDirectory(folder)) {
                return Optional.of("--html must be a file in a folder that exists: " + html);
            }
        }
        for (Path maildir : maildirs) {
            if (Files.exists(maildir) && !Files.isDirectory(maildir)) {
                return Optional.of("--maildir must be a directory (maildir.root): " + maildir);
            }
        }
        return Optional.empty();
    }

    /** {@code --host} read as servers, each with {@code --port} (25) unless it names its own. */
    private List<MxList.Server> servers() {
        return MxList.parse(host, port == null ? 25 : port);
    }

    private Mode parseMode() {
        return mode.equals("client-list") ? Mode.CLIENT_LIST : Mode.SERVER_LIST;
    }

    private int fail(String problem) {
        spec.commandLine().getErr().println("listgate replay: " + problem);
        return 2;
    }
}
