package io.modelmonitor.detectors.outlier;

import java.util.Arrays;
import java.util.Locale;

/**
 * Distance to the k nearest reference rows (Ramaswamy, Rastogi &amp; Shim 2000, "Efficient
 * algorithms for mining outliers from large data sets"; Angiulli &amp; Pizzuti 2002 for the mean):
 * the Euclidean distance to the k-th nearest row ({@link Aggregate#KTH}) or the mean distance to
 * the k nearest ({@link Aggregate#MEAN}, smoother). No distribution is assumed, so clusters and
 * curved manifolds are scored by how far an event is from the reference that is actually there. A
 * score costs n·p multiply-adds for n reference rows of p values, so the reference is kept small
 * (the reduced space, a seeded subsample).
 *
 * <pre>{@code
 * KnnScorer knn = KnnScorer.of(referenceRows, 10, KnnScorer.Aggregate.MEAN);
 * double d = knn.score(x);
 * }</pre>
 */
public final class KnnScorer implements OutlierScorer {
    private static final long serialVersionUID = 1L;

    /** Name of the method. */
    public static final String NAME = "knn";

    /** How the k distances become one score. */
    public enum Aggregate {
        /** Mean of the k smallest distances. */
        MEAN,
        /** The k-th smallest distance. */
        KTH;

        /** "mean" or "kth". */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@link #label()}. */
        public static Aggregate parse(String label) {
            for (Aggregate a : values()) {
                if (a.label().equals(label)) {
                    return a;
                }
            }
            throw new IllegalArgumentException(
                    "kNN aggregate must be 'mean' or 'kth', got '" + label + "'");
        }
    }

    /** Reference rows, n × p row-major. */
    private final double[] reference;

    private final int n;
    private final int p;
    private final int k;
    private final Aggregate aggregate;

    private KnnScorer(double[] reference, int n, int p, int k, Aggregate aggregate) {
        this.reference = reference;
        this.n = n;
        this.p = p;
        this.k = k;
        this.aggregate = aggregate;
    }

    /** The scorer of reference rows (at least k of them, equal lengths). */
    public static KnnScorer of(double[][] rows, int k, Aggregate aggregate) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1: " + k);
        }
        if (rows.length < k) {
            throw new IllegalArgumentException(
                    "kNN with k = " + k + " needs at least k reference rows, got " + rows.length);
        }
        int p = rows[0].length;
        double[] flat = new double[rows.length * p];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != p) {
                throw new IllegalArgumentException("rows differ in length");
            }
            System.arraycopy(rows[i], 0, flat, i * p, p);
        }
        return new KnnScorer(flat, rows.length, p, k, aggregate);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(double[] x) {
        if (x.length != p) {
            throw new IllegalArgumentException("expected " + p + " values, got " + x.length);
        }
        // The k smallest squared distances so far, ascending; an insertion keeps it sorted.
        double[] nearest = new double[k];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            int row = i * p;
            double worst = nearest[k - 1];
            double s = 0;
            for (int j = 0; j < p && s < worst; j++) {
                double d = x[j] - reference[row + j];
                s += d * d;
            }
            if (s < worst) {
                int at = k - 1;
                while (at > 0 && nearest[at - 1] > s) {
                    nearest[at] = nearest[at - 1];
                    at--;
                }
                nearest[at] = s;
            }
        }
        if (aggregate == Aggregate.KTH) {
            return Math.sqrt(nearest[k - 1]);
        }
        double sum = 0;
        for (double s : nearest) {
            sum += Math.sqrt(s);
        }
        return sum / k;
    }

    /** The reference rows (copy). */
    public double[][] reference() {
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(reference, i * p, (i + 1) * p);
        }
        return out;
    }

    /** k. */
    public int k() {
        return k;
    }

    /** How the k distances are combined. */
    public Aggregate aggregate() {
        return aggregate;
    }
}
