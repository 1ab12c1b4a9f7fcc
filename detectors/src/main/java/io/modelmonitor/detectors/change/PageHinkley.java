package io.modelmonitor.detectors.change;

import java.io.Serializable;

/**
 * Page–Hinkley test for an increase in the mean of a stream, e.g. a model's 0/1 error stream
 * (Page 1954, "Continuous inspection schemes", Biometrika 41; in the streaming form of Gama et
 * al. 2014, "A survey on concept drift adaptation", ACM CSUR 46(4)).
 *
 * <p>With x̄ₜ the running mean: mₜ = α·mₜ₋₁ + (xₜ − x̄ₜ − δ), Mₜ = min_{s ≤ t} mₛ, and a change
 * is signalled when mₜ − Mₜ &gt; λ after at least {@code minInstances} values; the detector
 * then resets. δ is the magnitude of change tolerated, λ the alarm threshold (higher = fewer
 * false alarms, longer delay), α ≤ 1 a forgetting factor on the cumulative sum.
 *
 * <p>Defaults δ = 0.005, λ = 50, minInstances = 30, α = 1 − 1e-4. On a Bernoulli error stream
 * jumping from 0.1 to 0.4 the statistic grows by about 0.3 a step, so the delay is about
 * λ/0.3 ≈ 170 steps (the tests check detection within 400).
 *
 * <pre>{@code
 * PageHinkley ph = PageHinkley.builder().optThreshold(50).build();
 * if (ph.add(wrong ? 1 : 0)) { ... } // change detected at this step
 * }</pre>
 */
public final class PageHinkley implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double delta;
  private final double threshold;
  private final long minInstances;
  private final double alpha;

  private long count;
  private double mean;
  private double cumulative;
  private double minimum;
  private long detections;

  private PageHinkley(Builder b) {
    this.delta = b.delta;
    this.threshold = b.threshold;
    this.minInstances = b.minInstances;
    this.alpha = b.alpha;
    reset();
  }

  /** A builder; every parameter is optional. */
  public static Builder builder() {
    return new Builder();
  }

  /** Adds a value; returns true when a change is detected (the detector then restarts). */
  public boolean add(double x) {
    count++;
    mean += (x - mean) / count;
    cumulative = alpha * cumulative + (x - mean - delta);
    minimum = Math.min(minimum, cumulative);
    if (count >= minInstances && statistic() > threshold) {
      detections++;
      reset();
      return true;
    }
    return false;
  }

  /** The current statistic mₜ − Mₜ. */
  public double statistic() {
    return cumulative - minimum;
  }

  /** Values since the last reset. */
  public long count() {
    return count;
  }

  /** Changes detected so far. */
  public long detections() {
    return detections;
  }

  private void reset() {
    count = 0;
    mean = 0;
    cumulative = 0;
    minimum = 0;
  }

  /** Builder of {@link PageHinkley}. */
  public static final class Builder {
    private double delta = 0.005;
    private double threshold = 50;
    private long minInstances = 30;
    private double alpha = 1 - 1e-4;

    private Builder() {}

    /** Tolerated change magnitude δ (default 0.005). */
    public Builder optDelta(double delta) {
      this.delta = delta;
      return this;
    }

    /** Alarm threshold λ (default 50). */
    public Builder optThreshold(double lambda) {
      this.threshold = lambda;
      return this;
    }

    /** Values needed before an alarm can fire (default 30). */
    public Builder optMinInstances(long minInstances) {
      this.minInstances = minInstances;
      return this;
    }

    /** Forgetting factor α in (0, 1] (default 1 − 1e-4). */
    public Builder optAlpha(double alpha) {
      if (!(alpha > 0 && alpha <= 1)) {
        throw new IllegalArgumentException("alpha must be in (0, 1]");
      }
      this.alpha = alpha;
      return this;
    }

    public PageHinkley build() {
      return new PageHinkley(this);
    }
  }
}
