package org.listgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStuffingTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Test
    void aDotThatStartsALineIsDoubledWhereverTheWritesBreakTheText() throws IOException {
        String content = ".first\r\nmiddle.\r\n..two\r\n.\r\nlast";
        byte[] bytes = ascii(content);
        for (int cut = 0; cut <= bytes.length; cut++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DotStuffing data = new DotStuffing(out);
            data.write(bytes, 0, cut);
            for (int i = cut; i < bytes.length; i++) {
                data.write(bytes[i]); // the rest an octet at a time
            }
            data.end();

            assertThat(text(out.toByteArray()))
                    .as("cut at %d", cut)
                    .isEqualTo("..first\r\nmiddle.\r\n...two\r\n..\r\nlast\r\n.\r\n");
        }
    }

    @Test
    void theEndAddsALineEndOnlyWhereTheContentLacksOne() {
        assertThat(text(DotStuffing.data(ascii("a\r\n")))).isEqualTo("a\r\n.\r\n");
        assertThat(text(DotStuffing.data(ascii("a")))).isEqualTo("a\r\n.\r\n");
        assertThat(text(DotStuffing.data(new byte[0]))).isEqualTo(".\r\n");
    }

    @Test
    void stuffedTextHasNoEnd() {
        assertThat(text(DotStuffing.stuffed(ascii(".a\r\nb\r\n..c\r\n"))))
                .isEqualTo("..a\r\nb\r\n...c\r\n");
    }
}
