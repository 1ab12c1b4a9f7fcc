package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.MonitorOptions.BUNDLE;
import static io.modelmonitor.pipeline.options.MonitorOptions.CURRENT;
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
 * test of every column.
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
        return CommandLine.ordered(REFERENCE, CURRENT, BUNDLE, TEST, PERMUTATIONS, SEED, SIGMA, P_VALUE, MAX_RECORD_BYTES);
    }

    @Override
    public Set<ConfigOption<?>> required() {
        return Set.of(REFERENCE, CURRENT);
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Configuration conf = line.config();
        if (conf.contains(BUNDLE)) {
            throw new UsageException("--bundle is not supported by 'drift' yet: test numeric features without it");
        }
        EventParser parser = EventParser.builder().optMaxRecordBytes(conf.get(MAX_RECORD_BYTES)).build();
        Path refFile = Path.of(conf.get(REFERENCE));
        Path curFile = Path.of(conf.get(CURRENT));
        List<PredictionEvent> refEvents = JsonLinesFile.readPredictions(refFile, parser);
        List<PredictionEvent> curEvents = JsonLinesFile.readPredictions(curFile, parser);
        double[][] reference = JsonLinesFile.features(refEvents, refFile);
        double[][] current = JsonLinesFile.features(curEvents, curFile);
        if (reference[0].length != current[0].length) {
            throw new UsageException(curFile + ": " + current[0].length + " features, but the reference has " + reference[0].length);
        }
        if (reference.length < 2 || current.length < 2) {
            throw new UsageException("the MMD test needs at least 2 records in each file");
        }
        System.out.println(JSON.writeValueAsString(result(conf, reference, current)));
        return 0;
    }

    /** The SPEC §6 JSON for two numeric samples. */
    static ObjectNode result(Configuration conf, double[][] reference, double[][] current) {
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
        }
        return out;
    }
}
