package org.listgate.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.listgate.address.Mailbox;
import org.listgate.address.Route;
import org.listgate.bench.SampleDirectory;
import org.listgate.bench.SampleMessage;
import org.listgate.bench.Scratch;
import org.listgate.config.Config;
import org.listgate.events.EventLog;
import org.listgate.isolation.Boundary;
import org.listgate.isolation.FaultInjector;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.RecipientState;
import org.listgate.spool.Recipients;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 5 KB message delivered to {@code mailboxes} Maildirs, each a copy by the Maildir algorithm
 * (tmp/, fsync, link into new/, fsync new/): one op is the whole fan-out, timed once
 * (SingleShotTime); mailboxes divided by the score is deliveries a second.
 *
 * <p>{@code agent}: {@link MaildirAgent} (as {@link Agents#of} makes it) on one thread, copy after
 * copy: the cost of a copy with nothing overlapped. {@code round}: a {@link DeliveryRound} as the
 * queue manager runs one, on {@code delivery.threads} (8, the default) delivery threads, each
 * outcome recorded in the message's journal, which is then forced: what the server does. The
 * journal is written before each op, outside the time; the event log is detached (writes nothing).
 * Only {@code round} runs unless asked for ({@code -p path=agent,round}): ten thousand fsync pairs
 * one after another took 16 to 63 s an op on this machine's disk.
 *
 * <p>The Maildirs exist before the first op, as at a real site; the copies are removed after each
 * op, outside the time. Everything is under {@code java.io.tmpdir}, on a real disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@Fork(1)
public class MaildirFanOutBenchmark {

    /** {@code delivery.threads}' default. */
    private static final int DELIVERY_THREADS = 8;

    private static final List<String> LISTS = List.of(SampleDirectory.STAFF.address());

    @Param({"round"})
    public String path;

    @Param({"10000"})
    public int mailboxes;

    /** {@code maildir.sync}: one syncfs shared by the copies of a chunk, or two fsyncs a copy. */
    @Param({"shared", "each"})
    public String sync;

    private Path folder;
    private Path root;
    private Spool spool;
    private Agents agents;
    private Workers workers;
    private DeliveryRound round;
    private QueuedMessage message;
    private List<Mailbox> recipients;
    private Recipients journal;

    @Setup
    public void setUp() throws IOException {
        folder = Scratch.folder("maildir");
        root = folder.resolve("mail");
        recipients = new ArrayList<>();
        for (int i = 1; i <= mailboxes; i++) {
            Mailbox mailbox = new Mailbox("u" + i, SampleDirectory.DOMAIN);
            recipients.add(mailbox);
            Path maildir = root.resolve(mailbox.domain()).resolve(mailbox.localPart());
            for (String sub : List.of("tmp", "new", "cur")) {
                Files.createDirectories(maildir.resolve(sub));
            }
        }
        EventLog events = EventLog.detached();
        Boundary boundary = new Boundary(events);
        spool =
                new Spool(
                        folder.resolve("spool"),
                        events,
                        boundary,
                        true,
                        0,
                        FaultInjector.none(),
                        "");
        spool.open();
        message =
                SampleMessage.accept(spool, List.of(new Mailbox("staff", SampleDirectory.DOMAIN)));
        agents =
                Agents.of(
                        new Config.Maildir(
                                root,
                                Optional.empty(),
                                Optional.empty(),
                                Config.MaildirSync.valueOf(sync.toUpperCase(Locale.ROOT))),
                        Optional.empty(),
                        "bench.example.test");
        workers = Workers.threads(DELIVERY_THREADS, 1);
        round =
                new DeliveryRound(
                        agents,
                        workers,
                        boundary,
                        FaultInjector.none(),
                        events,
                        Clock.systemUTC(),
                        Backoff.of(Duration.ofMinutes(5), Duration.ofHours(1)),
                        Duration.ofDays(5),
                        100);
    }

    /**
     * The journal a round records in: the expansion, written whole and forced, as the server does.
     */
    @Setup(Level.Invocation)
    public void writeJournal() throws IOException {
        if (!path.equals("round")) {
            return;
        }
        List<RecipientState> states = new ArrayList<>();
        for (Mailbox recipient : recipients) {
            states.add(RecipientState.target(states.size(), recipient, Route.LOCAL, LISTS));
        }
        journal = spool.createRecipients(message, states);
    }

    @Benchmark
    public int deliver() throws IOException {
        switch (path) {
            case "agent" -> {
                for (Mailbox recipient : recipients) {
                    delivered(agents.local().deliver(message, recipient, LISTS));
                }
            }
            case "round" -> {
                round.run(message, journal, journal.all(), MaildirFanOutBenchmark::notSaved).join();
                journal.sync();
                if (journal.tally().delivered() != recipients.size()) {
                    throw new IllegalStateException("not all delivered: " + journal.tally());
                }
            }
            default -> throw new IllegalArgumentException("unknown path: " + path);
        }
        return recipients.size();
    }

    /** A journal record not written: the op fails rather than count a round half recorded. */
    private static void notSaved(IOException e) {
        throw new UncheckedIOException(e);
    }

    private static void delivered(Outcome outcome) {
        if (!(outcome instanceof Outcome.Delivered)) {
            throw new IllegalStateException("not delivered: " + outcome);
        }
    }

    /** Removes the copies, so that every op finds the Maildirs as the first did. */
    @TearDown(Level.Invocation)
    public void removeCopies() throws IOException {
        if (journal != null) {
            journal.close();
        }
        for (Mailbox recipient : recipients) {
            Scratch.empty(
                    root.resolve(recipient.domain()).resolve(recipient.localPart()).resolve("new"));
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        workers.shutdownNow();
        spool.close();
        Scratch.remove(folder);
    }
}
