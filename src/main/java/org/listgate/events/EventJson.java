package org.listgate.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that knows the JSON Lines record of an event (DESIGN.md, "Events").
 *
 * <p>Writing: {@code time}, {@code id}, {@code type}, {@code source}, the {@code gateway} that
 * logged it (when it has one), {@code message}, then the event's fields in the order they were
 * added. Every character outside printable ASCII is written as a {@code \\uXXXX} escape, so a
 * record is pure ASCII and always exactly one line whatever a hostile client put in a recipient or
 * reason: CR, LF, NUL, ESC, U+2028, lone surrogates and the rest cannot break the line, and the
 * file's bytes do not depend on the platform charset.
 *
 * <p>A field named like one of the five fixed keys is left out rather than written twice: a JSON
 * object with duplicate names is not portable (RFC 8259 §4).
 */
final class EventJson {

    static final String SOURCE = "listgate";

    /** The keys every record starts with, in order. */
    static final Set<String> FIXED_KEYS = Set.of("time", "id", "type", "source", "message");

    /** ISO-8601 instant, always with milliseconds: 2026-11-24T19:05:00.123Z. */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private static final JsonFactory FACTORY =
            new JsonFactoryBuilder()
                    .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                    .characterEscapes(new AsciiOnly())
                    .build();

    private static final JSON JSON_CODEC = JSON.builder(FACTORY).build();

    private EventJson() {}

    static String write(Event event) {
        try {
            return JSON_CODEC.asString(toMap(event));
        } catch (IOException e) {
            // Writing a map of strings and numbers to a String has no I/O to fail.
            throw new UncheckedIOException("cannot write event " + event.id().number(), e);
        }
    }

    /** The record as an ordered map: exactly what {@link #write} writes. */
    static Map<String, Object> toMap(Event event) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("time", TIME.format(event.time()));
        record.put("id", event.id().number());
        record.put("type", event.id().type().label());
        record.put("source", SOURCE);
        Object gateway = event.fields().get(Event.GATEWAY);
        if (gateway != null) {
            record.put(Event.GATEWAY, plain(gateway));
        }
        record.put("message", event.id().text());
        event.fields()
                .forEach(
                        (name, value) -> {
                            if (!FIXED_KEYS.contains(name) && !name.equals(Event.GATEWAY)) {
                                record.put(name, plain(value));
                            }
                        });
        return record;
    }

    /**
     * Reads one line. Empty when the line is not exactly one JSON object: garbage, a torn record
     * (the tail of a file being written), or an object followed by more text.
     */
    static Optional<Map<String, Object>> read(String line) {
        try (JsonParser parser = FACTORY.createParser(line)) {
            Map<String, Object> record = JSON_CODEC.mapFrom(parser);
            if (record == null || parser.nextToken() != null) {
                return Optional.empty();
            }
            return Optional.of(record);
        } catch (IOException | RuntimeException e) { // isolation: library seam, the parser throws
            // Bad input is a value here: the reader skips the line.
            return Optional.empty();
        }
    }

    /** JSON's own escapes, and DEL too: a record holds printable ASCII only. */
    private static final class AsciiOnly extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii = standardAsciiEscapesForJSON();

        AsciiOnly() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null; // only standard escapes
        }
    }

    /** Numbers and booleans stay JSON numbers and booleans; anything else is a string. */
    private static Object plain(Object value) {
        if (value instanceof Boolean
                || value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger
                || value instanceof BigDecimal
                || value instanceof Double
                || value instanceof Float) {
            return value;
        }
        return String.valueOf(value);
    }
}
