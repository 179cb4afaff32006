package org.listgate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.listgate.events.EventReader;
import org.listgate.events.ImsRendering;
import org.listgate.events.LoggedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code listgate events --file FILE [--id N]... [--follow] [--json]}: reads the event log.
 *
 * <p>By default each event is shown as the Windows event log showed IMS events; {@code --json}
 * prints the records as they are in the file, for {@code jq}. Lines that are not events (a torn
 * last line, garbage) are skipped. Exit 0; 2 with a one-line error when the file is missing or
 * cannot be read. {@code --follow} runs until interrupted (Ctrl-C).
 */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description =
                "Read the event log (JSON Lines), optionally only some ids, optionally following it.")
public final class EventsCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--file",
            required = true,
            paramLabel = "FILE",
            description = "The event log (events.file).")
    Path file;

    @Option(
            names = "--id",
            paramLabel = "N",
            split = ",",
            description = "Only events with this id (repeatable, or comma-separated).")
    List<Integer> ids = new ArrayList<>();

    @Option(
            names = "--follow",
            description = "After the end, print events as they are appended, like tail -F.")
    boolean follow;

    @Option(names = "--json", description = "Print the JSON records as they are in the file.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (Files.notExists(file)) {
            return fail("no such file: " + file);
        }
        if (Files.isDirectory(file)) {
            return fail("not a file: " + file);
        }
        EventReader reader = new EventReader(file, new HashSet<>(ids));
        try {
            if (follow) {
                reader.follow(event -> print(out, event));
            } else {
                reader.read(event -> print(out, event));
            }
        } catch (NoSuchFileException e) {
            return fail("no such file: " + file);
        } catch (IOException e) {
            return fail("cannot read " + file + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // --follow ends here
        } finally {
            out.flush();
        }
        return 0;
    }

    private void print(PrintWriter out, LoggedEvent event) {
        if (json) {
            out.println(event.line());
        } else {
            out.println(ImsRendering.render(event));
        }
        if (follow) {
            out.flush();
        }
    }

    private int fail(String problem) {
        spec.commandLine().getErr().println("listgate events: " + problem);
        return 2;
    }
}
