package org.listgate.smtp;

import org.listgate.address.Status;

/**
 * An SMTP reply: code, RFC 3463 enhanced status (RFC 2034: every reply carries one once
 * ENHANCEDSTATUSCODES is offered) and text. The constants say what they mean.
 */
public record Reply(int code, Status status, String text) {

    public static final Reply RECIPIENT_OK = new Reply(250, Status.DESTINATION_VALID, "Ok");
    public static final Reply SENDER_OK = new Reply(250, Status.SENDER_OK, "Ok");
    public static final Reply BAD_RECIPIENT_SYNTAX = new Reply(501, Status.BAD_MAILBOX_SYNTAX, "Bad recipient address syntax");
    public static final Reply BAD_SENDER_SYNTAX = new Reply(501, Status.BAD_SENDER_SYNTAX, "Bad sender address syntax");
    public static final Reply UNKNOWN_USER = new Reply(550, Status.BAD_MAILBOX, "Recipient address rejected: User unknown");
    public static final Reply RELAY_DENIED = new Reply(550, Status.RELAY_DENIED, "Relay access denied");
    // RFC 5321 §4.5.3.1.10: too many recipients is 452 (the client sends the rest later), not 552.
    public static final Reply TOO_MANY_RECIPIENTS = new Reply(452, Status.TOO_MANY_RECIPIENTS, "Too many recipients");
    public static final Reply NEED_MAIL = new Reply(503, Status.INVALID_COMMAND, "Error: need MAIL command");
    public static final Reply NESTED_MAIL = new Reply(503, Status.INVALID_COMMAND, "Error: nested MAIL command");
    public static final Reply NEED_RCPT = new Reply(503, Status.INVALID_COMMAND, "Error: need RCPT command");
    public static final Reply NO_VALID_RECIPIENTS = new Reply(554, Status.INVALID_COMMAND, "Error: no valid recipients");
    public static final Reply MESSAGE_TOO_BIG = new Reply(552, Status.MESSAGE_TOO_BIG, "Error: message file too big");
    public static final Reply CANNOT_STORE = new Reply(452, Status.SYSTEM_FULL, "Error: insufficient system storage");
    public static final Reply INTERNAL_ERROR = new Reply(451, Status.SYSTEM_ERROR_TRANSIENT, "Error: internal error, try again later");
    public static final Reply SHUTTING_DOWN = new Reply(421, Status.SYSTEM_NOT_ACCEPTING, "Service shutting down, try again later");
    public static final Reply UNSUPPORTED_PARAMETER = new Reply(555, Status.INVALID_PARAMETERS, "Unsupported option");
    public static final Reply SYNTAX_MAIL = new Reply(501, Status.SYNTAX_ERROR, "Syntax: MAIL FROM:<address>");
    public static final Reply SYNTAX_RCPT = new Reply(501, Status.SYNTAX_ERROR, "Syntax: RCPT TO:<address>");
    public static final Reply TOO_MANY_ERRORS = new Reply(421, Status.SYSTEM_NOT_ACCEPTING, "Too many errors, closing connection");
    public static final Reply START_DATA = new Reply(354, null, "End data with <CR><LF>.<CR><LF>");

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("not a reply code: " + code);
        }
    }

    public Reply withText(String newText) {
        return new Reply(code, status, newText);
    }

    /** The reply line, e.g. {@code 550 5.1.1 Recipient address rejected: User unknown}. */
    @Override
    public String toString() {
        return status == null ? code + " " + text : code + " " + status + " " + text;
    }
}
