package org.listgate.smtp;

import java.util.Locale;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.directory.Directory;
import org.listgate.directory.DirectoryUnavailable;

/**
 * The decision for one RCPT argument: accepted (a local user or list), or refused with the reply
 * that says why. Bad input is a value here, never an exception.
 */
final class RecipientPolicy {

    /** The decision. */
    sealed interface Verdict {
        record Accept(Mailbox mailbox) implements Verdict {}

        record Refuse(Reply reply, String reason) implements Verdict {}
    }

    private final Directory directory;
    private final boolean relayConfigured;

    /**
     * {@code relayConfigured}: whether {@code relay.host} is set, the only way to other domains.
     */
    RecipientPolicy(Directory directory, boolean relayConfigured) {
        this.directory = directory;
        this.relayConfigured = relayConfigured;
    }

    /**
     * {@code mayRelay}: the client may send to other domains (it is in {@code relay.networks}, or
     * authenticated). Mail for a local domain never relays, whatever its local part says.
     */
    Verdict decide(String path, boolean mayRelay) {
        if (PathArgument.isEightBit(path)) {
            // RFC 6531: an address in UTF-8 needs SMTPUTF8, which listgate does not offer.
            return new Verdict.Refuse(Reply.EIGHT_BIT_ADDRESS, "8-bit address without SMTPUTF8");
        }
        // RFC 5321 §4.5.1: "RCPT TO:<Postmaster>" without a domain must be accepted.
        if (path.trim().equalsIgnoreCase("<postmaster>")) {
            path = "<postmaster@" + directory.domains().get(0) + ">";
        }
        ParseResult parsed = Addresses.parse(path);
        if (parsed instanceof ParseResult.Invalid invalid) {
            return new Verdict.Refuse(
                    Reply.BAD_RECIPIENT_SYNTAX.withText(
                            "Bad recipient address syntax: " + invalid.reason()),
                    invalid.reason());
        }
        if (!(parsed instanceof ParseResult.Valid valid)) {
            return new Verdict.Refuse(Reply.BAD_RECIPIENT_SYNTAX, "not a mailbox");
        }
        Mailbox mailbox = valid.mailbox();
        if (!directory.isLocal(mailbox.domain())) {
            if (!mayRelay) {
                return new Verdict.Refuse(
                        Reply.RELAY_DENIED,
                        "relay access denied: "
                                + mailbox.domain().toLowerCase(Locale.ROOT)
                                + " is not a local domain");
            }
            if (!relayConfigured) {
                return new Verdict.Refuse(
                        Reply.NO_RELAY_HOST, "non-local domain and no relay host");
            }
            return new Verdict.Accept(mailbox);
        }
        try {
            if (directory.exists(mailbox)) {
                return new Verdict.Accept(mailbox);
            }
        } catch (DirectoryUnavailable e) {
            // Not the client's fault, nor a verdict on the address: it tries again later.
            return new Verdict.Refuse(Reply.DIRECTORY_UNAVAILABLE, e.getMessage());
        }
        if (routesOnward(mailbox.localPart())) {
            // user%other@local, other!user@local, "user@other"@local: the old ways of asking a
            // host to forward mail on. listgate never does; Postfix's allow_percent_hack = no.
            return new Verdict.Refuse(
                    Reply.RELAY_DENIED, "relay access denied: the local part routes onward");
        }
        return new Verdict.Refuse(Reply.UNKNOWN_USER, "unknown user");
    }

    private static boolean routesOnward(String localPart) {
        return localPart.indexOf('%') >= 0
                || localPart.indexOf('!') >= 0
                || localPart.indexOf('@') >= 0;
    }
}
