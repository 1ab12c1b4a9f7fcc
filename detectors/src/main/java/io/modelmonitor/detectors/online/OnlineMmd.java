package io.modelmonitor.detectors.online;

import io.modelmonitor.detectors.linalg.PointMatrix;
import io.modelmonitor.detectors.mmd.GaussianKernel;
import io.modelmonitor.detectors.mmd.MmdDetector;
import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Per-event MMD drift detector with thresholds calibrated to an expected run time (ERT), after
 * Cobb, Van Looveren &amp; Klaise (2022), "Sequential Multivariate Change Detection with
 * Calibrated and Memoryless False Detection Rates", AISTATS (arXiv:2108.00883).
 *
 * <p>At every event t the statistic is the unbiased MMD² between the reference part R and the
 * sliding window of the last W events (Gaussian kernel, σ by the median heuristic on the whole
 * reference unless given). Drift is flagged when it exceeds the threshold of its step.
 *
 * <pre>{@code
 * OnlineMmd detector = OnlineMmd.builder()
 *     .setReference(reference)   // n_ref x d
 *     .setErt(500)               // mean events between false alarms
 *     .setWindowSize(30)
 *     .optSeed(7)
 *     .build();                  // calibrates here
 * OnlineMmd.Step step = detector.update(x);
 * if (step.drift()) { alert(); detector.reset(); }
 * }</pre>
 *
 * <h2>Calibration</h2>
 *
 * The reference is split (seeded) into a calibration pool C (half of it, at most {@value
 * #MAX_POOL} points) and the test reference R (the rest). B bootstrap streams of length 2W − 1
 * are drawn from C without replacement and run through the exact statistic the detector
 * computes. The first W − 1 events only fill the window (statistic NaN, never drift). For the k-th
 * tested step (k = 0 … W − 1, i.e. t = W + k) the threshold is the (1 − 1/ERT) quantile of the
 * statistic among the simulated streams that have not crossed an earlier threshold, so that each
 * step's conditional false-alarm probability is 1/ERT and the run time from the first full window
 * is about geometric with mean ERT. After W tested steps the window holds only events that came
 * after the conditioning began and the conditional distribution no longer changes much, so
 * thresholds[W − 1] is used from then on (the same device as Cobb et al.). Cost: B·(2W − 1)·W kernel
 * look-ups plus |C|·(|R| + |C|/2) kernel evaluations, well under a second for n_ref = 2000, W =
 * 50, B = 5000.
 *
 * <h2>Per event</h2>
 *
 * O(|R|·d) for the new event's kernel sum against R, O(W·d) for its kernel with the window, and
 * O(W²) to re-add the window's kernel sums from the stored W×W block (exact sums every step: no
 * drift from repeated add/subtract). Memory is bounded: R, the thresholds, and the window's W
 * points, W reference sums and W×W kernel block.
 *
 * <p>The whole state is {@link Serializable}: a detector restored from a snapshot continues with
 * exactly the outputs the original would have produced. The calibration pool is dropped after
 * calibration. Not thread-safe (one instance per key).
 */
public final class OnlineMmd implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The calibration pool never exceeds this many points (its kernel is |C|² doubles). */
  public static final int MAX_POOL = 2000;

  private final GaussianKernel kernel;
  private final double[] centre;
  private final PointMatrix reference; // R, centred
  private final double referenceTerm; // Σ_{i≠j∈R} k / (|R|(|R|−1))
  private final double[] thresholds;
  private final int windowSize;
  private final int ert;
  private final int bootstraps;

  // stream state
  private long t;
  private int count;
  private int head; // next slot to write
  private final double[] windowPoints; // W × d, centred, by slot
  private final double[] windowRefSums; // Σ_r k(r, w_slot)
  private final double[] windowKernel; // W × W by slot, symmetric, diagonal unused

  private OnlineMmd(Builder b) {
    double[][] ref = b.reference;
    int n = ref.length;
    int d = ref[0].length;
    this.windowSize = b.windowSize;
    this.ert = b.ert;
    int poolSize = Math.min(MAX_POOL, n / 2);
    if (poolSize < 2 * windowSize - 1 || n - poolSize < 2) {
      throw new IllegalArgumentException(
          "the reference ("
              + n
              + " points) is too small for window size "
              + windowSize
              + ": need at least "
              + 2 * (2 * windowSize - 1)
              + " points");
    }
    this.bootstraps = b.bootstraps > 0 ? b.bootstraps : Math.max(1000, 10 * ert);
    double sigma = b.sigma > 0 ? b.sigma : MmdDetector.medianHeuristicSigma(ref);
    this.kernel = new GaussianKernel(sigma);

    SplittableRandom rng = new SplittableRandom(b.seed);
    int[] order = shuffled(rng, n);
    double[][] pool = new double[poolSize][];
    double[][] rest = new double[n - poolSize][];
    for (int i = 0; i < n; i++) {
      if (i < poolSize) {
        pool[i] = ref[order[i]];
      } else {
        rest[i - poolSize] = ref[order[i]];
      }
    }
    this.centre = PointMatrix.columnMeans(rest);
    this.reference = PointMatrix.of(rest, centre);
    this.referenceTerm = kernel.offDiagonalMean(reference);
    this.thresholds = calibrate(PointMatrix.of(pool, centre), rng);

    this.windowPoints = new double[windowSize * d];
    this.windowRefSums = new double[windowSize];
    this.windowKernel = new double[windowSize * windowSize];
  }

  public static Builder builder() {
    return new Builder();
  }

  /** One event's outcome. */
  public record Step(long t, double statistic, double threshold, boolean drift)
      implements Serializable {}

  /**
   * Adds one event (a point of the reference's dimension) and tests the window ending at it.
   * Events before the window is first full give a NaN statistic and threshold, never drift.
   */
  public Step update(double[] x) {
    int d = reference.dim();
    if (x.length != d) {
      throw new IllegalArgumentException("event has dimension " + x.length + ", expected " + d);
    }
    PointMatrix point = PointMatrix.of(new double[][] {x}, centre);
    int slot = head;
    head = (head + 1) % windowSize;
    if (count < windowSize) {
      count++;
    }
    System.arraycopy(point.row(0), 0, windowPoints, slot * d, d);
    windowRefSums[slot] = kernel.sum(point, 0, reference);
    for (int other = 0; other < count; other++) {
      if (other != slot) {
        double k = kernel.value(windowPoints, slot * d, windowPoints, other * d, d);
        windowKernel[slot * windowSize + other] = k;
        windowKernel[other * windowSize + slot] = k;
      }
    }
    t++;
    if (count < windowSize) {
      return new Step(t, Double.NaN, Double.NaN, false);
    }
    double refSum = 0;
    double within = 0;
    for (int i = 0; i < windowSize; i++) {
      refSum += windowRefSums[i];
      for (int j = i + 1; j < windowSize; j++) {
        within += windowKernel[i * windowSize + j];
      }
    }
    double statistic = statistic(refSum, within);
    double threshold = thresholds[(int) Math.min(t - windowSize, windowSize - 1)];
    return new Step(t, statistic, threshold, statistic > threshold);
  }

  /** Empties the window and restarts the step count (e.g. after handling a detection). */
  public void reset() {
    t = 0;
    count = 0;
    head = 0;
  }

  /** Events seen since construction or the last reset. */
  public long time() {
    return t;
  }

  public double sigma() {
    return kernel.sigma();
  }

  public int windowSize() {
    return windowSize;
  }

  public int ert() {
    return ert;
  }

  public int bootstraps() {
    return bootstraps;
  }

  /** The per-step thresholds (a copy): index k for t = W + k, the last one for later steps. */
  public double[] thresholds() {
    return thresholds.clone();
  }

  /** Size of the test reference R. */
  public int referenceSize() {
    return reference.rows();
  }

  /** MMD²_u(R, window) from Σ_{r,w} k and Σ_{i&lt;j ∈ window} k. */
  private double statistic(double refWindowSum, double withinUpper) {
    int n = reference.rows();
    int w = windowSize;
    return referenceTerm
        + 2 * withinUpper / ((double) w * (w - 1))
        - 2 * refWindowSum / ((double) n * w);
  }

  private double[] calibrate(PointMatrix pool, SplittableRandom rng) {
    int nc = pool.rows();
    int w = windowSize;
    double[] poolRefSums = new double[nc];
    for (int c = 0; c < nc; c++) {
      poolRefSums[c] = kernel.sum(pool, c, reference);
    }
    double[] poolKernel = kernel.gram(pool);
    int steps = w; // tested steps k = 0..w-1, stream length 2w - 1
    double[][] stats = new double[bootstraps][steps];
    int[] order = new int[nc];
    for (int i = 0; i < nc; i++) {
      order[i] = i;
    }
    int length = 2 * w - 1;
    for (int b = 0; b < bootstraps; b++) {
      // partial Fisher–Yates: the first `length` entries become a uniform draw without replacement
      for (int i = 0; i < length; i++) {
        int j = i + rng.nextInt(nc - i);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      double refSum = 0;
      double within = 0;
      for (int i = 0; i < length; i++) {
        int in = order[i];
        for (int j = Math.max(0, i - w + 1); j < i; j++) {
          within += poolKernel[in * nc + order[j]];
        }
        refSum += poolRefSums[in];
        if (i >= w) {
          int out = order[i - w];
          for (int j = i - w + 1; j < i; j++) { // its pairs with the points that stay
            within -= poolKernel[out * nc + order[j]];
          }
          refSum -= poolRefSums[out];
        }
        if (i >= w - 1) {
          stats[b][i - (w - 1)] = statistic(refSum, within);
        }
      }
    }
    return conditionalQuantiles(stats, 1.0 / ert);
  }

  /**
   * For each step k, the value exceeded by a fraction ≈ rate of the streams still alive (no
   * earlier exceedance); streams above it are removed before step k + 1.
   */
  static double[] conditionalQuantiles(double[][] stats, double rate) {
    int streams = stats.length;
    int steps = stats[0].length;
    boolean[] dead = new boolean[streams];
    double[] out = new double[steps];
    double[] alive = new double[streams];
    for (int k = 0; k < steps; k++) {
      int m = 0;
      for (int b = 0; b < streams; b++) {
        if (!dead[b]) {
          alive[m++] = stats[b][k];
        }
      }
      if (m == 0) {
        throw new IllegalStateException("every bootstrap stream detected: raise the bootstraps");
      }
      double[] sorted = Arrays.copyOf(alive, m);
      Arrays.sort(sorted);
      int above = (int) Math.floor(m * rate);
      out[k] = sorted[m - 1 - Math.min(above, m - 1)];
      for (int b = 0; b < streams; b++) {
        if (stats[b][k] > out[k]) {
          dead[b] = true;
        }
      }
    }
    return out;
  }

  private static int[] shuffled(SplittableRandom rng, int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return p;
  }

  /**
   * Builder: {@code setReference}, {@code setErt} and {@code setWindowSize} are required;
   * bootstraps default to max(1000, 10·ERT), σ to the median heuristic, the seed to 0.
   */
  public static final class Builder {
    private double[][] reference;
    private int ert;
    private int windowSize;
    private int bootstraps;
    private double sigma = -1;
    private long seed;

    private Builder() {}

    /** The reference sample, n_ref × d; needs at least 2·(2W − 1) points. */
    public Builder setReference(double[][] reference) {
      this.reference = reference;
      return this;
    }

    /** Expected run time: the mean number of events between false alarms (≥ 2). */
    public Builder setErt(int ert) {
      if (ert < 2) {
        throw new IllegalArgumentException("ert must be at least 2");
      }
      this.ert = ert;
      return this;
    }

    /** Sliding window size W (≥ 2). */
    public Builder setWindowSize(int windowSize) {
      if (windowSize < 2) {
        throw new IllegalArgumentException("window size must be at least 2");
      }
      this.windowSize = windowSize;
      return this;
    }

    /** Number of simulated streams; should be well above ERT. */
    public Builder optBootstraps(int bootstraps) {
      if (bootstraps < 1) {
        throw new IllegalArgumentException("bootstraps must be at least 1");
      }
      this.bootstraps = bootstraps;
      return this;
    }

    public Builder optSigma(double sigma) {
      this.sigma = GaussianKernel.requireBandwidth(sigma);
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    public OnlineMmd build() {
      if (reference == null || ert == 0 || windowSize == 0) {
        throw new IllegalStateException("setReference, setErt and setWindowSize are required");
      }
      return new OnlineMmd(this);
    }
  }
}
