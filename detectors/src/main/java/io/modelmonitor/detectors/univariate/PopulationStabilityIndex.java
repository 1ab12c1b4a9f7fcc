package io.modelmonitor.detectors.univariate;

import java.io.Serializable;

/**
 * Population stability index PSI = Σᵢ (cᵢ − rᵢ) ln(cᵢ/rᵢ) between the reference proportions rᵢ and
 * the current proportions cᵢ over {@link QuantileBins} fitted on the reference (default 10 bins).
 * An empty bin's proportion is replaced by ε (default 1e-4, no renormalisation) so that the
 * logarithm stays finite. Common reading: &lt; 0.1 stable, 0.1–0.25 moderate shift, &gt; 0.25 major
 * shift (Yurdakul 2018, "Statistical properties of population stability index"). PSI has no
 * p-value: results carry {@code pValue = NaN}.
 *
 * <pre>{@code
 * PopulationStabilityIndex psi = PopulationStabilityIndex.fit(reference, 10);
 * double value = psi.index(window);
 * }</pre>
 */
public final class PopulationStabilityIndex implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Name of the measure in results. */
    public static final String NAME = "psi";

    /** Default proportion used for an empty bin. */
    public static final double DEFAULT_EPSILON = 1e-4;

    private final QuantileBins bins;
    private final double[] referenceProportions;
    private final double epsilon;

    private PopulationStabilityIndex(QuantileBins bins, double[] referenceProportions, double eps) {
        this.bins = bins;
        this.referenceProportions = referenceProportions;
        this.epsilon = eps;
    }

    /** Fits on the reference with {@code binCount} quantile bins and ε = 1e-4. */
    public static PopulationStabilityIndex fit(double[] reference, int binCount) {
        return fit(reference, binCount, DEFAULT_EPSILON);
    }

    /** Fits on the reference with {@code binCount} quantile bins and the given ε. */
    public static PopulationStabilityIndex fit(double[] reference, int binCount, double epsilon) {
        QuantileBins bins = QuantileBins.fit(reference, binCount);
        return new PopulationStabilityIndex(
                bins, proportions(bins.counts(reference), epsilon), epsilon);
    }

    /** PSI of the current sample against the fitted reference. */
    public double index(double[] current) {
        return index(referenceProportions, proportions(bins.counts(current), epsilon));
    }

    /** As {@link #index} wrapped in a result with no p-value. */
    public TestResult test(double[] current) {
        return new TestResult(NAME, index(current), Double.NaN);
    }

    /** The fitted bins. */
    public QuantileBins bins() {
        return bins;
    }

    /** PSI of two proportion vectors (no zeros allowed). */
    public static double index(double[] reference, double[] current) {
        double psi = 0;
        for (int i = 0; i < reference.length; i++) {
            psi += (current[i] - reference[i]) * Math.log(current[i] / reference[i]);
        }
        return psi;
    }

    /** counts / total with zero proportions replaced by ε. */
    public static double[] proportions(long[] counts, double epsilon) {
        double total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] p = new double[counts.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = counts[i] == 0 ? epsilon : counts[i] / total;
        }
        return p;
    }
}
