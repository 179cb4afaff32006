package org.listgate.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.listgate.client.MxList;

/**
 * The replay: the package's entry point. Sends the scenario's message {@code repeat} times over
 * {@code connections} concurrent connections, checks that the server still serves, reads what
 * became of every recipient (when told where the server's event log and Maildirs are), and returns
 * the {@link Report}.
 *
 * <p>The fates are awaited: the replay reads the event logs and the Maildirs until every accepted
 * recipient is delivered or isolated, or until nothing new has turned up for {@code patience}
 * (--wait). When no server answers its probe after the sends, nothing is awaited: no fate will
 * come. While one does, the recipients of every server are: a server down after the sends may be
 * started again and deliver what its spool holds.
 *
 * <p>With several servers each send tries them in turn ({@link Send}), and every server is probed.
 */
public final class Replay {

    /**
     * How to run it. {@code servers}: tried in turn by each send, at least one. {@code events} and
     * {@code maildirs} are listgate's when it is the server: one event log and one Maildir root a
     * gateway (a message is found by its queue id in whichever log names it, a copy by its
     * Message-ID under whichever root holds it).
     */
    public record Options(
            List<MxList.Server> servers,
            Mode mode,
            boolean ehlo,
            String helo,
            String from,
            Duration timeout,
            int repeat,
            int connections,
            List<Path> events,
            List<Path> maildirs,
            Duration patience) {

        public Options {
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("no server");
            }
            servers = List.copyOf(servers);
            events = List.copyOf(events);
            maildirs = List.copyOf(maildirs);
        }

        /** Whether the server's own records are read: the fates are followed. */
        boolean followsFates() {
            return !events.isEmpty() || !maildirs.isEmpty();
        }
    }

    private static final Duration POLL = Duration.ofMillis(250);

    private Replay() {}

    public static Report run(Scenario scenario, Options options, Progress progress)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<EventLogTail> events = options.events().stream().map(EventLogTail::new).toList();
        for (EventLogTail tail : events) {
            tail.skipToEnd();
        }
        Send send =
                new Send(
                        new Send.Settings(
                                options.servers(),
                                options.mode(),
                                options.ehlo(),
                                options.helo(),
                                options.from(),
                                options.timeout()),
                        scenario);
        long perSend =
                options.mode() == Mode.SERVER_LIST
                        ? scenario.members().size()
                        : scenario.clientRecipients().size();
        progress.start("sending", perSend * options.repeat(), "recipients");
        List<Send.Result> results = sendAll(send, options, progress);
        progress.finish();
        long sendMillis = Send.millisSince(start);
        List<Survival.Probe> afterSend = probeAll(options);

        Optional<Evidence> evidence = Optional.empty();
        long settleMillis = 0;
        Optional<List<Survival.Probe>> afterFates = Optional.empty();
        if (options.followsFates()) {
            // Every server's mail is awaited while one of them still answers: one that was down
            // after the sends may be started again and deliver what its spool holds (2005), and
            // one that stays down costs at most --wait of silence. When none answers, nothing
            // more will come.
            Set<MxList.Server> alive =
                    afterSend.stream().anyMatch(Survival.Probe::alive)
                            ? Set.copyOf(options.servers())
                            : Set.of();
            long settleStart = System.nanoTime();
            evidence = Optional.of(settle(scenario, options, results, events, alive, progress));
            settleMillis = Send.millisSince(settleStart);
            afterFates = Optional.of(probeAll(options));
        }
        List<Judge.Verdict> verdicts = new Judge(scenario, options.mode(), evidence).judge(results);
        return new Report(
                scenario,
                options,
                results,
                verdicts,
                afterSend,
                afterFates,
                sendMillis,
                settleMillis,
                Send.millisSince(start));
    }

    /** Each server's probe, in the servers' order. */
    private static List<Survival.Probe> probeAll(Options options) {
        return options.servers().stream()
                .map(server -> Survival.probe(server.host(), server.port(), options.timeout()))
                .toList();
    }

    private static List<Send.Result> sendAll(Send send, Options options, Progress progress)
            throws InterruptedException {
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        options.connections(),
                        runnable -> {
                            Thread thread = new Thread(runnable, "replay-send");
                            thread.setDaemon(true);
                            return thread;
                        });
        try {
            List<Future<Send.Result>> futures = new ArrayList<>();
            for (int i = 1; i <= options.repeat(); i++) {
                int number = i;
                futures.add(pool.submit(() -> send.run(number, progress::advance)));
            }
            List<Send.Result> results = new ArrayList<>();
            for (Future<Send.Result> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a send failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Reads the servers' records until every accepted recipient whose server is {@code alive} is
     * accounted for, or none comes in for {@code patience}.
     */
    private static Evidence settle(
            Scenario scenario,
            Options options,
            List<Send.Result> results,
            List<EventLogTail> events,
            Set<MxList.Server> alive,
            Progress progress)
            throws IOException, InterruptedException {
        Map<String, int[]> transactionByQueueId = new HashMap<>();
        Map<String, Integer> sendByMessageId = new HashMap<>();
        for (Send.Result result : results) {
            sendByMessageId.put(result.messageId(), result.number());
            result.transactions()
                    .forEach(
                            t ->
                                    t.queueId()
                                            .ifPresent(
                                                    id ->
                                                            transactionByQueueId.put(
                                                                    id,
                                                                    new int[] {
                                                                        result.number(), t.number()
                                                                    })));
        }
        Evidence evidence = new Evidence();
        boolean countDeliveryEvents = options.maildirs().isEmpty();
        List<MaildirScan> maildirs = options.maildirs().stream().map(MaildirScan::new).toList();
        int awaited = awaited(scenario, results, evidence, alive);
        progress.start("fates", awaited, "recipients");
        long lastNews = System.nanoTime();
        int found = -1;
        while (true) {
            for (EventLogTail tail : events) {
                tail.read(
                        event ->
                                record(event, transactionByQueueId, evidence, countDeliveryEvents));
            }
            for (MaildirScan maildir : maildirs) {
                maildir.scan(sendByMessageId, evidence);
            }
            int left = awaited(scenario, results, evidence, alive);
            progress.set(awaited - left);
            if (left == 0) {
                break;
            }
            if (evidence.found() != found) {
                found = evidence.found();
                lastNews = System.nanoTime();
            } else if (System.nanoTime() - lastNews > options.patience().toNanos()) {
                break;
            }
            Thread.sleep(POLL.toMillis());
        }
        progress.finish();
        return evidence;
    }

    private static int awaited(
            Scenario scenario,
            List<Send.Result> results,
            Evidence evidence,
            Set<MxList.Server> alive) {
        int count = 0;
        for (Send.Result result : results) {
            count += Judge.awaited(scenario, result, evidence, alive);
        }
        return count;
    }

    /** One event of the log: a delivery (2003) or a recipient that will not get it (4037). */
    private static void record(
            Map<String, Object> event,
            Map<String, int[]> transactionByQueueId,
            Evidence evidence,
            boolean countDeliveries) {
        int[] send = transactionByQueueId.get(String.valueOf(event.get("queueId")));
        Object id = event.get("id");
        Object recipient = event.get("recipient");
        if (send == null || !(id instanceof Number number) || recipient == null) {
            return;
        }
        if (number.intValue() == 4037) {
            evidence.isolation(
                    send[0],
                    send[1],
                    recipient.toString(),
                    new Evidence.Isolation(
                            String.valueOf(event.get("status")),
                            String.valueOf(event.get("reason")),
                            String.valueOf(event.get("stage"))));
        } else if (number.intValue() == 2003 && countDeliveries) {
            evidence.copy(send[0], recipient.toString());
        }
    }
}
