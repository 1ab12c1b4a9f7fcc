package io.modelmonitor.pipeline.launcher;

import static io.modelmonitor.pipeline.testutil.TestStreams.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /**
     * A one-shot command logs without log4j-core and, from its second run on, loads its classes
     * from the class-data archive its first run left; both runs print the same result.
     */
    @Test
    void aOneShotCommandStartsFromItsClassArchiveWithoutLog4jCore() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        for (String name : List.of("reference", "current")) {
            List<String> lines = new ArrayList<>();
            for (double[] row : TestStreams.gaussian(40, 3, 0, random)) {
                lines.add(
                        java.util.Arrays.stream(row)
                                .mapToObj(Double::toString)
                                .collect(java.util.stream.Collectors.joining(",")));
            }
            lines.add(0, "a,b,c");
            Files.write(dir.resolve(name + ".csv"), lines, StandardCharsets.UTF_8);
        }
        Path archives = ROOT.resolve("pipeline/target/cds");
        for (Path old : driftArchives(archives)) {
            Files.delete(old);
        }
        String[] drift = {
            "drift",
            "--reference",
            dir.resolve("reference.csv").toString(),
            "--current",
            dir.resolve("current.csv").toString(),
            "--permutations",
            "200"
        };
        Path firstClasses = dir.resolve("first-classes.log");
        Result first =
                monitor(Path.of("first-drift.log"), "-Xlog:class+load:file=" + firstClasses, drift);
        assertEquals(0, first.exit, first.output);
        assertEquals(1, driftArchives(archives).size(), "the first run writes the class archive");
        Path secondClasses = dir.resolve("second-classes.log");
        Result second =
                monitor(
                        Path.of("second-drift.log"),
                        "-Xlog:class+load:file=" + secondClasses,
                        drift);
        assertEquals(0, second.exit, second.output);
        assertEquals(first.output, second.output);
        assertTrue(second.output.contains("\"mmd\""), second.output);

        String loaded = Files.readString(secondClasses);
        assertTrue(
                loaded.contains(
                        "io.modelmonitor.pipeline.cli.DriftCommand source: shared objects file (top)"),
                "DriftCommand from the archive");
        for (String log : List.of(Files.readString(firstClasses), loaded)) {
            // log4j-api's provider lookup still loads a dozen of log4j-core's classes; its
            // logger context and configuration must stay out.
            assertFalse(
                    log.contains("org.apache.logging.log4j.core.LoggerContext "),
                    "log4j-core's logger context was created");
            assertTrue(
                    log.contains("org.apache.logging.log4j.simple.SimpleLogger "),
                    "the simple logger serves SLF4J");
        }
    }

    /** The launcher's archives of {@code drift} (one per JVM build). */
    private static List<Path> driftArchives(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("drift-\\d+\\.jsa"))
                    .toList();
        }
    }

    private record Result(int exit, String output) {}

    private Result monitor(String... args) throws IOException, InterruptedException {
        return monitor(Path.of(args[0] + ".log"), "", args);
    }

    private Result monitor(Path logName, String javaOpts, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("monitor").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment()
                .put(
                        "MONITOR_SKIP_BUILD",
                        "1"); // the jar under test is the one `package` just built
        pb.environment().put("MONITOR_JAVA_OPTS", ("-Xmx1g " + javaOpts).trim());
        pb.environment().remove("CLASSPATH");
        Path log = dir.resolve(logName);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
