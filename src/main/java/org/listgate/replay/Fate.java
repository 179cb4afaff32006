package org.listgate.replay;

/**
 * What happened to one member, or should have: the words of the report. Sealed, so that every
 * report column is accounted for where it is consumed.
 */
sealed interface Fate {

    /** A copy reached its mailbox; more than one is a fault of its own. */
    record Delivered(int copies) implements Fate {}

    /** The server logged 4037 for it: it will not get the message. */
    record Isolated(String status, String reason, String stage) implements Fate {}

    /** Refused at RCPT, or with its whole transaction at DATA. */
    record Refused(int code, String status, String text, boolean atData) implements Fate {}

    /** Accepted at SMTP; what became of it was not looked for (no event log, no Maildir). */
    record Accepted() implements Fate {}

    /** Not a recipient: a loop, or a duplicate merged with its twin. */
    record Skipped(String why) implements Fate {}

    /** Its RCPT was never sent: the session had ended. */
    record NotSent(String why) implements Fate {}

    /** Accepted, then neither delivered nor isolated within the wait. */
    record Unaccounted() implements Fate {}

    /**
     * The report column: delivered, isolated, refused, skipped, accepted, not sent, unaccounted.
     */
    static String column(Fate fate) {
        if (fate instanceof Delivered) {
            return "delivered";
        } else if (fate instanceof Isolated) {
            return "isolated";
        } else if (fate instanceof Refused) {
            return "refused";
        } else if (fate instanceof Accepted) {
            return "accepted";
        } else if (fate instanceof Skipped) {
            return "skipped";
        } else if (fate instanceof NotSent) {
            return "not sent";
        } else if (fate instanceof Unaccounted) {
            return "unaccounted";
        }
        throw new AssertionError(fate);
    }

    /** In words, for a mismatch line: "refused 550 5.1.1", "delivered 2 times". */
    static String describe(Fate fate) {
        if (fate instanceof Delivered delivered) {
            return delivered.copies() == 1
                    ? "delivered"
                    : "delivered " + delivered.copies() + " times";
        } else if (fate instanceof Isolated isolated) {
            return "isolated " + isolated.status() + " (" + isolated.reason() + ")";
        } else if (fate instanceof Refused refused) {
            return "refused "
                    + (refused.atData() ? "at DATA " : "")
                    + refused.code()
                    + (refused.status().isEmpty() ? "" : " " + refused.status());
        } else if (fate instanceof Accepted) {
            return "accepted";
        } else if (fate instanceof Skipped skipped) {
            return "skipped (" + skipped.why() + ")";
        } else if (fate instanceof NotSent notSent) {
            return "not sent: " + notSent.why();
        } else if (fate instanceof Unaccounted) {
            return "unaccounted (neither delivered nor 4037)";
        }
        throw new AssertionError(fate);
    }
}
