package org.listgate.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLSocket;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.Text;
import org.listgate.isolation.Boundary;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * The one place listgate touches SubEtha SMTP's session machinery. SubEtha keeps the listener, a
 * thread per connection, the command loop and the socket a session runs on; every command it
 * dispatches is listgate's ({@link Dialogue}), installed through the server's public command table,
 * and every line it reads has passed the {@link Wire} first (see ADR 0002 and README, "How listgate
 * sits on SubEtha SMTP"). SubEtha's own replies (its unknown-command, line-length and timeout
 * answers) are never reached: the wire hands it only lines it can dispatch, and keeps time itself.
 *
 * <p>Each command runs inside the session boundary: an unexpected exception is logged as 9001 and
 * answered {@code 451 4.3.0}; the session goes on.
 */
final class SubethaAdapter implements SessionHandler {

    private final SmtpContext context;
    private final WireSocket.Server.Wiring wiring;
    private final Map<Session, Dialogue> dialogues = new ConcurrentHashMap<>();

    SubethaAdapter(SmtpContext context, WireSocket.Server.Wiring wiring) {
        this.context = context;
        this.wiring = wiring;
    }

    void install(SMTPServer server) {
        for (String verb : Dialogue.VERBS) {
            server.getCommandHandler().addCommand(new Verb(verb));
        }
        server.getCommandHandler().addCommand(new Verb(Wire.FAULT_LINE));
    }

    int openTransactions() {
        return (int) dialogues.values().stream().filter(Dialogue::inTransaction).count();
    }

    // SessionHandler: admits connections within the limits and gives each its dialogue.

    @Override
    public SessionAcceptance accept(Session session) {
        InetAddress address = session.getRemoteAddress().getAddress();
        if (context.draining()) {
            return refusal(Reply.SHUTTING_DOWN);
        }
        Optional<Reply> refused = context.clients().open(address);
        if (refused.isPresent()) {
            if (context.clients().mayLogRefusal(address)) {
                context.events()
                        .emit(
                                Event.of(EventId.CLIENT_CUT_OFF)
                                        .with("client", address.getHostAddress())
                                        .with("limit", "connections")
                                        .with("detail", refused.get().text()));
            }
            return refusal(refused.get());
        }
        dialogues.put(session, new Dialogue(context, new SessionChannel(session), address));
        return SessionAcceptance.success();
    }

    @Override
    public void onSessionEnd(Session session) {
        Dialogue dialogue = dialogues.remove(session);
        if (dialogue != null) {
            dialogue.end();
            context.clients().closed(session.getRemoteAddress().getAddress());
        }
    }

    private SessionAcceptance refusal(Reply reply) {
        Reply closing = reply.closingFrom(context.hostname());
        return SessionAcceptance.failure(closing.code(), closing.status() + " " + closing.text());
    }

    /** One verb of the command table; all of them lead to the session's dialogue. */
    private final class Verb extends BaseCommand {
        Verb(String name) {
            super(name, "");
        }

        @Override
        public void execute(String line, Session session) throws IOException {
            Dialogue dialogue = dialogues.get(session);
            if (dialogue == null) {
                session.quit();
                return;
            }
            Event where =
                    Event.of(EventId.EXCEPTION)
                            .with("command", Text.cut(Text.visible(Wire.verbOf(line))))
                            .with(
                                    "client",
                                    session.getRemoteAddress().getAddress().getHostAddress());
            boolean faulted =
                    context.boundary()
                            .guardIo(
                                    Boundary.Scope.SESSION,
                                    where,
                                    () -> {
                                        dialogue.command(line);
                                        return false;
                                    },
                                    fault -> true);
            if (faulted) {
                session.sendResponse(Reply.INTERNAL_ERROR.toString());
            }
        }
    }

    /** The dialogue's view of a SubEtha session. */
    private final class SessionChannel implements Dialogue.Channel {
        private final Session session;

        SessionChannel(Session session) {
            this.session = session;
        }

        @Override
        public void send(String reply) throws IOException {
            session.sendResponse(reply);
        }

        @Override
        public void close() {
            session.quit();
        }

        @Override
        public Wire wire() {
            return ((WireSocket) session.getSocket()).wire();
        }

        @Override
        public boolean startTls() throws IOException {
            SSLSocket tls = context.tls().orElseThrow().handshake(wire().socket());
            if (tls == null) {
                return false;
            }
            session.setSocket(new WireSocket(wiring.wire(tls)));
            session.setTlsStarted(true);
            return true;
        }
    }
}
