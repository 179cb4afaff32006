package org.listgate.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;
import org.listgate.address.Status;

/**
 * A delivery status notification (RFC 3464) — a bounce, or a delay warning — as the bytes of a
 * complete RFC 5322 message, to be spooled with the null reverse-path {@code <>} (RFC 5321 §4.5.5)
 * so that it can never bounce in turn.
 *
 * <p>The message is a {@code multipart/report; report-type=delivery-status} (RFC 6522) of three
 * parts: a short explanation for people ({@link ReportText}), the {@code message/delivery-status}
 * fields for programs, and the original message's header section as {@code text/rfc822-headers}
 * ({@link ReturnedHeaders}). The body is not returned: a report stays small however big the
 * original was, as Postfix does for large messages.
 *
 * <p>SECURITY: every value that came from outside — addresses, remote replies, the original's
 * headers — is made a single line of printable text before it is written, so a reason holding
 * {@code "\r\nBcc: victim@example"} stays inside its own field. The delivery-status part is
 * US-ASCII only, as RFC 3464 §2.1 requires, so it is sent as 7bit.
 *
 * <p>BUGS: Angus DSN's {@code MultipartReport(String, Report, InternetHeaders)} wraps the headers
 * in a {@code MessageHeaders} that regenerates {@code Message-ID}, {@code Date} and {@code
 * MIME-Version} when written, and its {@code MimeMessage} constructor labels a {@code
 * MessageHeaders} as {@code message/rfc822}; the report is therefore assembled with the setters,
 * from a {@code MessageHeaders} parsed from bytes.
 */
public final class DeliveryReport {

    /** RFC 3464 §2.3.3 {@code Action}: only the two a receiving gateway reports to a sender. */
    public enum Action {
        FAILED("failed"),
        DELAYED("delayed");

        private final String field;

        Action(String field) {
            this.field = field;
        }

        /** The value of the {@code Action} field. */
        public String field() {
            return field;
        }
    }

    /**
     * One recipient in the report.
     *
     * @param finalRecipient the address delivery was attempted to (or, when it was isolated at list
     *     expansion, the member as the list holds it)
     * @param originalRecipient the address the sender used when the recipient came from a list,
     *     such as {@code staff@example.test}; empty when the sender named the recipient
     * @param reason why: a remote SMTP reply when it starts with a reply code ({@code "550 5.1.1
     *     user unknown (in reply to RCPT TO)"}), else listgate's own words
     * @param lastAttempt empty when delivery was never attempted (isolated at expansion)
     * @param willRetryUntil for {@link Action#DELAYED}: when the queue gives up
     */
    public record Entry(
            String finalRecipient,
            Optional<String> originalRecipient,
            Action action,
            Status status,
            String reason,
            Optional<Instant> lastAttempt,
            Optional<Instant> willRetryUntil) {

        public Entry {
            Objects.requireNonNull(finalRecipient, "finalRecipient");
            Objects.requireNonNull(originalRecipient, "originalRecipient");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(lastAttempt, "lastAttempt");
            Objects.requireNonNull(willRetryUntil, "willRetryUntil");
        }
    }

    /** RFC 3464 §2.3.6: a reason that starts with an SMTP reply code is that server's reply. */
    private static final Pattern SMTP_REPLY = Pattern.compile("^[2-5][0-9][0-9]([ -].*)?$");

    /** RFC 5322 §3.3 date-time, always in UTC so the report does not depend on the host's zone. */
    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US)
                    .withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter MESSAGE_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.US).withZone(ZoneOffset.UTC);

    /** Keeps every field line well under RFC 5322's 998 characters. */
    static final int MAX_VALUE = 900;

    private static final Session SESSION = Session.getInstance(new Properties());

    private DeliveryReport() {}

    /**
     * Builds the report.
     *
     * @param reportingMta our host name ({@code smtp.hostname}), for {@code Reporting-MTA} and the
     *     {@code From} and {@code Message-ID} domains
     * @param queueId the original message's queue id, reported as {@code X-Listgate-Queue-ID}
     * @param arrival when the original was accepted
     * @param to where the report goes: the original's reverse-path, or a list's owner
     * @param originalContent the original as spooled (CRLF, header section and body); only the
     *     header section is read
     * @param entries one or more recipients
     * @param now the report's {@code Date}
     * @return the report with CRLF line ends
     */
    public static byte[] build(
            String reportingMta,
            String queueId,
            Instant arrival,
            String to,
            InputStream originalContent,
            List<Entry> entries,
            Instant now)
            throws IOException {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a delivery report needs at least one recipient");
        }
        String mta = HeaderText.ascii(reportingMta);
        boolean delayOnly = entries.stream().allMatch(entry -> entry.action() == Action.DELAYED);
        try {
            MultipartReport report = new MultipartReport();
            report.setTextBodyPart(ReportText.part(mta, entries));
            report.setReport(status(mta, queueId, arrival, entries));
            report.setReturnedMessage(ReturnedHeaders.read(originalContent));

            MimeMessage message = new ReportMessage(messageId(now, mta));
            message.setHeader("Date", date(now));
            message.setHeader("From", "Mail Delivery System <MAILER-DAEMON@" + mta + ">");
            message.setHeader("To", HeaderText.ascii(to));
            message.setHeader(
                    "Subject",
                    delayOnly
                            ? "Delayed Mail (still being retried)"
                            : "Undelivered Mail Returned to Sender");
            // RFC 3834 §5: marks the report as automatic, so that responders (listgate included)
            // never answer it.
            message.setHeader("Auto-Submitted", "auto-replied");
            message.setContent(report);
            message.saveChanges();

            ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024 + entries.size() * 512);
            message.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException e) {
            // Everything written here was made here: a failure is a fault, not bad input.
            throw new IOException("cannot build the delivery report for " + queueId, e);
        }
    }

    private static DeliveryStatus status(
            String mta, String queueId, Instant arrival, List<Entry> entries)
            throws MessagingException {
        DeliveryStatus status = new DeliveryStatus();
        InternetHeaders perMessage = fields();
        status.setMessageDSN(perMessage);
        perMessage.addHeader("Reporting-MTA", "dns; " + mta);
        // RFC 3464 §2.4: an extension field, named X- because it is not registered.
        perMessage.addHeader("X-Listgate-Queue-ID", HeaderText.ascii(queueId));
        perMessage.addHeader("Arrival-Date", date(arrival));
        for (Entry entry : entries) {
            status.addRecipientDSN(perRecipient(entry));
        }
        return status;
    }

    /** RFC 3464 §2.3, in the order of its grammar. */
    private static InternetHeaders perRecipient(Entry entry) throws MessagingException {
        InternetHeaders fields = fields();
        entry.originalRecipient()
                .ifPresent(
                        original ->
                                fields.addHeader(
                                        "Original-Recipient",
                                        "rfc822; " + HeaderText.ascii(original)));
        fields.addHeader("Final-Recipient", "rfc822; " + HeaderText.ascii(entry.finalRecipient()));
        fields.addHeader("Action", entry.action().field());
        fields.addHeader("Status", entry.status().toString());
        String reason = HeaderText.ascii(entry.reason());
        if (!reason.isEmpty()) {
            fields.addHeader("Diagnostic-Code", diagnosticType(reason) + "; " + reason);
        }
        entry.lastAttempt().ifPresent(when -> fields.addHeader("Last-Attempt-Date", date(when)));
        if (entry.action() == Action.DELAYED) {
            // RFC 3464 §2.3.9: only for Action: delayed.
            entry.willRetryUntil()
                    .ifPresent(when -> fields.addHeader("Will-Retry-Until", date(when)));
        }
        return fields;
    }

    /**
     * An empty field list. {@code new InternetHeaders()} reserves places for the RFC 5322 fields in
     * their usual order, among them a mailbox {@code Status} after all others, which would move RFC
     * 3464's {@code Status} behind {@code Diagnostic-Code}; a list read from nothing has none.
     */
    private static InternetHeaders fields() throws MessagingException {
        return new InternetHeaders(InputStream.nullInputStream());
    }

    static String diagnosticType(String reason) {
        return SMTP_REPLY.matcher(reason).matches() ? "smtp" : "x-listgate";
    }

    static String date(Instant when) {
        return RFC_5322.format(when);
    }

    /** As Postfix does: the time, then something unique, then our host. */
    private static String messageId(Instant now, String mta) {
        String unique = UUID.randomUUID().toString().replace("-", "");
        return "<" + MESSAGE_ID_TIME.format(now) + "." + unique + "@" + mta + ">";
    }

    /** Names the report after our host: Jakarta Mail's own Message-ID uses the local user's. */
    private static final class ReportMessage extends MimeMessage {
        private final String messageId;

        ReportMessage(String messageId) {
            super(SESSION);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
