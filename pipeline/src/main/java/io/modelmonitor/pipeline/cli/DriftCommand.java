package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.MonitorOptions.BUNDLE;
import static io.modelmonitor.pipeline.options.MonitorOptions.CURRENT;
import static io.modelmonitor.pipeline.options.MonitorOptions.DEVICE;
import static io.modelmonitor.pipeline.options.MonitorOptions.ENCODER;
import static io.modelmonitor.pipeline.options.MonitorOptions.ENCODER_THREADS;
import static io.modelmonitor.pipeline.options.MonitorOptions.MAX_RECORD_BYTES;
import static io.modelmonitor.pipeline.options.MonitorOptions.PERMUTATIONS;
import static io.modelmonitor.pipeline.options.MonitorOptions.P_VALUE;
import static io.modelmonitor.pipeline.options.MonitorOptions.REFERENCE;
import static io.modelmonitor.pipeline.options.MonitorOptions.SEED;
import static io.modelmonitor.pipeline.options.MonitorOptions.SIGMA;
import static io.modelmonitor.pipeline.options.MonitorOptions.TEST;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.detectors.mmd.MmdDetector;
import io.modelmonitor.detectors.mmd.MmdResult;
import io.modelmonitor.detectors.mmd.NullMode;
import io.modelmonitor.detectors.univariate.FeatureDriftTester;
import io.modelmonitor.detectors.univariate.FeatureResult;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.BundleEncoders;
import io.modelmonitor.models.bundle.BundleException;
import io.modelmonitor.models.bundle.ReferenceBundle;
import io.modelmonitor.pipeline.io.JsonLinesFile;
import io.modelmonitor.pipeline.options.MonitorOptions;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.PredictionEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * {@code ./monitor drift}: one-shot test of a current sample against a reference (SPEC §6), one JSON
 * object on stdout.
 *
 * <p>For numeric {@code features} without a bundle the MMD runs on the raw feature vectors with the
 * conventions of SPEC §6 (so any other implementation can check the figures), plus a per-feature
 * test of every column. With {@code --bundle}, both files are embedded by the bundle's encoder and
 * reduced by its PCA first, exactly as the job does, and the MMD runs on the reduced vectors.
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
    public List<ConfigOption<?>> options() {
        return CommandLine.ordered(REFERENCE, CURRENT, BUNDLE, TEST, PERMUTATIONS, SEED, SIGMA, P_VALUE, MAX_RECORD_BYTES,
                ENCODER, DEVICE, ENCODER_THREADS);
    }

    @Override
    public Set<ConfigOption<?>> required() {
        return Set.of(REFERENCE, CURRENT);
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Configuration conf = line.config();
        EventParser parser = EventParser.builder().optMaxRecordBytes(conf.get(MAX_RECORD_BYTES)).build();
        Path refFile = Path.of(conf.get(REFERENCE));
        Path curFile = Path.of(conf.get(CURRENT));
        List<PredictionEvent> refEvents = JsonLinesFile.readPredictions(refFile, parser);
        List<PredictionEvent> curEvents = JsonLinesFile.readPredictions(curFile, parser);
        ObjectNode out;
        if (conf.contains(BUNDLE)) {
            ReferenceBundle bundle = loadBundle(conf.get(BUNDLE));
            // The bundle's own encoder (its preprocessing, checked against its identity), as the job opens it.
            try (Encoder<?> encoder = bundle.modality() == Modality.NUMERIC ? null
                    : BundleEncoders.open(bundle, conf.getOptional(ENCODER).orElse(null),
                            io.modelmonitor.models.Device.valueOf(conf.get(DEVICE).name()), conf.get(ENCODER_THREADS))) {
                out = result(conf, reduce(bundle, encoder, refEvents, refFile), reduce(bundle, encoder, curEvents, curFile), false);
            } catch (BundleException e) {
                throw new UsageException(e.getMessage());
            }
        } else {
            double[][] reference = JsonLinesFile.features(refEvents, refFile);
            double[][] current = JsonLinesFile.features(curEvents, curFile);
            if (reference[0].length != current[0].length) {
                throw new UsageException(curFile + ": " + current[0].length + " features, but the reference has " + reference[0].length);
            }
            out = result(conf, reference, current, true);
        }
        System.out.println(JSON.writeValueAsString(out));
        return 0;
    }

    private static ReferenceBundle loadBundle(List<String> specs) {
        if (specs.size() != 1) {
            throw new UsageException("'drift' takes one --bundle");
        }
        String spec = specs.get(0);
        Path dir = Path.of(spec.contains("=") ? spec.substring(spec.indexOf('=') + 1) : spec);
        try {
            return ReferenceBundle.load(dir);
        } catch (BundleException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The events as the job sees them: embedded by the bundle's encoder (text, images), then reduced by its PCA. */
    @SuppressWarnings("unchecked")
    static double[][] reduce(ReferenceBundle bundle, Encoder<?> encoder, List<PredictionEvent> events, Path file) {
        double[][] out = new double[events.size()][];
        if (bundle.modality() == Modality.NUMERIC) {
            double[][] x = JsonLinesFile.features(events, file);
            for (int i = 0; i < x.length; i++) {
                try {
                    out[i] = bundle.reduce(x[i]);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(file + ": record " + (i + 1) + ": " + e.getMessage());
                }
            }
            return out;
        }
        boolean text = bundle.modality() == Modality.TEXT;
        if (events.get(0).modality() != (text ? PredictionEvent.Modality.TEXT : PredictionEvent.Modality.IMAGE)) {
            throw new UsageException(file + ": the bundle is for " + bundle.modality().label() + " inputs");
        }
        Encoder<Object> inputs = (Encoder<Object>) encoder;
        int batch = 64;
        for (int start = 0; start < events.size(); start += batch) {
            List<PredictionEvent> part = events.subList(start, Math.min(events.size(), start + batch));
            float[][] emb = inputs.embed(part.stream().map(e -> text ? (Object) e.text : e.image).toList());
            for (int i = 0; i < emb.length; i++) {
                out[start + i] = bundle.reduce(emb[i]);
            }
        }
        return out;
    }

    /** The SPEC §6 JSON for two numeric samples. */
    static ObjectNode result(Configuration conf, double[][] reference, double[][] current, boolean perFeature) {
        if (reference.length < 2 || current.length < 2) {
            throw new UsageException("the MMD test needs at least 2 records in each file");
        }
        double alpha = conf.get(P_VALUE);
        int permutations = conf.get(PERMUTATIONS);
        if (conf.get(TEST) != MonitorOptions.DriftTest.MMD) {
            throw new UsageException("--test " + conf.get(TEST).name().toLowerCase() + " is not available yet; use mmd");
        }
        MmdDetector.Builder builder = MmdDetector.builder()
                .setReference(reference)
                .optPermutations(permutations)
                .optSeed(conf.get(SEED))
                .optNullMode(NullMode.PERMUTATION);
        conf.getOptional(SIGMA).ifPresent(builder::optSigma);
        MmdResult r = builder.build().test(current);
        ObjectNode out = JSON.createObjectNode();
        ObjectNode mmd = out.putObject("drift").putObject("mmd");
        mmd.put("statistic", r.statistic());
        mmd.put("p_value", r.pValue());
        mmd.put("drift", r.pValue() < alpha);
        mmd.put("sigma", r.sigma());
        mmd.put("permutations", permutations);
        mmd.put("n_reference", reference.length);
        mmd.put("n_current", current.length);
        if (!perFeature) {
            return out;
        }
        ArrayNode features = out.putArray("features");
        FeatureDriftTester tester = FeatureDriftTester.builder().setReference(reference).optAlpha(alpha).build();
        for (FeatureResult f : tester.test(current)) {
            ObjectNode o = features.addObject();
            o.put("index", f.index());
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
}
