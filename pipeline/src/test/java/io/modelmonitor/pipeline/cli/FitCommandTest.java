package io.modelmonitor.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.ReferenceBundle;
import io.modelmonitor.models.outlier.OutlierMethod;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./monitor fit} end to end on numeric features: the bundle it writes loads back. */
class FitCommandTest {
    @TempDir Path dir;

    private int fit(ByteArrayOutputStream err, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "fit";
        System.arraycopy(args, 0, full, 1, args.length);
        return Main.execute(
                full,
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path reference(int n) throws Exception {
        SplittableRandom rnd = new SplittableRandom(5);
        StringBuilder events = new StringBuilder();
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double p = rnd.nextDouble();
            events.append(
                    String.format(
                            Locale.ROOT,
                            "{\"id\":\"r%d\",\"ts\":%d,\"features\":[%f,%f,%f],\"prediction\":\"%s\",\"scores\":[%.4f,%.4f]}%n",
                            i,
                            1_700_000_000_000L + i,
                            rnd.nextGaussian(),
                            rnd.nextGaussian(),
                            rnd.nextGaussian() * 3,
                            p > 0.5 ? "yes" : "no",
                            1 - p,
                            p));
            labels.append(
                    String.format(
                            Locale.ROOT,
                            "{\"id\":\"r%d\",\"ts\":%d,\"label\":\"%s\"}%n",
                            i,
                            1_700_000_100_000L + i,
                            rnd.nextDouble() < 0.9 == p > 0.5 ? "yes" : "no"));
        }
        Files.writeString(dir.resolve("ref.jsonl"), events);
        Files.writeString(dir.resolve("labels.jsonl"), labels);
        return dir.resolve("ref.jsonl");
    }

    @Test
    void fitsANumericBundleThatLoads() throws Exception {
        Path ref = reference(400);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                fit(
                        err,
                        "--reference",
                        ref.toString(),
                        "--labels",
                        "file:" + dir.resolve("labels.jsonl"),
                        "--out",
                        dir.resolve("bundle").toString(),
                        "--seed",
                        "7");
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        ReferenceBundle bundle = ReferenceBundle.load(dir.resolve("bundle"));
        assertEquals(Modality.NUMERIC, bundle.modality());
        assertTrue(Files.exists(dir.resolve("bundle/manifest.json")));
    }

    @Test
    void outlierFlagChoosesTheDetectorTheBundleRecords() throws Exception {
        Path ref = reference(300);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                fit(
                        err,
                        "--reference",
                        ref.toString(),
                        "--out",
                        dir.resolve("knn").toString(),
                        "--outlier",
                        "knn");
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals("knn", ReferenceBundle.load(dir.resolve("knn")).outlierScorer().name());
        assertEquals(
                0,
                fit(err, "--reference", ref.toString(), "--out", dir.resolve("auto").toString()));
        assertEquals(
                OutlierMethod.defaultFor(Modality.NUMERIC).label(),
                ReferenceBundle.load(dir.resolve("auto")).outlierScorer().name());
    }

    @Test
    void badInputsExitTwo() throws Exception {
        Path ref = reference(50);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, fit(err, "--reference", ref.toString()), "missing --out");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--out"));
        Files.writeString(
                dir.resolve("unrelated-labels.jsonl"),
                "{\"id\":\"zzz\",\"ts\":1,\"label\":\"yes\"}\n");
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertEquals(
                2,
                fit(
                        err2,
                        "--reference",
                        ref.toString(),
                        "--labels",
                        dir.resolve("unrelated-labels.jsonl").toString(),
                        "--out",
                        dir.resolve("b2").toString()));
        assertTrue(
                err2.toString(StandardCharsets.UTF_8).contains("no label matches"),
                err2.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream err3 = new ByteArrayOutputStream();
        assertEquals(
                2,
                fit(
                        err3,
                        "--reference",
                        dir.resolve("missing.jsonl").toString(),
                        "--out",
                        dir.resolve("b3").toString()));
        assertEquals(1, err3.toString(StandardCharsets.UTF_8).strip().lines().count());
    }

    /** A forecast of whole units: JSON integers, many distinct values, numeric labels. */
    private Path forecastReference(int n, int spread) throws Exception {
        SplittableRandom rnd = new SplittableRandom(9);
        StringBuilder events = new StringBuilder();
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < n; i++) {
            long predicted = Math.round(40 + spread * rnd.nextGaussian());
            long actual = predicted + Math.round(2 * rnd.nextGaussian());
            events.append(
                    String.format(
                            Locale.ROOT,
                            "{\"id\":\"r%d\",\"ts\":%d,\"features\":[%f,%f],\"prediction\":%d}%n",
                            i,
                            1_700_000_000_000L + i,
                            rnd.nextGaussian(),
                            rnd.nextGaussian(),
                            predicted));
            labels.append(
                    String.format(
                            Locale.ROOT,
                            "{\"id\":\"r%d\",\"ts\":%d,\"label\":%d}%n",
                            i,
                            1_700_000_100_000L + i,
                            actual));
        }
        Files.writeString(dir.resolve("forecast.jsonl"), events);
        Files.writeString(dir.resolve("forecast-labels.jsonl"), labels);
        return dir.resolve("forecast.jsonl");
    }

    @Test
    void infersRegressionForAForecastOfWholeUnitsAndKeepsTheReferenceErrors() throws Exception {
        Path ref = forecastReference(300, 8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                fit(
                        err,
                        "--reference",
                        ref.toString(),
                        "--labels",
                        dir.resolve("forecast-labels.jsonl").toString(),
                        "--out",
                        dir.resolve("forecast-bundle").toString());
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        ReferenceBundle bundle = ReferenceBundle.load(dir.resolve("forecast-bundle"));
        assertEquals("regression", bundle.task());
        assertTrue(bundle.classes().isEmpty());
        assertEquals(300, bundle.referenceAbsErrors().length);
        assertTrue(
                bundle.referenceMetrics().get("mae") > 0.5
                        && bundle.referenceMetrics().get("mae") < 3,
                bundle.referenceMetrics().toString());
        assertTrue(
                bundle.referenceMetrics().containsKey("rmse")
                        && bundle.referenceMetrics().containsKey("bias"));
        assertTrue(Files.exists(dir.resolve("forecast-bundle/reference_abs_errors.npy")));
        io.modelmonitor.models.bundle.ModelReference model = bundle.toModelReference();
        assertTrue(model.regression());
        assertEquals(300, model.referencePredictedValues().length);

        // --task overrides the guess: the same file read as classes.
        assertEquals(
                0,
                fit(
                        err,
                        "--reference",
                        ref.toString(),
                        "--task",
                        "classification",
                        "--out",
                        dir.resolve("as-classes").toString()),
                err.toString(StandardCharsets.UTF_8));
        assertEquals("classification", ReferenceBundle.load(dir.resolve("as-classes")).task());
        assertTrue(
                fit(
                                new ByteArrayOutputStream(),
                                "--reference",
                                ref.toString(),
                                "--task",
                                "forecast",
                                "--out",
                                dir.resolve("bad").toString())
                        != 0);
    }

    @Test
    void fewIntegralValuesOrStringsAreClasses() throws Exception {
        Path ref =
                forecastReference(200, 0); // predictions 40, labels 40 ± a few: at most ~15 values
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(
                0,
                fit(err, "--reference", ref.toString(), "--out", dir.resolve("few").toString()),
                err.toString(StandardCharsets.UTF_8));
        assertEquals("classification", ReferenceBundle.load(dir.resolve("few")).task());
        // String predictions cannot be a regression.
        Path strings = reference(100);
        assertTrue(
                fit(
                                new ByteArrayOutputStream(),
                                "--reference",
                                strings.toString(),
                                "--task",
                                "regression",
                                "--out",
                                dir.resolve("strings").toString())
                        != 0);
        assertEquals(
                0,
                fit(
                        err,
                        "--reference",
                        strings.toString(),
                        "--out",
                        dir.resolve("strings-ok").toString()));
        assertEquals("classification", ReferenceBundle.load(dir.resolve("strings-ok")).task());
    }
}
