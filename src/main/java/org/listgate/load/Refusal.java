package org.listgate.load;

/**
 * What went wrong at one step of a session: the step and the reply ({@code 550 5.1.1}), or, when
 * the connection went away or never came, a few words saying how.
 */
public record Refusal(Stage stage, String reply) {

    /** The steps of a session, in the order they happen. */
    public enum Stage {
        CONNECT("connect"),
        EHLO("EHLO"),
        MAIL("MAIL"),
        RCPT("RCPT"),
        DATA("DATA"),
        END_OF_DATA("end of data"),
        RSET("RSET"),
        LOST("connection");

        private final String words;

        Stage(String words) {
            this.words = words;
        }

        /** How the report names it. */
        public String words() {
            return words;
        }
    }
}
