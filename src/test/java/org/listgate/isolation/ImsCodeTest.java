package org.listgate.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImsCodeTest {

    @SuppressWarnings({
        "DereferenceWithNullBranch",
        "ReturnValueIgnored"
    }) // the faults are the point
    static Stream<Arguments> accessViolations() {
        return Stream.of(
                Arguments.of(caught(() -> ((String) null).length())),
                Arguments.of(caught(() -> List.of().get(3))),
                Arguments.of(
                        caught(
                                () -> {
                                    int[] one = new int[1];
                                    one[one.length] = 1;
                                })),
                Arguments.of(caught(() -> "x".charAt(5))),
                Arguments.of(new FaultInjector.InjectedFault("injected")));
    }

    @ParameterizedTest
    @MethodSource("accessViolations")
    void aNullDereferenceOrAnIndexOutOfBoundsIsAnAccessViolation(RuntimeException thrown) {
        ImsCode ims = ImsCode.of(thrown);

        assertThat(ims.code()).isEqualTo("0xc0000005");
        assertThat(ims.flags()).isEqualTo("0x00000000");
        assertThat(ims.exception()).isEqualTo(thrown.getClass().getName());
    }

    @Test
    void anotherKindGetsTheSameCustomerCodeEveryTime() {
        String first = ImsCode.of(new IllegalStateException("one")).code();
        String second = ImsCode.of(new IllegalStateException("two")).code();
        String other = ImsCode.of(new UncheckedIOException(new java.io.IOException())).code();

        assertThat(first).isEqualTo(second).matches("0xe[0-9a-f]{7}");
        assertThat(other).matches("0xe[0-9a-f]{7}").isNotEqualTo(first);
    }

    @Test
    void anErrorIsNonContinuable() {
        assertThat(ImsCode.of(new StackOverflowError()).code()).isEqualTo("0xc00000fd");
        assertThat(ImsCode.of(new StackOverflowError()).flags()).isEqualTo("0x00000001");
    }

    @Test
    void theAddressIsTheThrowingFrame() throws java.io.IOException {
        List<String> source =
                java.nio.file.Files.readAllLines(
                        java.nio.file.Path.of(
                                "src/test/java/org/listgate/isolation/ImsCodeTest.java"));
        int line = source.indexOf("        nothing.hashCode(); // throws here") + 1;

        assertThat(ImsCode.of(caught(ImsCodeTest::thrower)).address())
                .isEqualTo(
                        "org.listgate.isolation.ImsCodeTest.thrower(ImsCodeTest.java:"
                                + line
                                + ")");
    }

    @SuppressWarnings("ReturnValueIgnored") // the fault is the point
    private static void thrower() {
        Object nothing = null;
        nothing.hashCode(); // throws here
    }

    @Test
    void aThrowableWithoutStackTraceHasAnUnknownAddress() {
        RuntimeException bare = new RuntimeException("no trace", null, false, false) {};

        assertThat(ImsCode.of(bare).address()).isEqualTo("unknown");
    }

    private static RuntimeException caught(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("did not throw");
    }
}
