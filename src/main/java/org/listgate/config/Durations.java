package org.listgate.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Durations as operators write them: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code
 * 5d}.
 */
public final class Durations {
    private Durations() {}

    public static Duration parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("p")) {
            try {
                return nonNegative(Duration.parse(value.toUpperCase(Locale.ROOT)), text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration: '" + text + "'");
            }
        }
        int split = 0;
        while (split < value.length() && Character.isDigit(value.charAt(split))) {
            split++;
        }
        if (split == 0 || split > 12) {
            throw new IllegalArgumentException(
                    "not a duration (e.g. 250ms, 30s, 5m, 1h, 5d): '" + text + "'");
        }
        long amount = Long.parseLong(value.substring(0, split));
        return switch (value.substring(split)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s", "" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default ->
                    throw new IllegalArgumentException(
                            "not a duration (e.g. 250ms, 30s, 5m, 1h, 5d): '" + text + "'");
        };
    }

    private static Duration nonNegative(Duration duration, String text) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative duration: '" + text + "'");
        }
        return duration;
    }
}
