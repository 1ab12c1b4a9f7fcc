package io.modelmonitor.pipeline.reliability;

import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.BundleFitter;
import io.modelmonitor.models.bundle.ReferenceData;
import io.modelmonitor.pipeline.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the reliability tests share: a fitted numeric bundle and {@code ./monitor} runs with
 * captured output.
 */
final class ReliabilityFixtures {
    static final long T0 = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();

    private ReliabilityFixtures() {}

    /**
     * Fits and saves a numeric bundle (with its outlier detector) on {@code reference}: classes
     * "a"/"b" predicted alternately, labels right 90% of the time.
     */
    static Path fitNumericBundle(Path dir, double[][] reference, SplittableRandom random)
            throws IOException {
        List<String> predictions = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < reference.length; i++) {
            String predicted = i % 2 == 0 ? "a" : "b";
            predictions.add(predicted);
            labels.add(random.nextDouble() < 0.9 ? predicted : flip(predicted));
        }
        ReferenceData data =
                ReferenceData.builder()
                        .setFeatures(reference)
                        .optPredictions(predictions)
                        .optLabels(labels)
                        .build();
        BundleFitter.builder()
                .setModality(Modality.NUMERIC)
                .optSeed(1)
                .optAutoencoderEpochs(5)
                .build()
                .fit(data)
                .save(dir);
        return dir;
    }

    static String flip(String label) {
        return label.equals("a") ? "b" : "a";
    }

    /** Exit status and everything {@code ./monitor} printed. */
    record CliRun(int status, String out, String err) {}

    /**
     * {@code ./monitor ARGS} in this JVM, as a user runs it, with its stdout and stderr captured.
     */
    static CliRun monitor(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Main.execute(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(
                status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
