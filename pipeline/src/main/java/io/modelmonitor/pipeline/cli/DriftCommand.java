package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.DriftOptions.CURRENT;
import static io.modelmonitor.pipeline.options.DriftOptions.SIGMA;
import static io.modelmonitor.pipeline.options.DriftOptions.TEST;
import static io.modelmonitor.pipeline.options.SharedOptions.ALPHA;
import static io.modelmonitor.pipeline.options.SharedOptions.BUNDLE;
import static io.modelmonitor.pipeline.options.SharedOptions.DEVICE;
import static io.modelmonitor.pipeline.options.SharedOptions.ENCODER;
import static io.modelmonitor.pipeline.options.SharedOptions.ENCODER_THREADS;
import static io.modelmonitor.pipeline.options.SharedOptions.EXEMPLARS;
import static io.modelmonitor.pipeline.options.SharedOptions.MAX_RECORD_BYTES;
import static io.modelmonitor.pipeline.options.SharedOptions.MMD_NULL;
import static io.modelmonitor.pipeline.options.SharedOptions.PERMUTATIONS;
import static io.modelmonitor.pipeline.options.SharedOptions.REFERENCE;
import static io.modelmonitor.pipeline.options.SharedOptions.SEED;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.detectors.linalg.FlatMatrix;
import io.modelmonitor.detectors.mmd.ExplainedMmd;
import io.modelmonitor.detectors.mmd.MmdDetector;
import io.modelmonitor.detectors.mmd.MmdResult;
import io.modelmonitor.detectors.mmd.NullMode;
import io.modelmonitor.detectors.mmd.RffMmd;
import io.modelmonitor.detectors.mmd.Witness;
import io.modelmonitor.detectors.univariate.FeatureDriftTester;
import io.modelmonitor.detectors.univariate.FeatureResult;
import io.modelmonitor.models.bundle.InputFingerprints;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.bundle.ReferenceBundle;
import io.modelmonitor.models.tabular.NamedValues;
import io.modelmonitor.models.tabular.TableSchema;
import io.modelmonitor.pipeline.embed.EncoderLoader;
import io.modelmonitor.pipeline.embed.EventEmbedder;
import io.modelmonitor.pipeline.io.JsonLinesFile;
import io.modelmonitor.pipeline.io.NumericSample;
import io.modelmonitor.pipeline.job.ReferenceBundles;
import io.modelmonitor.pipeline.job.ReferenceValidator;
import io.modelmonitor.pipeline.options.ConfigurationException;
import io.modelmonitor.pipeline.options.DriftOptions;
import io.modelmonitor.pipeline.options.RunOptions;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.InvalidRecordException;
import io.modelmonitor.pipeline.record.PredictionEvent;
import io.modelmonitor.pipeline.results.ReportJson;
import io.modelmonitor.pipeline.results.ReportRecord;
import io.modelmonitor.pipeline.window.TableColumns;
import io.modelmonitor.pipeline.window.WindowEvaluator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * {@code ./monitor drift}: one-shot test of a current sample against a reference, one JSON object
 * on stdout.
 *
 * <p>Without {@code --bundle} (numeric features from JSON lines, {@code .npy} or {@code .csv}:
 * {@link NumericSample}) the MMD runs on the raw feature vectors, plus a per-feature test of every
 * column: the exact permutation test, so that any other implementation can check the figures, where
 * {@link DriftTestChoice} finds it cheap, else the linear-time random-feature test ({@link
 * RffHotellingDrift}). Named features (an object per record) are coded by a schema inferred from
 * the reference, as {@code fit} infers it: the MMD then runs on the schema's vectors and each
 * column gets the test of its type.
 *
 * <p>With {@code --bundle}, the command tests what the job tests: the current file goes through the
 * job's own per-event path ({@link EventEmbedder}: the bundle's encoder, then {@link
 * ModelReference}'s standardisation and reduction) and is tested against the bundle's held-out
 * reference sample by the detector the job builds ({@link ModelReference#mmdDetector}: the bundle's
 * bandwidth, {@code --mmd-null}, {@code --permutations}, {@code --seed}). A file holding exactly
 * one window's events therefore gets that window's MMD statistic and p-value. An optional {@code
 * --reference} file replaces the held-out sample; its rows that the bundle's standardisation, PCA
 * and autoencoder were fitted on (found by input fingerprint) are left out and counted in the
 * output, because a sample tested against the data its reduction was fitted on looks closer to it
 * than new data of the same kind does, and held-out text of the very reference's kind would then
 * look drifted.
 */
public final class DriftCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "drift";
    }

    @Override
    public String summary() {
        return "one-shot test of a current sample against a reference, JSON to stdout";
    }

    @Override
    public String details() {
        return "Without --bundle: numeric or named features; --reference is required. Numeric features come from JSON\n"
                + "lines, .npy (2-D, as numpy writes it) or .csv (header row, numeric columns), by extension. --test auto (the\n"
                + "default) runs the exact permutation MMD on the raw features where it is cheap (at most "
                + DriftTestChoice.MAX_EXACT_POOLED_ROWS
                + " rows in all and\n"
                + "permutations × s(s−1)/2 at most 2·10⁹, s the smaller sample: e.g. 5000 vs 1000 rows), else the\n"
                + "linear-time random-feature test (rff_hotelling: Hotelling's T² on random Fourier features, for\n"
                + "millions of rows); plus a per-feature test. Named features (an object per record) are coded by the\n"
                + "schema inferred from --reference, as fit does; each column is tested by its type and named in the output.\n"
                + "With --bundle: the job's test. --current is embedded and reduced exactly as the job does and tested against\n"
                + "the bundle's held-out reference sample with the job's detector (--mmd-null, --permutations, --seed, the\n"
                + "bundle's bandwidth): one window's events give that window's statistic and p-value. --reference is optional;\n"
                + "when given it replaces the held-out sample, and its rows the bundle's PCA was fitted on are left out\n"
                + "(counted as reference_rows_left_out), since data tested against what its reduction was fitted on looks\n"
                + "closer than new data of the same kind. --mmd-null applies with --bundle only.";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return CommandLine.ordered(
                REFERENCE,
                CURRENT,
                BUNDLE,
                TEST,
                MMD_NULL,
                PERMUTATIONS,
                EXEMPLARS,
                SEED,
                SIGMA,
                ALPHA,
                MAX_RECORD_BYTES,
                ENCODER,
                DEVICE,
                ENCODER_THREADS);
    }

    @Override
    public Set<ConfigOption<?>> required() {
        return Set.of(CURRENT);
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Configuration conf = line.config();
        DriftOptions.DriftTest requested = conf.get(TEST);
        if (conf.contains(BUNDLE)
                && requested != DriftOptions.DriftTest.AUTO
                && requested != DriftOptions.DriftTest.MMD) {
            throw new ConfigurationException(
                    "--test "
                            + requested.name().toLowerCase()
                            + " applies to numeric --reference files; with --bundle 'drift' runs the job's test");
        }
        EventParser parser =
                EventParser.builder().optMaxRecordBytes(conf.get(MAX_RECORD_BYTES)).build();
        Path curFile = Path.of(conf.get(CURRENT));
        ObjectNode out =
                conf.contains(BUNDLE)
                        ? withBundle(conf, parser, curFile)
                        : withoutBundle(conf, parser, curFile);
        System.out.println(JSON.writeValueAsString(out));
        return 0;
    }

    private static ObjectNode withoutBundle(Configuration conf, EventParser parser, Path curFile) {
        if (!conf.contains(REFERENCE)) {
            throw new ConfigurationException(
                    "'drift' needs --reference, or --bundle to test against the bundle's reference sample");
        }
        if (conf.contains(MMD_NULL)) {
            throw new ConfigurationException(
                    "--mmd-null applies with --bundle; without it 'drift' runs the test --test names");
        }
        Path refFile = Path.of(conf.get(REFERENCE));
        NumericSample refSample;
        if (NumericSample.isTabular(refFile)) {
            refSample = NumericSample.read(refFile, parser);
        } else {
            List<PredictionEvent> refEvents = JsonLinesFile.readPredictions(refFile, parser);
            if (refEvents.get(0).namedFeatures != null) {
                return tabularWithoutBundle(
                        conf,
                        refEvents,
                        JsonLinesFile.readPredictions(curFile, parser),
                        refFile,
                        curFile);
            }
            refSample = NumericSample.of(refEvents, refFile);
        }
        NumericSample curSample = NumericSample.read(curFile, parser);
        if (refSample.values().cols() != curSample.values().cols()) {
            throw new ConfigurationException(
                    curFile
                            + ": "
                            + curSample.values().cols()
                            + " features, but the reference has "
                            + refSample.values().cols());
        }
        requireSizes(refSample.rows(), curSample.rows());
        String[] names = NumericSample.columnNames(refSample, refFile, curSample, curFile);
        ObjectNode out = fileTest(conf, refSample, curSample, null);
        ArrayNode features = out.putArray("features");
        FeatureDriftTester tester =
                FeatureDriftTester.builder()
                        .setReference(refSample.values())
                        .optAlpha(conf.get(ALPHA))
                        .build();
        for (FeatureResult f : tester.test(curSample.values())) {
            ObjectNode o = features.addObject();
            o.put("index", f.index());
            if (names != null) {
                o.put("name", names[f.index()]);
            }
            o.put("test", f.test());
            o.put("statistic", f.statistic());
            o.put("p_value", f.pValue());
            o.put("p_value_adjusted", f.adjustedPValue());
            o.put("drift", f.drift());
            if (f.unseen() > 0) {
                o.put("unseen", f.unseen());
            }
        }
        return out;
    }

    /**
     * The MMD of a current file against a reference file's rows, by the test {@code --test} names
     * or {@link DriftTestChoice} picks: the exact permutation test, random Fourier features with
     * permutations ({@code rff}), or the linear-time {@code rff_hotelling}; with its exemplars and
     * its directions: the tested coordinates ranked as {@code feature_shifts} when {@code
     * columnShifts} is null, else what {@code columnShifts} writes. Coded named features need the
     * latter, their coordinates being no columns; {@code rff_hotelling} ranks coordinates only, so
     * for them its ranking is left out (the per-column tests still name the changed columns).
     */
    private static ObjectNode fileTest(
            Configuration conf,
            NumericSample refSample,
            NumericSample curSample,
            BiConsumer<ObjectNode, Witness> columnShifts) {
        requireSizes(refSample.rows(), curSample.rows());
        DriftOptions.DriftTest test =
                DriftTestChoice.choose(
                        conf.get(TEST), refSample.rows(), curSample.rows(), conf.get(PERMUTATIONS));
        if (test == DriftOptions.DriftTest.RFF_HOTELLING) {
            ObjectNode out =
                    RffHotellingDrift.run(
                            refSample,
                            curSample,
                            conf.getOptional(SIGMA).orElse(null),
                            conf.get(SEED),
                            conf.get(ALPHA),
                            conf.get(EXEMPLARS));
            if (columnShifts != null) {
                ((ObjectNode) out.get("drift").get("mmd")).remove("feature_shifts");
            }
            return out;
        }
        double[][] reference = refSample.values().toRows();
        double[][] current = curSample.values().toRows();
        if (test != DriftOptions.DriftTest.RFF) {
            ObjectNode out =
                    explained(
                            conf,
                            fileReference(conf, reference, NullMode.PERMUTATION),
                            current,
                            curSample.ids(),
                            refSample.ids(),
                            columnShifts == null ? "feature_shifts" : null,
                            reference,
                            columnShifts);
            ((ObjectNode) out.get("drift").get("mmd")).put("test", "mmd");
            return out;
        }
        RffMmd.Builder rff =
                RffMmd.builder()
                        .setReference(reference)
                        .optPermutations(conf.get(PERMUTATIONS))
                        .optSeed(conf.get(SEED));
        conf.getOptional(SIGMA).ifPresent(rff::optSigma);
        RffMmd rffTest = rff.build();
        ObjectNode out = result(conf, rffTest.test(current));
        ObjectNode mmd = (ObjectNode) out.get("drift").get("mmd");
        mmd.put("test", "rff");
        mmd.put("random_features", rffTest.features());
        if (conf.get(EXEMPLARS) > 0) {
            // the exact witness at the same bandwidth: the random features only approximate it
            Witness witness = Witness.of(reference, current, rffTest.sigma());
            exemplars(mmd, witness, curSample.ids(), refSample.ids(), conf.get(EXEMPLARS));
            if (columnShifts == null) {
                shifts(mmd, "feature_shifts", witness, current, reference, conf.get(EXEMPLARS));
            } else {
                columnShifts.accept(mmd, witness);
            }
        }
        return out;
    }

    /**
     * Named features against a reference file: the schema is inferred from the reference (as {@code
     * fit} does), both files are coded by it, the MMD runs on the schema's vectors (standardised
     * numbers, missing indicators, one-hot categories) and every column gets the test of its type.
     */
    private static ObjectNode tabularWithoutBundle(
            Configuration conf,
            List<PredictionEvent> refEvents,
            List<PredictionEvent> curEvents,
            Path refFile,
            Path curFile) {
        TableSchema schema =
                TableSchema.infer(JsonLinesFile.namedFeatures(refEvents, refFile), Map.of());
        double[][] refCells = cells(schema, refEvents, refFile);
        double[][] curCells = cells(schema, curEvents, curFile);
        int k = conf.get(EXEMPLARS);
        ObjectNode out =
                fileTest(
                        conf,
                        new NumericSample(
                                FlatMatrix.of(schema.vectors(refCells)), ids(refEvents), null),
                        new NumericSample(
                                FlatMatrix.of(schema.vectors(curCells)), ids(curEvents), null),
                        (mmd, witness) ->
                                columnShifts(mmd, schema, witness, curCells, refCells, k));
        columns(out, schema, refCells, curCells, conf.get(ALPHA));
        unknownColumns(out, schema, curEvents);
        return out;
    }

    /**
     * The coded cells of named-feature events; a record with no column of the schema is refused.
     */
    private static double[][] cells(TableSchema schema, List<PredictionEvent> events, Path file) {
        List<NamedValues> named = JsonLinesFile.namedFeatures(events, file);
        double[][] out = new double[named.size()][];
        for (int i = 0; i < out.length; i++) {
            if (schema.knownColumns(named.get(i)) == 0) {
                throw new ConfigurationException(
                        file
                                + ": record "
                                + (i + 1)
                                + ": none of its named features is a column of the reference ("
                                + String.join(", ", schema.names())
                                + ")");
            }
            out[i] = schema.encode(named.get(i));
        }
        return out;
    }

    /** The per-column tests of named features, as the job reports them, under "features". */
    private static void columns(
            ObjectNode out,
            TableSchema schema,
            double[][] refCells,
            double[][] curCells,
            double alpha) {
        ArrayNode features = out.putArray("features");
        for (ReportRecord.FeatureSection f :
                TableColumns.sections(
                        schema, TableColumns.tester(schema, refCells, alpha).test(curCells))) {
            ObjectNode o = features.addObject();
            o.put("index", f.index);
            o.put("name", f.name);
            o.put("type", f.type);
            o.put("test", f.test);
            o.put("statistic", f.statistic);
            o.put("p_value", f.pValue);
            o.put("p_value_adjusted", f.adjustedPValue);
            o.put("drift", f.drift);
            if (f.unseen > 0) {
                o.put("unseen", f.unseen);
            }
            ReportJson.columnQuality(o, f);
        }
    }

    /**
     * Names of the current records that are no column of the schema, with how many records carry
     * each (ignored by the tests, so said here); absent when there are none.
     */
    private static void unknownColumns(
            ObjectNode out, TableSchema schema, List<PredictionEvent> events) {
        Map<String, Integer> unknown = new java.util.TreeMap<>();
        for (PredictionEvent e : events) {
            for (String name : e.namedFeatures.names) {
                if (schema.indexOf(name) < 0) {
                    unknown.merge(name, 1, Integer::sum);
                }
            }
        }
        if (!unknown.isEmpty()) {
            ObjectNode o = out.putObject("unknown_columns");
            unknown.forEach(o::put);
        }
    }

    /** The named features ranked by the witness-weighted shift of their coded values. */
    private static void columnShifts(
            ObjectNode mmd,
            TableSchema schema,
            Witness witness,
            double[][] curCells,
            double[][] refCells,
            int k) {
        ArrayNode a = mmd.putArray("feature_shifts");
        for (ReportRecord.Exemplar x :
                TableColumns.shifts(
                        schema,
                        witness,
                        curCells,
                        TableColumns.vectorMoments(schema, refCells),
                        k)) {
            ObjectNode o = a.addObject().put("index", x.index).put("name", x.id);
            if (Double.isFinite(x.value)) {
                o.put("shift", x.value);
            } else {
                o.putNull("shift");
            }
        }
    }

    private static ObjectNode withBundle(Configuration conf, EventParser parser, Path curFile) {
        List<String> specs = conf.get(BUNDLE);
        if (specs.size() != 1) {
            throw new ConfigurationException("'drift' takes one --bundle");
        }
        ReferenceBundles.BundleSpec spec = ReferenceBundles.BundleSpec.parse(specs.get(0));
        String model = spec.model();
        Path dir = spec.dir();
        boolean ownReference = conf.contains(REFERENCE);
        if (!ownReference && conf.contains(SIGMA)) {
            throw new ConfigurationException(
                    "--sigma applies to a --reference file; the bundle's reference sample has its own bandwidth");
        }
        ReferenceBundle bundle = ReferenceBundles.read(dir);
        EncoderLoader loader = new EncoderLoader(conf.get(ENCODER_THREADS), conf.get(DEVICE));
        ModelReference ref =
                ReferenceBundles.reference(
                        model, bundle, dir, conf.getOptional(ENCODER).orElse(null), loader);
        NullMode nullMode = conf.get(MMD_NULL);
        Path refFile = ownReference ? Path.of(conf.get(REFERENCE)) : null;
        long[] fitted =
                !ownReference
                        ? null
                        : bundle.fitFingerprints()
                                .orElseThrow(
                                        () ->
                                                new ConfigurationException(
                                                        "--bundle "
                                                                + dir
                                                                + " does not record which rows its PCA was fitted on (an older bundle), so --reference "
                                                                + refFile
                                                                + " cannot be checked for them: refit the bundle, or leave out --reference to use its held-out sample"));
        List<PredictionEvent> curEvents =
                forModel(JsonLinesFile.readPredictions(curFile, parser), ref, curFile);
        try (EventEmbedder embedder = new EventEmbedder(Map.of(model, ref), loader)) {
            double[][] current = reduced(embedder, curEvents);
            TableSchema schema = ref.schema();
            double[][] curCells =
                    schema == null
                            ? null
                            : curEvents.stream()
                                    .map(e -> schema.encode(e.namedFeatures))
                                    .toArray(double[][]::new);
            if (!ownReference) {
                requireSizes(ref.reference().length, current.length);
                ObjectNode out =
                        explained(
                                conf,
                                ref.mmdDetector(conf.get(PERMUTATIONS), conf.get(SEED), nullMode),
                                current,
                                ids(curEvents),
                                null,
                                "component_shifts",
                                ref.reference(),
                                schema == null
                                        ? null
                                        : (mmd, witness) ->
                                                columnShifts(
                                                        mmd,
                                                        schema,
                                                        witness,
                                                        curCells,
                                                        ref.referenceFeatures(),
                                                        conf.get(EXEMPLARS)));
                out.put("reference", "bundle");
                if (schema != null) {
                    columns(out, schema, ref.referenceFeatures(), curCells, conf.get(ALPHA));
                    unknownColumns(out, schema, curEvents);
                }
                return out;
            }
            List<PredictionEvent> refEvents =
                    forModel(JsonLinesFile.readPredictions(refFile, parser), ref, refFile);
            List<PredictionEvent> heldOut = new ArrayList<>();
            for (PredictionEvent e : refEvents) {
                if (!InputFingerprints.contains(fitted, fingerprint(e, ref.schema()))) {
                    heldOut.add(e);
                }
            }
            int leftOut = refEvents.size() - heldOut.size();
            if (heldOut.size() < 4) {
                throw new ConfigurationException(
                        "--reference "
                                + refFile
                                + ": "
                                + leftOut
                                + " of its "
                                + refEvents.size()
                                + " rows are ones the bundle's PCA was fitted on, leaving "
                                + heldOut.size()
                                + " (the test needs 4); leave out --reference to use the bundle's held-out sample");
            }
            if (leftOut > 0) {
                System.err.println(
                        "drift: left out "
                                + leftOut
                                + " of "
                                + refEvents.size()
                                + " --reference rows that the"
                                + " bundle's standardisation and PCA were fitted on");
            }
            double[][] reference = reduced(embedder, heldOut);
            requireSizes(reference.length, current.length);
            ObjectNode out =
                    explained(
                            conf,
                            fileReference(conf, reference, nullMode),
                            current,
                            ids(curEvents),
                            ids(heldOut),
                            "component_shifts",
                            reference,
                            null);
            out.put("reference", refFile.toString());
            out.put("reference_rows_left_out", leftOut);
            return out;
        }
    }

    /**
     * The test against a reference file's rows: their median-heuristic bandwidth unless --sigma.
     */
    private static MmdDetector fileReference(
            Configuration conf, double[][] reference, NullMode nullMode) {
        MmdDetector.Builder builder =
                MmdDetector.builder()
                        .setReference(reference)
                        .optPermutations(conf.get(PERMUTATIONS))
                        .optSeed(conf.get(SEED))
                        .optNullMode(nullMode);
        conf.getOptional(SIGMA).ifPresent(builder::optSigma);
        return builder.build();
    }

    /**
     * The events checked as the job checks them (input kind, feature and score counts) and assigned
     * to the bundle's model: a one-shot sample is one model's, whatever its records name.
     */
    private static List<PredictionEvent> forModel(
            List<PredictionEvent> events, ModelReference ref, Path file) {
        ReferenceValidator validator = new ReferenceValidator(Map.of(ref.model(), ref));
        for (int i = 0; i < events.size(); i++) {
            PredictionEvent e = events.get(i);
            e.model = ref.model();
            try {
                validator.validate(e);
            } catch (InvalidRecordException ex) {
                throw new ConfigurationException(
                        file + ": record " + (i + 1) + ": " + ex.getMessage());
            }
        }
        return events;
    }

    private static long fingerprint(PredictionEvent e, TableSchema schema) {
        if (e.namedFeatures != null) {
            return InputFingerprints.of(schema.encode(e.namedFeatures));
        }
        return e.text != null
                ? InputFingerprints.of(e.text)
                : e.image != null
                        ? InputFingerprints.of(e.image)
                        : InputFingerprints.of(e.features);
    }

    /** The events' vectors in the space of the MMD test, by the job's own embedder. */
    private static double[][] reduced(EventEmbedder embedder, List<PredictionEvent> events) {
        double[][] out = new double[events.size()][];
        // The job's default micro-batch, so the encoder sees the same batches for one window's
        // events.
        int batch = RunOptions.BATCH_SIZE.defaultValue();
        for (int start = 0; start < events.size(); start += batch) {
            List<EmbeddedEvent> part =
                    embedder.embed(events.subList(start, Math.min(events.size(), start + batch)));
            for (int i = 0; i < part.size(); i++) {
                out[start + i] = part.get(i).embedding;
            }
        }
        return out;
    }

    private static void requireSizes(int reference, int current) {
        if (reference < 4 || current < 2) {
            throw new ConfigurationException(
                    "the MMD test needs at least 4 reference and 2 current records");
        }
    }

    /**
     * The test with its witness exemplars ({@code --exemplars}): the current events named by id;
     * reference rows by the id of their reference record, or (the bundle's sample, which keeps no
     * ids) by their row index in it.
     */
    private static ObjectNode explained(
            Configuration conf,
            MmdDetector detector,
            double[][] current,
            String[] currentIds,
            String[] referenceIds,
            String shiftsField,
            double[][] reference,
            BiConsumer<ObjectNode, Witness> explain) {
        int k = conf.get(EXEMPLARS);
        if (k == 0) {
            return result(conf, detector.test(current));
        }
        ExplainedMmd e = detector.testExplained(current);
        ObjectNode out = result(conf, e.result());
        exemplars(
                (ObjectNode) out.get("drift").get("mmd"), e.witness(), currentIds, referenceIds, k);
        if (shiftsField != null) {
            shifts(
                    (ObjectNode) out.get("drift").get("mmd"),
                    shiftsField,
                    e.witness(),
                    current,
                    reference,
                    k);
        }
        if (explain != null) {
            explain.accept((ObjectNode) out.get("drift").get("mmd"), e.witness());
        }
        return out;
    }

    /**
     * The coordinates of the test's space ranked by the witness-weighted mean shift, as in reports.
     */
    private static void shifts(
            ObjectNode mmd,
            String field,
            Witness witness,
            double[][] current,
            double[][] reference,
            int k) {
        ArrayNode a = mmd.putArray(field);
        for (ReportRecord.Exemplar x :
                WindowEvaluator.shifts(witness, current, Witness.moments(reference), k)) {
            ObjectNode o = a.addObject().put("index", x.index);
            if (Double.isFinite(x.value)) {
                o.put("shift", x.value);
            } else {
                o.putNull("shift");
            }
        }
    }

    private static void exemplars(
            ObjectNode mmd, Witness witness, String[] currentIds, String[] referenceIds, int k) {
        ArrayNode top = mmd.putArray("exemplars");
        if (currentIds == null) {
            // rows of a tabular file: named by row index
            double[] values = witness.windowValues();
            for (int i : witness.topWindow(k, null)) {
                top.addObject().put("index", i).put("witness", values[i]);
            }
        } else {
            for (ReportRecord.Exemplar x : WindowEvaluator.exemplars(witness, currentIds, k)) {
                top.addObject().put("id", x.id).put("witness", x.value);
            }
        }
        ArrayNode bottom = mmd.putArray("reference_exemplars");
        for (ReportRecord.Exemplar x : WindowEvaluator.referenceExemplars(witness, k)) {
            ObjectNode o = bottom.addObject();
            if (referenceIds != null) {
                o.put("id", referenceIds[x.index]);
            } else {
                o.put("index", x.index);
            }
            o.put("witness", x.value);
        }
    }

    private static String[] ids(List<PredictionEvent> events) {
        return events.stream().map(e -> e.id).toArray(String[]::new);
    }

    private static ObjectNode result(Configuration conf, MmdResult r) {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode mmd = out.putObject("drift").putObject("mmd");
        mmd.put("statistic", r.statistic());
        mmd.put("p_value", r.pValue());
        mmd.put("drift", r.drift(conf.get(ALPHA)));
        mmd.put("sigma", r.sigma());
        mmd.put("permutations", r.permutations());
        mmd.put("null", r.nullMode().name().toLowerCase());
        mmd.put("n_reference", r.nReference());
        mmd.put("n_current", r.nWindow());
        return out;
    }
}
