package org.listgate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.listgate.config.ConfigException;
import org.listgate.config.ConfigLoader;
import org.listgate.config.Durations;
import org.listgate.events.EventFilter;
import org.listgate.events.EventReader;
import org.listgate.events.EventTable;
import org.listgate.events.ImsRendering;
import org.listgate.events.LoggedEvent;
import org.listgate.events.Summary;
import org.listgate.events.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code listgate events (--file FILE | --config FILE)... [filters] [--trace QUEUEID | --summary]
 * [--format table|ims|json | --json] [--follow]}: reads the event log, or the logs of several
 * gateways as one, merged in time order.
 *
 * <p>Filters combine (all must hold): {@code --id}, {@code --type}, {@code --queue}, {@code
 * --recipient} (a glob), {@code --list}, {@code --since}, {@code --until} ({@link EventFilter}).
 * Each record is shown as it is read — an aligned table by default ({@link EventTable}), the
 * Windows event log's blocks with {@code --format ims} ({@link ImsRendering}), the records as they
 * are in the file with {@code --json} — so a log of any size streams through in constant memory.
 * {@code --trace} tells one message's story ({@link Trace}); {@code --summary} counts the records
 * per id per hour ({@link Summary}). Lines that are not events (a torn last line, garbage) are
 * skipped.
 *
 * <p>DIAGNOSTICS: exit 0; 2 with one line on stderr for a bad option, a missing or unreadable file
 * or a bad configuration. {@code --follow} runs until interrupted (Ctrl-C).
 */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description =
                "Read the event log (JSON Lines): filter it, trace one message, count per hour,"
                        + " or follow it.")
public final class EventsCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    /** Where "30m" counts back from; a test sets a fixed one. */
    Clock clock = Clock.systemUTC();

    @Option(
            names = "--file",
            paramLabel = "FILE",
            description =
                    "The event log (events.file); several, one --file each (one per gateway), are"
                            + " read as one, in time order.")
    List<Path> files = new ArrayList<>();

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Read events.file from this listgate.properties instead of --file (may be"
                            + " given for each gateway).")
    List<Path> configFiles = new ArrayList<>();

    @Option(
            names = "--id",
            paramLabel = "N",
            split = ",",
            description = "Only events with this id (repeatable, or comma-separated).")
    List<Integer> ids = new ArrayList<>();

    @Option(
            names = "--type",
            paramLabel = "TYPE",
            split = ",",
            description = "Only events of this type: Error, Warning or Information.")
    List<String> types = new ArrayList<>();

    @Option(
            names = "--queue",
            paramLabel = "QUEUEID",
            description = "Only events of this queue id (its queueId or its reportId).")
    String queue;

    @Option(
            names = "--recipient",
            paramLabel = "GLOB",
            description = "Only events whose recipient matches (* and ?, any case).")
    String recipient;

    @Option(names = "--list", paramLabel = "ADDRESS", description = "Only events about this list.")
    String list;

    @Option(
            names = "--since",
            paramLabel = "WHEN",
            description = "Only events at or after WHEN: an ISO-8601 instant, or 30m, 1h, 2d ago.")
    String since;

    @Option(
            names = "--until",
            paramLabel = "WHEN",
            description = "Only events before WHEN: an ISO-8601 instant, or 30m, 1h, 2d ago.")
    String until;

    @Option(
            names = "--trace",
            paramLabel = "QUEUEID",
            description = "One message's whole story, in order, with its report's delivery.")
    String trace;

    @Option(names = "--summary", description = "Count the events per id per hour (UTC).")
    boolean summary;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "table (default), ims (the Windows event log's blocks) or json.")
    String format;

    @Option(
            names = "--follow",
            description = "After the end, print events as they are appended, like tail -F.")
    boolean follow;

    @Option(names = "--json", description = "Print the JSON records as they are in the file.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<String> problem = checkOptions();
        if (problem.isPresent()) {
            return fail(problem.get());
        }
        String shown = json ? "json" : Optional.ofNullable(format).orElse("table");
        EventFilter filter;
        try {
            filter = filter();
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        List<Path> logs;
        try {
            logs = eventsFiles();
        } catch (ConfigException e) {
            return fail(e.getMessage());
        }
        for (Path each : logs) {
            if (Files.notExists(each)) {
                return fail("no such file: " + each);
            }
            if (Files.isDirectory(each)) {
                return fail("not a file: " + each);
            }
        }
        try {
            if (summary) {
                Summary counts = new Summary();
                for (Path each : logs) {
                    new EventReader(each, filter).read(counts);
                }
                if (shown.equals("json")) {
                    out.println(counts.json());
                } else {
                    counts.table().forEach(out::println);
                }
            } else if (trace != null) {
                trace(out, logs, filter, shown);
            } else {
                show(out, logs, filter, shown);
            }
        } catch (NoSuchFileException e) {
            return fail("no such file: " + e.getFile());
        } catch (IOException e) {
            return fail("cannot read " + String.join(", ", names(logs)) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // --follow ends here
        } finally {
            out.flush();
        }
        return 0;
    }

    private void show(PrintWriter out, List<Path> logs, Predicate<LoggedEvent> keep, String shown)
            throws IOException, InterruptedException {
        if (shown.equals("table")) {
            out.println(EventTable.header());
        }
        Consumer<LoggedEvent> print =
                event -> {
                    switch (shown) {
                        case "json" -> out.println(event.line());
                        case "ims" -> out.println(ImsRendering.render(event));
                        default -> out.println(EventTable.row(event));
                    }
                    if (follow) {
                        out.flush();
                    }
                };
        if (follow) {
            new EventReader(logs.get(0), keep).follow(print);
        } else {
            read(logs, keep, print);
        }
    }

    /**
     * The records {@code keep} keeps, in the order of the file; of several files, in time order
     * (each gateway's log is in time order already; a record without a readable time sorts first).
     *
     * <p>BUGS: several files are merged in memory: the records kept, not the files, are held.
     */
    private static void read(
            List<Path> logs, Predicate<LoggedEvent> keep, Consumer<LoggedEvent> sink)
            throws IOException {
        if (logs.size() == 1) {
            new EventReader(logs.get(0), keep).read(sink);
            return;
        }
        List<LoggedEvent> kept = new ArrayList<>();
        for (Path log : logs) {
            new EventReader(log, keep).read(kept::add);
        }
        kept.sort(Comparator.comparing(event -> event.time().orElse(Instant.MIN)));
        kept.forEach(sink);
    }

    private static List<String> names(List<Path> logs) {
        return logs.stream().map(Path::toString).toList();
    }

    /** The trace decides first, so that it sees every 2006 of the message whatever else filters. */
    private void trace(PrintWriter out, List<Path> logs, EventFilter filter, String shown)
            throws IOException {
        Trace story = new Trace(trace);
        boolean[] any = {false};
        read(
                logs,
                story.and(filter),
                event -> {
                    any[0] = true;
                    switch (shown) {
                        case "json" -> out.println(event.line());
                        case "ims" -> out.println(ImsRendering.render(event));
                        default -> out.println(story.narrate(event));
                    }
                });
        if (!any[0] && !shown.equals("json")) {
            out.println("no events of queue id " + trace + " in " + String.join(", ", names(logs)));
        }
    }

    /** A usage problem the options have among themselves, as one line. */
    private Optional<String> checkOptions() {
        if (files.isEmpty() && configFiles.isEmpty()) {
            return Optional.of("give the event log: --file FILE or --config FILE");
        }
        if (!files.isEmpty() && !configFiles.isEmpty()) {
            return Optional.of("give either --file or --config, not both");
        }
        if (follow && files.size() + configFiles.size() > 1) {
            return Optional.of("--follow reads one event log, not several");
        }
        if (format != null && !Set.of("table", "ims", "json").contains(format)) {
            return Optional.of("--format is table, ims or json, not '" + format + "'");
        }
        if (json && format != null && !format.equals("json")) {
            return Optional.of("--json and --format " + format + " contradict each other");
        }
        if (summary && trace != null) {
            return Optional.of("give either --summary or --trace, not both");
        }
        if (follow && (summary || trace != null)) {
            return Optional.of(
                    "--follow works with the table, ims and json formats, not with "
                            + (summary ? "--summary" : "--trace"));
        }
        if (summary && "ims".equals(format)) {
            return Optional.of("--summary prints a table, or JSON with --json");
        }
        for (String type : types) {
            if (!Set.of("error", "warning", "information")
                    .contains(type.toLowerCase(Locale.ROOT))) {
                return Optional.of("--type is Error, Warning or Information, not '" + type + "'");
            }
        }
        return Optional.empty();
    }

    private EventFilter filter() {
        Instant now = clock.instant();
        return new EventFilter(
                Set.copyOf(ids),
                Set.copyOf(types),
                Optional.ofNullable(queue),
                Optional.ofNullable(recipient).map(EventFilter::glob),
                Optional.ofNullable(list),
                Optional.ofNullable(since).map(text -> instant("--since", text, now)),
                Optional.ofNullable(until).map(text -> instant("--until", text, now)));
    }

    /**
     * An ISO-8601 instant ({@code 2026-11-24T19:05:00Z}), or a duration back from {@code now}
     * ({@code 30m}, {@code 1h}, {@code 2d}, as {@link Durations} reads them).
     */
    static Instant instant(String option, String text, Instant now) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeException e) {
            // not an instant: a duration back from now, or neither
        }
        Duration back;
        try {
            back = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    option
                            + " is an ISO-8601 instant (2026-11-24T19:05:00Z) or a time back from"
                            + " now (30m, 1h, 2d), not '"
                            + text
                            + "'",
                    e);
        }
        return now.minus(back);
    }

    private List<Path> eventsFiles() throws ConfigException {
        if (!files.isEmpty()) {
            return List.copyOf(files);
        }
        List<Path> logs = new ArrayList<>();
        for (Path configFile : configFiles) {
            logs.add(ConfigLoader.load(configFile, warning -> {}).eventsFile());
        }
        return logs;
    }

    private int fail(String problem) {
        spec.commandLine().getErr().println("listgate events: " + problem);
        return 2;
    }
}
