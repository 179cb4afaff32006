package org.listgate.address;

import java.util.Locale;

/**
 * A syntactically valid RFC 5321 mailbox: {@code local-part@domain}.
 *
 * <p>The domain is kept in lower case (domains are case-insensitive, RFC 5321 §2.4); the local part
 * is kept as written, because only the receiving host may interpret its case. A quoted local part
 * is kept with its quotes, so {@link #address()} is always a valid RFC 5321 mailbox.
 */
public record Mailbox(String localPart, String domain) {

    public Mailbox {
        if (localPart.isEmpty()) {
            throw new IllegalArgumentException("empty local part");
        }
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("empty domain");
        }
        domain = domain.toLowerCase(Locale.ROOT);
    }

    /** {@code local-part@domain}, without angle brackets. */
    public String address() {
        return localPart + "@" + domain;
    }

    /**
     * The key under which two spellings of one mailbox are the same: the domain is already lower
     * case; local parts are compared case-insensitively too, as every mainstream MTA's lookup
     * tables do (Postfix folds the whole address).
     */
    public String key() {
        return address().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return address();
    }
}
