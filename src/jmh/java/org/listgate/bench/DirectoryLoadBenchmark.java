package org.listgate.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.listgate.directory.Directory;
import org.listgate.events.EventLog;
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
 * Reading the users file and the lists file, as at start-up and on SIGHUP: one op is {@link
 * Directory#reload()} of a {@link SampleDirectory} of {@code members} (a users file of nine in ten
 * of them, one list of all of them in aliases(5) syntax). The files stay in the page cache: this is
 * the parsing, not the disk. The fork's heap is fixed and touched at start, as for {@link
 * ExpansionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 2, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class DirectoryLoadBenchmark {

    @Param({"10000", "100000"})
    public int members;

    private Path folder;
    private Directory directory;

    @Setup
    public void setUp() throws IOException {
        folder = Scratch.folder("directory");
        SampleDirectory.write(folder, members, "flat");
        directory =
                new Directory(
                        List.of(SampleDirectory.DOMAIN),
                        SampleDirectory.users(folder),
                        SampleDirectory.lists(folder),
                        EventLog.detached());
    }

    @Benchmark
    public Directory reload() {
        directory.reload();
        return directory;
    }

    @TearDown
    public void tearDown() throws IOException {
        directory.close();
        Scratch.remove(folder);
    }
}
