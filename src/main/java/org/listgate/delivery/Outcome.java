package org.listgate.delivery;

import java.nio.file.Path;
import org.listgate.address.Mailbox;
import org.listgate.address.Status;

/** What became of one recipient's copy. A value, never an exception. */
public sealed interface Outcome {

    Mailbox recipient();

    /** The copy is in the recipient's mailbox ({@code file}) or with the next hop. */
    record Delivered(Mailbox recipient, String where) implements Outcome {}

    /** A transient failure: the scheduler tries again later. */
    record Deferred(Mailbox recipient, Status status, String reason) implements Outcome {}

    /** A permanent failure: the recipient will not get the message. */
    record Failed(Mailbox recipient, Status status, String reason) implements Outcome {}

    static Delivered delivered(Mailbox recipient, Path file) {
        return new Delivered(recipient, file.toString());
    }
}
