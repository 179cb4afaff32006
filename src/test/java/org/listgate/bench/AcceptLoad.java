package org.listgate.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load client for the acceptance path: N persistent connections, each sending messages as fast as
 * the server answers (EHLO once, then MAIL, RCPT, DATA, the content, RSET, again), for S seconds.
 * Counts the 250s after DATA and times each message from MAIL to that 250.
 *
 * <pre>
 * java -cp target/test-classes org.listgate.bench.AcceptLoad --host 127.0.0.1 --port 2525 \
 *     --clients 16 --seconds 15 --size 4096 --to u1@example.test [--from alice@example.test]
 * clients=16 accepted=12345 seconds=15.0 rate=823.0/s p50=17.9ms p99=61.2ms errors=0
 * </pre>
 *
 * A reply other than the expected one, or a failed connection, counts as an error; the client
 * connects again. Commands are not pipelined: one round trip each, as a plain MTA sends them.
 */
public final class AcceptLoad {

    private final String host;
    private final int port;
    private final String from;
    private final String to;
    private final byte[] message;
    private final long deadline;
    private final AtomicLong errors = new AtomicLong();

    private AcceptLoad(String host, int port, String from, String to, int size, long deadline) {
        this.host = host;
        this.port = port;
        this.from = from;
        this.to = to;
        this.message = content(from, to, size);
        this.deadline = deadline;
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = options(args);
        int clients = Integer.parseInt(options.getOrDefault("clients", "16"));
        double seconds = Double.parseDouble(options.getOrDefault("seconds", "15"));
        long start = System.nanoTime();
        AcceptLoad load =
                new AcceptLoad(
                        options.getOrDefault("host", "127.0.0.1"),
                        Integer.parseInt(required(options, "port")),
                        options.getOrDefault("from", "alice@example.test"),
                        required(options, "to"),
                        Integer.parseInt(options.getOrDefault("size", "4096")),
                        start + (long) (seconds * 1e9));
        long[][] timings = new long[clients][];
        List<Thread> threads = new ArrayList<>();
        for (int n = 0; n < clients; n++) {
            int client = n;
            threads.add(new Thread(() -> timings[client] = load.run(), "client-" + n));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = Arrays.stream(timings).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf(
                Locale.ROOT,
                "clients=%d accepted=%d seconds=%.1f rate=%.1f/s p50=%.1fms p99=%.1fms errors=%d%n",
                clients,
                all.length,
                elapsed,
                all.length / elapsed,
                percentile(all, 50),
                percentile(all, 99),
                load.errors.get());
    }

    /**
     * One connection after another until the deadline; returns each message's time from MAIL to the
     * 250, in nanoseconds.
     */
    private long[] run() {
        long[] timings = new long[1024];
        int count = 0;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 5000);
                socket.setSoTimeout(60_000);
                socket.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                expect(in, "220");
                command(in, out, "EHLO load.example.test", "250");
                while (System.nanoTime() < deadline) {
                    long began = System.nanoTime();
                    command(in, out, "MAIL FROM:<" + from + ">", "250");
                    command(in, out, "RCPT TO:<" + to + ">", "250");
                    command(in, out, "DATA", "354");
                    out.write(message);
                    command(in, out, ".", "250");
                    if (count == timings.length) {
                        timings = Arrays.copyOf(timings, count * 2);
                    }
                    timings[count++] = System.nanoTime() - began;
                    command(in, out, "RSET", "250");
                }
                command(in, out, "QUIT", "221");
            } catch (IOException e) {
                errors.incrementAndGet();
                try {
                    Thread.sleep(10); // not a busy loop while the server is away
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return Arrays.copyOf(timings, count);
    }

    private static void command(InputStream in, OutputStream out, String line, String code)
            throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    /** Reads one reply, multi-line too; it must start with {@code code}. */
    private static void expect(InputStream in, String code) throws IOException {
        while (true) {
            String line = readLine(in);
            if (!line.startsWith(code)) {
                throw new IOException("expected " + code + ", got " + line);
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                return;
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** A message of about {@code size} bytes: a few headers and lines of 76 letters. */
    static byte[] content(String from, String to, int size) {
        StringBuilder text =
                new StringBuilder()
                        .append("From: <")
                        .append(from)
                        .append(">\r\n")
                        .append("To: <")
                        .append(to)
                        .append(">\r\n")
                        .append("Subject: accept-rate benchmark\r\n\r\n");
        String line = "x".repeat(76) + "\r\n";
        while (text.length() + line.length() <= size) {
            text.append(line);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static double percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
