package org.listgate.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ControlRequestTest {

    @Test
    void everyRequestReadsBackAsItselfFromTheLineItWrites() {
        for (ControlRequest request :
                new ControlRequest[] {
                    new ControlRequest.Flush(Optional.empty()),
                    new ControlRequest.Flush(Optional.of("1A22E3C8D5BA372")),
                    new ControlRequest.Delete("1A22E3C8D5BA372", true),
                    new ControlRequest.Delete("1A22E3C8D5BA372", false)
                }) {
            assertThat(ControlRequest.parse(request.line())).contains(request);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "delete 1A2 maybe",
                "delete 1A2",
                "delete 1A2 report extra",
                "flush",
                "flush a b",
                "flush ../x",
                "purge *",
                "",
                "DELETE 1A2 report",
                "delete * report"
            })
    void refusesAnythingElseInsteadOfGuessing(String line) {
        assertThat(ControlRequest.parse(line)).isEmpty();
    }
}
