package io.modelmonitor.pipeline.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelmonitor.pipeline.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reference bundles on disk, fitted by {@code ./monitor fit} as a user would. */
public final class TestBundles {
    private TestBundles() {}

    /**
     * Fits a numeric bundle on {@code rows} (predictions alternate "a", "b") into {@code out}; the
     * reference events file goes beside it.
     */
    public static Path fitNumeric(Path out, double[][] rows) {
        List<String> lines = new ArrayList<>();
        long t0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < rows.length; i++) {
            lines.add(TestStreams.event("r" + i, t0 + i, null, rows[i], i % 2 == 0 ? "a" : "b"));
        }
        Path ref =
                JsonLines.write(out.resolveSibling(out.getFileName() + "-reference.jsonl"), lines);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Main.execute(
                        new String[] {
                            "fit",
                            "--reference",
                            ref.toString(),
                            "--out",
                            out.toString(),
                            "--seed",
                            "3"
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return out;
    }

    /** A {@code --references} record. */
    public static String update(String model, Path bundle, long from) {
        return "{\"model\":\""
                + model
                + "\",\"bundle\":\""
                + bundle
                + "\",\"from\":\""
                + Instant.ofEpochMilli(from)
                + "\"}";
    }
}
