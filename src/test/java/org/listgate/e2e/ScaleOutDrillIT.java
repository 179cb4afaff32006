package org.listgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out drill ({@code src/drill/scale-out.sh}) as README tells an administrator to run it,
 * shortened: two gateways of the packaged jar, two slapd in mirror mode and Dovecot in network
 * namespaces of their own, a gateway killed under load, a directory server stopped, a list changed.
 * Its own accounting must find nothing lost, and this test reads that accounting back.
 *
 * <p>Root only (it creates network namespaces), as CI runs; skipped otherwise. Runs after {@code
 * package} (the build's {@code *IT} execution), so the jar is the one users run.
 */
class ScaleOutDrillIT {

    @TempDir Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    @SuppressWarnings("unchecked")
    void underLoadAKilledGatewayAStoppedDirectoryAndAListChangeLoseNothing() throws Exception {
        assumeTrue(
                ((Integer) Files.getAttribute(dir, "unix:uid")) == 0,
                "the drill creates network namespaces: root only");
        assumeTrue(namespacesWork(), "this machine cannot create network namespaces");
        Path report = dir.resolve("drill.json");
        Path output = dir.resolve("drill.out");

        Process drill =
                new ProcessBuilder(
                                "src/drill/scale-out.sh",
                                "--seconds",
                                "24",
                                "--rate",
                                "8",
                                "--throughput-rounds",
                                "0",
                                "--report",
                                report.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
        if (!drill.waitFor(4, TimeUnit.MINUTES)) {
            drill.destroy(); // SIGTERM: the script removes what it made
            drill.waitFor(30, TimeUnit.SECONDS);
        }

        String told = read(output);
        assertThat(drill.exitValue()).as(told).isZero();
        assertThat(told).contains("PASS: nothing lost");
        Map<String, Object> accounting = JSON.std.mapFrom(Files.readString(report));
        assertThat(accounting)
                .as(told)
                .containsEntry("messages", 192)
                .containsEntry("accepted", 192)
                .containsEntry("lost", 0)
                .containsEntry("rcpt5xx", 0)
                .containsEntry("exceptions9001", Map.of("gw1", 0, "gw2", 0))
                .containsEntry("queuesLeft", Map.of("gw1", 0, "gw2", 0));
        Map<String, Object> byGateway = (Map<String, Object>) accounting.get("acceptedByGateway");
        assertThat(byGateway).containsOnlyKeys("gw1", "gw2");
        assertThat(((Number) accounting.get("passedOver")).intValue())
                .as("sessions found gw1 dead and went on to gw2")
                .isPositive();
        assertThat(accounting.get("resumedAfterRestart2005"))
                .as("what gw1 held when it was killed, it delivered after its restart")
                .isEqualTo(Map.of("gw1", accounting.get("queueWhenKilled"), "gw2", 0));
        Map<String, Object> seen = (Map<String, Object>) accounting.get("listChangeSeenMs");
        assertThat(seen.values())
                .as("both gateways used the changed list")
                .allSatisfy(ms -> assertThat(ms).isNotNull());
        assertThat(((Number) accounting.get("copiesDelivered")).intValue())
                .isGreaterThanOrEqualTo(192 * 18);
    }

    /**
     * Whether {@code ip netns add} works here (a container may forbid it): one made and removed.
     */
    private static boolean namespacesWork() throws IOException, InterruptedException {
        String name = "lgprobe" + ProcessHandle.current().pid();
        boolean made =
                new ProcessBuilder("ip", "netns", "add", name)
                                .redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                .start()
                                .waitFor()
                        == 0;
        new ProcessBuilder("ip", "netns", "delete", name)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
        return made;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
