package org.listgate.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.listgate.delivery.Workers;

/**
 * Time that stands still until a test moves it: a clock, timers that fire only when the clock has
 * been advanced past them, and executors that run each task at once on the caller's thread. A queue
 * manager built on them is deterministic: every round, retry and report happens inside the test's
 * own call.
 */
public final class ManualTime extends Clock {

    private Instant now;
    private final List<Timer> timers = new ArrayList<>();
    private long sequence;
    private boolean shutDown;

    private record Timer(Instant due, long order, FutureTask<Void> task) {}

    public ManualTime(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    /** Moves the clock on by {@code step} and runs each timer that has come due, earliest first. */
    public void advance(Duration step) {
        Instant until;
        synchronized (this) {
            now = now.plus(step);
            until = now;
        }
        while (true) {
            Timer next;
            synchronized (this) {
                next =
                        timers.stream()
                                .filter(timer -> !timer.due().isAfter(until))
                                .min(Comparator.comparing(Timer::due).thenComparing(Timer::order))
                                .orElse(null);
                if (next == null) {
                    return;
                }
                timers.remove(next);
            }
            next.task().run();
        }
    }

    /** When each timer still waiting is due, earliest first (cancelled ones left out). */
    public synchronized List<Instant> pending() {
        return timers.stream()
                .filter(timer -> !timer.task().isCancelled())
                .map(Timer::due)
                .sorted()
                .toList();
    }

    /**
     * Workers on this time: every executor runs tasks inline, the timers wait for {@link #advance}.
     */
    public Workers workers() {
        return new Workers(
                new Inline(),
                new Inline(),
                new Inline(),
                new Workers.Timers() {
                    @Override
                    public Future<?> schedule(Runnable task, Duration delay) {
                        synchronized (ManualTime.this) {
                            if (shutDown) {
                                throw new RejectedExecutionException("shut down");
                            }
                            FutureTask<Void> future = new FutureTask<>(task, null);
                            timers.add(new Timer(now.plus(delay), sequence++, future));
                            return future;
                        }
                    }

                    @Override
                    public void shutdownNow() {
                        synchronized (ManualTime.this) {
                            shutDown = true;
                            timers.clear();
                        }
                    }
                });
    }

    /** Runs each task at once, on the thread that submits it. */
    private static final class Inline extends AbstractExecutorService {
        private volatile boolean shutDown;

        @Override
        public void execute(Runnable command) {
            if (shutDown) {
                throw new RejectedExecutionException("shut down");
            }
            command.run();
        }

        @Override
        public void shutdown() {
            shutDown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutDown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutDown;
        }

        @Override
        public boolean isTerminated() {
            return shutDown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    /** An executor service for code that wants one: {@link #workers()}' kind. */
    public static ExecutorService inline() {
        return new Inline();
    }
}
