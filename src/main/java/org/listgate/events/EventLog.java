package org.listgate.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where events go: the SLF4J logger {@code listgate.events}. Logback sends it to the JSON Lines
 * file ({@code events.file}) and, rendered in the IMS style or one line each, to the console
 * (config/logback.xml).
 *
 * <p>Each event is logged as {@code "{}"} with the {@link Event} as its one argument, so the
 * formatted message is the JSON record ({@link Event#toString()}) and a layout can still reach the
 * event itself ({@link ImsLayout}). Information is INFO, Warning is WARN, Error is ERROR.
 */
public final class EventLog {

    public static final String LOGGER_NAME = "listgate.events";

    private static final Logger LOGGER = LoggerFactory.getLogger(LOGGER_NAME);

    private final java.util.List<java.util.function.Consumer<Event>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Whether events go to the logger; they always go to the listeners. */
    private final boolean logged;

    /** The gateway's name ({@code smtp.hostname}) every event carries; blank: none. */
    private final String gateway;

    /** The event log: every event goes to the logger {@value #LOGGER_NAME}. */
    public EventLog() {
        this(true, "");
    }

    /**
     * The event log of the gateway named {@code gateway}: every event carries the name in its
     * {@code gateway} field, so that the logs of several gateways can be merged and still say whose
     * each record is.
     */
    public EventLog(String gateway) {
        this(true, gateway);
    }

    private EventLog(boolean logged, String gateway) {
        this.logged = logged;
        this.gateway = java.util.Objects.requireNonNull(gateway, "gateway");
    }

    /**
     * An event log that writes nothing: its events reach its listeners alone. For a command that
     * reads the directory as the server does but speaks for nobody ({@code listgate lists check}):
     * the server's log is not the place for what it saw, and its console output is its answer.
     */
    public static EventLog detached() {
        return new EventLog(false, "");
    }

    /** Tells {@code listener} of every event emitted from now on (the metrics count them). */
    public void listen(java.util.function.Consumer<Event> listener) {
        listeners.add(listener);
    }

    /**
     * Emits one event; never throws. Events are reported from the isolation boundaries, so a
     * failing logging backend must not turn a handled fault into an unhandled one. A failure is
     * written as one line to stderr (the journal under systemd), the lost record included. {@code
     * VirtualMachineError} is not caught: the service exits and restarts (STYLE.md, 4).
     */
    public void emit(Event given) {
        Event event = given;
        try {
            if (!gateway.isEmpty() && !given.fields().containsKey(Event.GATEWAY)) {
                event = given.with(Event.GATEWAY, gateway);
            }
            if (logged) {
                switch (event.id().type()) {
                    case ERROR -> LOGGER.error("{}", event);
                    case WARNING -> LOGGER.warn("{}", event);
                    case INFORMATION -> LOGGER.info("{}", event);
                }
            }
            for (java.util.function.Consumer<Event> listener : listeners) {
                listener.accept(event);
            }
        } catch (RuntimeException
                | LinkageError e) { // isolation: the log cannot log itself; stderr
            System.err.println(
                    "listgate: cannot log event: "
                            + Text.escaped(String.valueOf(e))
                            + " "
                            + lost(event));
        }
    }

    private static String lost(Event event) {
        try {
            return String.valueOf(event);
        } catch (RuntimeException e) { // isolation: as above
            return "(record unavailable: " + Text.escaped(String.valueOf(e)) + ")";
        }
    }
}
