package org.listgate.address;

/**
 * What {@link Addresses#parse} and {@link Addresses#parseReversePath} make of a string: a mailbox,
 * the null reverse-path, or the reason it is neither.
 */
public sealed interface ParseResult {

    /** The text was a mailbox. */
    record Valid(Mailbox mailbox) implements ParseResult {}

    /**
     * The text was not a mailbox. {@code status} is the RFC 3463 code a server answers with (5.1.3
     * for bad syntax), {@code reason} a short human explanation ("missing @").
     */
    record Invalid(Status status, String reason) implements ParseResult {}

    /**
     * The text was {@code <>}, the null reverse-path of RFC 5321 §4.5.5: the message is a
     * notification (a bounce) and must itself never be bounced. Only {@link
     * Addresses#parseReversePath} returns it; {@link Addresses#parse} never does.
     */
    record NullSender() implements ParseResult {}
}
