package org.listgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.listgate.address.Status;

class PathArgumentTest {

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("MAIL FROM:<a@x.test>", "<a@x.test>", List.of()),
                Arguments.of("MAIL FROM: <a@x.test>", "<a@x.test>", List.of()),
                Arguments.of(
                        "mail from:<a@x.test> SIZE=100 BODY=8BITMIME",
                        "<a@x.test>",
                        List.of("SIZE=100", "BODY=8BITMIME")),
                Arguments.of("MAIL FROM:<a@x.test>   SIZE=100 ", "<a@x.test>", List.of("SIZE=100")),
                Arguments.of("MAIL FROM:<>", "<>", List.of()),
                Arguments.of("MAIL FROM:a@x.test SIZE=1", "a@x.test", List.of("SIZE=1")),
                Arguments.of(
                        "MAIL FROM:<\"a>b\"@x.test> SIZE=1", "<\"a>b\"@x.test>", List.of("SIZE=1")),
                Arguments.of("MAIL FROM:<\"a\\\"> b\"@x.test>", "<\"a\\\"> b\"@x.test>", List.of()),
                // Unbalanced: the whole text goes to the address parser, which says why.
                Arguments.of("MAIL FROM:<a@x.test SIZE=1", "<a@x.test SIZE=1", List.of()),
                Arguments.of("MAIL FROM:<\"a>@x.test", "<\"a>@x.test", List.of()));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void splitsThePathFromTheParameters(String line, String path, List<String> parameters) {
        assertThat(PathArgument.parse(line, "MAIL", "FROM:"))
                .contains(new PathArgument(path, parameters));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "MAIL",
                "MAIL FROM:",
                "MAIL FROM:   ",
                "MAIL TO:<a@x.test>",
                "MAIL <a@x.test>"
            })
    void isEmptyWhenTheLineIsNotOfThatForm(String line) {
        assertThat(PathArgument.parse(line, "MAIL", "FROM:")).isEmpty();
    }

    @Test
    void splitsRcptToo() {
        assertThat(PathArgument.parse("RCPT TO: <staff@x.test>", "RCPT", "TO:"))
                .contains(new PathArgument("<staff@x.test>", List.of()));
    }

    static Stream<Arguments> mailParameters() {
        return Stream.of(
                Arguments.of(List.of(), null),
                Arguments.of(List.of("SIZE=1000"), null),
                Arguments.of(List.of("size=1000", "body=8bitmime"), null),
                Arguments.of(List.of("BODY=7BIT"), null),
                Arguments.of(List.of("SIZE=1001"), "552 5.3.4"),
                Arguments.of(List.of("SIZE=99999999999999999999"), "552 5.3.4"),
                Arguments.of(List.of("SIZE=abc"), "555 5.5.4"),
                Arguments.of(List.of("SIZE="), "555 5.5.4"),
                Arguments.of(List.of("BODY=BINARYMIME"), "555 5.5.4"),
                Arguments.of(List.of("SIZE=10", "SMTPUTF8"), "555 5.5.4"));
    }

    @ParameterizedTest
    @MethodSource("mailParameters")
    void checksMailParametersAgainstTheSizeLimit(List<String> parameters, String reply) {
        Optional<Reply> checked =
                new PathArgument("<a@x.test>", parameters).checkMailParameters(1000, false);

        assertThat(checked.map(r -> r.code() + " " + r.status()))
                .isEqualTo(Optional.ofNullable(reply));
    }

    @Test
    void namesTheUnsupportedOptionInTheReply() {
        Reply reply =
                new PathArgument("<a@x.test>", List.of("NOTIFY=NEVER"))
                        .checkMailParameters(1000, false)
                        .orElseThrow();

        assertThat(reply.toString()).isEqualTo("555 5.5.4 Unsupported option: NOTIFY=NEVER");
    }

    @Test
    void aReplyLineCarriesItsEnhancedStatus() {
        assertThat(Reply.UNKNOWN_USER.toString())
                .isEqualTo("550 5.1.1 Recipient address rejected: User unknown");
        assertThat(Reply.TOO_MANY_RECIPIENTS.status()).isEqualTo(Status.TOO_MANY_RECIPIENTS);
        assertThat(Reply.START_DATA.toString()).isEqualTo("354 End data with <CR><LF>.<CR><LF>");
        assertThat(Reply.MESSAGE_TOO_BIG.withText("x").toString()).isEqualTo("552 5.3.4 x");
    }
}
