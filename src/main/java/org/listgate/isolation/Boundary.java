package org.listgate.isolation;

import java.io.IOException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.EventLog;
import org.listgate.events.Text;

/**
 * The three isolation boundaries: the SMTP session, the message, the recipient. They are the only
 * places that catch {@link RuntimeException}. Each logs what it caught as event 9001 and returns
 * the fail-closed value its caller gives (a 4xx at RCPT, {@code Failed 5.3.0} for a recipient):
 * never "accept", never "carry on as if nothing happened".
 *
 * <p>{@link Error}s are not caught here: they reach the thread's uncaught-exception handler ({@link
 * #installUncaughtHandler}), which logs 9001 too and, for a {@link VirtualMachineError}, ends the
 * process so that the service manager restarts it and the spool makes that lossless.
 */
public final class Boundary {

    /** Which boundary caught a fault; written as the 9001's {@code boundary} field. */
    public enum Scope {
        SESSION("session"),
        MESSAGE("message"),
        RECIPIENT("recipient"),
        /**
         * An administrator's request ({@code listgate queue} through the spool's control folder).
         */
        REQUEST("request"),
        /** A thread's own work, caught where nothing more specific did (the uncaught handler). */
        THREAD("thread");

        private final String label;

        Scope(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final EventLog events;

    public Boundary(EventLog events) {
        this.events = events;
    }

    /**
     * Runs {@code work}; if it throws a RuntimeException, logs 9001 with the fields of {@code
     * context} (queueId, recipient, ...) and returns {@code onFault.apply(exception)}.
     */
    public <T> T guard(
            Scope scope, Event context, Supplier<T> work, Function<RuntimeException, T> onFault) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            report(scope, context, e);
            return onFault.apply(e);
        }
    }

    /**
     * Work that may also fail with an {@link IOException}, which is not a fault and is thrown on.
     */
    @FunctionalInterface
    public interface IoWork<T> {
        T run() throws IOException;
    }

    /** {@link #guard} for work that does I/O: an IOException passes through, untouched. */
    public <T> T guardIo(
            Scope scope, Event context, IoWork<T> work, Function<RuntimeException, T> onFault)
            throws IOException {
        try {
            return work.run();
        } catch (RuntimeException e) {
            report(scope, context, e);
            return onFault.apply(e);
        }
    }

    /**
     * {@link #guardIo} with the context made only when there is a fault to report: for work done
     * once per member of a large list, where building each member's context would cost more than
     * the work.
     */
    public <T> T guardIo(
            Scope scope,
            Supplier<Event> context,
            IoWork<T> work,
            Function<RuntimeException, T> onFault)
            throws IOException {
        try {
            return work.run();
        } catch (RuntimeException e) {
            report(scope, context.get(), e);
            return onFault.apply(e);
        }
    }

    /** {@link #guard} with the context made only when there is a fault to report. */
    public <T> T guard(
            Scope scope,
            Supplier<Event> context,
            Supplier<T> work,
            Function<RuntimeException, T> onFault) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            report(scope, context.get(), e);
            return onFault.apply(e);
        }
    }

    /**
     * Logs {@code thrown} as event 9001, with the IMS-style fields and those of {@code context}.
     */
    public void report(Scope scope, Event context, Throwable thrown) {
        ImsCode ims = ImsCode.of(thrown);
        Event event =
                Event.of(EventId.EXCEPTION)
                        .with("boundary", scope.label())
                        .with("code", ims.code())
                        .with("flags", ims.flags())
                        .with("address", ims.address())
                        .with("exception", ims.exception())
                        .with("detail", Text.cut(String.valueOf(thrown.getMessage()), 300));
        for (var field : context.fields().entrySet()) {
            event = event.with(field.getKey(), field.getValue());
        }
        events.emit(event);
    }

    /**
     * Makes every thread's uncaught throwable an event 9001 instead of a silent thread death; a
     * {@link VirtualMachineError} then ends the process (exit 70), since nothing in it can be
     * trusted any more.
     */
    public void installUncaughtHandler() {
        Thread.setDefaultUncaughtExceptionHandler(
                (thread, thrown) -> {
                    try {
                        report(
                                Scope.THREAD,
                                Event.of(EventId.EXCEPTION).with("thread", thread.getName()),
                                thrown);
                    } finally {
                        if (thrown instanceof VirtualMachineError) {
                            Runtime.getRuntime().halt(70);
                        }
                    }
                });
    }
}
