package org.listgate.smtp;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes the socket of a write that has not finished in time. Java's socket writes block for as
 * long as the peer does not read; a client that stops reading would otherwise keep its session
 * thread and its connection slot for ever. One thread checks every armed write four times a second.
 */
final class Watchdog implements AutoCloseable {

    /** One write in progress; {@link #disarm()} when it is done. */
    final class Ticket {
        private final Socket socket;
        private final long started = System.nanoTime();

        private Ticket(Socket socket) {
            this.socket = socket;
        }

        void disarm() {
            armed.remove(this);
        }
    }

    private final long limit;
    private final Set<Ticket> armed = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;
    private final java.util.function.Consumer<Socket> onStall;

    /** {@code onStall} runs once for every socket closed for a stalled write. */
    Watchdog(Duration writeTimeout, java.util.function.Consumer<Socket> onStall) {
        this.limit = writeTimeout.toNanos();
        this.onStall = onStall;
        this.sweeper =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "smtp-write-watchdog");
                            thread.setDaemon(true);
                            return thread;
                        });
        long period = Math.max(10, Math.min(250, writeTimeout.toMillis() / 4));
        // The sweep hands its own failures on, so its future has nothing to tell.
        ScheduledFuture<?> unused =
                sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    Ticket arm(Socket socket) {
        Ticket ticket = new Ticket(socket);
        armed.add(ticket);
        return ticket;
    }

    // A concurrent set: its iterator is weakly consistent and a removal during the loop is safe;
    // remove() itself decides whether the sweep or disarm() has the ticket.
    @SuppressWarnings("ModifyCollectionInEnhancedForLoop")
    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Ticket ticket : armed) {
                if (now - ticket.started > limit && armed.remove(ticket)) {
                    try {
                        ticket.socket.close();
                    } catch (IOException e) {
                        // Closing is all that can be done; a failure to close changes nothing.
                    }
                    onStall.accept(ticket.socket);
                }
            }
        } catch (RuntimeException e) { // isolation: handed to the uncaught-exception handler (9001)
            // A scheduled task's exception would vanish into its future and end the sweeping:
            // hand it to the uncaught-exception handler (event 9001) and keep sweeping.
            Thread.currentThread()
                    .getUncaughtExceptionHandler()
                    .uncaughtException(Thread.currentThread(), e);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
