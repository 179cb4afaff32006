package org.listgate.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The replay: the package's entry point. Sends the scenario's message {@code repeat} times over
 * {@code connections} concurrent connections, checks that the server still serves, reads what
 * became of every recipient (when told where the server's event log and Maildirs are), and returns
 * the {@link Report}.
 *
 * <p>The fates are awaited: the replay reads the event log and the Maildirs until every accepted
 * recipient is delivered or isolated, or until nothing new has turned up for {@code patience}
 * (--wait).
 */
public final class Replay {

    /** How to run it. {@code events} and {@code maildir} are listgate's, when it is the server. */
    public record Options(
            String host,
            int port,
            Mode mode,
            boolean ehlo,
            String helo,
            String from,
            Duration timeout,
            int repeat,
            int connections,
            Optional<Path> events,
            Optional<Path> maildir,
            Duration patience) {}

    private static final Duration POLL = Duration.ofMillis(250);

    private Replay() {}

    public static Report run(Scenario scenario, Options options, Progress progress)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        Optional<EventLogTail> events = options.events().map(EventLogTail::new);
        if (events.isPresent()) {
            events.get().skipToEnd();
        }
        Send send =
                new Send(
                        new Send.Settings(
                                options.host(),
                                options.port(),
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
        Survival.Probe afterSend =
                Survival.probe(options.host(), options.port(), options.timeout());

        Optional<Evidence> evidence = Optional.empty();
        long settleMillis = 0;
        Optional<Survival.Probe> afterFates = Optional.empty();
        if (events.isPresent() || options.maildir().isPresent()) {
            long settleStart = System.nanoTime();
            evidence =
                    Optional.of(
                            settle(
                                    scenario,
                                    options,
                                    results,
                                    events,
                                    afterSend.alive(),
                                    progress));
            settleMillis = Send.millisSince(settleStart);
            afterFates =
                    Optional.of(Survival.probe(options.host(), options.port(), options.timeout()));
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
     * Reads the server's records until every accepted recipient is accounted for, or none comes in
     * for {@code patience}.
     */
    private static Evidence settle(
            Scenario scenario,
            Options options,
            List<Send.Result> results,
            Optional<EventLogTail> events,
            boolean serverAlive,
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
        boolean countDeliveryEvents = options.maildir().isEmpty();
        Optional<MaildirScan> maildir = options.maildir().map(MaildirScan::new);
        int awaited = awaited(scenario, results, evidence);
        progress.start("fates", awaited, "recipients");
        long lastNews = System.nanoTime();
        int found = -1;
        while (true) {
            if (events.isPresent()) {
                events.get()
                        .read(
                                event ->
                                        record(
                                                event,
                                                transactionByQueueId,
                                                evidence,
                                                countDeliveryEvents));
            }
            if (maildir.isPresent()) {
                maildir.get().scan(sendByMessageId, evidence);
            }
            int left = awaited(scenario, results, evidence);
            progress.set(awaited - left);
            if (left == 0 || !serverAlive) {
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

    private static int awaited(Scenario scenario, List<Send.Result> results, Evidence evidence) {
        int count = 0;
        List<Scenario.Member> members = scenario.members();
        for (Send.Result result : results) {
            for (int i = 0; i < members.size(); i++) {
                if (Judge.awaited(result, i, members.get(i), evidence)) {
                    count++;
                }
            }
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
