package org.listgate.spool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Makes spool writes durable, sharing the forcing among writers that arrive together. A message is
 * durable once its file is forced and its name is in a forced directory; with group commit, the
 * renames of every message that is ready at the same moment are done by one thread and the
 * directory is forced once for all of them, so that concurrent acceptances do not each pay a
 * directory fsync. Journal forces are batched the same way: one force per journal per batch.
 *
 * <p>Off ({@code spool.groupCommit = false}), each caller does its own rename and forces.
 */
public final class GroupCommit implements AutoCloseable {

    private sealed interface Request {
        CompletableFuture<Void> done();
    }

    private record Publish(Path from, Path to, CompletableFuture<Void> done) implements Request {}

    private record Force(FileChannel channel, CompletableFuture<Void> done) implements Request {}

    /**
     * Asks the worker to stop; never interrupt it, as an interrupt closes the channel it forces.
     */
    private record Stop(CompletableFuture<Void> done) implements Request {}

    private final boolean enabled;
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;
    private boolean stopped;

    public GroupCommit(boolean enabled) {
        this.enabled = enabled;
        if (enabled) {
            worker = new Thread(this::run, "spool-commit");
            worker.setDaemon(true);
            worker.start();
        } else {
            worker = null;
        }
    }

    /**
     * Renames {@code from} to {@code to} atomically and forces the target directory; blocks until
     * durable.
     */
    public void publish(Path from, Path to) throws IOException {
        if (!enabled || closed) {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(to.getParent());
            return;
        }
        await(submit(new Publish(from, to, new CompletableFuture<>())));
    }

    /** Forces {@code channel}'s data to disk; blocks until done. */
    public void force(FileChannel channel) throws IOException {
        if (!enabled || closed) {
            channel.force(false);
            return;
        }
        await(submit(new Force(channel, new CompletableFuture<>())));
    }

    private CompletableFuture<Void> submit(Request request) {
        synchronized (requests) {
            if (!stopped) {
                requests.add(request);
                return request.done();
            }
        }
        commit(List.of(request));
        return request.done();
    }

    private static void await(CompletableFuture<Void> done) throws IOException {
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the disk");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private void run() {
        List<Request> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(requests.take());
            } catch (InterruptedException e) {
                continue;
            }
            requests.drainTo(batch);
            stop = batch.removeIf(request -> request instanceof Stop);
            if (stop) {
                synchronized (requests) {
                    stopped = true;
                    requests.drainTo(batch);
                }
            }
            commit(batch);
            batch.clear();
        }
    }

    private static void commit(List<Request> batch) {
        Map<Path, List<Publish>> byDirectory = new LinkedHashMap<>();
        Map<FileChannel, List<Force>> byChannel = new LinkedHashMap<>();
        for (Request request : batch) {
            try {
                if (request instanceof Publish publish) {
                    Files.move(publish.from(), publish.to(), StandardCopyOption.ATOMIC_MOVE);
                    byDirectory
                            .computeIfAbsent(publish.to().getParent(), dir -> new ArrayList<>())
                            .add(publish);
                } else if (request instanceof Force force) {
                    byChannel
                            .computeIfAbsent(force.channel(), channel -> new ArrayList<>())
                            .add(force);
                }
            } catch (IOException | RuntimeException e) { // isolation: handed to the waiting session
                request.done().completeExceptionally(e);
            }
        }
        byChannel.forEach(
                (channel, forces) -> {
                    try {
                        channel.force(false);
                        forces.forEach(force -> force.done().complete(null));
                    } catch (IOException
                            | RuntimeException e) { // isolation: handed to the waiting session
                        forces.forEach(force -> force.done().completeExceptionally(e));
                    }
                });
        byDirectory.forEach(
                (dir, publishes) -> {
                    try {
                        forceDirectory(dir);
                        publishes.forEach(publish -> publish.done().complete(null));
                    } catch (IOException
                            | RuntimeException e) { // isolation: handed to the waiting session
                        publishes.forEach(publish -> publish.done().completeExceptionally(e));
                    }
                });
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Finishes what was asked, then stops the thread; later calls work without sharing. */
    @Override
    public void close() {
        closed = true;
        if (worker != null) {
            requests.add(new Stop(new CompletableFuture<>()));
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
