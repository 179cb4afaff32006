package org.listgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.listgate.testing.TestSite;

/**
 * Fuzz target for a whole SMTP session: a real listgate on a loopback port is sent any bytes, then
 * the end of the client's stream. Every reply is a well-formed reply line, every error reply
 * carries an enhanced status code, the session ends, and no input produces a 9001. {@code mvn
 * verify} replays the seeds in {@code SmtpSessionFuzzTestInputs/<method>/}; {@code mvn -Pfuzz test
 * -Dtest=SmtpSessionFuzzTest} fuzzes (README, "Fuzzing").
 */
class SmtpSessionFuzzTest {

    private static Path dir;
    private static TestSite site;
    private static long eventsRead;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("listgate-session-fuzz");
        site =
                new TestSite(dir)
                        .property("smtp.errorDelay", "0s")
                        .property("smtp.commandTimeout", "2s")
                        .property("smtp.idleTimeout", "3s")
                        .property("limits.maxMessageBytes", "65536")
                        .users(List.of("alice@example.test", "bob@example.test"))
                        .lists("team: bob@example.test, x@y\n")
                        .start();
    }

    @AfterAll
    static void stop() throws IOException {
        site.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    @FuzzTest
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @SuppressWarnings("try") // the allowance holds for the block; it is not used in it
    void answersAnyBytesWithWellFormedRepliesAndNoFault(byte[] input) throws IOException {
        String replies;
        // Jazzer's network detector: this target talks to its own listgate on loopback only.
        try (SilentCloseable loopback =
                        BugDetectors.allowNetworkConnections(
                                (host, port) ->
                                        (host.equals("127.0.0.1") || host.equals("localhost"))
                                                && port == site.port());
                Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", site.port()), 5000);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(input);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            replies = readAll(socket.getInputStream());
        }
        for (String line : replies.split("\r\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            assertThat(line).matches("[2-5][0-9][0-9][ -].*");
            if (line.charAt(0) >= '4') {
                assertThat(line)
                        .as("an error reply without an enhanced code")
                        .matches("[45][0-9][0-9][ -][45]\\.[0-9]{1,3}\\.[0-9]{1,3} .*");
            }
        }
        assertThat(newEvents()).doesNotContain("\"id\":9001");
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // A reset after the server closed: what was read is all there is.
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    private static String newEvents() throws IOException {
        try (RandomAccessFile events =
                new RandomAccessFile(dir.resolve("events.jsonl").toFile(), "r")) {
            long length = events.length();
            byte[] fresh = new byte[(int) Math.min(Integer.MAX_VALUE, length - eventsRead)];
            events.seek(eventsRead);
            events.readFully(fresh);
            eventsRead = length;
            return new String(fresh, StandardCharsets.UTF_8);
        }
    }
}
