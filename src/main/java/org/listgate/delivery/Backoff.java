package org.listgate.delivery;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * How long a deferred recipient waits before its next attempt: {@code initial}, doubling with each
 * attempt up to {@code max}, less a random part of up to a quarter — so that the members of a list
 * deferred together (a smarthost down) do not all come back in the same second, and a wait is never
 * longer than {@code max}.
 */
record Backoff(Duration initial, Duration max, LongUnaryOperator random) {

    /** {@code random.applyAsLong(bound)} returns a value in {@code [0, bound)}. */
    Backoff {
        if (initial.isZero() || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max");
        }
    }

    static Backoff of(Duration initial, Duration max) {
        return new Backoff(
                initial,
                max,
                bound -> java.util.concurrent.ThreadLocalRandom.current().nextLong(bound));
    }

    /** The wait after the {@code attempts}-th failed attempt (1 for the first). */
    Duration after(int attempts) {
        long limit = max.toMillis();
        long base = initial.toMillis();
        for (int i = 1; i < attempts && base < limit; i++) {
            base *= 2;
        }
        base = Math.min(base, limit);
        long jitter = base / 4 == 0 ? 0 : random.applyAsLong(base / 4 + 1);
        return Duration.ofMillis(Math.max(1, base - jitter));
    }
}
