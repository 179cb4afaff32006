package org.listgate.spool;

import java.util.Optional;

/**
 * A {@code listgate queue} request to the running server, as one line in the control folder. Each
 * kind writes and reads its own line, so the two sides cannot drift; a line that is none of them is
 * refused, never read as the nearest guess.
 *
 * <pre>
 * flush *                 every deferred recipient of every message, now
 * flush ID                those of one message
 * delete ID report        remove a message, its unfinished recipients reported to the sender
 * delete ID silent        remove it without a report
 * </pre>
 */
public sealed interface ControlRequest {

    /**
     * Deferred recipients are tried now: of one message, or of all when {@code queueId} is empty.
     */
    record Flush(Optional<String> queueId) implements ControlRequest {
        @Override
        public String line() {
            return "flush " + queueId.orElse("*");
        }
    }

    /** The message leaves the queue; {@code report}: its unfinished recipients are reported. */
    record Delete(String queueId, boolean report) implements ControlRequest {
        @Override
        public String line() {
            return "delete " + queueId + (report ? " report" : " silent");
        }
    }

    /** The line as written to the control folder. */
    String line();

    /** Reads a line back; empty for anything that is not exactly one of the requests. */
    static Optional<ControlRequest> parse(String line) {
        String[] words = line.strip().split(" ", -1);
        if (words.length == 2 && words[0].equals("flush") && isQueueIdOrAll(words[1])) {
            return Optional.of(
                    new Flush(words[1].equals("*") ? Optional.empty() : Optional.of(words[1])));
        }
        if (words.length == 3
                && words[0].equals("delete")
                && isQueueId(words[1])
                && (words[2].equals("report") || words[2].equals("silent"))) {
            return Optional.of(new Delete(words[1], words[2].equals("report")));
        }
        return Optional.empty();
    }

    private static boolean isQueueIdOrAll(String word) {
        return word.equals("*") || isQueueId(word);
    }

    private static boolean isQueueId(String word) {
        return word.matches("[0-9A-Za-z]{1,64}");
    }
}
