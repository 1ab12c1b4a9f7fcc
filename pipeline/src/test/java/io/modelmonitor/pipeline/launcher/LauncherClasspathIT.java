package io.modelmonitor.pipeline.launcher;

import static io.modelmonitor.pipeline.testutil.TestStreams.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.pipeline.testutil.TestStreams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code ./monitor fit} and {@code ./monitor run} as a user does: a child JVM whose class path
 * is exactly what the launcher script builds from the packaged jar and {@code
 * target/launcher.classpath}, with nothing from the test class path. A dependency that only the
 * tests see (a test-scoped declaration overriding a runtime one) fails here, after {@code package},
 * while every unit test stays green.
 */
class LauncherClasspathIT {
    private static final Path ROOT =
            Path.of(System.getProperty("monitor.root", "..")).toAbsolutePath().normalize();

    @TempDir Path dir;

    @Test
    void theLaunchersClasspathFitsABundleAndRunsAJobThatAlerts() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        long t0 = 1_700_000_000_000L / HOUR * HOUR;
        List<String> reference = new ArrayList<>();
        double[][] rows = TestStreams.gaussian(600, 4, 0, random);
        for (int i = 0; i < rows.length; i++) {
            reference.add(
                    TestStreams.event("r" + i, t0 - HOUR, null, rows[i], i % 2 == 0 ? "a" : "b"));
        }
        List<String> events = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            double[][] x = TestStreams.gaussian(200, 4, w >= 2 ? 3.0 : 0.0, random);
            for (int i = 0; i < x.length; i++) {
                events.add(
                        TestStreams.event(
                                "e" + w + "-" + i,
                                t0 + w * HOUR + i * 1000L,
                                null,
                                x[i],
                                i % 2 == 0 ? "a" : "b"));
            }
        }
        Files.write(dir.resolve("reference.jsonl"), reference, StandardCharsets.UTF_8);
        Files.write(dir.resolve("events.jsonl"), events, StandardCharsets.UTF_8);

        Result fit =
                monitor(
                        "fit",
                        "--reference",
                        dir.resolve("reference.jsonl").toString(),
                        "--out",
                        dir.resolve("bundle").toString());
        assertEquals(0, fit.exit, fit.output);

        Result run =
                monitor(
                        "run",
                        "--bundle",
                        dir.resolve("bundle").toString(),
                        "--events",
                        "file:" + dir.resolve("events.jsonl"),
                        "--alerts",
                        "file:" + dir.resolve("alerts.jsonl"),
                        "--reports",
                        "file:" + dir.resolve("reports.jsonl"),
                        "--window-size",
                        "1h");
        assertEquals(0, run.exit, run.output);
        assertEquals(4, Files.readAllLines(dir.resolve("reports.jsonl")).size(), run.output);
        String alerts = Files.readString(dir.resolve("alerts.jsonl"));
        assertTrue(alerts.contains("\"detector\":\"drift.mmd\",\"status\":\"open\""), alerts);
    }

    private record Result(int exit, String output) {}

    private Result monitor(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("monitor").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment()
                .put(
                        "MONITOR_SKIP_BUILD",
                        "1"); // the jar under test is the one `package` just built
        pb.environment().put("MONITOR_JAVA_OPTS", "-Xmx1g");
        pb.environment().remove("CLASSPATH");
        Path log = dir.resolve(args[0] + ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
