package org.listgate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code listgate lists check}: looks at the distribution lists of the configured directory without
 * sending anything (see {@link ListsCheckCommand}).
 */
@Command(
        name = "lists",
        mixinStandardHelpOptions = true,
        description = "Look at the distribution lists of the directory, without sending anything.",
        subcommands = {ListsCheckCommand.class})
public final class ListsCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("listgate: lists: missing command: check (see --help)");
        return 2;
    }
}
