package org.listgate.delivery;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the queue manager works with: its own ({@code coordinator}: expansion, rounds,
 * reports), local delivery, relay delivery, and the timers of its retries. Passed in, so that a
 * test can run them all on its own thread and its own clock.
 */
public record Workers(
        ExecutorService coordinator, ExecutorService local, ExecutorService remote, Timers timers) {

    /** Runs a task after a delay: what the retry timers need. */
    public interface Timers {
        /** Schedules {@code task}; throws {@link RejectedExecutionException} once shut down. */
        Future<?> schedule(Runnable task, Duration delay);

        void shutdownNow();
    }

    /**
     * Daemon threads: two for the queue manager, {@code localThreads}, {@code relayThreads}, one
     * timer.
     */
    public static Workers threads(int localThreads, int relayThreads) {
        ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(named("queue-timer"));
        return new Workers(
                Executors.newFixedThreadPool(2, named("queue-manager")),
                Executors.newFixedThreadPool(localThreads, named("delivery")),
                Executors.newFixedThreadPool(relayThreads, named("relay")),
                new Timers() {
                    @Override
                    public Future<?> schedule(Runnable task, Duration delay) {
                        return timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void shutdownNow() {
                        timer.shutdownNow();
                    }
                });
    }

    void shutdownNow() {
        timers.shutdownNow();
        coordinator.shutdownNow();
        local.shutdownNow();
        remote.shutdownNow();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
