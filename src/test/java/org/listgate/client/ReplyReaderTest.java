package org.listgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replies read from bytes as a server sends them: whole, continued, cut short, garbled, long. */
class ReplyReaderTest {

    private static ReplyReader reading(String wire) {
        return new ReplyReader(
                new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static ReplyReader reading(byte[] wire) {
        return new ReplyReader(new ByteArrayInputStream(wire));
    }

    @Test
    void aMultiLineReplyIsOneReplyWithEveryLineAndTheCodeOfItsLast() throws Exception {
        ReplyReader replies =
                reading(
                        "250-mx.example.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n"
                                + "220 2.0.0 ready\r\n");

        ReplyReader.Reply ehlo = replies.read();
        ReplyReader.Reply next = replies.read();

        assertThat(ehlo.code()).isEqualTo(250);
        assertThat(ehlo.lines())
                .containsExactly("250-mx.example.test", "250-PIPELINING", "250 8BITMIME");
        assertThat(ehlo.texts()).containsExactly("mx.example.test", "PIPELINING", "8BITMIME");
        assertThat(ehlo.last()).isEqualTo("250 8BITMIME");
        assertThat(next.code()).isEqualTo(220);
        assertThat(next.last()).isEqualTo("220 2.0.0 ready");
    }

    @Test
    void aBareCodeAndALineEndedByLfAloneAreReplies() throws Exception {
        ReplyReader replies = reading("354\r\n250 ok\n");

        assertThat(replies.read()).isEqualTo(new ReplyReader.Reply(354, List.of("354")));
        assertThat(replies.read().texts()).containsExactly("ok");
    }

    @Test
    void octetsAbove127AreReadOneCharEachAsIso88591() throws Exception {
        byte[] wire = {'5', '5', '0', ' ', (byte) 0xE9, (byte) 0xFF, '\r', '\n'};

        assertThat(reading(wire).read().texts()).containsExactly("\u00E9\u00FF");
    }

    @Test
    void aLineThatIsNotAReplyLineIsGarbledWithTheLine() {
        for (String garbled :
                new String[] {
                    "HTTP/1.1 400 Bad Request\r\n", "25\r\n", "250x ok\r\n", "2a0 ok\r\n"
                }) {
            assertThatThrownBy(() -> reading(garbled).read())
                    .as(garbled)
                    .isInstanceOfSatisfying(
                            ReplyReader.Unreadable.class,
                            e -> {
                                assertThat(e.fault()).isEqualTo(ReplyReader.Fault.GARBLED);
                                assertThat(e.line()).isEqualTo(garbled.strip());
                            });
        }
    }

    @Test
    void aGarbledLineInTheMiddleOfAReplyEndsIt() {
        assertThatThrownBy(() -> reading("250-first\r\nnonsense\r\n250 last\r\n").read())
                .isInstanceOfSatisfying(
                        ReplyReader.Unreadable.class,
                        e -> assertThat(e.line()).isEqualTo("nonsense"));
    }

    @Test
    void theEndOfTheStreamIsClosedBetweenLinesAndClosedMidLineWithinOne() {
        assertThat(fault("")).isEqualTo(ReplyReader.Fault.CLOSED);
        assertThat(fault("250-first\r\n")).isEqualTo(ReplyReader.Fault.CLOSED);
        // A last line without its CR LF: the reply is not complete.
        assertThat(fault("250 ok")).isEqualTo(ReplyReader.Fault.CLOSED_MID_LINE);
        assertThat(fault("250 ok\r")).isEqualTo(ReplyReader.Fault.CLOSED_MID_LINE);
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedWithoutHoldingIt() throws Exception {
        // MAX_LINE octets before the LF, a CR included.
        String longest = "250 " + "x".repeat(ReplyReader.MAX_LINE - 4);
        assertThat(reading(longest + "\n").read().last()).hasSize(ReplyReader.MAX_LINE);
        String longestWithCr = "250 " + "x".repeat(ReplyReader.MAX_LINE - 5);
        assertThat(reading(longestWithCr + "\r\n").read().last()).hasSize(ReplyReader.MAX_LINE - 1);

        assertThat(fault(longest + "\r\n")).isEqualTo(ReplyReader.Fault.LINE_TOO_LONG);
        assertThat(fault("250 " + "x".repeat(1_000_000)))
                .isEqualTo(ReplyReader.Fault.LINE_TOO_LONG);
    }

    @Test
    void aReplyOfMoreLinesThanTheLimitIsRefused() throws Exception {
        String continued = "250-more\r\n";
        assertThat(
                        reading(continued.repeat(ReplyReader.MAX_LINES - 1) + "250 end\r\n")
                                .read()
                                .lines())
                .hasSize(ReplyReader.MAX_LINES);

        assertThat(fault(continued.repeat(ReplyReader.MAX_LINES) + "250 end\r\n"))
                .isEqualTo(ReplyReader.Fault.TOO_MANY_LINES);
    }

    private static ReplyReader.Fault fault(String wire) {
        try {
            reading(wire).read();
        } catch (ReplyReader.Unreadable e) {
            return e.fault();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("read a reply from " + wire);
    }
}
