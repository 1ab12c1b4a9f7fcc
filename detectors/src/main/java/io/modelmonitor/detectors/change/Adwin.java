package io.modelmonitor.detectors.change;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * ADWIN, adaptive windowing (Bifet &amp; Gavaldà 2007, "Learning from Time-Changing Data with
 * Adaptive Windowing", SDM), for a stream of values in [0, 1] such as 0/1 errors. The window
 * grows while the stream is stationary and drops its older part when two sub-windows W₀ (older)
 * and W₁ (newer) have means differing by at least
 *
 * <pre>
 *   ε_cut = sqrt((2/m)·σ²_W·ln(2/δ')) + (2/(3m))·ln(2/δ'),   m = 1/(1/n₀ + 1/n₁),  δ' = δ/n
 * </pre>
 *
 * (the paper's variance-based bound for ADWIN2, σ²_W the window variance, n its length). The
 * window is kept as an exponential histogram: buckets of 2^i values storing count, sum and sum of
 * squared deviations, at most {@code maxBuckets} (M, default 5) per size, so memory and time are
 * O(M log n). Cuts are checked only at bucket boundaries, every {@code clock} (default 32)
 * values, and only where both sides hold at least {@code minSubWindow} (default 5) values.
 *
 * <pre>{@code
 * Adwin adwin = Adwin.builder().optDelta(0.002).build();
 * if (adwin.add(wrong ? 1 : 0)) { double newErrorRate = adwin.mean(); }
 * }</pre>
 */
public final class Adwin implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A run of 2^i consecutive values, summarised. */
  private static final class Bucket implements Serializable {
    private static final long serialVersionUID = 1L;
    long count;
    double sum;
    double squaredDeviations;

    Bucket(long count, double sum, double squaredDeviations) {
      this.count = count;
      this.sum = sum;
      this.squaredDeviations = squaredDeviations;
    }

    /** Chan et al.'s pairwise update of the sum of squared deviations. */
    static Bucket merge(Bucket a, Bucket b) {
      long n = a.count + b.count;
      double diff = b.sum / b.count - a.sum / a.count;
      double m2 = a.squaredDeviations + b.squaredDeviations
          + diff * diff * a.count * (double) b.count / n;
      return new Bucket(n, a.sum + b.sum, m2);
    }
  }

  private final double delta;
  private final int maxBuckets;
  private final int clock;
  private final int minSubWindow;

  /** Oldest first; sizes non-increasing from oldest to newest. */
  private final List<Bucket> buckets = new ArrayList<>();
  private long width;
  private double total;
  private long ticks;
  private long detections;

  private Adwin(Builder b) {
    this.delta = b.delta;
    this.maxBuckets = b.maxBuckets;
    this.clock = b.clock;
    this.minSubWindow = b.minSubWindow;
  }

  /** A builder; every parameter is optional. */
  public static Builder builder() {
    return new Builder();
  }

  /** Adds a value; returns true when the window was cut (a change was detected). */
  public boolean add(double x) {
    buckets.add(new Bucket(1, x, 0));
    width++;
    total += x;
    compress();
    ticks++;
    if (ticks % clock != 0) {
      return false;
    }
    boolean cut = false;
    while (cutOldest()) {
      cut = true;
    }
    if (cut) {
      detections++;
    }
    return cut;
  }

  /** Number of values in the current window. */
  public long width() {
    return width;
  }

  /** Mean of the current window (NaN when empty). */
  public double mean() {
    return width == 0 ? Double.NaN : total / width;
  }

  /** Population variance of the current window. */
  public double variance() {
    return width == 0 ? Double.NaN : summary().squaredDeviations / width;
  }

  /** Changes detected so far. */
  public long detections() {
    return detections;
  }

  /** Number of buckets (memory is O(this)). */
  public int bucketCount() {
    return buckets.size();
  }

  /** Merges the two oldest buckets of any size that has more than maxBuckets of them. */
  private void compress() {
    int end = buckets.size(); // exclusive end of the current size group
    while (end > 0) {
      long size = buckets.get(end - 1).count;
      int start = end - 1;
      while (start > 0 && buckets.get(start - 1).count == size) {
        start--;
      }
      if (end - start <= maxBuckets) {
        return; // larger sizes only change when a smaller size overflows
      }
      Bucket merged = Bucket.merge(buckets.get(start), buckets.get(start + 1));
      buckets.set(start, merged);
      buckets.remove(start + 1);
      end = start + 1; // the merged bucket is now the newest of the next size
    }
  }

  /**
   * Scans the splits from oldest to newest; on the first split whose means differ by at least
   * ε_cut, drops the oldest bucket and returns true.
   */
  private boolean cutOldest() {
    if (buckets.size() < 2) {
      return false;
    }
    double variance = summary().squaredDeviations / width;
    double logTerm = Math.log(2 * width / delta);
    long n0 = 0;
    double sum0 = 0;
    for (int k = 0; k < buckets.size() - 1; k++) {
      n0 += buckets.get(k).count;
      sum0 += buckets.get(k).sum;
      long n1 = width - n0;
      if (n0 < minSubWindow) {
        continue;
      }
      if (n1 < minSubWindow) {
        break;
      }
      double m = 1 / (1.0 / n0 + 1.0 / n1);
      double epsilon = Math.sqrt(2 / m * variance * logTerm) + 2 / (3 * m) * logTerm;
      if (Math.abs(sum0 / n0 - (total - sum0) / n1) >= epsilon) {
        Bucket oldest = buckets.remove(0);
        width -= oldest.count;
        total -= oldest.sum;
        return true;
      }
    }
    return false;
  }

  private Bucket summary() {
    Bucket all = new Bucket(buckets.get(0).count, buckets.get(0).sum,
        buckets.get(0).squaredDeviations);
    for (int k = 1; k < buckets.size(); k++) {
      all = Bucket.merge(all, buckets.get(k));
    }
    return all;
  }

  /** Builder of {@link Adwin}. */
  public static final class Builder {
    private double delta = 0.002;
    private int maxBuckets = 5;
    private int clock = 32;
    private int minSubWindow = 5;

    private Builder() {}

    /** Confidence δ of the cut test (default 0.002). */
    public Builder optDelta(double delta) {
      if (!(delta > 0 && delta < 1)) {
        throw new IllegalArgumentException("delta must be in (0, 1)");
      }
      this.delta = delta;
      return this;
    }

    /** Buckets kept per size, M (default 5). */
    public Builder optMaxBuckets(int maxBuckets) {
      if (maxBuckets < 2) {
        throw new IllegalArgumentException("maxBuckets must be >= 2");
      }
      this.maxBuckets = maxBuckets;
      return this;
    }

    /** Check for a cut every this many values (default 32). */
    public Builder optClock(int clock) {
      this.clock = Math.max(1, clock);
      return this;
    }

    /** Smallest sub-window compared (default 5). */
    public Builder optMinSubWindow(int minSubWindow) {
      this.minSubWindow = Math.max(1, minSubWindow);
      return this;
    }

    public Adwin build() {
      return new Adwin(this);
    }
  }
}
