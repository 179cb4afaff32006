package org.listgate.smtp;

import java.util.Locale;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.directory.Directory;

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

    RecipientPolicy(Directory directory) {
        this.directory = directory;
    }

    Verdict decide(String path) {
        // RFC 5321 §4.5.1: "RCPT TO:<Postmaster>" without a domain must be accepted.
        if (path.trim().equalsIgnoreCase("<postmaster>")) {
            path = "<postmaster@" + directory.domains().get(0) + ">";
        }
        ParseResult parsed = Addresses.parse(path);
        if (parsed instanceof ParseResult.Invalid invalid) {
            return new Verdict.Refuse(Reply.BAD_RECIPIENT_SYNTAX.withText("Bad recipient address syntax: "
                    + invalid.reason()), invalid.reason());
        }
        if (!(parsed instanceof ParseResult.Valid valid)) {
            return new Verdict.Refuse(Reply.BAD_RECIPIENT_SYNTAX, "not a mailbox");
        }
        Mailbox mailbox = valid.mailbox();
        if (!directory.isLocal(mailbox.domain())) {
            return new Verdict.Refuse(Reply.RELAY_DENIED, "relay access denied: " + mailbox.domain().toLowerCase(Locale.ROOT)
                    + " is not a local domain");
        }
        if (directory.lookup(mailbox).isEmpty()) {
            return new Verdict.Refuse(Reply.UNKNOWN_USER, "unknown user");
        }
        return new Verdict.Accept(mailbox);
    }
}
