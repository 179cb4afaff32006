package org.listgate.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedSyncTest {

    @TempDir Path dir;

    @Test
    void callersArrivingTogetherShareOneSync() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        SharedSync shared =
                new SharedSync(
                        () -> {
                            syncs.incrementAndGet();
                            sleep(20);
                        });
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 256; i++) {
                calls.add(pool.submit(() -> await(shared)));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // 256 callers, 32 at a time, each sync 20 ms: far fewer syncs than callers.
        assertThat(syncs.get()).isBetween(1, 64);
        assertThat(shared.syncs()).isEqualTo(syncs.get());
    }

    @Test
    void aCallerThatArrivesDuringASyncWaitsForTheNextOne() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger syncs = new AtomicInteger();
        SharedSync shared =
                new SharedSync(
                        () -> {
                            if (syncs.incrementAndGet() == 1) {
                                firstStarted.countDown();
                                awaitLatch(release);
                            }
                        });
        Thread first = new Thread(() -> await(shared));
        first.start();
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();

        // Its write came after the running sync began: that sync does not cover it.
        Thread second = new Thread(() -> await(shared));
        second.start();
        Thread.sleep(100);
        assertThat(second.isAlive()).isTrue();

        release.countDown();
        first.join(10_000);
        second.join(10_000);
        assertThat(second.isAlive()).isFalse();
        assertThat(syncs.get()).isEqualTo(2);
    }

    @Test
    void aFailedSyncFailsItsCallersAndTheNextCallerTriesAgain() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        SharedSync shared =
                new SharedSync(
                        () -> {
                            if (syncs.incrementAndGet() == 1) {
                                throw new IOException("Input/output error");
                            }
                        });

        assertThatThrownBy(shared::await)
                .isInstanceOf(IOException.class)
                .hasMessage("Input/output error");
        shared.await();
        assertThat(syncs.get()).isEqualTo(2);
    }

    @Test
    void syncfsPutsTheFileSystemOnDiskHere() throws Exception {
        var syncfs = Syncfs.of(dir);
        assertThat(syncfs).as("syncfs through JNA on Linux").isPresent();
        Files.writeString(dir.resolve("x"), "written");

        syncfs.get().sync();

        assertThat(Files.readString(dir.resolve("x"))).isEqualTo("written");
    }

    private static void await(SharedSync shared) {
        try {
            shared.await();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
