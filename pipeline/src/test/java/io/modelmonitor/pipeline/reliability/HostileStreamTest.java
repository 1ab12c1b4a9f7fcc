package io.modelmonitor.pipeline.reliability;

import static io.modelmonitor.pipeline.reliability.ReliabilityFixtures.T0;
import static io.modelmonitor.pipeline.testutil.TestStreams.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.pipeline.hostile.HostileCorpus;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.reliability.ReliabilityFixtures.CliRun;
import io.modelmonitor.pipeline.testutil.JsonLines;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./monitor run} on a labelled numeric stream, once clean and once with every record of
 * {@link HostileCorpus} mixed in at seeded random positions (a 12 MB line and a 5000×5000 PNG among
 * them), plus hostile labels: corpus label records, labels for ids that never existed, and second
 * labels with the opposite value for real ids. The hostile run must finish, dead-letter each
 * hostile record once with its reason, and report on the valid records exactly what the clean run
 * reports, except the per-window {@code dead_letters} counts and what is derived from them (the
 * dead-letter rate, the data-quality p-value), and the counts of labels that joined nothing, which
 * must account for every extra label.
 */
class HostileStreamTest {
    static final int WINDOWS = 4;
    static final int PER_WINDOW = 80;
    static final int D = 3;

    /** Correct predictions among the first j of each window, so accuracy per window is known. */
    static final int[] CORRECT = {70, 60, 75, 50};

    static final long LABEL_DELAY_MS = 20 * 60_000L;
    static final int UNKNOWN_ID_LABELS = 20;
    static final int DUPLICATE_LABELS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;

    static List<HostileCorpus.Case> hostilePredictions;
    static List<HostileCorpus.Case> hostileLabels;

    /** Hostile prediction records the job attributes to each window, by window index. */
    static int[] attributedPerWindow = new int[WINDOWS];

    /** Extra (unknown-id and repeated) labels whose time falls in a reported window. */
    static int extraLabelsInWindows;

    static Run clean;
    static Run hostile;

    /** What one run of the job wrote. */
    record Run(CliRun cli, List<JsonNode> reports, List<JsonNode> deadLetters) {}

    /** One input line, with the window of a valid prediction or the hostile case it is. */
    record Line(String raw, int window, HostileCorpus.Case hostile) {}

    @BeforeAll
    static void runCleanAndHostile() throws Exception {
        SplittableRandom random = new SplittableRandom(23);
        Path bundle =
                ReliabilityFixtures.fitNumericBundle(
                        dir.resolve("bundle"), TestStreams.gaussian(600, D, 0, random), random);

        List<Line> events = new ArrayList<>();
        List<long[]> labelTimes = new ArrayList<>(); // {label ts, index into labelLines}
        List<String> labelLines = new ArrayList<>();
        for (int w = 0; w < WINDOWS; w++) {
            double[][] x = TestStreams.gaussian(PER_WINDOW, D, 0, random);
            for (int j = 0; j < PER_WINDOW; j++) {
                long ts = T0 + w * HOUR + j * (HOUR / PER_WINDOW);
                String id = "w" + w + "-" + j;
                String predicted = j % 2 == 0 ? "a" : "b";
                events.add(new Line(TestStreams.event(id, ts, null, x[j], predicted), w, null));
                String truth = j < CORRECT[w] ? predicted : ReliabilityFixtures.flip(predicted);
                labelTimes.add(new long[] {ts + LABEL_DELAY_MS, labelLines.size()});
                labelLines.add(TestStreams.label(id, ts + LABEL_DELAY_MS, truth));
            }
        }
        List<String> cleanLabels = inTimeOrder(labelTimes, labelLines);
        clean =
                run(
                        "clean",
                        events.stream().map(Line::raw).collect(Collectors.toList()),
                        cleanLabels,
                        bundle);

        hostilePredictions = HostileCorpus.predictions();
        for (HostileCorpus.Case c : hostilePredictions) {
            events.add(random.nextInt(events.size() + 1), new Line(c.raw(), -1, c));
        }
        int window = 0; // a dead letter before any valid event counts in the first window reported
        for (Line l : events) {
            if (l.hostile == null) {
                window = l.window;
            } else if (carriesARecord(l.hostile) && !namesAnUnmonitoredModel(l.raw)) {
                attributedPerWindow[window]++;
            }
        }
        // Labels for ids that never existed, and a second label with the opposite value, a minute
        // after the first, for real ids: neither may change any report.
        for (int i = 0; i < UNKNOWN_ID_LABELS; i++) {
            long ts = T0 + random.nextLong(WINDOWS * HOUR);
            labelTimes.add(new long[] {ts, labelLines.size()});
            labelLines.add(TestStreams.label("never-predicted-" + i, ts, "a"));
            extraLabelsInWindows++;
        }
        for (int i = 0; i < DUPLICATE_LABELS; i++) {
            int w = random.nextInt(WINDOWS);
            int j =
                    i * (PER_WINDOW / DUPLICATE_LABELS)
                            + random.nextInt(PER_WINDOW / DUPLICATE_LABELS);
            long ts = T0 + w * HOUR + j * (HOUR / PER_WINDOW) + LABEL_DELAY_MS + 60_000L;
            String truth = j < CORRECT[w] ? (j % 2 == 0 ? "a" : "b") : (j % 2 == 0 ? "b" : "a");
            labelTimes.add(new long[] {ts, labelLines.size()});
            labelLines.add(
                    TestStreams.label("w" + w + "-" + j, ts, ReliabilityFixtures.flip(truth)));
            extraLabelsInWindows += ts < T0 + WINDOWS * HOUR ? 1 : 0;
        }
        List<String> labels = inTimeOrder(labelTimes, labelLines);
        hostileLabels = HostileCorpus.labels();
        for (HostileCorpus.Case c : hostileLabels) {
            labels.add(random.nextInt(labels.size() + 1), c.raw());
        }
        hostile =
                run(
                        "hostile",
                        events.stream().map(Line::raw).collect(Collectors.toList()),
                        labels,
                        bundle);
    }

    private static List<String> inTimeOrder(List<long[]> times, List<String> lines) {
        return times.stream()
                .sorted(Comparator.comparingLong(t -> t[0]))
                .map(t -> lines.get((int) t[1]))
                .collect(Collectors.toList());
    }

    private static Run run(String name, List<String> events, List<String> labels, Path bundle) {
        Path out = dir.resolve(name);
        Path reports = out.resolve("reports.jsonl");
        Path deadLetters = out.resolve("dead-letters.jsonl");
        // --max-record-bytes is left at its default: the 12 MB line must be refused by it, not by
        // the source.
        // No source idleness: it is processing-time, and the two runs must see the same watermarks.
        CliRun cli =
                ReliabilityFixtures.monitor(
                        "run",
                        "--bundle",
                        bundle.toString(),
                        "--events",
                        "file:" + JsonLines.write(dir.resolve(name + "-events.jsonl"), events),
                        "--labels",
                        "file:" + JsonLines.write(dir.resolve(name + "-labels.jsonl"), labels),
                        "--alerts",
                        "file:" + out.resolve("alerts.jsonl"),
                        "--reports",
                        "file:" + reports,
                        "--dead-letters",
                        "file:" + deadLetters,
                        "--window-size",
                        "1h",
                        "--permutations",
                        "200",
                        "--source-idleness",
                        "0s",
                        "--parallelism",
                        "2",
                        "--checkpoint-interval",
                        "0");
        return new Run(cli, JsonLines.read(reports), JsonLines.read(deadLetters));
    }

    /** Blank lines separate JSON lines: the job reads no record from them (ParseFunction). */
    private static boolean carriesARecord(HostileCorpus.Case c) {
        return !c.raw().isBlank();
    }

    /**
     * A bad record whose readable {@code model} field names a model the job does not monitor counts
     * in no window.
     */
    private static boolean namesAnUnmonitoredModel(String raw) {
        try {
            JsonNode model = JSON.readTree(raw).get("model");
            return model != null && !model.isNull() && !model.asText().equals("default");
        } catch (Exception unreadable) {
            return false;
        }
    }

    @Test
    void bothRunsFinishWithExitZero() {
        assertEquals(0, clean.cli.status(), clean.cli.err());
        assertEquals(0, hostile.cli.status(), hostile.cli.err());
        assertTrue(clean.deadLetters.isEmpty(), clean.deadLetters.toString());
    }

    @Test
    void everyHostileRecordIsDeadLetteredOnceWithItsReason() {
        List<JsonNode> unmatched = new ArrayList<>(hostile.deadLetters);
        List<String> problems = new ArrayList<>();
        expectDeadLetters("events", hostilePredictions, unmatched, problems);
        expectDeadLetters("labels", hostileLabels, unmatched, problems);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(unmatched.isEmpty(), "dead letters of no hostile record: " + unmatched);
    }

    private static void expectDeadLetters(
            String source,
            List<HostileCorpus.Case> cases,
            List<JsonNode> unmatched,
            List<String> problems) {
        for (HostileCorpus.Case c : cases) {
            if (!carriesARecord(c)) {
                continue;
            }
            List<JsonNode> mine =
                    unmatched.stream()
                            .filter(
                                    d ->
                                            d.get("source").asText().equals(source)
                                                    && isRawOf(d.get("raw").asText(), c.raw()))
                            .collect(Collectors.toList());
            if (mine.size() != 1) {
                problems.add(c.kind() + ": " + mine.size() + " dead letters from " + source);
                continue;
            }
            String reason = mine.get(0).get("reason").asText();
            if (!reason.contains(c.reason())) {
                problems.add(c.kind() + ": reason '" + reason + "' lacks '" + c.reason() + "'");
            }
            unmatched.remove(mine.get(0));
        }
    }

    /** The dead letter's raw is the record, cut to its first characters when the record is huge. */
    private static boolean isRawOf(String deadLetterRaw, String record) {
        return deadLetterRaw.equals(record)
                || deadLetterRaw.length() == EventParser.MAX_RAW_IN_DEAD_LETTER
                        && record.startsWith(deadLetterRaw);
    }

    @Test
    void validRecordsGetTheCleanRunsReportsWhateverSurroundsThem() {
        Map<String, JsonNode> expected = withoutDeadLetterCounts(clean.reports);
        assertEquals(expected, withoutDeadLetterCounts(hostile.reports));

        // The clean run itself is right, so the comparison means something: every event counted,
        // every label joined once, accuracy as constructed.
        TreeMap<String, JsonNode> last = lastRevisions(clean.reports);
        assertEquals(WINDOWS, last.size(), last.keySet().toString());
        int w = 0;
        for (JsonNode r : last.values()) {
            assertEquals(PER_WINDOW, r.get("count").asInt(), r.toString());
            assertEquals(0, r.get("dead_letters").asInt(), r.toString());
            JsonNode p = r.get("performance");
            assertEquals(PER_WINDOW, p.get("labelled").asInt(), r.toString());
            assertEquals(
                    CORRECT[w] / (double) PER_WINDOW,
                    p.get("accuracy").asDouble(),
                    1e-12,
                    r.toString());
            w++;
        }

        // Every extra label is counted once, in the window of its time, as a duplicate (its first
        // label
        // still waited) or an orphan (the first was already joined, or no such id): which of the
        // two
        // depends on how far the watermark had moved, the sum does not.
        long unjoined = 0;
        for (JsonNode r : lastRevisions(hostile.reports).values()) {
            JsonNode p = r.get("performance");
            unjoined +=
                    p.get("duplicate_labels").asLong()
                            + p.get("orphan_labels").asLong()
                            + p.get("late_labels").asLong();
        }
        assertEquals(extraLabelsInWindows, unjoined);
    }

    /** Reports by window and revision, without the field the hostile records may change. */
    private static Map<String, JsonNode> withoutDeadLetterCounts(List<JsonNode> reports) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode r : reports) {
            ObjectNode copy = r.deepCopy();
            copy.remove("dead_letters");
            if (copy.has("data_quality")) {
                ((ObjectNode) copy.get("data_quality")).remove("dead_letter_rate");
            }
            if (copy.has("performance")) {
                ((ObjectNode) copy.get("performance"))
                        .remove(List.of("duplicate_labels", "late_labels", "orphan_labels"));
            }
            if (copy.has(
                    "alerting")) { // data.quality tests the share of rejected records among its
                // kinds of problem
                ((ObjectNode) copy.get("alerting").get("p_values")).remove("data.quality");
            }
            JsonNode previous =
                    out.put(
                            r.get("window_start").asText()
                                    + " revision "
                                    + r.get("revision").asInt(),
                            copy);
            assertEquals(null, previous, "one report per window and revision: " + r);
        }
        return out;
    }

    private static TreeMap<String, JsonNode> lastRevisions(List<JsonNode> reports) {
        TreeMap<String, JsonNode> out = new TreeMap<>();
        for (JsonNode r : reports) {
            out.merge(
                    r.get("window_start").asText(),
                    r,
                    (a, b) -> a.get("revision").asInt() >= b.get("revision").asInt() ? a : b);
        }
        return out;
    }

    @Test
    void deadLettersAreCountedInTheWindowOfTheLastValidEventBeforeThem() {
        int total = 0;
        for (JsonNode r : hostile.reports) {
            int w =
                    (int)
                            ((Instant.parse(r.get("window_start").asText()).toEpochMilli() - T0)
                                    / HOUR);
            assertEquals(
                    attributedPerWindow[w],
                    r.get("dead_letters").asInt(),
                    "window " + w + ": " + r);
        }
        for (int n : attributedPerWindow) {
            total += n;
        }
        long attributedInOutput =
                hostile.deadLetters.stream()
                        .filter(
                                d ->
                                        d.get("source").asText().equals("events")
                                                && d.path("model").asText().equals("default"))
                        .count();
        assertEquals(
                total,
                attributedInOutput,
                "dead letters the output attributes to the monitored model");
        assertFalse(total == 0);
    }
}
