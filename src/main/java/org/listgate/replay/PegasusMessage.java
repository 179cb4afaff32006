package org.listgate.replay;

import jakarta.mail.internet.MailDateFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A message as Pegasus Mail for Win32 v3.01d wrote it: its headers aligned in a column, the list
 * named in RFC 822 group syntax ({@code To: staff: ;}, which tells no member's address), its
 * X-mailer, a Message-ID of its own shape ({@code <hex.decimal.hex@host>}), CR LF line ends and a
 * line that starts with a dot, for the client to stuff.
 */
public final class PegasusMessage {

    private PegasusMessage() {}

    /** A Message-ID no earlier replay has used, in Pegasus's shape. */
    static String newMessageId(String host) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format(
                Locale.ROOT,
                "<%08X.%d.%08X@%s>",
                System.currentTimeMillis() / 1000,
                random.nextInt(10_000, 100_000),
                random.nextInt() & 0xFFFFFFFFL,
                host);
    }

    /** The whole message, headers and body, CR LF line ends, not yet dot-stuffed. */
    public static byte[] content(String from, String listName, String messageId, Instant date) {
        String text =
                "From:          \"Pegasus Sender\" <"
                        + from
                        + ">\r\n"
                        + "Organization:  Example Test\r\n"
                        + "To:            "
                        + listName
                        + ": ;\r\n"
                        + "Date:          "
                        + new MailDateFormat().format(Date.from(date))
                        + "\r\n"
                        + "MIME-Version:  1.0\r\n"
                        + "Content-type:  text/plain; charset=US-ASCII\r\n"
                        + "Content-transfer-encoding: 7BIT\r\n"
                        + "Subject:       Staff meeting moved to Thursday\r\n"
                        + "Priority:      normal\r\n"
                        + "X-mailer:      Pegasus Mail for Win32 (v3.01d)\r\n"
                        + "Message-ID:    "
                        + messageId
                        + "\r\n"
                        + "\r\n"
                        + "The staff meeting has moved to Thursday at 10:00, room 4.\r\n"
                        + ".A line that starts with a dot, stuffed by the client.\r\n"
                        + "\r\n"
                        + "Pegasus Sender\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
