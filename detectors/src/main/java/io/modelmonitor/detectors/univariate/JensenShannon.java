package io.modelmonitor.detectors.univariate;

import java.util.Map;
import java.util.TreeSet;

/**
 * Jensen–Shannon distance with base-2 logarithms (in [0, 1]), as {@code
 * scipy.spatial.distance.jensenshannon(p, q, base=2)}: both vectors are normalised to sum 1, m = (p
 * + q)/2 and JS = sqrt((KL(p‖m) + KL(q‖m)) / 2) (Lin 1991, "Divergence measures based on the
 * Shannon entropy"). Numeric samples are compared over {@link QuantileBins} of the reference;
 * categorical counts over the union of categories. No p-value.
 *
 * <pre>{@code
 * double d = JensenShannon.distance(referenceCounts, windowCounts);     // Map<String, Long>
 * double e = JensenShannon.distance(QuantileBins.fit(ref, 10), ref, window);
 * }</pre>
 */
public final class JensenShannon {
    /** Name of the measure in results. */
    public static final String NAME = "jensen_shannon";

    private JensenShannon() {}

    /** Distance between two non-negative weight vectors (normalised here). */
    public static double distance(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("vectors differ in length");
        }
        double sumP = 0;
        double sumQ = 0;
        for (int i = 0; i < p.length; i++) {
            sumP += p[i];
            sumQ += q[i];
        }
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / sumP;
            double qi = q[i] / sumQ;
            double m = (pi + qi) / 2;
            divergence += relativeEntropy(pi, m) + relativeEntropy(qi, m);
        }
        return Math.sqrt(Math.max(0, divergence / 2 / Math.log(2)));
    }

    /** Distance between category counts over the union of categories. */
    public static double distance(Map<String, Long> reference, Map<String, Long> current) {
        TreeSet<String> categories = new TreeSet<>(reference.keySet());
        categories.addAll(current.keySet());
        double[] p = new double[categories.size()];
        double[] q = new double[categories.size()];
        int i = 0;
        for (String c : categories) {
            p[i] = reference.getOrDefault(c, 0L);
            q[i] = current.getOrDefault(c, 0L);
            i++;
        }
        return distance(p, q);
    }

    /** Distance between two numeric samples binned with the given bins. */
    public static double distance(QuantileBins bins, double[] reference, double[] current) {
        return distance(toDoubles(bins.counts(reference)), toDoubles(bins.counts(current)));
    }

    private static double relativeEntropy(double x, double y) {
        return x == 0 ? 0 : x * Math.log(x / y);
    }

    private static double[] toDoubles(long[] counts) {
        double[] out = new double[counts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts[i];
        }
        return out;
    }
}
