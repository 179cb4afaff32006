package org.listgate.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.listgate.events.Event;
import org.listgate.events.EventId;
import org.listgate.events.Text;
import org.listgate.isolation.Boundary;

/**
 * How {@code listgate queue} asks a running server to act on its queue, through the spool itself:
 * no port to open, no credentials, and only who may write the spool may ask. A request is one line
 * in {@code control/<id>.request} (an {@link AtomicFile}, written under another name and renamed,
 * so the server never reads half of one); the server answers in {@code control/<id>.answer}, the
 * same way, and removes the request. The requests are {@link ControlRequest}s.
 */
public final class Control implements AutoCloseable {

    private final Path dir;
    private final UnaryOperator<String> handler;
    private final Boundary boundary;
    private final ScheduledExecutorService poller;

    private Control(Path dir, UnaryOperator<String> handler, Boundary boundary) {
        this.dir = dir;
        this.handler = handler;
        this.boundary = boundary;
        this.poller =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "queue-control");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /**
     * Serves requests in {@code dir}: each line to {@code handler}, whose reply is the answer; a
     * fault in a request or in the polling is reported through {@code boundary} (9001).
     */
    public static Control serve(
            Path dir, UnaryOperator<String> handler, Boundary boundary, Duration poll) {
        Control control = new Control(dir, handler, boundary);
        // poll() reports its own faults (9001), so the polling never ends on one; stopped by
        // close().
        ScheduledFuture<?> unused =
                control.poller.scheduleWithFixedDelay(
                        control::poll, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
        return control;
    }

    /** Sends one request and waits for the answer; empty on time-out (the request is withdrawn). */
    public static java.util.Optional<String> ask(Path dir, String request, Duration timeout)
            throws IOException {
        String id = UUID.randomUUID().toString();
        AtomicFile.write(
                dir.resolve("." + id + ".tmp"), dir.resolve(id + ".request"), line(request));
        Path answer = dir.resolve(id + ".answer");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String text = Files.readString(answer, StandardCharsets.UTF_8).trim();
                Files.deleteIfExists(answer);
                return java.util.Optional.of(text);
            } catch (NoSuchFileException e) {
                sleep(50);
            }
        }
        Files.deleteIfExists(dir.resolve(id + ".request"));
        return java.util.Optional.empty();
    }

    private void poll() {
        try (DirectoryStream<Path> requests = Files.newDirectoryStream(dir, "*.request")) {
            for (Path request : requests) {
                answer(request);
            }
        } catch (IOException e) {
            // The next poll tries again; a request is answered at most once (it is removed first).
        } catch (RuntimeException e) { // isolation: reported as 9001; the next poll goes on
            boundary.report(
                    Boundary.Scope.THREAD, Event.of(EventId.EXCEPTION).with("stage", "control"), e);
        }
    }

    private void answer(Path request) throws IOException {
        String name = request.getFileName().toString();
        String id = name.substring(0, name.length() - ".request".length());
        String line;
        try {
            line = Files.readString(request, StandardCharsets.UTF_8).trim();
            Files.delete(request);
        } catch (NoSuchFileException e) {
            return;
        }
        String asked = line;
        String reply =
                boundary.guard(
                        Boundary.Scope.REQUEST,
                        Event.of(EventId.EXCEPTION).with("request", Text.cut(asked, 200)),
                        () -> handler.apply(asked),
                        fault -> "error " + fault.getClass().getSimpleName());
        AtomicFile.write(
                dir.resolve("." + id + ".answer.tmp"), dir.resolve(id + ".answer"), line(reply));
    }

    private static AtomicFile.Content line(String text) {
        return out -> out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
