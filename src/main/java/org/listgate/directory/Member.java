package org.listgate.directory;

import java.util.Optional;
import org.listgate.address.ParseResult;

/**
 * One member of a list as written ({@code text}), what the address parser made of it, and where it
 * was written ({@code file:line}, or the LDAP group's DN). A member that is not a valid address is
 * kept: it is isolated when a message is expanded, not when the directory is read. {@code entry} is
 * what the member is, when the directory already knows it (an LDAP member fetched with its group):
 * the expansion then does not look it up again.
 */
public record Member(String text, ParseResult parsed, String origin, Optional<Entry> entry) {

    /** A member written as an address (a line of the lists file, an LDAP address-valued member). */
    public Member(String text, ParseResult parsed, String origin) {
        this(text, parsed, origin, Optional.empty());
    }
}
