package org.listgate.delivery;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.listgate.address.Mailbox;
import org.listgate.address.Status;

/**
 * One reply of the smarthost: its three-digit code and its text as sent, the lines of a multi-line
 * reply joined by spaces. {@code code} is whatever the transport read: -1 at end of stream, 0 or a
 * non-reply code for a garbled line, so {@link #isReply()} is checked first.
 */
record RemoteReply(int code, String text) {

    // RFC 3463 §2: class "." subject "." detail, after the reply code (RFC 2034 §4).
    private static final Pattern ENHANCED =
            Pattern.compile("^\\d{3}[ -]([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s|$)");

    /** The reply as the transport keeps it: lines ending in {@code \n}. */
    static RemoteReply of(int code, String response) {
        String text = response == null ? "" : response.strip().replaceAll("\\s*[\r\n]+\\s*", " ");
        return new RemoteReply(code, text);
    }

    /** A code in one of the classes a server may answer with: 2yz, 4yz or 5yz. */
    boolean isReply() {
        int klass = code / 100;
        return code >= 200 && code <= 599 && klass != 3;
    }

    boolean isPositive() {
        return code >= 200 && code <= 299;
    }

    /**
     * The enhanced code in the text, or {@code 4.0.0} / {@code 5.0.0} without one. Its class
     * follows the reply code when the two disagree: the code is what SMTP defines (RFC 5321
     * §4.2.1), and a Deferred must stay transient, a Failed permanent.
     */
    Status status() {
        int klass = code / 100;
        Matcher matcher = ENHANCED.matcher(text);
        if (matcher.find()) {
            int subject = Integer.parseInt(matcher.group(2));
            int detail = Integer.parseInt(matcher.group(3));
            return new Status(klass, subject, detail);
        }
        return new Status(klass, 0, 0);
    }

    /**
     * What this reply, given to {@code command}, means for {@code recipient}: 4yz defers, 5yz
     * fails. The reason is the reply as the server wrote it, then {@code (in reply to COMMAND)}, as
     * Postfix reports it. Only for a reply that {@link #isReply()} and is not positive.
     */
    Outcome outcome(Mailbox recipient, String command) {
        String reason = text + " (in reply to " + command + ")";
        Status status = status();
        if (code == 552 && command.equals(RelayAgent.RCPT)) {
            // RFC 5321 §4.5.3.1.10: a 552 to RCPT is "too many recipients" from older servers,
            // to be treated as temporary; the remaining recipients go in a later transaction.
            return new Outcome.Deferred(
                    recipient, new Status(4, status.subject(), status.detail()), reason);
        }
        if (status.isTransient()) {
            return new Outcome.Deferred(recipient, status, reason);
        }
        return new Outcome.Failed(recipient, status, reason);
    }
}
