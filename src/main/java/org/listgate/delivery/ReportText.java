package org.listgate.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import java.util.List;
import org.listgate.delivery.DeliveryReport.Action;
import org.listgate.delivery.DeliveryReport.Entry;

/**
 * The first part of a delivery report: what happened, in words a sender can act on, one paragraph
 * per recipient, as Postfix's bounce(8) writes it.
 *
 * <p>Lines are wrapped at 72 columns and end in CRLF. A recipient's paragraph starts with {@code <}
 * and its continuation lines with spaces, so no line can start with {@code --} and be taken for a
 * MIME boundary. The text is US-ASCII unless a reason or an address is not, then UTF-8 (Jakarta
 * Mail encodes it as quoted-printable).
 */
final class ReportText {

    private static final int WIDTH = 72;

    /** Continues a recipient's paragraph; the prose is ours and needs none. */
    private static final String INDENT = "    ";

    private ReportText() {}

    static MimeBodyPart part(String reportingMta, List<Entry> entries) throws MessagingException {
        String text = text(reportingMta, entries);
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text, HeaderText.isAscii(text) ? "us-ascii" : "utf-8");
        return part;
    }

    static String text(String reportingMta, List<Entry> entries) {
        StringBuilder text = new StringBuilder(1024 + entries.size() * 160);
        paragraph(text, "This is the mail system at host " + reportingMta + ".", "");
        if (entries.stream().anyMatch(entry -> entry.action() == Action.FAILED)) {
            paragraph(
                    text,
                    "I'm sorry to have to inform you that your message could not be delivered to one or"
                            + " more recipients. The headers of your message are attached below.",
                    "");
            for (Entry entry : entries) {
                if (entry.action() == Action.FAILED) {
                    paragraph(
                            text,
                            recipient(entry) + ": " + HeaderText.oneLine(entry.reason()),
                            INDENT);
                }
            }
        }
        if (entries.stream().anyMatch(entry -> entry.action() == Action.DELAYED)) {
            paragraph(
                    text,
                    "This is a warning only: you do not need to send your message again. It has not"
                            + " yet been delivered to the recipients below, and the mail system is still trying.",
                    "");
            for (Entry entry : entries) {
                if (entry.action() == Action.DELAYED) {
                    String until =
                            entry.willRetryUntil()
                                    .map(
                                            when ->
                                                    "; still being retried until "
                                                            + DeliveryReport.date(when))
                                    .orElse("; still being retried");
                    paragraph(
                            text,
                            recipient(entry) + ": " + HeaderText.oneLine(entry.reason()) + until,
                            INDENT);
                }
            }
        }
        paragraph(
                text,
                "The delivery status of each recipient follows in machine-readable form (RFC 3464).",
                "");
        return text.toString();
    }

    private static String recipient(Entry entry) {
        String recipient = "<" + HeaderText.oneLine(entry.finalRecipient()) + ">";
        return entry.originalRecipient()
                .map(list -> recipient + " (expanded from <" + HeaderText.oneLine(list) + ">)")
                .orElse(recipient);
    }

    /** Appends {@code words} wrapped at {@link #WIDTH}, then an empty line. */
    private static void paragraph(StringBuilder text, String words, String indent) {
        int lineStart = text.length();
        for (String word : words.split(" ", -1)) {
            if (word.isEmpty()) {
                continue;
            }
            int column = text.length() - lineStart;
            boolean atStart = column == 0;
            if (!atStart && column + 1 + word.length() > WIDTH) {
                text.append("\r\n");
                lineStart = text.length();
                text.append(indent);
            } else if (!atStart) {
                text.append(' ');
            }
            text.append(word);
        }
        text.append("\r\n\r\n");
    }
}
