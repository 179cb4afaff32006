package org.listgate.replay;

import java.time.Duration;
import org.listgate.replay.Conversation.Lost;
import org.listgate.replay.Conversation.Reply;

/**
 * Whether a server still serves: a new connection must get a {@code 220} banner, and NOOP a {@code
 * 250} (RFC 5321 §4.1.1.9). The IMS of KB Q166570 failed here: its service had stopped.
 */
final class Survival {

    /** What the probe saw; {@code seen} says it in words either way. */
    record Probe(boolean alive, String seen, long millis) {}

    private Survival() {}

    static Probe probe(String host, int port, Duration timeout) {
        long start = System.nanoTime();
        String step = "connect";
        try (Conversation smtp = Conversation.open(host, port, timeout)) {
            step = "banner";
            Reply banner = smtp.reply();
            if (banner.code() != 220) {
                return new Probe(
                        false,
                        "the banner was \"" + Printable.of(banner.toString(), 100) + "\"",
                        Send.millisSince(start));
            }
            step = "NOOP";
            Reply noop = smtp.command("NOOP");
            if (noop.code() != 250) {
                return new Probe(
                        false,
                        "NOOP got \"" + Printable.of(noop.toString(), 100) + "\"",
                        Send.millisSince(start));
            }
            try {
                smtp.command("QUIT");
            } catch (Lost ignored) {
                // The answers that matter are in.
            }
            return new Probe(
                    true,
                    "a new connection got \""
                            + Printable.of(banner.toString(), 100)
                            + "\" and NOOP got "
                            + noop.code(),
                    Send.millisSince(start));
        } catch (Lost lost) {
            String what =
                    switch (step) {
                        case "connect" ->
                                lost.loss() == Conversation.Loss.TIMEOUT
                                        ? "no connection within " + timeout.toSeconds() + " s"
                                        : "connection refused: nothing listens on "
                                                + host
                                                + ":"
                                                + port;
                        case "banner" ->
                                "no banner: "
                                        + lost.loss().words()
                                        + " ("
                                        + lost.getMessage()
                                        + ")";
                        default ->
                                "no answer to NOOP: "
                                        + lost.loss().words()
                                        + " ("
                                        + lost.getMessage()
                                        + ")";
                    };
            return new Probe(false, what, Send.millisSince(start));
        }
    }
}
