package org.listgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MessageHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.listgate.address.Status;
import org.listgate.delivery.DeliveryReport.Action;
import org.listgate.delivery.DeliveryReport.Entry;

class DeliveryReportTest {

    private static final String MTA = "smtp.example.test";
    private static final String QUEUE_ID = "0192A3B4C5D0001";
    private static final Instant ARRIVAL = Instant.parse("2025-03-04T09:15:30Z");
    private static final Instant ATTEMPT = Instant.parse("2025-03-04T09:15:42Z");
    private static final Instant NOW = Instant.parse("2025-03-04T09:16:00Z");
    private static final Instant RETRY_UNTIL = Instant.parse("2025-03-09T09:15:30Z");
    private static final String SENDER = "pat@client.example.test";

    private static final String ORIGINAL =
            "Received: from client.example.test by smtp.example.test\r\n"
                    + "\twith ESMTP id 0192A3B4C5D0001\r\n"
                    + "From: Pat Sender <pat@client.example.test>\r\n"
                    + "To: staff@example.test\r\n"
                    + "Subject: Quarterly figures\r\n"
                    + "Message-ID: <3F2A1B.1234@client.example.test>\r\n"
                    + "X-mailer: Pegasus Mail for Win32 (v3.01d)\r\n"
                    + "\r\n"
                    + "The figures are attached.\r\n";

    private static final Entry UNKNOWN_USER =
            new Entry(
                    "carol@example.test",
                    Optional.of("staff@example.test"),
                    Action.FAILED,
                    Status.BAD_MAILBOX,
                    "550 5.1.1 <carol@example.test>: user unknown (in reply to RCPT TO)",
                    Optional.of(ATTEMPT),
                    Optional.empty());
    private static final Entry BAD_SYNTAX =
            new Entry(
                    "dave@@example.test",
                    Optional.of("staff@example.test"),
                    Action.FAILED,
                    Status.BAD_MAILBOX_SYNTAX,
                    "bad address syntax in list staff",
                    Optional.empty(),
                    Optional.empty());
    private static final Entry DELAYED =
            new Entry(
                    "erin@example.test",
                    Optional.empty(),
                    Action.DELAYED,
                    Status.SYSTEM_ERROR_TRANSIENT,
                    "451 4.3.0 mailbox temporarily unavailable",
                    Optional.of(ATTEMPT),
                    Optional.of(RETRY_UNTIL));

    private static byte[] build(String original, List<Entry> entries) throws IOException {
        return build(original.getBytes(StandardCharsets.ISO_8859_1), entries);
    }

    private static byte[] build(byte[] original, List<Entry> entries) throws IOException {
        return DeliveryReport.build(
                MTA, QUEUE_ID, ARRIVAL, SENDER, new ByteArrayInputStream(original), entries, NOW);
    }

    private static MimeMessage parse(byte[] report) throws Exception {
        return new MimeMessage(
                Session.getInstance(new Properties()), new ByteArrayInputStream(report));
    }

    private static BodyPart part(MimeMessage message, int index) throws Exception {
        return ((Multipart) message.getContent()).getBodyPart(index);
    }

    private static DeliveryStatus status(MimeMessage message) throws Exception {
        Object content = part(message, 1).getContent();
        assertThat(content).isInstanceOf(DeliveryStatus.class);
        return (DeliveryStatus) content;
    }

    private static List<String> lines(InternetHeaders fields) {
        return Collections.list(fields.getAllHeaderLines());
    }

    private static void assertOnlyCrlfLineEnds(byte[] report) {
        for (int i = 0; i < report.length; i++) {
            if (report[i] == '\n') {
                assertThat(i > 0 && report[i - 1] == '\r').as("LF at %d follows CR", i).isTrue();
            } else if (report[i] == '\r') {
                assertThat(i + 1 < report.length && report[i + 1] == '\n')
                        .as("CR at %d precedes LF", i)
                        .isTrue();
            }
        }
    }

    private static void assertSevenBit(byte[] report) {
        for (int i = 0; i < report.length; i++) {
            assertThat(report[i] & 0xFF).as("byte at %d", i).isBetween(1, 127);
        }
    }

    @Test
    void bounceReadsBackFieldByField() throws Exception {
        byte[] report = build(ORIGINAL, List.of(UNKNOWN_USER, BAD_SYNTAX));
        MimeMessage message = parse(report);

        assertThat(message.getHeader("From", null))
                .isEqualTo("Mail Delivery System <MAILER-DAEMON@" + MTA + ">");
        assertThat(message.getHeader("To", null)).isEqualTo(SENDER);
        assertThat(message.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(message.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(message.getHeader("MIME-Version", null)).isEqualTo("1.0");
        assertThat(message.getHeader("Date", null)).isEqualTo("Tue, 4 Mar 2025 09:16:00 +0000");
        assertThat(message.getMessageID()).startsWith("<20250304091600.").endsWith("@" + MTA + ">");
        ContentType type = new ContentType(message.getContentType());
        assertThat(type.getBaseType()).isEqualTo("multipart/report");
        assertThat(type.getParameter("report-type")).isEqualTo("delivery-status");

        Multipart parts = (Multipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(new ContentType(parts.getBodyPart(0).getContentType()).getBaseType())
                .isEqualTo("text/plain");
        assertThat(new ContentType(parts.getBodyPart(0).getContentType()).getParameter("charset"))
                .isEqualToIgnoringCase("us-ascii");
        assertThat(new ContentType(parts.getBodyPart(1).getContentType()).getBaseType())
                .isEqualTo("message/delivery-status");
        assertThat(new ContentType(parts.getBodyPart(2).getContentType()).getBaseType())
                .isEqualTo("text/rfc822-headers");

        DeliveryStatus status = status(message);
        assertThat(lines(status.getMessageDSN()))
                .containsExactly(
                        "Reporting-MTA: dns; " + MTA,
                        "X-Listgate-Queue-ID: " + QUEUE_ID,
                        "Arrival-Date: Tue, 4 Mar 2025 09:15:30 +0000");
        assertThat(status.getRecipientDSNCount()).isEqualTo(2);
        assertThat(lines(status.getRecipientDSN(0)))
                .containsExactly(
                        "Original-Recipient: rfc822; staff@example.test",
                        "Final-Recipient: rfc822; carol@example.test",
                        "Action: failed",
                        "Status: 5.1.1",
                        "Diagnostic-Code: smtp; 550 5.1.1 <carol@example.test>: user unknown (in reply to RCPT TO)",
                        "Last-Attempt-Date: Tue, 4 Mar 2025 09:15:42 +0000");
        assertThat(lines(status.getRecipientDSN(1)))
                .containsExactly(
                        "Original-Recipient: rfc822; staff@example.test",
                        "Final-Recipient: rfc822; dave@@example.test",
                        "Action: failed",
                        "Status: 5.1.3",
                        "Diagnostic-Code: x-listgate; bad address syntax in list staff");

        MessageHeaders returned = (MessageHeaders) part(message, 2).getContent();
        assertThat(returned.getHeader("Subject", null)).isEqualTo("Quarterly figures");
        assertThat(returned.getHeader("Message-ID", null))
                .isEqualTo("<3F2A1B.1234@client.example.test>");
        assertThat(returned.getHeader("X-mailer", null))
                .isEqualTo("Pegasus Mail for Win32 (v3.01d)");
        assertThat(returned.getHeader("Received", null))
                .isEqualTo(
                        "from client.example.test by smtp.example.test\r\n\twith ESMTP id 0192A3B4C5D0001");

        assertOnlyCrlfLineEnds(report);
        assertSevenBit(report);
    }

    @Test
    void returnedHeadersAreTheOriginalsUnchangedAndWithoutTheBody() throws Exception {
        String original =
                "Subject: no date, no MIME-Version\r\nMessage-ID: <kept@client.example.test>\r\n\r\n"
                        + "secret body\r\n";
        byte[] report = build(original, List.of(UNKNOWN_USER));
        String returned =
                new String(
                        part(parse(report), 2).getInputStream().readAllBytes(),
                        StandardCharsets.US_ASCII);

        assertThat(returned)
                .isEqualTo(
                        "Subject: no date, no MIME-Version\r\nMessage-ID: <kept@client.example.test>\r\n\r\n");
        assertThat(new String(report, StandardCharsets.US_ASCII)).doesNotContain("secret body");
    }

    @Test
    void explainsEachRecipientInTheTextPart() throws Exception {
        byte[] report = build(ORIGINAL, List.of(UNKNOWN_USER, BAD_SYNTAX));
        String text = (String) part(parse(report), 0).getContent();

        assertThat(text.split("\r\n"))
                .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(72))
                .noneMatch(line -> line.startsWith("--"));
        assertThat(text.replaceAll("\\s+", " "))
                .startsWith("This is the mail system at host " + MTA + ". ")
                .contains("your message could not be delivered to one or more recipients")
                .contains("<carol@example.test> (expanded from <staff@example.test>): 550")
                .contains("<dave@@example.test> (expanded from <staff@example.test>): bad")
                .doesNotContain("warning only");
    }

    @Test
    void delayWarningSaysUntilWhenItIsRetried() throws Exception {
        byte[] report = build(ORIGINAL, List.of(DELAYED));
        MimeMessage message = parse(report);

        assertThat(message.getSubject()).isEqualTo("Delayed Mail (still being retried)");
        assertThat(lines(status(message).getRecipientDSN(0)))
                .containsExactly(
                        "Final-Recipient: rfc822; erin@example.test",
                        "Action: delayed",
                        "Status: 4.3.0",
                        "Diagnostic-Code: smtp; 451 4.3.0 mailbox temporarily unavailable",
                        "Last-Attempt-Date: Tue, 4 Mar 2025 09:15:42 +0000",
                        "Will-Retry-Until: Sun, 9 Mar 2025 09:15:30 +0000");
        String text = ((String) part(message, 0).getContent()).replaceAll("\\s+", " ");
        assertThat(text)
                .contains("warning only")
                .contains("still being retried until Sun, 9 Mar 2025 09:15:30 +0000")
                .doesNotContain("could not be delivered");
        assertOnlyCrlfLineEnds(report);
    }

    @Test
    void aFailureAmongDelaysMakesItABounce() throws Exception {
        MimeMessage message = parse(build(ORIGINAL, List.of(DELAYED, UNKNOWN_USER)));

        assertThat(message.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(status(message).getRecipientDSN(0).getHeader("Action", null))
                .isEqualTo("delayed");
        assertThat(status(message).getRecipientDSN(1).getHeader("Action", null))
                .isEqualTo("failed");
    }

    @Test
    void willRetryUntilIsOnlyForDelayedRecipients() throws Exception {
        Entry failedWithRetry =
                new Entry(
                        "carol@example.test",
                        Optional.empty(),
                        Action.FAILED,
                        Status.BAD_MAILBOX,
                        "550 5.1.1 user unknown",
                        Optional.of(ATTEMPT),
                        Optional.of(RETRY_UNTIL));

        InternetHeaders fields =
                status(parse(build(ORIGINAL, List.of(failedWithRetry)))).getRecipientDSN(0);

        assertThat(fields.getHeader("Will-Retry-Until")).isNull();
    }

    @Test
    void aReasonCannotInjectAHeader() throws Exception {
        Entry hostile =
                new Entry(
                        "carol@example.test\r\nBcc: victim2@example.test",
                        Optional.empty(),
                        Action.FAILED,
                        Status.BAD_MAILBOX,
                        "550 5.1.1 no such user\r\nBcc: victim@example.test\r\n\r\nhi",
                        Optional.empty(),
                        Optional.empty());
        byte[] report =
                DeliveryReport.build(
                        MTA,
                        QUEUE_ID,
                        ARRIVAL,
                        SENDER + "\r\nBcc: victim3@example.test",
                        new ByteArrayInputStream(ORIGINAL.getBytes(StandardCharsets.US_ASCII)),
                        List.of(hostile),
                        NOW);
        MimeMessage message = parse(report);

        assertThat(message.getHeader("Bcc")).isNull();
        assertThat(message.getHeader("To", null)).isEqualTo(SENDER + " Bcc: victim3@example.test");
        DeliveryStatus status = status(message);
        assertThat(status.getRecipientDSNCount()).isEqualTo(1);
        InternetHeaders fields = status.getRecipientDSN(0);
        assertThat(fields.getHeader("Bcc")).isNull();
        assertThat(fields.getHeader("Final-Recipient", null))
                .isEqualTo("rfc822; carol@example.test Bcc: victim2@example.test");
        assertThat(fields.getHeader("Diagnostic-Code", null))
                .isEqualTo("smtp; 550 5.1.1 no such user Bcc: victim@example.test hi");
        String text = (String) part(message, 0).getContent();
        assertThat(text.split("\r\n")).noneMatch(line -> line.startsWith("Bcc:"));
        assertOnlyCrlfLineEnds(report);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            550 5.1.1 user unknown (in reply to RCPT TO) | smtp
            421-4.7.0 try again later                    | smtp
            552                                          | smtp
            bad address syntax                           | x-listgate
            5.1.1 user unknown                           | x-listgate
            5500 not a reply code                        | x-listgate
            650 not a reply code                         | x-listgate
            cannot write to the mailbox: 550 disk        | x-listgate
            """)
    void aReasonThatStartsWithAReplyCodeIsAnSmtpDiagnostic(String reason, String type) {
        assertThat(DeliveryReport.diagnosticType(reason)).isEqualTo(type);
    }

    @Test
    void cutsAVeryLongReason() throws Exception {
        Entry verbose =
                new Entry(
                        "carol@example.test",
                        Optional.empty(),
                        Action.FAILED,
                        Status.BAD_MAILBOX,
                        "550 5.1.1 " + "x".repeat(5000),
                        Optional.empty(),
                        Optional.empty());
        byte[] report = build(ORIGINAL, List.of(verbose));

        String code = status(parse(report)).getRecipientDSN(0).getHeader("Diagnostic-Code", null);
        assertThat(code).startsWith("smtp; 550 5.1.1 xxx").endsWith("...").hasSizeLessThan(920);
        assertOnlyCrlfLineEnds(report);
    }

    @Test
    void nonAsciiStaysOutOfTheStatusFieldsButNotOutOfTheText() throws Exception {
        Entry utf8 =
                new Entry(
                        "jörg@example.test",
                        Optional.empty(),
                        Action.FAILED,
                        Status.NON_ASCII_ADDRESS,
                        "Empfänger unbekannt",
                        Optional.empty(),
                        Optional.empty());
        byte[] report = build(ORIGINAL, List.of(utf8));
        MimeMessage message = parse(report);

        InternetHeaders fields = status(message).getRecipientDSN(0);
        assertThat(fields.getHeader("Final-Recipient", null))
                .isEqualTo("rfc822; j?rg@example.test");
        assertThat(fields.getHeader("Diagnostic-Code", null))
                .isEqualTo("x-listgate; Empf?nger unbekannt");
        assertThat((String) part(message, 0).getContent())
                .contains("<jörg@example.test>: Empfänger unbekannt");
        assertSevenBit(report);
    }

    static Stream<Arguments> malformedOriginals() {
        byte[] junk = new byte[20_000];
        new Random(42).nextBytes(junk);
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("no header section", bytes("\r\nJust a body.\r\n")),
                Arguments.of("binary junk", junk),
                Arguments.of(
                        "8-bit header",
                        bytes("Subject: Gr\u00fc\u00dfe \u00ff\u0000\u0007\r\n\r\nx")),
                Arguments.of(
                        "line without colon",
                        bytes("From a@b Mon Jan 1\r\nSubject: kept\r\nno colon\r\n\r\nx")),
                Arguments.of(
                        "bare LF and bare CR", bytes("Subject: kept\nX-A: 1\rX-B: 2\n\nbody\n")),
                Arguments.of(
                        "a boundary-like field",
                        bytes("--boundary: x\r\n--\r\nSubject: kept\r\n\r\n")),
                Arguments.of(
                        "leading continuation", bytes("  folded: first\r\nSubject: kept\r\n\r\n")),
                Arguments.of(
                        "headers past the cap",
                        bytes(("X-Filler: " + "y".repeat(990) + "\r\n").repeat(70))),
                Arguments.of("one endless line", bytes("Subject: " + "z".repeat(200_000))));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedOriginals")
    void aMalformedOriginalStillGivesAValidReport(String name, byte[] original) throws Exception {
        byte[] report = build(original, List.of(UNKNOWN_USER));
        MimeMessage message = parse(report);

        Multipart parts = (Multipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(status(message).getRecipientDSN(0).getHeader("Final-Recipient", null))
                .isEqualTo("rfc822; carol@example.test");
        MessageHeaders returned = (MessageHeaders) parts.getBodyPart(2).getContent();
        List<String> fields = Collections.list(returned.getAllHeaderLines());
        assertThat(fields).allSatisfy(field -> assertThat(ReturnedHeaders.isField(field)).isTrue());
        if (new String(original, StandardCharsets.ISO_8859_1).contains("Subject: kept")) {
            assertThat(returned.getHeader("Subject", null)).isEqualTo("kept");
        }
        assertThat(report.length).isLessThan(ReturnedHeaders.MAX_BYTES + 16 * 1024);
        assertOnlyCrlfLineEnds(report);
        assertSevenBit(report);
    }

    @Test
    void anEightBitHeaderIsReturnedWithQuestionMarks() throws Exception {
        byte[] report =
                build(bytes("Subject: Gr\u00fc\u00dfe\u0000\r\n\r\n"), List.of(UNKNOWN_USER));

        MessageHeaders returned = (MessageHeaders) part(parse(report), 2).getContent();
        assertThat(returned.getHeader("Subject", null)).isEqualTo("Gr??e?");
    }

    @Test
    void aThousandRecipientsMakeOneReport() throws Exception {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            entries.add(
                    new Entry(
                            "member" + i + "@example.test",
                            Optional.of("staff@example.test"),
                            Action.FAILED,
                            Status.BAD_MAILBOX,
                            "550 5.1.1 user unknown (in reply to RCPT TO)",
                            Optional.of(ATTEMPT),
                            Optional.empty()));
        }
        byte[] report = build(ORIGINAL, entries);

        DeliveryStatus status = status(parse(report));
        assertThat(status.getRecipientDSNCount()).isEqualTo(1000);
        assertThat(status.getRecipientDSN(999).getHeader("Final-Recipient", null))
                .isEqualTo("rfc822; member999@example.test");
        assertOnlyCrlfLineEnds(report);
    }

    @Test
    void aReportNeedsARecipient() {
        InputStream original = new ByteArrayInputStream(new byte[0]);
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () ->
                                DeliveryReport.build(
                                        MTA, QUEUE_ID, ARRIVAL, SENDER, original, List.of(), NOW));
    }
}
