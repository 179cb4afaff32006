package org.listgate.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.Text;

/**
 * The SMTP conversation with one client, command by command: what each command means, what it
 * answers, and the client's standing (errors, junk commands, TLS, authentication). Knows nothing of
 * SubEtha SMTP: it reads what it needs from the {@link Wire} and answers through a {@link Channel}.
 *
 * <p>Every reply of 400 or more is an error (RSET does not forgive it); past {@code
 * smtp.softErrorLimit} errors each error reply waits {@code smtp.errorDelay}, and at {@code
 * smtp.hardErrorLimit} the session ends with {@code 421 4.7.0} (Postfix's {@code
 * smtpd_soft_error_limit}, {@code smtpd_hard_error_limit}). A trusted client (in {@code
 * relay.networks}, or authenticated) is not charged for refused recipients: a mail client that
 * expands a list itself sends every member, the bad ones too.
 *
 * <p>One file for every command, longer than most here, because every command reads or changes the
 * client's standing (errors, TLS, authentication, the open transaction), and the rules that tie
 * them together are easiest to check side by side.
 */
final class Dialogue {

    /** What the conversation needs from the connection it runs on. */
    interface Channel {
        /** Sends one reply: its lines joined by CRLF, without the final CRLF. */
        void send(String reply) throws IOException;

        /** Ends the session once the last reply is out. */
        void close();

        /** The wire the client is on now (a new one after STARTTLS). */
        Wire wire();

        /** Runs the TLS handshake after {@code 220}; false if it failed (the session is over). */
        boolean startTls() throws IOException;
    }

    /** The commands listgate answers; SubEtha is given exactly these. */
    static final Set<String> VERBS =
            Set.of(
                    "HELO",
                    "EHLO",
                    "MAIL",
                    "RCPT",
                    "DATA",
                    "RSET",
                    "NOOP",
                    "QUIT",
                    "HELP",
                    "VRFY",
                    "EXPN",
                    "STARTTLS",
                    "AUTH",
                    "BDAT");

    private final SmtpContext context;
    private final Channel channel;
    private final InetAddress address;
    private final String client;
    private final boolean trustedNetwork;
    private Optional<String> helo = Optional.empty();
    private boolean esmtp;
    private boolean tls;
    private Optional<String> authenticated = Optional.empty();
    private Optional<Transaction> transaction = Optional.empty();
    private int errors;
    private int junk;
    private int refusedRecipients;
    private int overshoot;
    private boolean closed;
    private boolean timeoutReported;

    Dialogue(SmtpContext context, Channel channel, InetAddress address) {
        this.context = context;
        this.channel = channel;
        this.address = address;
        this.client = address.getHostAddress();
        this.trustedNetwork = context.clients().isTrusted(address);
    }

    boolean inTransaction() {
        return transaction.isPresent();
    }

    /**
     * The session is over: the events it still owes (a timeout, refusals not logged one by one).
     */
    void end() {
        if (channel.wire().timedOut() && !timeoutReported) {
            cutOffEvent("timeout", "reading a command");
        }
        int suppressed = context.clients().takeSuppressed(address);
        if (suppressed > 0) {
            context.events()
                    .emit(
                            Event.of(EventId.REFUSALS_NOT_LOGGED)
                                    .with("client", client)
                                    .with("refusals", suppressed));
        }
    }

    /** One command line, as SubEtha read it off the wire. */
    void command(String line) throws IOException {
        if (line.equals(Wire.FAULT_LINE)) {
            fault(channel.wire().fault());
            return;
        }
        String verb = Wire.verbOf(line);
        String argument =
                line.length() > verb.length() ? line.substring(verb.length()).strip() : "";
        switch (verb) {
            case "HELO" -> helo(argument, false);
            case "EHLO" -> helo(argument, true);
            case "MAIL" -> mail(line);
            case "RCPT" -> rcpt(line);
            case "DATA" -> data(argument);
            case "RSET" -> {
                transaction = Optional.empty();
                junk(Reply.OK);
            }
            case "NOOP" -> junk(Reply.OK);
            case "HELP" -> junk(Reply.HELP);
            case "VRFY" -> junk(Reply.VRFY_DISABLED);
            case "EXPN" -> junk(Reply.EXPN_DISABLED);
            case "QUIT" -> {
                reply(Reply.BYE);
                close();
            }
            case "STARTTLS" -> startTls(argument);
            case "AUTH" -> auth(argument);
            default -> reply(Reply.NOT_IMPLEMENTED); // BDAT: CHUNKING is not offered
        }
    }

    /** A line the wire would not pass on as sent. */
    private void fault(Wire.Fault fault) throws IOException {
        Reply reply =
                switch (fault.kind()) {
                    case TOO_LONG -> Reply.LINE_TOO_LONG;
                    case BARE_LF -> Reply.BARE_LF;
                    case BARE_CR -> Reply.BARE_CR;
                    case NUL -> Reply.NUL;
                    case UNKNOWN_COMMAND -> Reply.UNKNOWN_COMMAND;
                    case FORBIDDEN_COMMAND -> Reply.FORBIDDEN_COMMAND;
                };
        if (reply.code() == 421) {
            cutOff(reply, "forbidden command", channel.wire().faultText());
            return;
        }
        if (fault.verb().equals("RCPT")) {
            // The contract: every refused RCPT command is a refused recipient, whatever it holds.
            String line = channel.wire().faultText();
            refuseRecipient(
                    line.length() > 5 ? line.substring(5).strip() : "", reply, reply.text());
            return;
        }
        reply(reply);
    }

    private void helo(String argument, boolean extended) throws IOException {
        if (argument.isEmpty()) {
            reply(extended ? Reply.SYNTAX_EHLO : Reply.SYNTAX_HELO);
            return;
        }
        if (!argument.chars().allMatch(c -> (c > 0x20 && c < 0x7f) || c == ' ')) {
            reply(Reply.BAD_HELO);
            return;
        }
        transaction = Optional.empty();
        helo = Optional.of(argument);
        esmtp = extended;
        if (!extended) {
            send("250 " + context.hostname());
            return;
        }
        StringBuilder ehlo = new StringBuilder("250-" + context.hostname());
        ehlo.append("\r\n250-PIPELINING\r\n250-SIZE ").append(context.limits().maxMessageBytes());
        if (context.tls().isPresent() && !tls) {
            ehlo.append("\r\n250-STARTTLS");
        }
        if (context.authenticator().isPresent()
                && authenticated.isEmpty()
                && (tls || context.authAllowsPlaintext())) {
            ehlo.append("\r\n250-AUTH PLAIN LOGIN");
        }
        ehlo.append("\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME");
        send(ehlo.toString());
    }

    private void mail(String line) throws IOException {
        if (context.draining()) {
            reply(Reply.SHUTTING_DOWN);
            close();
            return;
        }
        if (context.tlsRequired() && !tls) {
            reply(Reply.TLS_FIRST);
            return;
        }
        if (transaction.isPresent()) {
            reply(Reply.NESTED_MAIL);
            return;
        }
        Optional<PathArgument> argument = PathArgument.parse(line, "MAIL", "FROM:");
        if (argument.isEmpty()) {
            reply(Reply.SYNTAX_MAIL);
            return;
        }
        if (argument.get().isEightBit()) {
            reply(Reply.EIGHT_BIT_ADDRESS);
            return;
        }
        Optional<Reply> bad =
                argument.get()
                        .checkMailParameters(
                                context.limits().maxMessageBytes(),
                                context.authenticator().isPresent());
        if (bad.isPresent()) {
            reply(bad.get());
            return;
        }
        if (!context.clients().mayStartMessage(address)) {
            reply(Reply.CLIENT_MESSAGE_RATE);
            return;
        }
        if (!context.spool().hasRoomFor(argument.get().declaredSize())) {
            reply(Reply.CANNOT_STORE);
            return;
        }
        ParseResult sender = Addresses.parseReversePath(argument.get().path());
        Optional<Mailbox> reversePath;
        if (sender instanceof ParseResult.Valid valid) {
            reversePath = Optional.of(valid.mailbox());
        } else if (sender instanceof ParseResult.NullSender) {
            reversePath = Optional.empty();
        } else if (sender instanceof ParseResult.Invalid invalid) {
            reply(
                    Reply.BAD_SENDER_SYNTAX.withText(
                            "Bad sender address syntax: " + invalid.reason()));
            return;
        } else {
            throw new AssertionError(sender);
        }
        transaction =
                Optional.of(
                        new Transaction(
                                context,
                                address,
                                helo.orElse(""),
                                esmtp,
                                reversePath,
                                authenticated,
                                mayRelay()));
        reply(Reply.SENDER_OK);
    }

    private void rcpt(String line) throws IOException {
        String raw = line.length() > 5 ? line.substring(5).trim() : "";
        if (transaction.isEmpty()) {
            refuseRecipient(raw, Reply.NEED_MAIL, "RCPT before MAIL");
            return;
        }
        Optional<PathArgument> argument = PathArgument.parse(line, "RCPT", "TO:");
        if (argument.isEmpty()) {
            refuseRecipient(raw, Reply.SYNTAX_RCPT, "not RCPT TO:<address>");
        } else if (!argument.get().parameters().isEmpty()) {
            // No RCPT extension (DSN's NOTIFY, ORCPT) is offered: RFC 5321 §4.1.1.11, 555.
            refuseRecipient(
                    argument.get().path(),
                    Reply.UNSUPPORTED_PARAMETER,
                    "unsupported RCPT parameter");
        } else {
            Reply reply = transaction.get().recipient(argument.get().path());
            if (reply.code() == 250) {
                reply(reply);
            } else if (reply.equals(Reply.TOO_MANY_RECIPIENTS)
                    && ++overshoot <= context.limits().maxRecipients()) {
                // Postfix's smtpd_recipient_overshoot_limit: a client that pipelines past the
                // limit is not at fault until it has sent as many again.
                send(reply);
            } else {
                charge(reply);
            }
        }
    }

    /** A refused RCPT: logged (event 3001), kept for the transaction's 4037s, answered. */
    private void refuseRecipient(String argument, Reply reply, String reason) throws IOException {
        if (transaction.isPresent()) {
            transaction.get().refuse(argument, reply, reason);
        } else {
            Transaction.logRefusal(context, address, argument, reply, reason);
        }
        charge(reply);
    }

    /**
     * Answers a refused RCPT; a trusted client is not charged an error for it, nor anyone for a
     * directory outage.
     */
    private void charge(Reply reply) throws IOException {
        refusedRecipients++;
        if (refusedRecipients > 2 * context.limits().maxRecipients()) {
            cutOff(Reply.TOO_MANY_ERRORS, "refused recipients", String.valueOf(refusedRecipients));
            return;
        }
        if (mayRelay() || reply.equals(Reply.DIRECTORY_UNAVAILABLE)) {
            send(reply);
        } else {
            reply(reply);
        }
    }

    private void data(String argument) throws IOException {
        if (!argument.isEmpty()) {
            reply(Reply.SYNTAX_DATA);
            return;
        }
        if (transaction.isEmpty()) {
            reply(Reply.NEED_MAIL);
            return;
        }
        if (!transaction.get().hasRecipients()) {
            reply(
                    transaction.get().refusedCount() > 0
                            ? Reply.NO_VALID_RECIPIENTS
                            : Reply.NEED_RCPT);
            return;
        }
        if (!context.spool().hasRoomFor(0)) {
            reply(Reply.CANNOT_STORE);
            return;
        }
        send(Reply.START_DATA.toString());
        Optional<Reply> reply;
        try {
            reply = transaction.get().receive(channel.wire().data());
        } finally {
            // RFC 5321 §4.1.1.4: whatever the outcome, the transaction is over.
            transaction = Optional.empty();
        }
        if (reply.isEmpty()) {
            // The client left or was cut off mid-message; nothing was accepted.
            if (channel.wire().timedOut()) {
                timeoutReported = true;
                cutOffEvent("timeout", "DATA");
            }
            close();
            return;
        }
        if (reply.get().code() == 250) {
            // As Postfix's smtpd: a message received forgives the errors and junk commands
            // before it, so a client that sends hundreds of messages in one session (RSET
            // between them) is not cut off for the RSETs.
            errors = 0;
            junk = 0;
        }
        reply(reply.get());
    }

    private void startTls(String argument) throws IOException {
        if (context.tls().isEmpty()) {
            reply(Reply.NOT_IMPLEMENTED);
            return;
        }
        if (!argument.isEmpty()) {
            reply(Reply.TLS_NO_PARAMETERS);
            return;
        }
        if (tls) {
            reply(Reply.TLS_ACTIVE);
            return;
        }
        // CVE-2011-0411: commands pipelined behind STARTTLS in plaintext are not taken as sent
        // under TLS.
        channel.wire().discardBuffered();
        send(Reply.TLS_READY.toString());
        if (!channel.startTls()) {
            close();
            return;
        }
        // RFC 3207 §4.2: after the handshake the server forgets what the client said before.
        tls = true;
        helo = Optional.empty();
        esmtp = false;
        transaction = Optional.empty();
        authenticated = Optional.empty();
    }

    private void auth(String argument) throws IOException {
        if (context.authenticator().isEmpty()) {
            reply(Reply.AUTH_NOT_ENABLED);
            return;
        }
        if (!tls && !context.authAllowsPlaintext()) {
            reply(Reply.AUTH_NEEDS_TLS);
            return;
        }
        if (authenticated.isPresent()) {
            reply(Reply.AUTH_ALREADY);
            return;
        }
        if (transaction.isPresent()) {
            reply(Reply.AUTH_IN_TRANSACTION);
            return;
        }
        if (context.clients().authBlocked(address)) {
            reply(Reply.AUTH_TOO_MANY_FAILURES);
            return;
        }
        AuthExchange.Outcome outcome = new AuthExchange(channel).run(argument);
        if (outcome instanceof AuthExchange.Outcome.Refused refused) {
            reply(refused.reply());
            return;
        }
        if (outcome instanceof AuthExchange.Outcome.Gone) {
            close();
            return;
        }
        AuthExchange.Outcome.Credentials given = (AuthExchange.Outcome.Credentials) outcome;
        if (context.authenticator().get().verify(given.user(), given.password())) {
            authenticated = Optional.of(given.user());
            context.events()
                    .emit(
                            Event.of(EventId.CLIENT_AUTHENTICATED)
                                    .with("client", client)
                                    .with("user", Text.cut(Text.visible(given.user())))
                                    .with("mechanism", given.mechanism()));
            reply(Reply.AUTH_OK);
            return;
        }
        context.clients().authFailed(address);
        context.events()
                .emit(
                        Event.of(EventId.AUTH_FAILED)
                                .with("client", client)
                                .with("user", Text.cut(Text.visible(given.user())))
                                .with("mechanism", given.mechanism()));
        reply(Reply.AUTH_FAILED);
    }

    /** NOOP, RSET, HELP, VRFY, EXPN: past {@code smtp.junkCommandLimit} each is an error too. */
    private void junk(Reply reply) throws IOException {
        junk++;
        if (junk > context.guard().junkCommandLimit() && reply.code() < 400) {
            errors++;
        }
        reply(reply);
    }

    /** Whether this client may send to other domains: a trusted network, or authenticated. */
    private boolean mayRelay() {
        return trustedNetwork || authenticated.isPresent();
    }

    /**
     * Sends {@code reply}, charging an error for a 4xx or 5xx; ends the session at the hard limit.
     */
    private void reply(Reply reply) throws IOException {
        if (reply.code() >= 400) {
            errors++;
            if (errors > context.guard().softErrorLimit()
                    && !context.guard().errorDelay().isZero()) {
                pause();
            }
        }
        send(reply);
        if (errors >= context.guard().hardErrorLimit() && !closed) {
            cutOff(Reply.TOO_MANY_ERRORS, "errors", String.valueOf(errors));
        }
    }

    private void pause() {
        try {
            Thread.sleep(context.guard().errorDelay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void cutOff(Reply reply, String limit, String detail) throws IOException {
        send(reply);
        cutOffEvent(limit, detail);
        close();
    }

    private void cutOffEvent(String limit, String detail) {
        context.events()
                .emit(
                        Event.of(EventId.CLIENT_CUT_OFF)
                                .with("client", client)
                                .with("limit", limit)
                                .with("detail", Text.cut(Text.visible(detail)))
                                .with("errors", errors));
    }

    /** RFC 5321 §3.8: a 421 names the server that closes. */
    private void send(Reply reply) throws IOException {
        send(reply.closingFrom(context.hostname()).toString());
    }

    private void send(String text) throws IOException {
        if (!closed) {
            channel.send(text);
        }
    }

    private void close() {
        closed = true;
        channel.close();
    }
}
