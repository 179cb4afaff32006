package org.listgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventJsonTest {

    private static final Instant WHEN = Instant.parse("2026-11-24T19:05:00.123Z");

    @Test
    void writesTheFiveFixedKeysFirstThenTheFieldsInOrder() {
        Event event =
                Event.of(EventId.RECIPIENT_NOT_DELIVERED)
                        .at(WHEN)
                        .with("queueId", "0000017F")
                        .with("recipient", "bad@x")
                        .with("status", "5.1.1")
                        .with("reason", "unknown user")
                        .with("stage", "expansion");

        assertThat(EventJson.write(event))
                .isEqualTo(
                        "{\"time\":\"2026-11-24T19:05:00.123Z\",\"id\":4037,\"type\":\"Warning\","
                                + "\"source\":\"listgate\",\"message\":\""
                                + EventId.RECIPIENT_NOT_DELIVERED.text()
                                + "\","
                                + "\"queueId\":\"0000017F\",\"recipient\":\"bad@x\",\"status\":\"5.1.1\","
                                + "\"reason\":\"unknown user\",\"stage\":\"expansion\"}");
    }

    @Test
    void writesTheTimeInUtcAlwaysWithMilliseconds() {
        Event event = Event.of(EventId.SERVICE_STARTED).at(Instant.parse("2026-11-24T19:05:00Z"));

        assertThat(EventJson.toMap(event)).containsEntry("time", "2026-11-24T19:05:00.000Z");
    }

    @Test
    void keepsNumbersAndBooleansAsJsonNumbersAndBooleans() {
        Event event =
                Event.of(EventId.LIST_EXPANDED)
                        .at(WHEN)
                        .with("members", 250)
                        .with("capped", true)
                        .with("list", "staff");

        assertThat(EventJson.write(event))
                .endsWith(",\"members\":250,\"capped\":true,\"list\":\"staff\"}");
        assertThat(EventJson.read(EventJson.write(event)).orElseThrow())
                .containsEntry("members", 250)
                .containsEntry("capped", true);
    }

    @Test
    void leavesOutAFieldNamedLikeAFixedKey() {
        Event event =
                Event.of(EventId.DELIVERED).at(WHEN).with("id", "forged").with("source", "evil");

        assertThat(EventJson.write(event))
                .containsOnlyOnce("\"id\":")
                .containsOnlyOnce("\"source\":");
        assertThat(EventJson.read(EventJson.write(event)).orElseThrow())
                .containsEntry("id", 2003)
                .containsEntry("source", "listgate");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "line\r\nbreak",
                "bare\rCR",
                "bare\nLF",
                "quote\" and back\\slash",
                "nul\u0000byte",
                "escape \u001b[31mred\u001b[0m",
                "delete\u007f",
                "C1\u0085next line",
                "unicode line\u2028separator\u2029paragraph",
                "bidi \u202egnp.exe",
                "latin é, CJK 中文, emoji \ud83d\ude00",
                "lone \ud800 high and lone \udc00 low",
                "</script><!--",
                "{\"id\":9001}",
                ""
            })
    void writesAHostileStringAsOneAsciiLineThatReadsBackUnchanged(String hostile) {
        Event event =
                Event.of(EventId.RECIPIENT_REFUSED)
                        .at(WHEN)
                        .with("recipient", hostile)
                        .with(hostile, "key");

        String line = EventJson.write(event);

        assertThat(line).doesNotContain("\n", "\r");
        assertThat(line.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        Map<String, Object> read = EventJson.read(line).orElseThrow();
        assertThat(read).containsEntry("recipient", hostile).containsEntry("id", 3001);
        if (!EventJson.FIXED_KEYS.contains(hostile) && !hostile.equals("recipient")) {
            assertThat(read).containsEntry(hostile, "key");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not json",
                "{\"time\":\"2026-11-24T19:05:00.123Z\",\"id\":40",
                "[1,2,3]",
                "42",
                "{\"id\":1} trailing",
                "{\"id\":1}{\"id\":2}"
            })
    void readsAnythingButOneJsonObjectAsNothing(String line) {
        assertThat(EventJson.read(line)).isEqualTo(Optional.empty());
    }
}
