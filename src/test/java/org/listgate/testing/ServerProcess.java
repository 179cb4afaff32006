package org.listgate.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.listgate.events.LoggedEvent;

/**
 * listgate as users run it: {@code java ... org.listgate.cli.Main serve --config FILE}, a separate
 * process that a test can stop with SIGTERM or kill with SIGKILL. The port (asked as 0) is read
 * back from the startup event 1000.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final int port;

    private ServerProcess(Process process, Path eventsFile, Path output, int startEvents) {
        this.process = process;
        this.output = output;
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                !process.isAlive()
                                        || TestSite.readEvents(eventsFile).stream()
                                                        .filter(e -> e.id() == 1000)
                                                        .count()
                                                > startEvents);
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    "listgate exited with " + process.exitValue() + ": " + output());
        }
        List<LoggedEvent> starts =
                TestSite.readEvents(eventsFile).stream().filter(e -> e.id() == 1000).toList();
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
        return start(site, port, List.of());
    }

    /**
     * Starts {@code serve} with the site's spool on a tmpfs of {@code kibibytes} of its own: a disk
     * that really fills up. The tmpfs is mounted in a private mount namespace ({@code unshare
     * -rm}), so only the server sees it, and it goes when the server exits; the Maildirs and the
     * event log stay on the normal disk. Look into the spool through {@link #asSeenByServer}. Check
     * first with {@link #tmpfsUnavailable}.
     */
    public static ServerProcess startWithSpoolOnTmpfs(TestSite site, int kibibytes)
            throws IOException {
        Path spool = site.dir().resolve("spool");
        Files.createDirectories(spool);
        return start(
                site,
                0,
                List.of(
                        "unshare",
                        "-rm",
                        "sh",
                        "-c",
                        "mount -t tmpfs -o size=" + kibibytes + "k none \"$0\" && exec \"$@\"",
                        spool.toString()));
    }

    /**
     * Why {@link #startWithSpoolOnTmpfs} cannot work here (no unshare, user namespaces or mounts
     * not allowed: a container, a CI runner); empty when it can.
     */
    public static Optional<String> tmpfsUnavailable(Path scratch) {
        try {
            Path mountPoint = Files.createDirectories(scratch.resolve("tmpfs-probe"));
            Process probe =
                    new ProcessBuilder(
                                    "unshare",
                                    "-rm",
                                    "sh",
                                    "-c",
                                    "mount -t tmpfs -o size=64k none \"$0\" && echo x > \"$0/x\"",
                                    mountPoint.toString())
                            .redirectErrorStream(true)
                            .start();
            String output =
                    new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                            .trim();
            if (!probe.waitFor(30, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return Optional.of("unshare did not finish");
            }
            if (probe.exitValue() != 0) {
                return Optional.of(
                        "unshare -rm ... mount -t tmpfs exited with "
                                + probe.exitValue()
                                + ": "
                                + output);
            }
            if (Files.exists(mountPoint.resolve("x"))) {
                return Optional.of("the tmpfs was not private to the mount namespace");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run unshare: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** {@code path} as the server sees it, its own mounts included (Linux: /proc/PID/root). */
    public Path asSeenByServer(Path path) {
        Path root = Path.of("/proc", Long.toString(process.pid()), "root");
        return root.resolve(path.toAbsolutePath().toString().substring(1));
    }

    private static ServerProcess start(TestSite site, int port, List<String> wrapper)
            throws IOException {
        Path config = site.write();
        Path eventsFile = site.dir().resolve("events.jsonl");
        int before =
                (int) TestSite.readEvents(eventsFile).stream().filter(e -> e.id() == 1000).count();
        Path output = site.dir().resolve("server-" + System.nanoTime() + ".out");
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.listgate.cli.Main");
        command.add("serve");
        command.add("--config");
        command.add(config.toString());
        command.add("--port");
        command.add(Integer.toString(port));
        Process process =
                new ProcessBuilder(command)
                        .directory(site.dir().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
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
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("listgate did not stop within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(output);
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
