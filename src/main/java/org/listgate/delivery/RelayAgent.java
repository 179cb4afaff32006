package org.listgate.delivery;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.eclipse.angus.mail.util.MailConnectException;
import org.listgate.address.Mailbox;
import org.listgate.address.Status;
import org.listgate.config.Config;
import org.listgate.spool.QueuedMessage;

/**
 * Delivery through the smarthost ({@code relay.*}): one SMTP transaction per call for a batch of
 * recipients of one message, with Angus Mail's SMTP transport. The envelope sender is the message's
 * reverse-path ({@code <>} stays {@code <>}); the recipients are the batch, never the message's
 * headers; the content goes out as it lies in the spool ({@link SpooledMessage}), under a {@code
 * Delivered-To} for each list the batch came through.
 *
 * <p>DIAGNOSTICS: an {@link Outcome} per recipient, in the order given. A reply to RCPT applies to
 * its recipient; a reply to MAIL FROM, DATA or the end of DATA to every recipient the RCPT replies
 * left. 4yz defers, 5yz fails; the status is the reply's enhanced code ({@code 4.0.0} / {@code
 * 5.0.0} without one) and the reason the reply text with {@code (in reply to COMMAND)}. Anything
 * that prevents the transaction defers every recipient, since a smarthost being down must never
 * bounce mail: 4.4.1 cannot connect, 4.4.2 connection lost or timed out, 4.7.4 TLS required but not
 * offered, 4.4.0 the session refused or anything else; 4.3.0 if the spooled content cannot be read.
 * Nothing the network or the server does is thrown.
 *
 * <p>SECURITY: {@code tls = may} and {@code encrypt} accept any certificate, as Postfix's levels of
 * those names do: the channel is encrypted against passive listeners, the peer is not
 * authenticated. {@code none} never sends STARTTLS.
 *
 * <p>BUGS: with {@code tls = may}, a failed TLS handshake defers (4.4.0) rather than retrying
 * without TLS. A connection lost after the end of DATA defers recipients the server may already
 * have taken: they can get the message twice, which beats losing it.
 *
 * <p>Thread safe: the mail session is built once and shared; each call has its own transport,
 * closed before it returns.
 */
public final class RelayAgent {

    static final String RCPT = "RCPT TO";
    private static final String MAIL = "MAIL FROM";
    private static final String DATA = "DATA";
    private static final String END_OF_DATA = "end of DATA";

    private final Config.Relay relay;
    private final Session session;
    private final String smarthost;

    public RelayAgent(Config.Relay relay, String heloName) {
        this.relay = relay;
        this.smarthost = relay.host() + ":" + relay.port();
        this.session = Session.getInstance(properties(relay, heloName));
    }

    private static Properties properties(Config.Relay relay, String heloName) {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", relay.host());
        properties.setProperty("mail.smtp.port", Integer.toString(relay.port()));
        properties.setProperty("mail.smtp.localhost", heloName);
        properties.setProperty("mail.smtp.connectiontimeout", millis(relay.connectTimeout()));
        properties.setProperty("mail.smtp.timeout", millis(relay.timeout()));
        properties.setProperty("mail.smtp.writetimeout", millis(relay.timeout()));
        // Go on to DATA for the recipients accepted when others are refused at RCPT.
        properties.setProperty("mail.smtp.sendpartial", "true");
        properties.setProperty("mail.smtp.quitwait", "false");
        boolean startTls = relay.tls() != Config.Tls.NONE;
        properties.setProperty("mail.smtp.starttls.enable", Boolean.toString(startTls));
        properties.setProperty(
                "mail.smtp.starttls.required", Boolean.toString(relay.tls() == Config.Tls.ENCRYPT));
        if (startTls) {
            // Opportunistic as Postfix's may and encrypt: any certificate, any name.
            properties.setProperty("mail.smtp.ssl.trust", "*");
            properties.setProperty("mail.smtp.ssl.checkserveridentity", "false");
        }
        return properties;
    }

    private static String millis(Duration duration) {
        return Long.toString(Math.min(duration.toMillis(), Integer.MAX_VALUE));
    }

    /**
     * One SMTP transaction with the smarthost for these recipients of the message; the caller keeps
     * the batch within {@code relay.maxRecipients}. An outcome for every recipient, in the same
     * order.
     */
    public List<Outcome> deliver(QueuedMessage message, List<Mailbox> recipients) {
        return deliver(message, recipients, List.of());
    }

    /**
     * As {@link #deliver(QueuedMessage, List)}, for recipients that all came through {@code lists}
     * (outermost first): the copy carries a {@code Delivered-To} for each.
     */
    public List<Outcome> deliver(
            QueuedMessage message, List<Mailbox> recipients, List<String> lists) {
        if (recipients.isEmpty()) {
            return List.of();
        }
        InternetAddress[] addresses = new InternetAddress[recipients.size()];
        for (int i = 0; i < addresses.length; i++) {
            // Unparsed on purpose: a Mailbox is already a valid RFC 5321 path, quoted local
            // parts included, and goes into RCPT TO as it is.
            addresses[i] = new InternetAddress();
            addresses[i].setAddress(recipients.get(i).address());
        }
        SMTPTransport transport = new SMTPTransport(session, null);
        try {
            try {
                transport.connect(relay.host(), relay.port(), null, null);
            } catch (MessagingException e) {
                return deferAll(recipients, sessionFailure(transport, e));
            }
            boolean tls = transport.isSSL();
            try {
                transport.sendMessage(new SpooledMessage(session, message, lists), addresses);
                RemoteReply reply =
                        RemoteReply.of(
                                transport.getLastReturnCode(), transport.getLastServerResponse());
                return recipients.stream()
                        .map(recipient -> delivered(recipient, tls, reply))
                        .toList();
            } catch (SendFailedException e) {
                return perRecipient(recipients, addresses, e, tls);
            } catch (MessagingException e) {
                return deferAll(recipients, transactionFailure(e));
            }
        } finally {
            try {
                transport.close();
            } catch (MessagingException e) {
                // QUIT could not be sent; the socket is closed all the same.
            }
        }
    }

    /** Why every recipient of the batch is deferred. */
    private record Deferral(Status status, String reason) {
        Outcome of(Mailbox recipient) {
            return new Outcome.Deferred(recipient, status, reason);
        }
    }

    private static List<Outcome> deferAll(List<Mailbox> recipients, Deferral deferral) {
        return recipients.stream().map(deferral::of).toList();
    }

    private Outcome delivered(Mailbox recipient, boolean tls, RemoteReply reply) {
        return new Outcome.Delivered(
                recipient,
                "relay " + smarthost + (tls ? " with TLS" : "") + " (" + reply.text() + ")");
    }

    /** No transaction could start: no connection, a refused session, or no TLS where required. */
    private Deferral sessionFailure(SMTPTransport transport, MessagingException e) {
        // After a 250 to EHLO the transport fails only for a missing STARTTLS it was told to
        // require; the extensions it saw outlive the connection.
        if (relay.tls() == Config.Tls.ENCRYPT
                && transport.getLastReturnCode() == 250
                && !transport.supportsExtension("STARTTLS")) {
            return new Deferral(
                    Status.SECURITY_FEATURES_NOT_SUPPORTED,
                    "TLS is required, but was not offered by host " + smarthost);
        }
        if (e instanceof MailConnectException || has(e, UnknownHostException.class)) {
            String detail = has(e, UnknownHostException.class) ? "host not found" : detail(e);
            return new Deferral(
                    Status.NO_ANSWER_FROM_HOST, "connect to " + smarthost + ": " + detail);
        }
        RemoteReply reply =
                RemoteReply.of(transport.getLastReturnCode(), transport.getLastServerResponse());
        if (reply.isReply() && !reply.isPositive()) {
            return new Deferral(
                    Status.NETWORK_ERROR_TRANSIENT,
                    reply.text() + " (in reply to " + refusedStage(transport, e) + ")");
        }
        if (has(e, SSLException.class)) {
            return new Deferral(
                    Status.NETWORK_ERROR_TRANSIENT,
                    "TLS handshake with " + smarthost + " failed: " + detail(e));
        }
        if (has(e, IOException.class) || transport.getLastReturnCode() == -1) {
            return lost(e, "while setting up the session");
        }
        return new Deferral(Status.NETWORK_ERROR_TRANSIENT, smarthost + ": " + e.getMessage());
    }

    private String refusedStage(SMTPTransport transport, MessagingException e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Got bad greeting")) {
            return "initial greeting";
        }
        return relay.tls() != Config.Tls.NONE && transport.supportsExtension("STARTTLS")
                ? "STARTTLS"
                : "HELO";
    }

    /** The transaction broke without a reply to go by. */
    private Deferral transactionFailure(MessagingException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SpooledMessage.ContentUnreadable unreadable) {
                return new Deferral(Status.SYSTEM_ERROR_TRANSIENT, unreadable.getMessage());
            }
        }
        if (has(e, IOException.class)) {
            return lost(e, "during the transaction");
        }
        return new Deferral(Status.NETWORK_ERROR_TRANSIENT, smarthost + ": " + e.getMessage());
    }

    private Deferral lost(Exception e, String when) {
        if (has(e, SocketTimeoutException.class)) {
            return new Deferral(
                    Status.BAD_CONNECTION, "conversation with " + smarthost + " timed out " + when);
        }
        return new Deferral(
                Status.BAD_CONNECTION,
                "lost connection with " + smarthost + " " + when + ": " + detail(e));
    }

    /**
     * The transaction ran and the server answered. Angus chains an {@link
     * SMTPAddressFailedException} per refused RCPT (the same address objects that were passed in);
     * when MAIL FROM, DATA or the end of DATA was refused, or only some RCPTs were, the exception
     * itself is an {@link SMTPSendFailedException} carrying that last reply (250 when the message
     * went to the others).
     */
    private List<Outcome> perRecipient(
            List<Mailbox> recipients,
            InternetAddress[] addresses,
            SendFailedException e,
            boolean tls) {
        IdentityHashMap<Address, RemoteReply> refused = new IdentityHashMap<>();
        Deferral broken = null;
        for (Exception next = e;
                next != null;
                next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException failed) {
                RemoteReply reply = RemoteReply.of(failed.getReturnCode(), failed.getMessage());
                refused.putIfAbsent(failed.getAddress(), reply);
                if (!reply.isReply() && broken == null) {
                    broken = unexpected(reply, RCPT);
                }
            }
        }
        RemoteReply last = null;
        String command = null;
        if (e instanceof SMTPSendFailedException transaction) {
            last = RemoteReply.of(transaction.getReturnCode(), transaction.getMessage());
            command = command(transaction.getCommand());
            if (!last.isReply() && broken == null) {
                broken = unexpected(last, command);
            }
        }
        List<Outcome> outcomes = new ArrayList<>(recipients.size());
        for (int i = 0; i < addresses.length; i++) {
            Mailbox recipient = recipients.get(i);
            RemoteReply reply = refused.get(addresses[i]);
            if (reply != null && reply.isReply()) {
                outcomes.add(reply.outcome(recipient, RCPT));
            } else if (broken != null) {
                outcomes.add(broken.of(recipient));
            } else if (last != null) {
                outcomes.add(
                        last.isPositive()
                                ? delivered(recipient, tls, last)
                                : last.outcome(recipient, command));
            } else {
                outcomes.add(
                        new Deferral(
                                        Status.NETWORK_ERROR_TRANSIENT,
                                        smarthost + ": " + e.getMessage())
                                .of(recipient));
            }
        }
        return outcomes;
    }

    private Deferral unexpected(RemoteReply reply, String command) {
        if (reply.code() == -1) {
            return new Deferral(
                    Status.BAD_CONNECTION,
                    "lost connection with " + smarthost + " while sending " + command);
        }
        return new Deferral(
                Status.NETWORK_ERROR_TRANSIENT,
                "unexpected reply from "
                        + smarthost
                        + ": "
                        + reply.text()
                        + " (in reply to "
                        + command
                        + ")");
    }

    private static String command(String sent) {
        if (sent == null) {
            return "the transaction";
        }
        if (sent.equals(".")) {
            return END_OF_DATA;
        }
        if (sent.startsWith("MAIL FROM")) {
            return MAIL;
        }
        return sent.startsWith(DATA) ? DATA : sent;
    }

    private static boolean has(Throwable thrown, Class<? extends Throwable> type) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause's message: "Connection refused", "Read timed out". */
    private static String detail(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
