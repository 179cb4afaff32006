package org.listgate.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.listgate.address.Mailbox;
import org.listgate.events.EventLog;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.Spool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Accepting a 5 KB message into the spool as DATA does: {@link Spool#begin}, the content, {@link
 * MessageWriter#commit()} (END record, fsync of the file, rename into {@code queue/}, fsync of the
 * folder) — one op is one message made durable, so the score is messages a second. On one thread
 * and on 16 (16 SMTP sessions at once), with {@code spool.groupCommit} off and on (on: the renames
 * of messages ready together are done by one thread and the folder forced once for them). The spool
 * is under {@code java.io.tmpdir}: a real disk, since the fsyncs are the point. The messages are
 * removed after each iteration, outside the measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 2)
@Fork(1)
public class SpoolWriteBenchmark {

    private static final List<Mailbox> RECIPIENTS =
            List.of(new Mailbox("u1", SampleDirectory.DOMAIN));

    @Param({"false", "true"})
    public boolean groupCommit;

    private Path folder;
    private Spool spool;

    @Setup
    public void setUp() throws IOException {
        folder = Scratch.folder("spool");
        EventLog events = EventLog.detached();
        spool =
                new Spool(
                        folder,
                        events,
                        new Boundary(events),
                        groupCommit,
                        0,
                        FaultInjector.none(),
                        "");
        spool.open();
    }

    @Benchmark
    public QueuedMessage oneSession() throws IOException {
        return SampleMessage.accept(spool, RECIPIENTS);
    }

    @Benchmark
    @Threads(16)
    public QueuedMessage sixteenSessions() throws IOException {
        return SampleMessage.accept(spool, RECIPIENTS);
    }

    @TearDown(Level.Iteration)
    public void emptyQueue() throws IOException {
        Scratch.empty(folder.resolve("queue"));
    }

    @TearDown
    public void tearDown() throws IOException {
        spool.close();
        Scratch.remove(folder);
    }
}
