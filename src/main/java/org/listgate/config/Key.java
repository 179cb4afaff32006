package org.listgate.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * One key of {@code listgate.properties}: its name, its default — the text taken when the key is
 * absent or blank, as an operator would write it — and how its text is read. Every key is declared
 * once, in {@link Keys}; the default goes through the same reader as a value would, so a default is
 * checked as strictly as the operator's text.
 *
 * <p>DIAGNOSTICS: a reader refuses text with an {@code IllegalArgumentException} whose message is
 * the problem ({@code must be between 0 and 65535, got 70000}); {@link #in} puts the file and the
 * key before it, as the one line of a {@link ConfigException}.
 */
record Key<T>(String name, String fallback, Reader<T> reader, boolean isPath) {

    Key(String name, String fallback, Reader<T> reader) {
        this(name, fallback, reader, false);
    }

    /** Reads the trimmed, non-blank text of a key (or its default) into a value. */
    @FunctionalInterface
    interface Reader<T> {
        /**
         * The value; an {@code IllegalArgumentException} saying what is wrong with {@code text}.
         */
        T read(String text);
    }

    /**
     * The key's value in {@code properties}, read from {@code file}. A relative path written in the
     * file is taken from the file's folder, as a service started in {@code /} must find the files
     * next to its configuration; a default path is taken from the working directory.
     */
    T in(Properties properties, Path file) throws ConfigException {
        String value = properties.getProperty(name);
        boolean written = value != null && !value.isBlank();
        String text = written ? value.trim() : fallback;
        if (isPath && written) {
            text = besideFile(text, file);
        }
        try {
            return reader.read(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, name, e.getMessage());
        }
    }

    /** The value when the key is not set. */
    T defaultValue() {
        return reader.read(fallback);
    }

    /** Text as it is. */
    static Key<String> text(String name, String fallback) {
        return new Key<>(name, fallback, text -> text);
    }

    /** A whole number from {@code min} to {@code max}. */
    static Key<Long> whole(String name, String fallback, long min, long max) {
        return new Key<>(name, fallback, text -> whole(text, min, max));
    }

    /** A whole number from {@code min} to {@code max} that fits an int. */
    static Key<Integer> integer(String name, String fallback, int min, int max) {
        return new Key<>(name, fallback, text -> (int) whole(text, min, max));
    }

    /** A duration as {@link Durations} reads it: {@code 250ms}, {@code 30s}, {@code 5m}, ... */
    static Key<Duration> duration(String name, String fallback) {
        return new Key<>(name, fallback, Durations::parse);
    }

    /** A duration longer than zero. */
    static Key<Duration> positive(String name, String fallback) {
        return new Key<>(
                name,
                fallback,
                text -> {
                    Duration value = Durations.parse(text);
                    if (value.isZero() || value.isNegative()) {
                        throw new IllegalArgumentException("must be longer than zero");
                    }
                    return value;
                });
    }

    /**
     * {@code true}, {@code yes}, {@code on} or {@code false}, {@code no}, {@code off}, in any case.
     */
    static Key<Boolean> bool(String name, String fallback) {
        return new Key<>(
                name,
                fallback,
                text -> {
                    String value = text.toLowerCase(Locale.ROOT);
                    return switch (value) {
                        case "true", "yes", "on" -> true;
                        case "false", "no", "off" -> false;
                        default ->
                                throw new IllegalArgumentException(
                                        "expected true or false, got '" + value + "'");
                    };
                });
    }

    /**
     * One of {@code type}'s constants, named in lower case (in any case), or one of {@code
     * aliases}; the refusal lists the constants in their order of declaration.
     */
    static <E extends Enum<E>> Key<E> choice(
            String name, String fallback, Class<E> type, Map<String, E> aliases) {
        List<String> names =
                Arrays.stream(type.getEnumConstants())
                        .map(constant -> constant.name().toLowerCase(Locale.ROOT))
                        .toList();
        String expected =
                names.size() == 1
                        ? names.get(0)
                        : String.join(", ", names.subList(0, names.size() - 1))
                                + " or "
                                + names.get(names.size() - 1);
        return new Key<>(
                name,
                fallback,
                text -> {
                    String value = text.toLowerCase(Locale.ROOT);
                    if (aliases.containsKey(value)) {
                        return aliases.get(value);
                    }
                    int index = names.indexOf(value);
                    if (index < 0) {
                        throw new IllegalArgumentException(
                                "expected " + expected + ", got '" + value + "'");
                    }
                    return type.getEnumConstants()[index];
                });
    }

    /** An IP address, never a host name (no lookup at start). */
    static Key<InetAddress> address(String name, String fallback) {
        return new Key<>(
                name,
                fallback,
                text -> {
                    if (!text.matches("[0-9A-Fa-f.:]+")) {
                        throw new IllegalArgumentException("not an IP address: '" + text + "'");
                    }
                    try {
                        return InetAddress.getByName(text);
                    } catch (UnknownHostException e) {
                        throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
                    }
                });
    }

    /**
     * A path: written in the file, resolved against the file's folder; the default, against the
     * working directory.
     */
    static Key<Path> path(String name, String fallback) {
        return new Key<>(name, fallback, Key::absolute, true);
    }

    /** A path resolved against the file's folder, or none when blank (the default). */
    static Key<Optional<Path>> optionalPath(String name) {
        return new Key<>(
                name,
                "",
                text -> text.isEmpty() ? Optional.empty() : Optional.of(absolute(text)),
                true);
    }

    /** {@code text} as a path from {@code file}'s folder, when it is relative. */
    private static String besideFile(String text, Path file) {
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            return text; // the reader refuses it with its own message
        }
        if (path.isAbsolute()) {
            return text;
        }
        Path folder = file.toAbsolutePath().getParent();
        return folder == null ? text : folder.resolve(path).toString();
    }

    /** Comma-separated items, blank ones skipped, each read by {@code item}; none by default. */
    static <T> Key<List<T>> list(String name, Reader<T> item) {
        return new Key<>(name, "", text -> items(text, item));
    }

    /** Comma-separated items of {@code text}, blank ones skipped, each read by {@code item}. */
    static <T> List<T> items(String text, Reader<T> item) {
        List<T> values = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            if (!part.isBlank()) {
                values.add(item.read(part.trim()));
            }
        }
        return values;
    }

    private static long whole(String text, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number: '" + text + "'", e);
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(
                    "must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }

    private static Path absolute(String text) {
        return Path.of(text).toAbsolutePath().normalize();
    }
}
