package org.listgate.testing;

import java.util.stream.Stream;

/**
 * The malformed ends of data that SMTP smuggling tools try (SEC Consult, December 2023;
 * hannob/smtpsmug): each would end the data for some MTA, none may for listgate.
 */
public final class SmugglingSequences {

    private SmugglingSequences() {}

    public static Stream<String> all() {
        return Stream.of(
                "\n.\n",
                "\r.\r",
                "\r.\n",
                "\n.\r",
                "\n.\r\n",
                "\r\n.\n",
                "\r.\r\n",
                "\r\n.\r",
                "\r\n\0.\r\n",
                "\r\n.\0\r\n",
                "\r\n.\r\r\n",
                "\r\r\n.\r\r\n",
                "\r\n\r\n.\n\r\n");
    }
}
