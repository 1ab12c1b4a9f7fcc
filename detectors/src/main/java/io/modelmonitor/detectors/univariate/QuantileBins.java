package io.modelmonitor.detectors.univariate;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Bins fitted on a reference sample at its quantiles, shared by {@link PopulationStabilityIndex}
 * and {@link JensenShannon}.
 *
 * <p>Binning rule: the inner edges are the reference quantiles at 1/B, 2/B, …, (B−1)/B with numpy's
 * default ('linear') definition, duplicates removed (so a discrete feature gets fewer bins). A
 * value x falls in bin i = #{edges &lt; x}: bins are (−∞, e₁], (e₁, e₂], …, (e_{B−1}, ∞), as {@code
 * numpy.searchsorted(edges, x, side='left')}.
 *
 * <pre>{@code
 * QuantileBins bins = QuantileBins.fit(reference, 10);
 * long[] counts = bins.counts(window);
 * }</pre>
 */
public final class QuantileBins implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] edges;

    private QuantileBins(double[] edges) {
        this.edges = edges;
    }

    /** Fits {@code bins} quantile bins on the reference. */
    public static QuantileBins fit(double[] reference, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1");
        }
        if (reference.length == 0) {
            throw new IllegalArgumentException("empty reference");
        }
        double[] sorted = KolmogorovSmirnov.sorted(reference);
        double[] edges = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            edges[i - 1] = quantileSorted(sorted, (double) i / bins);
        }
        return new QuantileBins(distinctSorted(edges));
    }

    /** Drops repeated values of an ascending array (compared with ==, so −0.0 equals 0.0). */
    private static double[] distinctSorted(double[] ascending) {
        int kept = 0;
        double[] out = new double[ascending.length];
        for (double v : ascending) {
            if (kept == 0 || v != out[kept - 1]) {
                out[kept++] = v;
            }
        }
        return Arrays.copyOf(out, kept);
    }

    /** Bins with the given inner edges (ascending, distinct). */
    public static QuantileBins ofEdges(double[] edges) {
        return new QuantileBins(edges.clone());
    }

    /** Inner edges, ascending. */
    public double[] edges() {
        return edges.clone();
    }

    /** Number of bins (edges + 1). */
    public int size() {
        return edges.length + 1;
    }

    /** Bin index of one value. */
    public int binOf(double x) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) { // first edge >= x
            int mid = (lo + hi) >>> 1;
            if (edges[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Counts of the values per bin. */
    public long[] counts(double[] values) {
        long[] counts = new long[size()];
        for (double v : values) {
            counts[binOf(v)]++;
        }
        return counts;
    }

    /**
     * Quantile of a sorted sample with numpy's default 'linear' method: position q(n − 1),
     * interpolated linearly between the neighbouring order statistics.
     */
    public static double quantileSorted(double[] sorted, double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile must be in [0, 1]");
        }
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = position - below;
        // numpy's _lerp: a + (b − a)·t, evaluated from the nearer end for t ≥ 0.5.
        double a = sorted[below];
        double b = sorted[above];
        double diff = b - a;
        return fraction >= 0.5 ? b - diff * (1 - fraction) : a + diff * fraction;
    }
}
