package org.listgate.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmarks' folders: made under {@code java.io.tmpdir} (give {@code -Djava.io.tmpdir=...}
 * through {@code -jvmArgsAppend} to measure another disk; on a tmpfs the fsyncs cost nothing) and
 * removed with all they hold.
 */
public final class Scratch {

    private Scratch() {}

    /** A new empty folder. */
    public static Path folder(String name) throws IOException {
        return Files.createTempDirectory("listgate-bench-" + name + "-");
    }

    /** Removes {@code folder} and everything under it; nothing if it is gone. */
    public static void remove(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }

    /** Removes the files directly in {@code folder}, which stays. */
    public static void empty(Path folder) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }
}
