package org.listgate.address;

/** What {@link Addresses#parse} makes of a string: a mailbox, or the reason it is not one. */
public sealed interface ParseResult {

    /** The text was a mailbox. */
    record Valid(Mailbox mailbox) implements ParseResult {}

    /**
     * The text was not a mailbox. {@code status} is the RFC 3463 code a server answers with
     * (5.1.3 for bad syntax), {@code reason} a short human explanation ("missing @").
     */
    record Invalid(Status status, String reason) implements ParseResult {}
}
