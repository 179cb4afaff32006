package org.listgate.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.listgate.client.MxList;
import org.listgate.replay.Progress;

/**
 * The load: the package's entry point. {@code connections} threads, each with its own SMTP session,
 * send {@code messages} messages between them as fast as the server answers, one after another on
 * the same session (EHLO once; MAIL right after the previous 250; RSET only after a refusal), or on
 * a new connection each (as Postfix's smtp-source does). Then, when told where the Maildirs are, it
 * waits until the expected copies have arrived or {@code timeout} has passed, and returns the
 * {@link LoadReport}.
 */
public final class Load {

    /**
     * How to run it. {@code expectPerMessage}: copies each accepted message makes in the Maildirs
     * (0: one per accepted recipient, for generated recipients); {@code idle}: connections opened
     * first and held silent throughout; {@code timeout}: the longest wait for the copies after the
     * sending; {@code replyTimeout}: for a connection and for each reply; {@code pacing}: how the
     * messages are spread over the servers and paced.
     */
    public record Options(
            String host,
            int port,
            int connections,
            long messages,
            Target target,
            int size,
            String from,
            String helo,
            boolean newConnectionPerMessage,
            int idle,
            Optional<Path> maildir,
            long expectPerMessage,
            Duration timeout,
            Duration replyTimeout,
            Pacing pacing) {

        /** {@code host} read as a list of servers ({@link MxList}), each with its port. */
        public List<MxList.Server> servers() {
            return MxList.parse(host, port);
        }

        /** The servers as {@code host:port,host:port}. */
        public String serverList() {
            return String.join(",", servers().stream().map(MxList.Server::toString).toList());
        }
    }

    /**
     * How the messages are spread and paced, and where each one's fate is written: {@code spread},
     * connection i starts on server i mod n (MX hosts of equal preference) instead of the first;
     * {@code rate}, messages a second in all, 0 for as fast as the servers answer; {@code log}, one
     * JSON line per message ({@link MessageLog}).
     */
    public record Pacing(boolean spread, double rate, Optional<Path> log) {}

    /** After a failed connection, a sender waits this long, so that a dead server is no spin. */
    private static final long RECONNECT_PAUSE_MILLIS = 10;

    private static final long MIN_POLL_MILLIS = 50;
    private static final long MAX_POLL_MILLIS = 5000;

    private Load() {}

    public static LoadReport run(Options options, Progress progress)
            throws IOException, InterruptedException {
        Clock clock = new Clock();
        MessageText text =
                new MessageText(
                        options.from(),
                        options.helo(),
                        options.size(),
                        ZonedDateTime.now(ZoneId.systemDefault()));
        Optional<MaildirCount> maildir = options.maildir().map(MaildirCount::new);
        long before = maildir.map(count -> count.full().files()).orElse(0L);
        Optional<IdleConnections> idle =
                options.idle() == 0
                        ? Optional.empty()
                        : Optional.of(
                                IdleConnections.open(
                                        options.servers().get(0).host(),
                                        options.servers().get(0).port(),
                                        options.idle(),
                                        options.replyTimeout()));
        try (MessageLog log = MessageLog.open(options.pacing().log(), text)) {
            Sending sending = new Sending(options, text, progress, log);
            long start = System.nanoTime();
            progress.start("sending", options.messages(), "messages");
            sending.runAll(start);
            progress.finish();
            log.check();
            Tally tally = sending.total();
            long sendNanos = tally.lastReply().orElse(start) - start;
            Optional<LoadReport.Deliveries> deliveries = Optional.empty();
            if (maildir.isPresent()) {
                long expected =
                        options.expectPerMessage() > 0
                                ? tally.accepted() * options.expectPerMessage()
                                : tally.recipients();
                Instant firstMail = clock.wall(tally.firstMail().orElse(start));
                deliveries =
                        Optional.of(
                                awaitCopies(
                                        maildir.get(),
                                        before,
                                        expected,
                                        firstMail,
                                        options.timeout(),
                                        progress));
            }
            return new LoadReport(
                    options,
                    text.size(),
                    tally.accepted(),
                    tally.notAccepted(),
                    tally.recipients(),
                    Math.max(1, sendNanos),
                    LoadReport.Latency.of(tally.sortedLatencies()),
                    tally.refusals(),
                    idle.map(IdleConnections::opened),
                    deliveries,
                    tally.acceptedBy(),
                    tally.failovers(),
                    tally.passedOver());
        } finally {
            idle.ifPresent(IdleConnections::close);
        }
    }

    /**
     * Counts quickly, seldom enough that the counting takes at most a fifth of the time, until the
     * count looks complete; then counts in full, which also says when the last copy arrived.
     */
    private static LoadReport.Deliveries awaitCopies(
            MaildirCount count,
            long before,
            long expected,
            Instant firstMail,
            Duration timeout,
            Progress progress)
            throws InterruptedException {
        long target = before + expected;
        long waitStart = System.nanoTime();
        long deadline = waitStart + timeout.toNanos();
        progress.start("delivered", expected, "files");
        long shown = 0;
        MaildirCount.Census census;
        while (true) {
            long passStart = System.nanoTime();
            long files = count.quick();
            long passNanos = System.nanoTime() - passStart;
            progress.advance(Math.max(0, Math.min(files - before, expected) - shown));
            shown = Math.max(shown, Math.min(files - before, expected));
            if (files >= target || System.nanoTime() >= deadline) {
                census = count.full();
                if (census.files() >= target || System.nanoTime() >= deadline) {
                    break;
                }
            }
            long pause =
                    Math.min(MAX_POLL_MILLIS, Math.max(MIN_POLL_MILLIS, 4 * passNanos / 1_000_000));
            Thread.sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
        progress.finish();
        long delivered = census.files() - before;
        Optional<Instant> last = census.lastChange().filter(time -> !time.isBefore(firstMail));
        return new LoadReport.Deliveries(
                expected,
                delivered,
                delivered >= expected,
                firstMail,
                last,
                (System.nanoTime() - waitStart) / 1_000_000);
    }

    /** The senders, who share the next message's number and nothing else while they send. */
    private static final class Sending {
        final Options options;
        final MessageText text;
        final Progress progress;
        final AtomicLong next = new AtomicLong();
        final List<MxList.Server> servers;
        final List<Tally> tallies = new ArrayList<>();
        final MessageLog log;
        long start;

        Sending(Options options, MessageText text, Progress progress, MessageLog log) {
            this.options = options;
            this.servers = options.servers();
            this.text = text;
            this.progress = progress;
            this.log = log;
        }

        void runAll(long startNanos) throws InterruptedException {
            this.start = startNanos;
            int threads = (int) Math.min(options.connections(), options.messages());
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Tally tally = new Tally();
                tallies.add(tally);
                int first = options.pacing().spread() ? i % servers.size() : 0;
                senders.add(new Thread(() -> send(tally, first), "load-" + i));
            }
            senders.forEach(Thread::start);
            try {
                for (Thread sender : senders) {
                    sender.join();
                }
            } finally {
                senders.forEach(Thread::interrupt);
            }
        }

        Tally total() {
            Tally total = new Tally();
            tallies.forEach(total::addAll);
            return total;
        }

        /**
         * One sender: messages until there are none left. With several servers ({@code --host
         * a,b,...}) each session uses the first that answers, starting from {@code first}, as an
         * MTA uses the most preferred MX; when one refuses the connection it tries the next at
         * once, and when one drops the connection in the middle of a message it sends that message
         * again to the next (each server once). A session that ends (a loss, or a new connection
         * per message) is opened again from {@code first}, so a server that comes back is used
         * again.
         */
        private void send(Tally tally, int first) {
            Session session = null;
            MxList.Server used = servers.get(first);
            int current = first;
            long n = next.getAndIncrement();
            int tries = 0;
            while (n < options.messages()) {
                if (tries == 0 && !paced(n)) {
                    break;
                }
                if (session == null) {
                    // A new session starts on the preferred server again, as an MTA's next
                    // delivery does; a message sent again after a loss goes on to the next.
                    if (tries == 0) {
                        current = first;
                    }
                    Session.Failure failure = null;
                    int refused = 0;
                    for (int step = 0; step < servers.size() && session == null; step++) {
                        MxList.Server server = servers.get((current + step) % servers.size());
                        try {
                            session =
                                    Session.open(
                                            server.host(),
                                            server.port(),
                                            options.replyTimeout(),
                                            options.helo());
                            current = (current + step) % servers.size();
                            used = server;
                        } catch (Session.Failure e) {
                            failure = e;
                            refused++;
                        }
                    }
                    if (session != null) {
                        tally.passedOver(refused);
                    } else {
                        tally.unsent(failure.refusal(), System.nanoTime());
                        log.unsent(n, tries + 1);
                        progress.advance(1);
                        n = next.getAndIncrement();
                        tries = 0;
                        if (!pause()) {
                            return;
                        }
                        continue;
                    }
                }
                List<String> recipients = options.target().recipients(n);
                tally.mail(System.nanoTime());
                Sent sent =
                        session.transaction(
                                options.from(), recipients, text.wire(n, recipients.get(0)));
                boolean gone = sent instanceof Sent.NotAccepted refused && refused.connectionGone();
                if (gone) {
                    session.close();
                    session = null;
                    current = (current + 1) % servers.size();
                    if (++tries < servers.size()) {
                        tally.failover();
                        continue; // the same message, to the next server
                    }
                } else if (options.newConnectionPerMessage()) {
                    session.quit();
                    session = null;
                }
                tally.add(sent, System.nanoTime(), used.toString());
                log.sent(n, recipients.get(0), used, sent instanceof Sent.Accepted, tries + 1);
                progress.advance(1);
                n = next.getAndIncrement();
                tries = 0;
            }
            if (session != null) {
                session.quit();
            }
        }

        /**
         * With a {@code rate}, waits until message {@code n}'s turn: {@code n / rate} seconds after
         * the start. False when interrupted.
         */
        private boolean paced(long n) {
            double rate = options.pacing().rate();
            if (rate <= 0) {
                return true;
            }
            long due = start + (long) (n * 1e9 / rate);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }

        private static boolean pause() {
            try {
                Thread.sleep(RECONNECT_PAUSE_MILLIS);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Wall-clock instants for {@link System#nanoTime()} readings, to set against file times. */
    private static final class Clock {
        private final Instant anchor = Instant.now();
        private final long anchorNanos = System.nanoTime();

        Instant wall(long nanos) {
            return anchor.plusNanos(nanos - anchorNanos);
        }
    }
}
