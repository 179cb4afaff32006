package org.listgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ImsRenderingTest {

    private static final Event ISOLATED =
            Event.of(EventId.RECIPIENT_NOT_DELIVERED)
                    .at(Instant.parse("2026-11-24T19:05:01.456Z"))
                    .with("queueId", "0000017F")
                    .with("recipient", "bad@x")
                    .with("status", "5.1.1")
                    .with("reason", "unknown user")
                    .with("stage", "expansion");

    @Test
    void rendersAnEventAsTheWindowsEventLogShowedImsEvents() {
        String block = ImsRendering.render(LoggedEvent.of(ISOLATED), ZoneOffset.UTC);

        assertThat(block)
                .isEqualTo(
                        String.join(
                                System.lineSeparator(),
                                "Event Type: Warning",
                                "Event Source: listgate",
                                "Event Category: Isolation",
                                "Event ID: 4037",
                                "Date: 2026-11-24",
                                "Time: 19:05:01",
                                "Description:",
                                EventId.RECIPIENT_NOT_DELIVERED.text(),
                                "  queueId: 0000017F  recipient: bad@x  status: 5.1.1  reason: unknown user  stage: expansion",
                                ""));
        assertThat(block).contains("Event ID: 4037", "Source: listgate");
    }

    @Test
    void rendersA9001AsAnError() {
        Event fault =
                Event.of(EventId.EXCEPTION)
                        .with("code", "0xc0000005")
                        .with("exception", "java.lang.NullPointerException");

        assertThat(ImsRendering.render(fault))
                .contains(
                        "Event Type: Error",
                        "Event ID: 9001",
                        "An exception has occurred.",
                        "code: 0xc0000005");
    }

    @Test
    void rendersARecordReadBackLikeTheEventItself() {
        LoggedEvent read = LoggedEvent.parse(ISOLATED.toString()).orElseThrow();

        assertThat(ImsRendering.render(read, ZoneOffset.UTC))
                .isEqualTo(ImsRendering.render(LoggedEvent.of(ISOLATED), ZoneOffset.UTC));
    }

    @Test
    void escapesAHostileValueSoItCannotForgeALineOrDriveTheTerminal() {
        Event hostile =
                Event.of(EventId.RECIPIENT_REFUSED)
                        .with("recipient", "x\r\nEvent ID: 9001\u001b[2J\u202e\u2028\ud800 é");

        String block = ImsRendering.render(hostile);

        assertThat(block.split(System.lineSeparator())).hasSize(9);
        assertThat(block)
                .doesNotContain("\u001b", "\u202e", "\u2028", "\r\nEvent ID: 9001")
                .contains("recipient: x\\r\\nEvent ID: 9001\\u001B[2J\\u202E\\u2028\\uD800 é");
    }

    @Test
    void rendersAnUnknownIdWithoutACategory() {
        LoggedEvent unknown =
                LoggedEvent.parse("{\"id\":7777,\"type\":\"Information\",\"message\":\"later\"}")
                        .orElseThrow();

        assertThat(ImsRendering.render(unknown))
                .contains("Event Category: None", "Event ID: 7777", "Date: -", "later");
    }
}
