package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.cli.DriftCommandTest.drift;
import static io.modelmonitor.pipeline.testutil.TestStreams.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.models.bundle.BundleFiles;
import io.modelmonitor.models.synthetic.SyntheticTexts;
import io.modelmonitor.pipeline.cli.DriftCommandTest.Run;
import io.modelmonitor.pipeline.testutil.JsonLines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drift --bundle} on real text (all-MiniLM-L6-v2 through ONNX Runtime, product reviews as
 * the reference kind): held-out reviews are consistent with the bundle's reference, another topic
 * is not, a reference file repeating the rows the PCA was fitted on is not silently tested against,
 * and on one window's events the command reports exactly what the job (embedded Flink) reports for
 * that window.
 */
class DriftBundleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long T0 = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();
    static final int REFERENCE = 600;
    static final int WINDOW = 100;

    @TempDir static Path dir;
    static Path bundle;
    static Path referenceFile;

    /** Reviews none of which is in the reference file: held-out data of the reference's kind. */
    static Path heldOutFile;

    static Path otherTopicFile;

    /** 80 held-out reviews and 20 texts of another topic (ids "mixed-other-..."), interleaved. */
    static Path mixedFile;

    @BeforeAll
    static void fitTextBundle() throws Exception {
        List<String> reference = SyntheticTexts.reviews(REFERENCE, 1);
        Set<String> seen = new HashSet<>(reference);
        List<String> heldOut = new ArrayList<>();
        for (String t : SyntheticTexts.reviews(3 * WINDOW, 2)) {
            if (heldOut.size() < WINDOW && seen.add(t)) {
                heldOut.add(t);
            }
        }
        referenceFile =
                JsonLines.write(
                        dir.resolve("reference.jsonl"), events("ref", reference, T0 - 24 * HOUR));
        heldOutFile = JsonLines.write(dir.resolve("held-out.jsonl"), events("held", heldOut, T0));
        otherTopicFile =
                JsonLines.write(
                        dir.resolve("other-topic.jsonl"),
                        events("other", SyntheticTexts.offTopic(WINDOW, 3), T0 + HOUR));
        List<String> mixed = new ArrayList<>();
        List<String> other = SyntheticTexts.offTopic(WINDOW / 5, 5);
        for (int i = 0; i < WINDOW; i++) {
            ObjectNode e = JSON.createObjectNode();
            boolean isOther = i % 5 == 0;
            e.put("id", (isOther ? "mixed-other-" : "mixed-review-") + i);
            e.put("ts", T0 + 2 * HOUR + i * (HOUR / WINDOW));
            e.put("text", isOther ? other.get(i / 5) : heldOut.get(i));
            mixed.add(e.toString());
        }
        mixedFile = JsonLines.write(dir.resolve("mixed.jsonl"), mixed);
        bundle = dir.resolve("bundle");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Main.execute(
                        new String[] {
                            "fit",
                            "--reference",
                            referenceFile.toString(),
                            "--out",
                            bundle.toString()
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    }

    /** One event per text, spread over the hour from {@code start}. */
    static List<String> events(String prefix, List<String> texts, long start) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode e = JSON.createObjectNode();
            e.put("id", prefix + "-" + i);
            e.put("ts", start + i * (HOUR / texts.size()));
            e.put("text", texts.get(i));
            out.add(e.toString());
        }
        return out;
    }

    static JsonNode mmd(Run r) throws Exception {
        assertEquals(0, r.status(), r.err());
        return JSON.readTree(r.out()).get("drift").get("mmd");
    }

    @Test
    void heldOutTextOfTheReferencesKindIsNotDriftAndAnotherTopicIs() throws Exception {
        JsonNode same =
                mmd(drift("--bundle", bundle.toString(), "--current", heldOutFile.toString()));
        System.out.println("drift --bundle, held-out reviews: " + same);
        assertTrue(same.get("p_value").asDouble() > 0.05, same.toString());
        assertEquals("calibrated", same.get("null").asText(), "the job's default null");
        assertEquals(WINDOW, same.get("n_current").asInt());
        JsonNode other =
                mmd(drift("--bundle", bundle.toString(), "--current", otherTopicFile.toString()));
        System.out.println("drift --bundle, other topic: " + other);
        assertTrue(other.get("p_value").asDouble() < 0.01, other.toString());
    }

    /**
     * The goal on real text: a window of held-out reviews with 20 % of another topic mixed
     * in is flagged, and at least 7 of its top-10 witness exemplars are the other topic (chance:
     * 2).
     */
    @Test
    void theOtherTopicLeadsTheExemplarsOfAMixedWindow() throws Exception {
        JsonNode mmd = mmd(drift("--bundle", bundle.toString(), "--current", mixedFile.toString()));
        System.out.println("drift --bundle, 20 % other topic: " + mmd);
        assertTrue(mmd.get("p_value").asDouble() < 0.01, mmd.toString());
        JsonNode exemplars = mmd.get("exemplars");
        assertEquals(10, exemplars.size());
        int other = 0;
        for (JsonNode e : exemplars) {
            if (e.get("id").asText().startsWith("mixed-other-")) {
                other++;
            }
        }
        System.out.println(
                "drift --bundle, 20 % other topic: "
                        + other
                        + " of the top 10 exemplars are the other topic");
        assertTrue(other >= 7, other + " of 10: " + exemplars);
        JsonNode lacking = mmd.get("reference_exemplars");
        assertEquals(10, lacking.size());
        assertTrue(lacking.get(0).has("index"), "the bundle's sample keeps no ids: rows by index");
    }

    @Test
    void aReferenceFileLosesTheRowsThePcaWasFittedOn() throws Exception {
        Run r =
                drift(
                        "--bundle",
                        bundle.toString(),
                        "--reference",
                        referenceFile.toString(),
                        "--current",
                        heldOutFile.toString());
        JsonNode mmd = mmd(r);
        JsonNode out = JSON.readTree(r.out());
        int nFit =
                JSON.readTree(bundle.resolve(BundleFiles.MANIFEST).toFile())
                        .get("split")
                        .get("n_fit")
                        .asInt();
        int leftOut = out.get("reference_rows_left_out").asInt();
        // At least the fit part; a calibration row repeating a fit row's text is the same data and
        // goes too.
        assertTrue(leftOut >= nFit && leftOut < REFERENCE, out.toString());
        assertEquals(REFERENCE - leftOut, mmd.get("n_reference").asInt());
        System.out.println("drift --bundle --reference (fit rows left out): " + mmd);
        assertTrue(mmd.get("p_value").asDouble() > 0.05, mmd.toString());
    }

    @Test
    void aBundleWithoutFitFingerprintsRefusesAReferenceFile() throws Exception {
        Path old = dir.resolve("old-bundle");
        Files.createDirectories(old);
        try (var files = Files.list(bundle)) {
            for (Path f : files.toList()) {
                Files.copy(f, old.resolve(f.getFileName()));
            }
        }
        // A bundle as written before the fingerprints were recorded.
        ObjectNode manifest =
                (ObjectNode) JSON.readTree(old.resolve(BundleFiles.MANIFEST).toFile());
        ((ObjectNode) manifest.get("files")).remove(BundleFiles.FIT_FINGERPRINTS);
        Files.writeString(old.resolve(BundleFiles.MANIFEST), manifest.toString());
        Files.delete(old.resolve(BundleFiles.FIT_FINGERPRINTS));

        Run refused =
                drift(
                        "--bundle",
                        old.toString(),
                        "--reference",
                        referenceFile.toString(),
                        "--current",
                        heldOutFile.toString());
        assertEquals(2, refused.status(), refused.err());
        assertEquals("", refused.out());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertTrue(
                refused.err().contains("does not record which rows its PCA was fitted on"),
                refused.err());
        JsonNode own = mmd(drift("--bundle", old.toString(), "--current", heldOutFile.toString()));
        assertTrue(
                own.get("p_value").asDouble() > 0.05, "its held-out sample still serves: " + own);
    }

    @Test
    void flagsThatDoNotApplyStopWithOneLine() {
        for (String[] args :
                List.of(
                        new String[] {"--current", heldOutFile.toString()},
                        new String[] {
                            "--bundle",
                            bundle.toString(),
                            "--current",
                            heldOutFile.toString(),
                            "--sigma",
                            "1"
                        },
                        new String[] {
                            "--reference",
                            "x.jsonl",
                            "--current",
                            "y.jsonl",
                            "--mmd-null",
                            "calibrated"
                        })) {
            Run r = drift(args);
            assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    /**
     * The job on a file of two windows (held-out reviews, then another topic), and {@code drift
     * --bundle} on each window's events: the same statistic and the same p-value, window by window.
     */
    @Test
    void oneWindowsEventsGiveTheJobsReportForThatWindow() throws Exception {
        List<String> stream = new ArrayList<>(Files.readAllLines(heldOutFile));
        stream.addAll(Files.readAllLines(otherTopicFile));
        Path events = JsonLines.write(dir.resolve("stream.jsonl"), stream);
        Path reports = dir.resolve("job/reports.jsonl");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Main.execute(
                        new String[] {
                            "run",
                            "--bundle",
                            bundle.toString(),
                            "--events",
                            "file:" + events,
                            "--reports",
                            "file:" + reports,
                            "--alerts",
                            "file:" + dir.resolve("job/alerts.jsonl"),
                            "--window-size",
                            "1h",
                            "--checkpoint-interval",
                            "0"
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        List<JsonNode> windows = JsonLines.read(reports);
        assertEquals(2, windows.size(), windows.toString());
        Path[] files = {heldOutFile, otherTopicFile};
        for (int w = 0; w < 2; w++) {
            JsonNode job = windows.get(w).get("drift").get("mmd");
            assertEquals(
                    Instant.ofEpochMilli(T0 + w * HOUR).toString(),
                    windows.get(w).get("window_start").asText());
            JsonNode cli =
                    mmd(drift("--bundle", bundle.toString(), "--current", files[w].toString()));
            System.out.println("window " + w + ": job " + job + ", drift " + cli);
            assertEquals(job.get("n_window").asInt(), cli.get("n_current").asInt());
            assertEquals(job.get("n_reference").asInt(), cli.get("n_reference").asInt());
            assertEquals(job.get("sigma").asDouble(), cli.get("sigma").asDouble(), 0.0);
            // Equal to rounding (measured 1e-12 relative): ONNX Runtime's sums may round
            // differently when the job's
            // micro-batches group the texts otherwise. The p-value follows: beyond the simulated
            // draws it comes from
            // the fitted tail, a continuous function of the statistic.
            assertEquals(
                    job.get("statistic").asDouble(),
                    cli.get("statistic").asDouble(),
                    1e-9 * Math.abs(job.get("statistic").asDouble()));
            assertEquals(
                    job.get("p_value").asDouble(),
                    cli.get("p_value").asDouble(),
                    1e-9 * job.get("p_value").asDouble());
        }
    }
}
