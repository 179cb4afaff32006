package org.listgate.address;

import java.util.Locale;

/**
 * A syntactically valid RFC 5321 mailbox: {@code local-part@domain}.
 *
 * <p>The domain is kept in lower case (domains are case-insensitive, RFC 5321 §2.4); the local part
 * is kept as written, because only the receiving host may interpret its case. A quoted local part
 * is kept with its quotes, so {@link #address()} is always a valid RFC 5321 mailbox.
 *
 * <p>A value: equal when the local part and the domain are. It keeps the address and the key made
 * once, not the local part: an expansion asks every member for its key (the directory's lookup, the
 * de-duplication) and its address, a million times for a million members, where building them on
 * each call costs two new strings a member; the local part is asked for once a delivery or a RCPT,
 * and is cut from the address then. A key equal to the address (no capital in the local part) is
 * the same string, so most mailboxes keep one string, not two.
 */
public final class Mailbox {

    /** {@code local-part@domain}, the domain in lower case. */
    private final String address;

    /** The domain, in lower case. */
    private final String domain;

    /** {@link #address} in lower case: the same instance when it is already. */
    private final String key;

    public Mailbox(String localPart, String domain) {
        if (localPart.isEmpty()) {
            throw new IllegalArgumentException("empty local part");
        }
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("empty domain");
        }
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.address = localPart + "@" + this.domain;
        this.key = keyOf(address);
    }

    private Mailbox(String address, String domain, String key) {
        this.address = address;
        this.domain = domain;
        this.key = key;
    }

    /**
     * What {@link MailboxSyntax} makes of a checked {@code local-part@domain} ({@code text}) whose
     * domain as written is {@code written}: {@code text} itself is kept as the address when that
     * domain is already lower case, so a list member written as a bare address and its mailbox
     * share one string.
     */
    static Mailbox parsed(String text, String written) {
        if (written.isEmpty()) {
            throw new IllegalArgumentException("empty domain");
        }
        int at = text.length() - written.length() - 1;
        if (at < 1 || text.charAt(at) != '@' || !text.endsWith(written)) {
            throw new IllegalArgumentException("not local-part@domain");
        }
        String domain = written.toLowerCase(Locale.ROOT);
        String address = domain.equals(written) ? text : text.substring(0, at + 1) + domain;
        return new Mailbox(address, domain, keyOf(address));
    }

    /** {@code address} in lower case, itself when it is already. */
    private static String keyOf(String address) {
        String lower = address.toLowerCase(Locale.ROOT);
        return lower.equals(address) ? address : lower;
    }

    /** The local part as written (quotes included); a new string on each call. */
    public String localPart() {
        return address.substring(0, address.length() - domain.length() - 1);
    }

    /** The domain, in lower case. */
    public String domain() {
        return domain;
    }

    /** {@code local-part@domain}, without angle brackets. */
    public String address() {
        return address;
    }

    /**
     * The key under which two spellings of one mailbox are the same: the domain is already lower
     * case; local parts are compared case-insensitively too, as every mainstream MTA's lookup
     * tables do (Postfix folds the whole address).
     */
    public String key() {
        return key;
    }

    /**
     * The local part and the domain are equal: the address and the domain are, as the local part is
     * the address less {@code "@" + domain}.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Mailbox mailbox
                && address.equals(mailbox.address)
                && domain.equals(mailbox.domain);
    }

    @Override
    public int hashCode() {
        return address.hashCode();
    }

    @Override
    public String toString() {
        return address;
    }
}
