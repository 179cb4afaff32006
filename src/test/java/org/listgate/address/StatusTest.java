package org.listgate.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatusTest {

    @ParameterizedTest
    @ValueSource(strings = {"5.1.1", " 5.1.1 "})
    void parsesClassSubjectAndDetail(String text) {
        assertThat(Status.parse(text)).isEqualTo(Status.BAD_MAILBOX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.1.1.", "5.1.", "5..1", ".5.1.1", "5.1", "5.1.1.0", "x.1.1", ""})
    void refusesAnythingButThreeNumbers(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Status.parse(text));
    }
}
