package io.modelmonitor.pipeline.testutil;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.numeric.Standardizer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Builders of synthetic numeric streams and their references, with known properties. */
public final class TestStreams {
    public static final long HOUR = 3_600_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestStreams() {}

    /** n rows of d independent N(shift, 1) values. */
    public static double[][] gaussian(int n, int d, double shift, SplittableRandom random) {
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = shift + gaussian(random);
            }
        }
        return x;
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * A numeric reference without outlier model: standardization and MMD sample fitted on the rows,
     * two classes "a" and "b" predicted equally often, the given reference accuracy.
     */
    public static ModelReference numericReference(
            String model, double[][] rows, double referenceAccuracy) {
        Standardizer s = Standardizer.fit(rows);
        return ModelReference.builder(model, Modality.NUMERIC, rows[0].length)
                .optStandardizer(s)
                .setReference(s.transform(rows))
                .optReferenceFeatures(rows)
                .optClasses(
                        List.of("a", "b"),
                        Map.of(
                                "a",
                                (long) rows.length / 2,
                                "b",
                                (long) rows.length - rows.length / 2))
                .optReferenceAccuracy(referenceAccuracy, rows.length)
                .build();
    }

    /** One prediction event line. */
    public static String event(
            String id, long ts, String model, double[] features, String prediction) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("ts", Instant.ofEpochMilli(ts).toString());
        if (model != null) {
            o.put("model", model);
        }
        ArrayNode f = o.putArray("features");
        for (double v : features) {
            f.add(v);
        }
        if (prediction != null) {
            o.put("prediction", prediction);
        }
        return o.toString();
    }

    /** One label line that names no model. */
    public static String label(String id, long ts, String label) {
        return label(null, id, ts, label);
    }

    /**
     * One label line for the model's prediction (labels join predictions on model and id); model
     * null: unnamed.
     */
    public static String label(String model, String id, long ts, String label) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        if (model != null) {
            o.put("model", model);
        }
        o.put("ts", Instant.ofEpochMilli(ts).toString());
        o.put("label", label);
        return o.toString();
    }
}
