package org.listgate.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeySetTest {

    @Test
    void addsEachKeyOnce() {
        KeySet keys = new KeySet();

        assertThat(keys.add("alice@example.test")).isTrue();
        assertThat(keys.add("bob@example.test")).isTrue();
        assertThat(keys.add("alice@example.test")).isFalse();
        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.contains("alice@example.test")).isTrue();
        assertThat(keys.contains("carol@example.test")).isFalse();
    }

    @Test
    void findsAnEqualStringThatIsNotTheOneAdded() {
        KeySet keys = new KeySet();
        keys.add("dave@example.test");

        String equal = new StringBuilder("dave@").append("example.test").toString();

        assertThat(keys.contains(equal)).isTrue();
        assertThat(keys.add(equal)).isFalse();
    }

    @Test
    void tellsApartKeysWithTheSameHash() {
        // "Aa" and "BB" have the same String.hashCode.
        KeySet keys = new KeySet();
        keys.add("Aa@x");

        assertThat("Aa@x".hashCode()).isEqualTo("BB@x".hashCode());
        assertThat(keys.contains("BB@x")).isFalse();
        assertThat(keys.add("BB@x")).isTrue();
        assertThat(keys.contains("Aa@x")).isTrue();
        assertThat(keys.contains("BB@x")).isTrue();
    }

    @Test
    void growsToHoldAHundredThousandNumberedKeysAsAHashSetWould() {
        KeySet keys = new KeySet();
        Set<String> expected = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            String key = "u" + random.nextInt(100_000) + "@example.test";
            assertThat(keys.add(key)).isEqualTo(expected.add(key));
        }

        assertThat(keys.size()).isEqualTo(expected.size());
        for (int i = 0; i < 100_000; i++) {
            String key = "u" + i + "@example.test";
            assertThat(keys.contains(key)).isEqualTo(expected.contains(key));
        }
        assertThat(keys.contains("u100000@example.test")).isFalse();
    }

    @Test
    void keepsItsKeysWhenRoomIsMadeAheadBitByBit() {
        KeySet keys = new KeySet(3);
        for (int i = 0; i < 5_000; i++) {
            if (i % 100 == 0) {
                keys.ensureCapacity(i + 100);
            }
            keys.add("member" + i + "@example.test");
        }
        keys.ensureCapacity(10);

        assertThat(keys.size()).isEqualTo(5_000);
        for (int i = 0; i < 5_000; i++) {
            assertThat(keys.contains("member" + i + "@example.test")).isTrue();
        }
        assertThat(keys.contains("member5000@example.test")).isFalse();
    }

    @Test
    void anEmptySetHoldsNothing() {
        KeySet keys = new KeySet(0);

        assertThat(keys.size()).isZero();
        assertThat(keys.contains("")).isFalse();
        assertThat(keys.add("")).isTrue();
        assertThat(keys.contains("")).isTrue();
    }
}
