package org.listgate.events;

/**
 * Where events go: the SLF4J logger {@code listgate.events}. Logback sends it to the JSON Lines
 * file ({@code events.file}) and, rendered in the IMS style, to the console (config/logback.xml).
 */
public final class EventLog {

    public static final String LOGGER_NAME = "listgate.events";

    /** Emits one event; never throws. */
    public void emit(Event event) {
        throw new UnsupportedOperationException("to be written");
    }
}
