package org.listgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MaildirNamesTest {

    @Test
    void namesFromSeveralThreadsAreAllDistinct() throws Exception {
        MaildirNames names = new MaildirNames(4242, "mx.example.test");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                work.add(
                        pool.submit(
                                () -> {
                                    for (int i = 0; i < 25_000; i++) {
                                        seen.add(names.next());
                                    }
                                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(100_000);
    }

    @Test
    void followsTheMaildirFormat() {
        long before = System.currentTimeMillis() / 1000;
        String name = new MaildirNames(4242, "mx.example.test").next();
        long after = System.currentTimeMillis() / 1000;

        assertThat(name).matches("[0-9]+\\.M[0-9]{1,6}P4242Q1\\.mx\\.example\\.test");
        assertThat(Long.parseLong(name.substring(0, name.indexOf('.')))).isBetween(before, after);
    }

    @Test
    void escapesSlashAndColonInTheHostName() {
        String name = new MaildirNames(1, "a/b:c").next();

        assertThat(name).endsWith(".a\\057b\\072c");
        assertThat(name).doesNotContain("/").doesNotContain(":");
    }
}
