package org.listgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The syslog appender config/logback.xml ships commented out, turned on as README.md says (the two
 * markers removed) and pointed at a UDP socket on the loopback address.
 */
class SyslogTest {

    private static final Path CONFIG = Path.of("config/logback.xml");

    /** RFC 3164 §4.1: {@code <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[pid]: CONTENT}. */
    private static final Pattern RFC_3164 =
            Pattern.compile(
                    "<(\\d{1,3})>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\S+"
                            + " listgate\\[(\\d+)\\]: (.*)");

    /** RFC 3164 §4.1.1: facility mail is 2; the priority is facility * 8 + severity. */
    private static final int MAIL = 2;

    private static final int ERROR = 3;
    private static final int WARNING = 4;

    @TempDir Path dir;

    @AfterEach
    void backToTheDefaultConfiguration() throws JoranException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    @Test
    void sendsEachEventAsOneRfc3164RecordOfFacilityMailCarryingItsId() throws IOException {
        try (DatagramSocket syslog =
                new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            syslog.setSoTimeout(5_000);
            Logging.configure(withSyslogOn(syslog.getLocalPort()), dir.resolve("events.jsonl"));

            EventLog events = new EventLog();
            events.emit(
                    Event.about(EventId.RECIPIENT_NOT_DELIVERED, "0000017F")
                            .with(Event.RECIPIENT, "bad\r\n<11>forged@x")
                            .with(Event.STATUS, "5.1.1")
                            .with(Event.REASON, "unknown user"));
            events.emit(
                    Event.about(EventId.EXCEPTION, "0000017F")
                            .with("code", "0xc0000005")
                            .with(Event.RECIPIENT, "u13@example.test"));

            List<String> received = List.of(receive(syslog), receive(syslog));

            Matcher warning = parsed(received.get(0));
            assertThat(Integer.parseInt(warning.group(1))).isEqualTo(MAIL * 8 + WARNING);
            assertThat(Long.parseLong(warning.group(2))).isEqualTo(ProcessHandle.current().pid());
            assertThat(warning.group(3))
                    .isEqualTo(
                            "4037 Warning queueId=0000017F recipient=bad\\r\\n<11>forged@x"
                                    + " status=5.1.1 reason=\"unknown user\"");

            Matcher error = parsed(received.get(1));
            assertThat(Integer.parseInt(error.group(1))).isEqualTo(MAIL * 8 + ERROR);
            assertThat(error.group(3))
                    .isEqualTo(
                            "9001 Error queueId=0000017F code=0xc0000005"
                                    + " recipient=u13@example.test");
        }
        assertThat(Files.readAllLines(dir.resolve("events.jsonl")))
                .as("the events file still gets every event")
                .hasSize(2);
    }

    @Test
    void theShippedConfigurationLeavesSyslogOff() throws IOException {
        String shipped = Files.readString(CONFIG);
        List<String> active = new ArrayList<>();
        for (String part : shipped.split("<!--", -1)) {
            int end = part.indexOf("-->");
            active.add(end < 0 ? part : part.substring(end + 3));
        }

        assertThat(String.join("", active)).doesNotContain("SyslogAppender", "SYSLOG");
        assertThat(shipped).contains("SyslogAppender", "<facility>MAIL</facility>");
    }

    private Path withSyslogOn(int port) throws IOException {
        String shipped = Files.readString(CONFIG);
        String on =
                shipped.replace("<!--syslog", "")
                        .replace("syslog-->", "")
                        .replace("<port>514</port>", "<port>" + port + "</port>");
        assertThat(on)
                .as("both markers and the port are in config/logback.xml")
                .isNotEqualTo(shipped);
        assertThat(on).contains("<port>" + port + "</port>");
        Path copy = dir.resolve("logback.xml");
        Files.writeString(copy, on);
        return copy;
    }

    private static String receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(packet);
        return new String(
                packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8);
    }

    private static Matcher parsed(String record) {
        assertThat(record).doesNotContain("\n", "\r").matches(RFC_3164);
        Matcher matcher = RFC_3164.matcher(record);
        assertThat(matcher.matches()).isTrue();
        return matcher;
    }
}
