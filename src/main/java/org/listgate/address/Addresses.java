package org.listgate.address;

/** RFC 5321 mailbox parsing. */
public final class Addresses {
    private Addresses() {}

    /** Parses a mailbox, with or without angle brackets. */
    public static ParseResult parse(String text) {
        throw new UnsupportedOperationException("to be written");
    }
}
