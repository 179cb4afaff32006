package org.listgate.testing;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.listgate.cli.Main;
import picocli.CommandLine;

/** {@code listgate replay ARGS} run in this JVM: what it printed and returned. */
public record ReplayRun(int exit, String out, String err) {

    public static ReplayRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        List<String> line = new ArrayList<>(List.of("replay"));
        line.addAll(List.of(args));
        int exit = command.execute(line.toArray(String[]::new));
        return new ReplayRun(exit, out.toString(), err.toString());
    }

    /** The report, printed with {@code --json}. */
    public Map<String, Object> json() throws Exception {
        return JSON.std.mapFrom(out);
    }
}
