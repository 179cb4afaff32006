package org.listgate.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaultInjectorTest {

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
        "u3@*,               u3@example.test,   true",
        "u3@*,               U3@EXAMPLE.TEST,   true",
        "u3@*,               u33@example.test,  false",
        "u3@*,               xu3@example.test,  false",
        "u?@example.test,    u7@example.test,   true",
        "u?@example.test,    u17@example.test,  false",
        "*,                  anything,          true",
        "a.b@x.test,         aXb@x.test,        false",
        "a+b@x.test,         a+b@x.test,        true",
        "'[a]@x.test',       '[a]@x.test',      true",
        "'[a]@x.test',       a@x.test,          false",
    })
    void matchesRecipientsByGlob(String glob, String recipient, boolean matches) {
        FaultInjector faults = new FaultInjector(List.of("expansion:" + glob));

        if (matches) {
            assertThatThrownBy(() -> faults.check(FaultInjector.Stage.EXPANSION, recipient))
                    .isInstanceOf(FaultInjector.InjectedFault.class)
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining(recipient);
        } else {
            assertThatCode(() -> faults.check(FaultInjector.Stage.EXPANSION, recipient))
                    .doesNotThrowAnyException();
        }
    }

    @ParameterizedTest
    @CsvSource({"expansion, DELIVERY", "delivery, EXPANSION"})
    void aRuleFiresOnlyAtItsStage(String ruleStage, FaultInjector.Stage otherStage) {
        FaultInjector faults = new FaultInjector(List.of(ruleStage + ":*"));

        assertThatCode(() -> faults.check(otherStage, "u1@example.test"))
                .doesNotThrowAnyException();
        // With no rules nothing fires, at any stage, and no spool is ever full.
        assertThatCode(() -> FaultInjector.none().check(otherStage, "u1@example.test"))
                .doesNotThrowAnyException();
        assertThat(FaultInjector.none().spoolFull(List.of("u1@example.test", "full@example.test")))
                .isFalse();
    }

    @ParameterizedTest(name = "{0} for {1}: {2}")
    @CsvSource({
        "spool:full@*,       'bob@example.test,FULL@example.test', true",
        "spool:full@*,       'bob@example.test',                   false",
        "spool:*,            'bob@example.test',                   true",
        "delivery:*,         'bob@example.test',                   false",
        "expansion:*,        'bob@example.test',                   false",
    })
    void aSpoolRuleFillsTheDiskForAMessageWithAMatchingRecipient(
            String rule, String recipients, boolean full) {
        FaultInjector faults = new FaultInjector(List.of(rule));

        assertThat(faults.spoolFull(List.of(recipients.split(",")))).isEqualTo(full);
    }

    @ParameterizedTest
    @CsvSource({"EXPANSION", "DELIVERY"})
    void aSpoolRuleThrowsNothingAtTheOtherStages(FaultInjector.Stage stage) {
        FaultInjector faults = new FaultInjector(List.of("spool:*"));

        assertThatCode(() -> faults.check(stage, "u1@example.test")).doesNotThrowAnyException();
    }
}
