package io.modelmonitor.detectors.mmd;

import io.modelmonitor.detectors.linalg.FlatMatrix;
import io.modelmonitor.detectors.linalg.PointMatrix;
import java.io.Serializable;

/**
 * The empirical MMD witness function of one test, evaluated at the points of both samples: f(x) =
 * (1/m) Σ_j k(x, w_j) − (1/n) Σ_i k(x, r_i), w the window (m points), r the reference (n points),
 * with the test's Gaussian kernel and σ; the sums include the point itself when x is one of the
 * samples' points (k(x, x) = 1), as in the plain formula.
 *
 * <p>f is the function that separates the two samples' mean embeddings best (Gretton et al. 2012,
 * JMLR 13, section 2.3); MMD² is the difference of its means over the two samples. Large positive
 * values mark where the window has mass the reference lacks, negative values where the reference
 * has mass the window lacks, so the points with the most extreme values are the exemplars of the
 * difference (Lloyd &amp; Ghahramani 2015, "Statistical model criticism using kernel two sample
 * tests", NeurIPS).
 *
 * <p>{@link MmdDetector#testExplained} gets it almost for free from the kernel sums of the test
 * itself; {@link #of} computes it directly (double precision, one pass over both blocks).
 */
public final class Witness implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] window;
    private final double[] reference;

    Witness(double[] window, double[] reference) {
        this.window = window;
        this.reference = reference;
    }

    /** f at each window point, in the window's row order. */
    public double[] windowValues() {
        return window.clone();
    }

    /** f at each reference point, in the reference's row order. */
    public double[] referenceValues() {
        return reference.clone();
    }

    /**
     * The witness of window against reference (rows of the same dimension, at least one each) with
     * the Gaussian kernel of bandwidth σ, directly from the kernel blocks.
     */
    public static Witness of(double[][] reference, double[][] window, double sigma) {
        double[] c = PointMatrix.columnMeans(reference);
        PointMatrix r = PointMatrix.of(reference, c);
        PointMatrix w = PointMatrix.of(window, c);
        if (r.dim() != w.dim()) {
            throw new IllegalArgumentException("dimensions differ: " + r.dim() + " vs " + w.dim());
        }
        GaussianKernel k = new GaussianKernel(sigma);
        int n = r.rows();
        int m = w.rows();
        double[] scratch = new double[Math.max(n, m)];
        double[] wf = new double[m];
        for (int j = 0; j < m; j++) {
            wf[j] =
                    k.row(w, j, w, 0, m, scratch, null, 0) / m
                            - k.row(w, j, r, 0, n, scratch, null, 0) / n;
        }
        double[] rf = new double[n];
        for (int i = 0; i < n; i++) {
            rf[i] =
                    k.row(r, i, w, 0, m, scratch, null, 0) / m
                            - k.row(r, i, r, 0, n, scratch, null, 0) / n;
        }
        return new Witness(wf, rf);
    }

    /**
     * Indices of the {@code k} window points with the largest witness values, largest first; ties
     * (equal values) in the order of {@code names} (may be null: then by index), so the list does
     * not depend on the order the points came in.
     */
    public int[] topWindow(int k, String[] names) {
        return ranked(window, k, true, names);
    }

    /**
     * Indices of the {@code k} reference points with the most negative witness values (what the
     * window lacks most), most negative first; ties by index.
     */
    public int[] bottomReference(int k) {
        return ranked(reference, k, false, null);
    }

    /**
     * The first {@code k} indices of {@code values} ordered by value (descending when {@code
     * largest}), ties by {@code names} (then index). NaN values come last. Values are compared
     * rounded to float: identical inputs (a text sent twice) get witness values that differ in the
     * last bits of double only through the order of their sums, and should rank as ties, by name.
     */
    public static int[] ranked(double[] values, int k, boolean largest, String[] names) {
        if (names != null && names.length != values.length) {
            throw new IllegalArgumentException("names and values differ in length");
        }
        java.util.Comparator<Integer> byRank =
                (a, b) -> {
                    double va = (float) values[a];
                    double vb = (float) values[b];
                    boolean na = Double.isNaN(va);
                    boolean nb = Double.isNaN(vb);
                    if (na != nb) {
                        return na ? 1 : -1;
                    }
                    int c = largest ? Double.compare(vb, va) : Double.compare(va, vb);
                    if (c != 0 && !(na && nb)) {
                        return c;
                    }
                    if (names != null) {
                        int byName = names[a].compareTo(names[b]);
                        if (byName != 0) {
                            return byName;
                        }
                    }
                    return Integer.compare(a, b);
                };
        int len = Math.max(0, Math.min(k, values.length));
        int[] out = new int[len];
        if (len == 0) {
            return out;
        }
        // the k best in a bounded heap whose head is the worst kept: O(n log k) for large samples
        java.util.PriorityQueue<Integer> kept =
                new java.util.PriorityQueue<>(len, byRank.reversed());
        for (int i = 0; i < values.length; i++) {
            if (kept.size() < len) {
                kept.add(i);
            } else if (byRank.compare(i, kept.peek()) < 0) {
                kept.poll();
                kept.add(i);
            }
        }
        for (int i = len - 1; i >= 0; i--) {
            out[i] = kept.poll();
        }
        return out;
    }

    /**
     * Where the window's excess mass lies, per coordinate: the witness-weighted mean of the
     * window's rows (weights max(f, 0), so only the points the reference lacks count), minus the
     * reference's mean, in units of the reference's standard deviation. A coordinate along which
     * the window's unlike-the-reference events sit far from the reference gets a large |shift|;
     * zeros when no window point has a positive witness, NaN for a coordinate the reference does
     * not vary in.
     *
     * @param rows the window's rows in the coordinates to explain (the test space, or the raw
     *     features of the same events), in the order of {@link #windowValues()}
     * @param referenceMean the reference's mean per coordinate
     * @param referenceSd the reference's standard deviation per coordinate
     */
    public double[] shifts(double[][] rows, double[] referenceMean, double[] referenceSd) {
        return shifts(rows.length, (i, c) -> rows[i][c], referenceMean, referenceSd);
    }

    /** {@link #shifts(double[][], double[], double[])} of the rows of a flat sample. */
    public double[] shifts(FlatMatrix rows, double[] referenceMean, double[] referenceSd) {
        return shifts(rows.rows(), rows::get, referenceMean, referenceSd);
    }

    /** Element c of row i. */
    private interface Cells {
        double get(int i, int c);
    }

    private double[] shifts(int n, Cells rows, double[] referenceMean, double[] referenceSd) {
        if (n != window.length) {
            throw new IllegalArgumentException(
                    n + " rows for " + window.length + " witness values");
        }
        int d = referenceMean.length;
        double[] mean = new double[d];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double w = Math.max(0, window[i]);
            if (w > 0) {
                total += w;
                for (int c = 0; c < d; c++) {
                    mean[c] += w * rows.get(i, c);
                }
            }
        }
        double[] out = new double[d];
        if (total == 0) {
            return out;
        }
        // A coordinate whose spread is rounding noise (a PCA direction the reference has no
        // variance along, e.g. an indicator it never sets) does not vary: no finite shift.
        double maxSd = 0;
        for (double sd : referenceSd) {
            maxSd = Math.max(maxSd, sd);
        }
        double noise = 1e-9 * maxSd;
        for (int c = 0; c < d; c++) {
            out[c] =
                    referenceSd[c] > noise
                            ? (mean[c] / total - referenceMean[c]) / referenceSd[c]
                            : Double.NaN;
        }
        return out;
    }

    /** Column means and standard deviations (n − 1 denominator) of rows: {mean, sd}. */
    public static double[][] moments(double[][] rows) {
        return moments(rows.length, rows[0].length, (i, c) -> rows[i][c]);
    }

    /** {@link #moments(double[][])} of a flat sample. */
    public static double[][] moments(FlatMatrix rows) {
        return moments(rows.rows(), rows.cols(), rows::get);
    }

    private static double[][] moments(int n, int d, Cells rows) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                mean[c] += rows.get(i, c);
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= n;
        }
        double[] sd = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                double x = rows.get(i, c) - mean[c];
                sd[c] += x * x;
            }
        }
        for (int c = 0; c < d; c++) {
            sd[c] = n > 1 ? Math.sqrt(sd[c] / (n - 1)) : 0;
        }
        return new double[][] {mean, sd};
    }

    /**
     * Indices of the {@code k} largest |shift|, largest first, ties and NaN as in {@link #ranked}.
     */
    public static int[] rankedShifts(double[] shifts, int k) {
        double[] abs = new double[shifts.length];
        for (int i = 0; i < abs.length; i++) {
            abs[i] = Math.abs(shifts[i]);
        }
        return ranked(abs, k, true, null);
    }
}
