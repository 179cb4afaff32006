package org.listgate.testing;

import static org.awaitility.Awaitility.await;


import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.listgate.events.LoggedEvent;

/**
 * listgate as users run it: {@code java ... org.listgate.Main serve --config FILE}, a separate
 * process that a test can stop with SIGTERM or kill with SIGKILL. The port (asked as 0) is read
 * back from the startup event 1000.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path eventsFile;
    private final Path output;
    private final int port;

    private ServerProcess(Process process, Path eventsFile, Path output, int startEvents) {
        this.process = process;
        this.eventsFile = eventsFile;
        this.output = output;
        await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive()
                || TestSite.readEvents(eventsFile).stream().filter(e -> e.id() == 1000).count() > startEvents);
        if (!process.isAlive()) {
            throw new IllegalStateException("listgate exited with " + process.exitValue() + ": " + output());
        }
        List<LoggedEvent> starts = TestSite.readEvents(eventsFile).stream().filter(e -> e.id() == 1000).toList();
        this.port = ((Number) starts.get(starts.size() - 1).fields().get("port")).intValue();
    }

    /** Starts {@code serve} for the site's written configuration, on a free port. */
    public static ServerProcess start(TestSite site) throws IOException {
        return start(site, 0);
    }

    /**
     * Starts {@code serve} on {@code port} (0: a free one), so that clients can find a restarted
     * server where the killed one was.
     */
    public static ServerProcess start(TestSite site, int port) throws IOException {
        Path config = site.write();
        Path eventsFile = site.dir().resolve("events.jsonl");
        int before = (int) TestSite.readEvents(eventsFile).stream().filter(e -> e.id() == 1000).count();
        Path output = site.dir().resolve("server-" + System.nanoTime() + ".out");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.listgate.Main");
        command.add("serve");
        command.add("--config");
        command.add(config.toString());
        command.add("--port");
        command.add(Integer.toString(port));
        Process process = new ProcessBuilder(command).directory(site.dir().toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new ServerProcess(process, eventsFile, output, before);
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, then waits for the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("listgate did not stop within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return java.nio.file.Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

}
