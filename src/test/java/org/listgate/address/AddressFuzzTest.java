package org.listgate.address;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for {@link Addresses}: any text, as an SMTP client or a list file could send it.
 *
 * <p>{@code mvn verify} runs it on the empty input and on each seed in {@code
 * AddressFuzzTestInputs/<method>/}; {@code mvn -Pfuzz test -Dtest=AddressFuzzTest} lets Jazzer
 * mutate them for {@code jazzer.max_duration}. The {@code @Timeout} bounds one input: JUnit
 * enforces it on a seed, libFuzzer ({@code -timeout}) on a mutant. README, "Fuzzing".
 */
class AddressFuzzTest {

    /**
     * Both entry points return a value for every input, never throw; they agree with each other; a
     * mailbox keeps the RFC 5321 limits, holds only printable ASCII and parses back to itself.
     */
    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void parsesAnyTextToAResultAndEveryMailboxBackToItself(byte[] input) {
        // As a path arrives: bytes, read as UTF-8 (malformed bytes become U+FFFD, an 8-bit char).
        String text = new String(input, StandardCharsets.UTF_8);

        ParseResult forward = Addresses.parse(text);
        ParseResult reverse = Addresses.parseReversePath(text);

        assertThat(forward).isNotInstanceOf(ParseResult.NullSender.class);
        if (forward instanceof ParseResult.Valid valid) {
            assertThat(reverse).isEqualTo(forward);
            assertIsAWellFormedMailbox(valid.mailbox());
        } else if (forward instanceof ParseResult.Invalid invalid) {
            assertThat(invalid.status()).isEqualTo(Status.BAD_MAILBOX_SYNTAX);
            assertThat(invalid.reason()).isNotBlank();
            if (reverse instanceof ParseResult.Invalid reverseInvalid) {
                assertThat(reverseInvalid.status()).isEqualTo(Status.BAD_SENDER_SYNTAX);
                assertThat(reverseInvalid.reason()).isEqualTo(invalid.reason());
            } else {
                // RFC 5321 §4.5.5: only <> is the null reverse-path, and it is no recipient.
                assertThat(reverse).isInstanceOf(ParseResult.NullSender.class);
                assertThat(text.strip()).isEqualTo("<>");
            }
        } else {
            throw new AssertionError(forward);
        }
    }

    private static void assertIsAWellFormedMailbox(Mailbox mailbox) {
        // RFC 5321 §4.5.3.1.1-3: local part 64 octets, domain 255, path 256 with its brackets.
        assertThat(mailbox.localPart()).hasSizeBetween(1, MailboxSyntax.MAX_LOCAL_PART);
        assertThat(mailbox.domain()).hasSizeBetween(1, MailboxSyntax.MAX_DOMAIN);
        String address = mailbox.address();
        assertThat(address.length() + 2).isLessThanOrEqualTo(Addresses.MAX_PATH);
        assertThat(address.chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
        assertThat(mailbox.key()).isEqualToIgnoringCase(address);

        ParseResult same = new ParseResult.Valid(mailbox);
        assertThat(Addresses.parse(address)).isEqualTo(same);
        assertThat(Addresses.parse("<" + address + ">")).isEqualTo(same);
        assertThat(Addresses.parseReversePath("<" + address + ">")).isEqualTo(same);
    }
}
