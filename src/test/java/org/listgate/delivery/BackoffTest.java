package org.listgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static Backoff withRandom(long fixed) {
        return new Backoff(
                Duration.ofSeconds(60), Duration.ofHours(1), bound -> Math.min(fixed, bound - 1));
    }

    @Test
    void doublesFromInitialUpToMax() {
        Backoff none = withRandom(0);
        assertThat(none.after(1)).isEqualTo(Duration.ofSeconds(60));
        assertThat(none.after(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(none.after(3)).isEqualTo(Duration.ofMinutes(4));
        assertThat(none.after(6)).isEqualTo(Duration.ofMinutes(32));
        assertThat(none.after(7)).isEqualTo(Duration.ofHours(1));
        assertThat(none.after(1000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void jitterTakesOffAtMostAQuarterAndNeverExceedsMax() {
        Backoff most = withRandom(Long.MAX_VALUE);
        assertThat(most.after(1)).isEqualTo(Duration.ofSeconds(45));
        assertThat(most.after(50)).isEqualTo(Duration.ofMinutes(45));
        Backoff real = Backoff.of(Duration.ofSeconds(60), Duration.ofHours(1));
        for (int attempt = 1; attempt < 40; attempt++) {
            assertThat(real.after(attempt)).isBetween(Duration.ofSeconds(45), Duration.ofHours(1));
        }
    }

    @Test
    void millisecondDurationsWorkForTests() {
        Backoff tiny = new Backoff(Duration.ofMillis(2), Duration.ofMillis(3), bound -> bound - 1);
        assertThat(tiny.after(1)).isEqualTo(Duration.ofMillis(2));
        assertThat(tiny.after(5)).isEqualTo(Duration.ofMillis(3));
    }

    @Test
    void refusesAMaxShorterThanInitial() {
        assertThatThrownBy(() -> Backoff.of(Duration.ofMinutes(2), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
