package org.listgate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.listgate.Gateway;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.config.Config;
import org.listgate.config.ConfigException;
import org.listgate.config.ConfigLoader;
import org.listgate.directory.Directory;
import org.listgate.directory.DirectoryUnavailable;
import org.listgate.directory.Entry;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.events.Text;
import org.listgate.expansion.Expander;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;
import org.listgate.replay.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code listgate lists check [--config FILE] [--list NAME] [--json]}: expands every distribution
 * list of the configured directory (the files, or LDAP), or only {@code NAME}, as a message to it
 * would be expanded, and reports what a sender would hear about: each member that would be isolated
 * (with the status and reason the server would give, and where it is written), each loop, each
 * duplicate, each list past {@code limits.maxExpansion}, and each line of the directory files that
 * is not read at all. Nothing is sent, nothing is queued, and nothing is written to {@code
 * events.file}: the directory's events go nowhere ({@link EventLog#detached()}), the lines not read
 * among them becoming findings.
 *
 * <p>The directory and the expansion are the server's own ({@link Gateway#directory}, {@link
 * Gateway#expander}), so a member's fate here is its fate in a message. Fault injection ({@code
 * fault.inject}) is left out: it re-enacts a crash, it is not a property of a list.
 *
 * <p>DIAGNOSTICS: exit 0 nothing found; 1 something found; 2 a bad command line or configuration,
 * or no list {@code NAME}; 3 the directory could not answer (LDAP down): nothing was checked, try
 * again. Errors are one line on stderr, never a stack trace.
 *
 * <p>BUGS: a list's findings include those of the lists nested in it, so a bad member of a nested
 * list is reported once for every list that reaches it: each is what a message to that list would
 * meet.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Expand every distribution list (or only --list NAME) from the configured directory, the"
                    + " files or LDAP, exactly as a message to it would be expanded, and send nothing.",
            "",
            "Reports each member that would be isolated (status, reason, and where it is written:"
                    + " file:line, or the DN of the LDAP group), each loop (a list inside itself),"
                    + " each duplicate (a mailbox reached twice), each list that expands past"
                    + " limits.maxExpansion, and each line of the users or lists file that is not"
                    + " read. Then a line a list and a total: members, would be delivered,"
                    + " isolated, loops, duplicates.",
            "",
            "Nothing is written to events.file. A progress bar is drawn on a terminal when there"
                    + " are many lists."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:nothing found",
            "1:something found (isolated members, loops, duplicates, lists over the limit,"
                    + " lines not read)",
            "2:bad command line or configuration, or no such list",
            "3:the directory could not answer (LDAP down): nothing checked, try again"
        })
final class ListsCheckCommand implements Callable<Integer> {

    static final int CLEAN = 0;
    static final int FOUND = 1;
    static final int USAGE = 2;
    static final int UNAVAILABLE = 3;

    /** Lists from which on a terminal gets a progress bar. */
    static final int PROGRESS_FROM = 100;

    @Spec CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            defaultValue = "config/listgate.properties",
            description = "listgate.properties (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(
            names = "--list",
            paramLabel = "NAME",
            description =
                    "Only this list (and the lists nested in it): its name (staff) or its address"
                            + " (staff@example.test).")
    String list;

    @Option(
            names = "--json",
            description =
                    "JSON Lines: an object a finding, then one a list, then a summary"
                            + " (\"kind\": \"summary\").")
    boolean json;

    @Override
    public Integer call() {
        Config config;
        try {
            config =
                    ConfigLoader.load(configFile, warning -> err().println("listgate: " + warning));
        } catch (ConfigException e) {
            return fail(USAGE, e.getMessage());
        }
        List<ListCheck.Finding> unread = new ArrayList<>();
        EventLog events = EventLog.detached();
        events.listen(
                event -> {
                    if (event.id() == EventId.DIRECTORY_LINE_INVALID) {
                        unread.add(
                                ListCheck.Finding.directory(
                                        String.valueOf(event.fields().get("origin")),
                                        String.valueOf(event.fields().get("reason"))));
                    }
                });
        Directory directory;
        try {
            directory = Gateway.directory(config, events);
        } catch (IllegalStateException e) {
            // The LDAP pool or its TLS cannot be set up from the configuration.
            return fail(USAGE, e.getMessage());
        }
        try (directory) {
            directory.reload();
            return check(config, directory, events, list == null ? unread : List.of());
        } catch (DirectoryUnavailable e) {
            return fail(UNAVAILABLE, e.getMessage() + "; nothing was checked");
        } finally {
            out().flush();
        }
    }

    private int check(
            Config config, Directory directory, EventLog events, List<ListCheck.Finding> unread)
            throws DirectoryUnavailable {
        List<Mailbox> lists;
        if (list == null) {
            lists = directory.distributionLists();
        } else {
            Optional<Mailbox> named = named(directory);
            if (named.isEmpty()) {
                return USAGE;
            }
            lists = List.of(named.get());
        }
        Expander expander =
                Gateway.expander(config, directory, FaultInjector.none(), new Boundary(events));
        Progress progress =
                new Progress(
                        System.err,
                        !json && lists.size() >= PROGRESS_FROM && Consoles.terminal().isPresent());
        progress.start("checking", lists.size(), "lists");
        List<ListCheck.Checked> checked = new ArrayList<>();
        for (Mailbox address : lists) {
            checked.add(
                    ListCheck.of(address, expander.check(address), config.limits().maxExpansion()));
            progress.advance(1);
        }
        progress.finish();
        List<ListCheck.Finding> findings = new ArrayList<>(unread);
        checked.forEach(one -> findings.addAll(one.findings()));
        ListCheck.Totals totals = ListCheck.Totals.of(checked, unread);
        if (json) {
            ListCheckView.json(out(), findings, checked, totals);
        } else {
            ListCheckView.table(out(), findings, checked, totals);
        }
        return totals.clean() ? CLEAN : FOUND;
    }

    /**
     * The list {@code --list} names: a name is in the first domain, an address is as given. Empty,
     * with one line on stderr, when it is no list.
     */
    private Optional<Mailbox> named(Directory directory) throws DirectoryUnavailable {
        Mailbox address;
        if (list.indexOf('@') < 0) {
            if (list.isBlank()) {
                fail(USAGE, "--list: no list name given");
                return Optional.empty();
            }
            address = new Mailbox(list.strip(), directory.domains().get(0));
        } else if (Addresses.parse(list) instanceof ParseResult.Valid valid) {
            address = valid.mailbox();
        } else {
            fail(USAGE, "--list: not a list name or address: " + Text.escaped(list));
            return Optional.empty();
        }
        Optional<Entry> entry = directory.lookup(address);
        if (entry.isPresent() && entry.get() instanceof Entry.DistributionList found) {
            return Optional.of(found.address());
        }
        fail(
                USAGE,
                "no list "
                        + Text.escaped(address.address())
                        + " in the directory"
                        + (entry.isPresent() ? " (it is a user)" : ""));
        return Optional.empty();
    }

    private int fail(int status, String problem) {
        err().println("listgate: " + problem);
        return status;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
