package org.listgate.load;

import java.util.List;

/**
 * What became of one message, from the client's side. Refused recipients of an accepted message are
 * refusals too: each is counted as an error.
 */
sealed interface Sent {

    List<Refusal> refusals();

    /**
     * 250 after the final dot: {@code recipients} accepted, answered {@code latencyNanos} after it.
     */
    record Accepted(int recipients, long latencyNanos, List<Refusal> refusals) implements Sent {}

    /**
     * Not accepted: the refusals say where. {@code connectionGone}: the session cannot carry on (a
     * 421, a lost connection); the next message needs a new one.
     */
    record NotAccepted(List<Refusal> refusals, boolean connectionGone) implements Sent {}
}
