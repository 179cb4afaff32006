package org.listgate.smtp;

import org.listgate.address.Status;

/**
 * An SMTP reply: code, RFC 3463 enhanced status (RFC 2034: every reply carries one once
 * ENHANCEDSTATUSCODES is offered) and text. The constants say what they mean.
 */
public record Reply(int code, Status status, String text) {

    public static final Reply RECIPIENT_OK = new Reply(250, Status.DESTINATION_VALID, "Ok");
    public static final Reply SENDER_OK = new Reply(250, Status.SENDER_OK, "Ok");
    public static final Reply BAD_RECIPIENT_SYNTAX =
            new Reply(501, Status.BAD_MAILBOX_SYNTAX, "Bad recipient address syntax");
    public static final Reply BAD_SENDER_SYNTAX =
            new Reply(501, Status.BAD_SENDER_SYNTAX, "Bad sender address syntax");
    public static final Reply UNKNOWN_USER =
            new Reply(550, Status.BAD_MAILBOX, "Recipient address rejected: User unknown");
    // Postfix's reply for an unauthorised relay attempt; 554, as permanent as 550 but "transaction
    // failed".
    // RFC 3463 X.4.3 "directory server failure": the directory could not say; the client retries.
    public static final Reply DIRECTORY_UNAVAILABLE =
            new Reply(
                    451,
                    Status.DIRECTORY_UNAVAILABLE,
                    "Recipient address lookup failed: directory unavailable, try again later");
    public static final Reply RELAY_DENIED =
            new Reply(554, Status.RELAY_DENIED, "Relay access denied");
    public static final Reply NO_RELAY_HOST =
            new Reply(550, Status.NO_ROUTE, "Unable to route: no relay host for other domains");
    public static final Reply EIGHT_BIT_ADDRESS =
            new Reply(
                    553,
                    Status.NON_ASCII_ADDRESS,
                    "Address contains non-ASCII characters; SMTPUTF8 is not offered");
    // RFC 5321 §4.5.3.1.10: too many recipients is 452 (the client sends the rest later), not 552.
    public static final Reply TOO_MANY_RECIPIENTS =
            new Reply(452, Status.TOO_MANY_RECIPIENTS, "Too many recipients");
    public static final Reply NEED_MAIL =
            new Reply(503, Status.INVALID_COMMAND, "Error: need MAIL command");
    public static final Reply NESTED_MAIL =
            new Reply(503, Status.INVALID_COMMAND, "Error: nested MAIL command");
    public static final Reply NEED_RCPT =
            new Reply(503, Status.INVALID_COMMAND, "Error: need RCPT command");
    public static final Reply NO_VALID_RECIPIENTS =
            new Reply(554, Status.INVALID_COMMAND, "Error: no valid recipients");
    public static final Reply MESSAGE_TOO_BIG =
            new Reply(552, Status.MESSAGE_TOO_BIG, "Error: message file too big");
    public static final Reply CANNOT_STORE =
            new Reply(452, Status.SYSTEM_FULL, "Error: insufficient system storage");
    public static final Reply INTERNAL_ERROR =
            new Reply(451, Status.SYSTEM_ERROR_TRANSIENT, "Error: internal error, try again later");
    public static final Reply SHUTTING_DOWN =
            new Reply(421, Status.SYSTEM_NOT_ACCEPTING, "Service shutting down, try again later");
    public static final Reply UNSUPPORTED_PARAMETER =
            new Reply(555, Status.INVALID_PARAMETERS, "Unsupported option");
    public static final Reply SYNTAX_MAIL =
            new Reply(501, Status.SYNTAX_ERROR, "Syntax: MAIL FROM:<address>");
    public static final Reply SYNTAX_RCPT =
            new Reply(501, Status.SYNTAX_ERROR, "Syntax: RCPT TO:<address>");
    public static final Reply TOO_MANY_ERRORS =
            new Reply(421, Status.SECURITY_TRANSIENT, "Error: too many errors; closing connection");
    public static final Reply OK = new Reply(250, Status.OK, "Ok");
    public static final Reply BYE = new Reply(221, Status.OK, "Bye");
    // RFC 5321 §4.1.1.10: HELP is informational; kept to one line, no server details.
    public static final Reply HELP =
            new Reply(
                    214,
                    Status.OK,
                    "Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT HELP; see RFC 5321");
    public static final Reply LINE_TOO_LONG =
            new Reply(500, Status.SYNTAX_ERROR, "Error: line too long");
    public static final Reply BARE_LF =
            new Reply(500, Status.SYNTAX_ERROR, "Error: bare <LF> received");
    public static final Reply BARE_CR =
            new Reply(500, Status.SYNTAX_ERROR, "Error: bare <CR> received");
    public static final Reply NUL =
            new Reply(500, Status.SYNTAX_ERROR, "Error: NUL character received");
    public static final Reply UNKNOWN_COMMAND =
            new Reply(500, Status.SYNTAX_ERROR, "Error: command not recognized");
    public static final Reply NOT_IMPLEMENTED =
            new Reply(502, Status.INVALID_COMMAND, "Error: command not implemented");
    // Postfix's disable_vrfy_command: neither VRFY nor EXPN tells who exists or who is on a list.
    public static final Reply VRFY_DISABLED =
            new Reply(502, Status.INVALID_COMMAND, "VRFY command is disabled");
    public static final Reply EXPN_DISABLED =
            new Reply(502, Status.INVALID_COMMAND, "EXPN command is disabled");
    public static final Reply SYNTAX_HELO =
            new Reply(501, Status.SYNTAX_ERROR, "Syntax: HELO hostname");
    public static final Reply SYNTAX_EHLO =
            new Reply(501, Status.SYNTAX_ERROR, "Syntax: EHLO hostname");
    public static final Reply BAD_HELO =
            new Reply(501, Status.SYNTAX_ERROR, "Error: invalid host name");
    public static final Reply SYNTAX_DATA =
            new Reply(501, Status.INVALID_PARAMETERS, "Syntax: DATA");
    public static final Reply NEED_HELO =
            new Reply(503, Status.INVALID_COMMAND, "Error: send HELO/EHLO first");
    public static final Reply FORBIDDEN_COMMAND =
            new Reply(
                    421,
                    Status.SECURITY_TRANSIENT,
                    "Error: this is an SMTP server, not a web or proxy server; closing connection");
    public static final Reply TIMEOUT =
            new Reply(421, Status.BAD_CONNECTION, "Error: timeout exceeded");
    public static final Reply CLIENT_CONNECTIONS =
            new Reply(
                    421,
                    Status.SECURITY_TRANSIENT,
                    "Error: too many connections from your address; try again later");
    public static final Reply CLIENT_CONNECTION_RATE =
            new Reply(
                    421,
                    Status.SECURITY_TRANSIENT,
                    "Error: too many connections from your address in the last minute; try again later");
    public static final Reply SERVER_FULL =
            new Reply(
                    421,
                    Status.SYSTEM_NOT_ACCEPTING,
                    "Error: too many connections; try again later");
    public static final Reply CLIENT_MESSAGE_RATE =
            new Reply(
                    450,
                    Status.POLICY_TRANSIENT,
                    "Error: too much mail from your address in the last minute; try again later");
    public static final Reply BARE_LINE_END_IN_DATA =
            new Reply(
                    550,
                    Status.SYNTAX_ERROR,
                    "Message refused: bare <CR>, bare <LF> or NUL in the message text (RFC 5321 2.3.8)");
    public static final Reply LONG_LINE_IN_DATA =
            new Reply(
                    550,
                    Status.SYNTAX_ERROR,
                    "Message refused: a text line longer than 998 octets (RFC 5321 4.5.3.1.6)");
    public static final Reply HEADER_TOO_BIG =
            new Reply(552, Status.MESSAGE_TOO_BIG, "Error: message header too big");
    public static final Reply TOO_MANY_HOPS =
            new Reply(
                    554,
                    Status.ROUTING_LOOP,
                    "Error: too many hops (Received: headers); mail forwarding loop?");
    public static final Reply TLS_READY = new Reply(220, Status.OK, "Ready to start TLS");
    public static final Reply TLS_ACTIVE =
            new Reply(503, Status.INVALID_COMMAND, "Error: TLS already active");
    public static final Reply TLS_NO_PARAMETERS =
            new Reply(501, Status.SYNTAX_ERROR, "Syntax: STARTTLS");
    public static final Reply TLS_FIRST =
            new Reply(530, Status.SECURITY, "Must issue a STARTTLS command first");
    public static final Reply TLS_UNAVAILABLE =
            new Reply(454, Status.SECURITY_TRANSIENT, "TLS not available");
    public static final Reply AUTH_OK =
            new Reply(235, Status.AUTHENTICATED, "Authentication successful");
    public static final Reply AUTH_FAILED =
            new Reply(535, Status.BAD_CREDENTIALS, "Error: authentication failed");
    public static final Reply AUTH_NOT_ENABLED =
            new Reply(503, Status.INVALID_COMMAND, "Error: authentication not enabled");
    public static final Reply AUTH_NEEDS_TLS =
            new Reply(
                    538,
                    Status.ENCRYPTION_NEEDED,
                    "Encryption required for requested authentication mechanism");
    public static final Reply AUTH_ALREADY =
            new Reply(503, Status.INVALID_COMMAND, "Error: already authenticated");
    public static final Reply AUTH_IN_TRANSACTION =
            new Reply(503, Status.INVALID_COMMAND, "Error: MAIL transaction in progress");
    public static final Reply AUTH_MECHANISM =
            new Reply(
                    504, Status.INVALID_PARAMETERS, "Error: unsupported authentication mechanism");
    public static final Reply AUTH_SYNTAX =
            new Reply(501, Status.SYNTAX_ERROR, "Syntax: AUTH mechanism [initial-response]");
    public static final Reply AUTH_CANCELLED =
            new Reply(501, Status.SYNTAX_ERROR, "Error: authentication aborted");
    public static final Reply AUTH_BAD_RESPONSE =
            new Reply(501, Status.SYNTAX_ERROR, "Error: cannot decode response");
    public static final Reply AUTH_TOO_MANY_FAILURES =
            new Reply(
                    454,
                    Status.SECURITY_TRANSIENT,
                    "Error: too many failed authentications from your address; try again later");
    public static final Reply START_DATA = new Reply(354, null, "End data with <CR><LF>.<CR><LF>");

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("not a reply code: " + code);
        }
    }

    /** RFC 5321 §3.8: a 421 names the server that closes the connection. */
    public Reply closingFrom(String hostname) {
        return code == 421 ? withText(hostname + " " + text) : this;
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
