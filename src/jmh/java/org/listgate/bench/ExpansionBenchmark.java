package org.listgate.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.listgate.directory.Directory;
import org.listgate.directory.DirectoryUnavailable;
import org.listgate.events.EventLog;
import org.listgate.expansion.Expander;
import org.listgate.expansion.Expansion;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Expanding a message to {@code staff} of a {@link SampleDirectory} of {@code members}, {@code
 * flat} or {@code nested}, through {@link Expander#expand} and the files directory: one op is one
 * expansion (nine in ten members become targets, the tenth are isolated as unknown users). With
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is the heap one expansion allocates; divided by
 * {@code members}, the bytes per member (issue 14's target for a million: under 1 s and under 200
 * bytes a member).
 *
 * <p>The fork's heap is fixed and touched at start ({@code -Xms3g -Xmx3g -XX:+AlwaysPreTouch}; a
 * million members keep 0.8 to 1.5 GB live during an expansion). Otherwise an expansion of 100,000,
 * which allocates 140 MB and may run without a collection, pays for the first touch of fresh heap
 * pages: on this virtual machine it then took 0.25 to 2 s an op, and 0.23 to 0.29 s with the heap
 * touched. Touching 3 GB costs this machine about 14 s a fork; the expansion made in the set-up,
 * which checks the directory gives the expected targets, also warms up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 2, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class ExpansionBenchmark {

    @Param({"1000", "10000", "100000", "1000000"})
    public int members;

    @Param({"flat", "nested"})
    public String shape;

    private Path folder;
    private Directory directory;
    private Expander expander;

    @Setup
    public void setUp() throws IOException {
        folder = Scratch.folder("expansion");
        SampleDirectory.write(folder, members, shape);
        // Detached: events reach no file (loading reports nothing for these files anyway).
        EventLog events = EventLog.detached();
        directory =
                new Directory(
                        List.of(SampleDirectory.DOMAIN),
                        SampleDirectory.users(folder),
                        SampleDirectory.lists(folder),
                        events);
        directory.reload();
        expander =
                new Expander(directory, members, false, FaultInjector.none(), new Boundary(events));
        Expansion once = expand();
        int ghosts = members / 10;
        if (once.targets().size() != members - ghosts || once.isolated().size() != ghosts) {
            throw new IllegalStateException(
                    "expected "
                            + (members - ghosts)
                            + " targets and "
                            + ghosts
                            + " isolated, got "
                            + once.targets().size()
                            + " and "
                            + once.isolated().size());
        }
    }

    @Benchmark
    public Expansion expand() throws DirectoryUnavailable {
        return expander.expand("BENCH", List.of(SampleDirectory.STAFF));
    }

    @TearDown
    public void tearDown() throws IOException {
        directory.close();
        Scratch.remove(folder);
    }
}
