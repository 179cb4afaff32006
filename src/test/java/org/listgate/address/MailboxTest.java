package org.listgate.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MailboxTest {

    @Test
    void keepsTheLocalPartAsWrittenAndTheDomainInLowerCase() {
        Mailbox mailbox = new Mailbox("Alice.Smith", "Example.TEST");

        assertThat(mailbox.localPart()).isEqualTo("Alice.Smith");
        assertThat(mailbox.domain()).isEqualTo("example.test");
        assertThat(mailbox.address()).isEqualTo("Alice.Smith@example.test");
        assertThat(mailbox.key()).isEqualTo("alice.smith@example.test");
        assertThat(mailbox).hasToString("Alice.Smith@example.test");
    }

    @Test
    void answersTheSameAddressAndKeyOnEveryCall() {
        Mailbox mixed = new Mailbox("Bob", "example.test");

        assertThat(mixed.address()).isSameAs(mixed.address());
        assertThat(mixed.key()).isSameAs(mixed.key());
    }

    @Test
    void aKeyEqualToTheAddressIsTheAddressItself() {
        Mailbox lower = new Mailbox("bob", "EXAMPLE.test");

        assertThat(lower.key()).isSameAs(lower.address());
    }

    @Test
    void aQuotedLocalPartKeepsItsQuotesAndItsAt() {
        Mailbox quoted = new Mailbox("\"a@b c\"", "example.test");

        assertThat(quoted.localPart()).isEqualTo("\"a@b c\"");
        assertThat(quoted.address()).isEqualTo("\"a@b c\"@example.test");
    }

    @Test
    void isEqualWhenTheLocalPartAndTheDomainAre() {
        Mailbox one = new Mailbox("Carol", "example.test");

        assertThat(one)
                .isEqualTo(new Mailbox("Carol", "EXAMPLE.TEST"))
                .hasSameHashCodeAs(new Mailbox("Carol", "EXAMPLE.TEST"))
                .isNotEqualTo(new Mailbox("carol", "example.test"))
                .isNotEqualTo(new Mailbox("Carol", "example.org"));
        // One address, split differently: not the same mailbox.
        assertThat(new Mailbox("\"a@b\"", "c")).isNotEqualTo(new Mailbox("\"a", "b\"@c"));
    }

    @Test
    void refusesAnEmptyLocalPartOrDomain() {
        assertThatThrownBy(() -> new Mailbox("", "example.test"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Mailbox("dave", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aParsedBareAddressIsItsOwnAddress() {
        String text = "erin@example.test";

        Mailbox parsed = ((ParseResult.Valid) Addresses.parse(text)).mailbox();

        assertThat(parsed.address()).isSameAs(text);
        assertThat(parsed).isEqualTo(new Mailbox("erin", "example.test"));
    }

    @Test
    void aParsedDomainInCapitalsIsLowerCased() {
        Mailbox parsed = ((ParseResult.Valid) Addresses.parse("<Frank@Example.TEST>")).mailbox();

        assertThat(parsed.localPart()).isEqualTo("Frank");
        assertThat(parsed.address()).isEqualTo("Frank@example.test");
        assertThat(parsed.key()).isEqualTo("frank@example.test");
        assertThat(parsed).isEqualTo(new Mailbox("Frank", "example.test"));
    }
}
