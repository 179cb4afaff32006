package org.listgate.directory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Lookups remembered for a while, found and not found alike (Postfix's proxymap does the same for
 * its tables). Concurrent lookups of one address are done once: the others wait for the first. A
 * lookup that fails is not remembered. At most {@value #MAX_ENTRIES} addresses are kept: past that
 * the cache starts afresh, so a client trying random addresses cannot grow it without bound.
 */
final class LookupCache {

    static final int MAX_ENTRIES = 100_000;

    /** A lookup that may fail with an outage. */
    @FunctionalInterface
    interface Lookup {
        Optional<Entry> run() throws DirectoryUnavailable;
    }

    private record Answer(Optional<Entry> entry, long expires) {}

    private final long ttlNanos;
    private final ConcurrentHashMap<String, CompletableFuture<Answer>> answers =
            new ConcurrentHashMap<>();

    LookupCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    Optional<Entry> get(String key, Lookup lookup) throws DirectoryUnavailable {
        if (ttlNanos <= 0) {
            return lookup.run();
        }
        while (true) {
            CompletableFuture<Answer> mine = new CompletableFuture<>();
            CompletableFuture<Answer> known = answers.putIfAbsent(key, mine);
            if (known == null) {
                return fill(key, mine, lookup);
            }
            Answer answer = await(known);
            if (answer != null && answer.expires() - System.nanoTime() > 0) {
                return answer.entry();
            }
            answers.remove(key, known);
        }
    }

    private Optional<Entry> fill(String key, CompletableFuture<Answer> mine, Lookup lookup)
            throws DirectoryUnavailable {
        if (answers.size() > MAX_ENTRIES) {
            answers.clear();
            answers.put(key, mine);
        }
        try {
            Optional<Entry> entry = lookup.run();
            mine.complete(new Answer(entry, System.nanoTime() + ttlNanos));
            return entry;
        } catch (DirectoryUnavailable | RuntimeException e) { // isolation: rethrown, not cached
            answers.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** The answer another lookup gave; null when it failed (the caller then asks itself). */
    private static Answer await(CompletableFuture<Answer> known) {
        try {
            return known.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** What is cached for {@code key} and still fresh; null when nothing is (no lookup is made). */
    Optional<Entry> peek(String key) {
        CompletableFuture<Answer> known = answers.get(key);
        if (known == null || !known.isDone() || known.isCompletedExceptionally()) {
            return null;
        }
        Answer answer = known.join();
        return answer.expires() - System.nanoTime() > 0 ? answer.entry() : null;
    }

    void clear() {
        answers.clear();
    }
}
