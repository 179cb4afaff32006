package org.listgate.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.isolation.Boundary;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.MessageHandlerFactory;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * The one place listgate touches SubEtha SMTP's session machinery. SubEtha keeps the connection,
 * the command loop, HELO, RSET, NOOP, QUIT and timeouts; listgate installs its own EHLO, MAIL,
 * RCPT and DATA through the server's public command table ({@code getCommandHandler()
 * .addCommand}), because SubEtha offers no hook for EHLO keywords, does not check RCPT syntax,
 * answers RCPT without enhanced codes and does not enforce SIZE on the stream (see README,
 * "How listgate sits on SubEtha SMTP"). BDAT is withdrawn: CHUNKING is not offered.
 *
 * <p>Each command runs inside the session boundary: an unexpected exception is logged as 9001 and
 * answered {@code 451 4.3.0}; the session goes on.
 */
final class SubethaAdapter implements MessageHandlerFactory, SessionHandler {

    /** Per-connection state SubEtha's Session does not keep. */
    private static final class Connection {
        volatile boolean esmtp;
    }

    private final SmtpContext context;
    private final Map<Session, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger openTransactions = new AtomicInteger();
    private volatile boolean draining;

    SubethaAdapter(SmtpContext context) {
        this.context = context;
    }

    void install(SMTPServer server) {
        server.getCommandHandler().addCommand(new Ehlo());
        server.getCommandHandler().addCommand(new Mail());
        server.getCommandHandler().addCommand(new Rcpt());
        server.getCommandHandler().addCommand(new Data());
        server.getCommandHandler().addCommand(new NotOffered("BDAT"));
    }

    /** From now on a new MAIL is answered 421; transactions already open may finish. */
    void drain() {
        draining = true;
    }

    int openTransactions() {
        return openTransactions.get();
    }

    int openConnections() {
        return connections.size();
    }

    // SessionHandler: tracks connections.

    @Override
    public SessionAcceptance accept(Session session) {
        if (draining) {
            return SessionAcceptance.failure(421, Reply.SHUTTING_DOWN.status() + " " + Reply.SHUTTING_DOWN.text());
        }
        connections.put(session, new Connection());
        return SessionAcceptance.success();
    }

    @Override
    public void onSessionEnd(Session session) {
        connections.remove(session);
    }

    // MessageHandlerFactory: SubEtha asks for a handler at MAIL; ours only marks the transaction open.

    @Override
    public MessageHandler create(MessageContext messageContext) {
        openTransactions.incrementAndGet();
        return new OpenTransaction();
    }

    /** Holds the listgate transaction for SubEtha's session; its own callbacks are not used. */
    private final class OpenTransaction implements MessageHandler {
        private Transaction transaction;
        private boolean done;

        @Override
        public void from(String from) {}

        @Override
        public void recipient(String recipient) {}

        @Override
        public String data(InputStream data) throws RejectException {
            throw new RejectException(502, "5.5.1 Error: command not implemented");
        }

        @Override
        public void done() {
            if (!done) {
                done = true;
                openTransactions.decrementAndGet();
            }
        }
    }

    private static Optional<Transaction> transaction(Session session) {
        if (session.getMessageHandler() instanceof OpenTransaction open && open.transaction != null) {
            return Optional.of(open.transaction);
        }
        return Optional.empty();
    }

    /** A command run inside the session boundary. */
    private abstract class Guarded extends BaseCommand {
        Guarded(String name, String help) {
            super(name, help);
        }

        @Override
        public final void execute(String line, Session session) throws IOException, DropConnectionException {
            RuntimeException fault = null;
            try {
                run(line, session);
            } catch (RuntimeException e) {
                fault = e;
            }
            if (fault != null) {
                Event where = Event.of(EventId.EXCEPTION).with("command", getName())
                        .with("client", client(session));
                context.boundary().report(Boundary.Scope.SESSION, where, fault);
                session.sendResponse(Reply.INTERNAL_ERROR.toString());
            }
        }

        abstract void run(String line, Session session) throws IOException, DropConnectionException;
    }

    private final class Ehlo extends Guarded {
        Ehlo() {
            super("EHLO", "Introduce yourself.");
        }

        @Override
        void run(String line, Session session) throws IOException {
            String[] args = getArgs(line);
            if (args.length < 2) {
                session.sendResponse("501 5.5.4 Syntax: EHLO hostname");
                return;
            }
            session.resetMailTransaction();
            session.setHelo(args[1]);
            Connection connection = connections.get(session);
            if (connection != null) {
                connection.esmtp = true;
            }
            session.sendResponse("250-" + context.hostname() + "\r\n"
                    + "250-PIPELINING\r\n"
                    + "250-SIZE " + context.limits().maxMessageBytes() + "\r\n"
                    + "250-ENHANCEDSTATUSCODES\r\n"
                    + "250 8BITMIME");
        }
    }

    private final class Mail extends Guarded {
        Mail() {
            super("MAIL", "Specifies the sender.");
        }

        @Override
        void run(String line, Session session) throws IOException, DropConnectionException {
            if (draining) {
                throw new DropConnectionException(421, Reply.SHUTTING_DOWN.status() + " " + Reply.SHUTTING_DOWN.text());
            }
            if (session.isMailTransactionInProgress()) {
                session.sendResponse(Reply.NESTED_MAIL.toString());
                return;
            }
            Optional<PathArgument> argument = PathArgument.parse(line, "MAIL", "FROM:");
            if (argument.isEmpty()) {
                session.sendResponse(Reply.SYNTAX_MAIL.toString());
                return;
            }
            Optional<Reply> bad = argument.get().checkMailParameters(context.limits().maxMessageBytes());
            if (bad.isPresent()) {
                session.sendResponse(bad.get().toString());
                return;
            }
            if (!context.spool().hasRoomFor(argument.get().declaredSize())) {
                session.sendResponse(Reply.CANNOT_STORE.toString());
                return;
            }
            ParseResult sender = Addresses.parseReversePath(argument.get().path());
            Optional<Mailbox> reversePath;
            if (sender instanceof ParseResult.Valid valid) {
                reversePath = Optional.of(valid.mailbox());
            } else if (sender instanceof ParseResult.NullSender) {
                reversePath = Optional.empty();
            } else if (sender instanceof ParseResult.Invalid invalid) {
                session.sendResponse(Reply.BAD_SENDER_SYNTAX.withText("Bad sender address syntax: "
                        + invalid.reason()).toString());
                return;
            } else {
                throw new AssertionError(sender);
            }
            session.startMailTransaction();
            Connection connection = connections.get(session);
            ((OpenTransaction) session.getMessageHandler()).transaction = new Transaction(context, client(session),
                    session.getHelo().orElse(""), connection != null && connection.esmtp, reversePath);
            session.sendResponse(Reply.SENDER_OK.toString());
        }
    }

    private final class Rcpt extends Guarded {
        Rcpt() {
            super("RCPT", "Specifies the recipient.");
        }

        @Override
        void run(String line, Session session) throws IOException, DropConnectionException {
            Optional<Transaction> transaction = transaction(session);
            String raw = line.length() > 5 ? line.substring(5).trim() : "";
            if (transaction.isEmpty()) {
                session.sendResponse(Transaction.logRefusal(context, client(session), raw, Reply.NEED_MAIL,
                        "RCPT before MAIL").toString());
                return;
            }
            Optional<PathArgument> argument = PathArgument.parse(line, "RCPT", "TO:");
            Reply reply;
            if (argument.isEmpty()) {
                reply = transaction.get().refuse(raw, Reply.SYNTAX_RCPT, "not RCPT TO:<address>");
            } else if (!argument.get().parameters().isEmpty()) {
                // No RCPT extension (DSN's NOTIFY, ORCPT) is offered: RFC 5321 §4.1.1.11, 555.
                reply = transaction.get().refuse(argument.get().path(), Reply.UNSUPPORTED_PARAMETER,
                        "unsupported RCPT parameter");
            } else {
                reply = transaction.get().recipient(argument.get().path(), argument.get().path());
            }
            if (reply.code() == 250) {
                session.addRecipient(argument.get().path());
            } else if (transaction.get().refusedCount() > 2 * context.limits().maxRecipients()) {
                throw new DropConnectionException(421, Reply.TOO_MANY_ERRORS.status() + " "
                        + Reply.TOO_MANY_ERRORS.text());
            }
            session.sendResponse(reply.toString());
        }
    }

    private final class Data extends Guarded {
        Data() {
            super("DATA", "Following text is collected as the message.");
        }

        @Override
        void run(String line, Session session) throws IOException, DropConnectionException {
            Optional<Transaction> transaction = transaction(session);
            if (transaction.isEmpty()) {
                session.sendResponse(Reply.NEED_MAIL.toString());
                return;
            }
            if (!transaction.get().hasRecipients()) {
                session.sendResponse((transaction.get().refusedCount() > 0 ? Reply.NO_VALID_RECIPIENTS
                        : Reply.NEED_RCPT).toString());
                return;
            }
            if (!context.spool().hasRoomFor(0)) {
                session.sendResponse(Reply.CANNOT_STORE.toString());
                return;
            }
            session.sendResponse(Reply.START_DATA.toString());
            Reply reply;
            try {
                reply = transaction.get().receive(session.getRawInput());
            } catch (RuntimeException e) {
                // Where in the data the fault struck is unknown: the stream is out of step, so the
                // only safe end is to drop the connection (the client retries; nothing was accepted).
                context.boundary().report(Boundary.Scope.SESSION,
                        Event.of(EventId.EXCEPTION).with("command", "DATA").with("client", client(session)), e);
                session.resetMailTransaction();
                throw new DropConnectionException(421, Reply.INTERNAL_ERROR.status() + " "
                        + "Error: internal error, closing connection");
            }
            session.resetMailTransaction();
            session.sendResponse(reply.toString());
        }
    }

    private final class NotOffered extends Guarded {
        NotOffered(String name) {
            super(name, "Not offered.");
        }

        @Override
        void run(String line, Session session) throws IOException {
            session.sendResponse("502 5.5.1 Error: command not implemented");
        }
    }

    private static String client(Session session) {
        try {
            return session.getRemoteAddress().getAddress().getHostAddress();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
