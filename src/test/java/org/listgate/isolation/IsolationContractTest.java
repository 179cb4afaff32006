package org.listgate.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ADR 0003, checked rather than asserted: outside {@code isolation}, no code catches {@code
 * RuntimeException}, {@code Exception} or {@code Throwable} unless the catch line says why in a
 * comment that starts {@code // isolation:} (a library seam, a rethrow, a hand-over to a boundary
 * or to the uncaught-exception handler).
 */
class IsolationContractTest {

    private static final Path MAIN = Path.of("src/main/java/org/listgate");
    private static final Pattern BROAD_CATCH =
            Pattern.compile(
                    "catch \\((final )?[^)]*\\b(RuntimeException|Exception|Throwable)\\b[^)]*\\)");

    @Test
    void everyBroadCatchOutsideIsolationSaysWhy() throws IOException {
        List<String> unexplained = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java"))
                            .filter(f -> !f.startsWith(MAIN.resolve("isolation")))
                            .toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (BROAD_CATCH.matcher(lines.get(i)).find()
                            && !lines.get(i).contains("// isolation: ")) {
                        unexplained.add(
                                MAIN.relativize(file)
                                        + ":"
                                        + (i + 1)
                                        + ": "
                                        + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(unexplained)
                .as("broad catches outside isolation without an '// isolation: ' reason")
                .isEmpty();
    }

    @Test
    void theScanFindsTheBoundaryItself() throws IOException {
        // A scan that matches nothing would pass for ever: it must see the boundary's own catch.
        String boundary =
                Files.readString(MAIN.resolve("isolation/Boundary.java"), StandardCharsets.UTF_8);
        assertThat(BROAD_CATCH.matcher(boundary).find()).isTrue();
    }
}
