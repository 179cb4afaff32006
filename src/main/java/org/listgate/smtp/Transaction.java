package org.listgate.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.listgate.address.Mailbox;
import org.listgate.config.Config;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.Fates;
import org.listgate.events.Text;
import org.listgate.spool.Envelope;
import org.listgate.spool.MessageWriter;
import org.listgate.spool.QueuedMessage;
import org.listgate.spool.Spool;

/**
 * One mail transaction, MAIL to the end of DATA: the sender, the accepted recipients and the
 * refused RCPTs, and the hand-over to the spool. Knows nothing of SubEtha SMTP; every method
 * returns the reply to send.
 */
final class Transaction {

    /** A refused RCPT: the argument as sent (cut), the reply given, and why. */
    record Refused(String argument, Reply reply, String reason) {}

    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private final SmtpContext context;
    private final InetAddress address;
    private final String client;
    private final String helo;
    private final boolean esmtp;
    private final Optional<Mailbox> sender;
    private final Optional<String> authenticated;
    private final boolean mayRelay;
    private final List<Mailbox> accepted = new ArrayList<>();
    private final Set<String> acceptedKeys = new HashSet<>();
    private final List<Refused> refused = new ArrayList<>();
    private int acceptedCommands;

    /**
     * {@code authenticated}: the SASL user, if the client logged in; {@code mayRelay}: whether the
     * client may send to other domains.
     */
    Transaction(
            SmtpContext context,
            InetAddress address,
            String helo,
            boolean esmtp,
            Optional<Mailbox> sender,
            Optional<String> authenticated,
            boolean mayRelay) {
        this.context = context;
        this.address = address;
        this.client = address.getHostAddress();
        this.helo = helo;
        this.esmtp = esmtp;
        this.sender = sender;
        this.authenticated = authenticated;
        this.mayRelay = mayRelay;
    }

    /** RCPT TO: the decision for {@code path}; a refusal is logged at once (event 3001). */
    Reply recipient(String path) {
        // Every accepted RCPT counts, a repeated one too: the limit bounds the work a client asks
        // for.
        if (acceptedCommands >= context.limits().maxRecipients()) {
            refuse(
                    path,
                    Reply.TOO_MANY_RECIPIENTS,
                    "more than limits.maxRecipients ("
                            + context.limits().maxRecipients()
                            + ") recipients");
            return Reply.TOO_MANY_RECIPIENTS;
        }
        RecipientPolicy.Verdict verdict = context.policy().decide(path, mayRelay);
        if (verdict instanceof RecipientPolicy.Verdict.Accept accept) {
            acceptedCommands++;
            if (acceptedKeys.add(accept.mailbox().key())) {
                accepted.add(accept.mailbox());
            }
            return Reply.RECIPIENT_OK;
        } else if (verdict instanceof RecipientPolicy.Verdict.Refuse refuse) {
            refuse(path, refuse.reply(), refuse.reason());
            return refuse.reply();
        }
        throw new AssertionError(verdict);
    }

    /** Records and logs a refused RCPT; the transaction goes on. */
    void refuse(String argument, Reply reply, String reason) {
        refused.add(new Refused(Text.cut(argument), reply, reason));
        logRefusal(context, address, argument, reply, reason);
    }

    /**
     * Logs a refused RCPT (event 3001), in a transaction or not, unless the client has had its
     * share of the log this minute (then it is counted, and the count logged once: event 3012).
     */
    static void logRefusal(
            SmtpContext context, InetAddress address, String argument, Reply reply, String reason) {
        if (!context.clients().mayLogRefusal(address)) {
            return;
        }
        context.events()
                .emit(
                        Event.of(EventId.RECIPIENT_REFUSED)
                                .with("recipient", Text.cut(argument))
                                .with("code", reply.code())
                                .with("status", String.valueOf(reply.status()))
                                .with("reason", reason)
                                .with("client", address.getHostAddress())
                                .with("stage", "rcpt"));
    }

    int refusedCount() {
        return refused.size();
    }

    boolean hasRecipients() {
        return !accepted.isEmpty();
    }

    /**
     * DATA, after the 354: reads the content into the spool and makes it durable. Returns the final
     * reply, a 250 only once the message is on disk and forced; empty when the client left or was
     * cut off before the end of the data (nothing is kept).
     */
    Optional<Reply> receive(InputStream input) throws IOException {
        Spool spool = context.spool();
        String queueId = spool.newQueueId();
        Envelope envelope =
                new Envelope(queueId, Instant.now(), client, helo, sender, accepted, authenticated);
        DataReader reader =
                new DataReader(input, context.limits().maxMessageBytes(), context.content());
        MessageWriter writer = null;
        try {
            writer = spool.begin(envelope);
            writer.content().write(receivedHeader(queueId).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            if (writer != null) {
                writer.close();
            }
            // The data must still be read, or it would be taken for commands.
            try {
                if (!reader.copyTo(OutputStream.nullOutputStream()).complete()) {
                    return Optional.empty();
                }
            } catch (Wire.Closed closed) {
                return Optional.empty();
            }
            return Optional.of(storageFailed(queueId, e));
        }
        try (MessageWriter open = writer) {
            DataReader.Result result;
            try {
                result = reader.copyTo(open.content());
            } catch (Wire.Closed e) {
                return Optional.empty();
            }
            if (!result.complete()) {
                return Optional.empty();
            }
            if (result.outputError().isPresent()) {
                return Optional.of(storageFailed(queueId, result.outputError().get()));
            }
            Optional<Reply> broken = brokenRule(result);
            if (broken.isPresent()) {
                return broken;
            }
            QueuedMessage message;
            try {
                message = open.commit();
            } catch (IOException e) {
                return Optional.of(storageFailed(queueId, e));
            }
            accepted(message, result.bytes());
            return Optional.of(
                    new Reply(250, org.listgate.address.Status.OK, "queued as " + queueId));
        }
    }

    /** The refusal for a message that broke a rule of RFC 5321 text or a limit; logged (3005). */
    private Optional<Reply> brokenRule(DataReader.Result result) {
        Reply reply;
        String reason;
        Config.Content rules = context.content();
        if (result.bareLineEnds() && rules.bareLineEnds() == Config.BareLineEnds.REJECT) {
            reply = Reply.BARE_LINE_END_IN_DATA;
            reason = "bare CR, bare LF or NUL in the message text (smtp.bareLineEnds = reject)";
        } else if (result.longLines() && rules.longLines() == Config.LongLines.REJECT) {
            reply = Reply.LONG_LINE_IN_DATA;
            reason = "text line over 998 octets (smtp.longLines = reject)";
        } else if (result.headerTooBig()) {
            reply = Reply.HEADER_TOO_BIG;
            reason =
                    "header larger than limits.maxHeaderBytes ("
                            + rules.maxHeaderBytes()
                            + " bytes)";
        } else if (result.tooBig()) {
            reply = Reply.MESSAGE_TOO_BIG;
            reason =
                    "message larger than limits.maxMessageBytes ("
                            + context.limits().maxMessageBytes()
                            + " bytes)";
        } else if (result.hops() > rules.maxHops()) {
            reply = Reply.TOO_MANY_HOPS;
            reason =
                    result.hops()
                            + " Received: headers, more than limits.maxHops ("
                            + rules.maxHops()
                            + ")";
        } else {
            return Optional.empty();
        }
        context.events()
                .emit(
                        Event.of(EventId.MESSAGE_REFUSED)
                                .with("client", client)
                                .with("code", reply.code())
                                .with("status", reply.status().toString())
                                .with("reason", reason));
        return Optional.of(reply);
    }

    private void accepted(QueuedMessage message, long bytes) {
        String queueId = message.queueId();
        context.events()
                .emit(
                        Event.about(EventId.MESSAGE_ACCEPTED, queueId)
                                .with("sender", sender.map(Mailbox::address).orElse("<>"))
                                .with("recipients", accepted.size())
                                .with("refused", refused.size())
                                .with("size", bytes)
                                .with("client", client)
                                .with("helo", Text.cut(helo)));
        for (Refused refusal : refused) {
            context.events()
                    .emit(
                            Fates.notDelivered(
                                    queueId,
                                    refusal.argument(),
                                    Optional.empty(),
                                    String.valueOf(refusal.reply().status()),
                                    refusal.reason(),
                                    "rcpt"));
        }
        context.accepted().accept(message);
    }

    private Reply storageFailed(String queueId, IOException e) {
        context.events()
                .emit(
                        Event.about(EventId.MESSAGE_REFUSED, queueId)
                                .with("client", client)
                                .with("status", Reply.CANNOT_STORE.status().toString())
                                .with("reason", "cannot write to the spool: " + Text.problem(e)));
        return Reply.CANNOT_STORE;
    }

    private String receivedHeader(String queueId) {
        String date = ZonedDateTime.now(ZoneId.systemDefault()).format(RFC5322_DATE);
        String forClause =
                accepted.size() == 1 ? "\r\n\tfor <" + accepted.get(0).address() + ">" : "";
        return "Received: from "
                + Text.word(helo, 64)
                + " ("
                + client
                + ")\r\n"
                + "\tby "
                + context.hostname()
                + " (listgate) with "
                + (esmtp ? "ESMTP" : "SMTP")
                + " id "
                + queueId
                + forClause
                + ";\r\n\t"
                + date
                + "\r\n";
    }
}
