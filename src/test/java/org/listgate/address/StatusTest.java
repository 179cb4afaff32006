package org.listgate.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
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

    @Test
    void anEnhancedCodeIsThreeShortNumbersWhoseClassIsTheReplyCodes() {
        assertThat(Status.isEnhanced("4.3.0", 451)).isTrue();
        assertThat(Status.isEnhanced("5.1.1", 550)).isTrue();
        assertThat(Status.isEnhanced("2.0.0", 250)).isTrue();
        assertThat(Status.isEnhanced("5.1.1", 451)).isFalse();
        assertThat(Status.isEnhanced("5.1", 550)).isFalse();
        assertThat(Status.isEnhanced("5.1.1000", 550)).isFalse();
        assertThat(Status.isEnhanced("5..1", 550)).isFalse();
        assertThat(Status.isEnhanced("Ok", 250)).isFalse();
    }
}
