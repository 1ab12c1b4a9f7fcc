package io.modelmonitor.detectors.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Run time without drift and detection delay of {@link OnlineMmd} by seeded simulation (ERT =
 * 100, W = 20, n_ref = 500, d = 4, standard normal data), and exact continuation after
 * serialization.
 */
class OnlineMmdTest {
  static final int ERT = 100;
  static final int W = 20;
  static final int DIM = 4;
  static final int RUNS = 60;
  /** Mean shift in every dimension for the delay test (in standard deviations). */
  static final double SHIFT = 1.0;

  private static OnlineMmd detector;

  @BeforeAll
  static void calibrate() {
    detector =
        OnlineMmd.builder()
            .setReference(gaussian(new SplittableRandom(1), 500, DIM, 0))
            .setErt(ERT)
            .setWindowSize(W)
            .optSeed(3)
            .build();
  }

  @Test
  void meanRunTimeWithoutDriftIsNearTheErt() {
    SplittableRandom rng = new SplittableRandom(100);
    int cap = 20 * ERT;
    double total = 0;
    for (int run = 0; run < RUNS; run++) {
      detector.reset();
      long t = cap;
      for (int i = 0; i < cap; i++) {
        OnlineMmd.Step s = detector.update(gaussian(rng, 1, DIM, 0)[0]);
        if (s.drift()) {
          t = s.t();
          break;
        }
      }
      total += t;
    }
    double mean = total / RUNS;
    System.out.printf("OnlineMmd mean run time without drift: %.1f (ERT %d)%n", mean, ERT);
    assertTrue(mean >= ERT / 3.0 && mean <= 3.0 * ERT, "mean run time " + mean);
  }

  @Test
  void detectsAClearShiftQuickly() {
    SplittableRandom rng = new SplittableRandom(200);
    double totalDelay = 0;
    int detected = 0;
    for (int run = 0; run < RUNS; run++) {
      detector.reset();
      int before = W + 5; // the window is full of no-shift events when the change comes
      boolean early = false;
      for (int i = 0; i < before; i++) {
        early |= detector.update(gaussian(rng, 1, DIM, 0)[0]).drift();
      }
      if (early) {
        continue; // a false alarm before the change: not a delay measurement
      }
      for (int i = 1; i <= 10 * ERT; i++) {
        if (detector.update(gaussian(rng, 1, DIM, SHIFT)[0]).drift()) {
          totalDelay += i;
          detected++;
          break;
        }
      }
    }
    assertTrue(detected >= RUNS * 0.7, "runs without an alarm before the change " + detected);
    double meanDelay = totalDelay / detected;
    System.out.printf("OnlineMmd mean delay at shift %.1f: %.1f events%n", SHIFT, meanDelay);
    assertTrue(meanDelay < ERT / 2.0, "mean delay " + meanDelay);
  }

  @Test
  void warmupStepsNeverAlarm() {
    detector.reset();
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 1; i < W; i++) {
      OnlineMmd.Step s = detector.update(gaussian(rng, 1, DIM, 5.0)[0]);
      assertFalse(s.drift());
      assertTrue(Double.isNaN(s.statistic()));
      assertEquals(i, s.t());
    }
    assertTrue(detector.update(gaussian(rng, 1, DIM, 5.0)[0]).drift(), "a 5-sd shift at t = W");
  }

  @Test
  void restoredDetectorContinuesExactly() throws Exception {
    OnlineMmd original =
        OnlineMmd.builder()
            .setReference(gaussian(new SplittableRandom(9), 300, DIM, 0))
            .setErt(50)
            .setWindowSize(10)
            .optBootstraps(500)
            .optSeed(4)
            .build();
    SplittableRandom rng = new SplittableRandom(10);
    for (int i = 0; i < 37; i++) {
      original.update(gaussian(rng, 1, DIM, 0)[0]);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(original);
    }
    OnlineMmd restored;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      restored = (OnlineMmd) in.readObject();
    }
    for (int i = 0; i < 100; i++) {
      double[] x = gaussian(rng, 1, DIM, i < 50 ? 0 : 0.7)[0];
      assertEquals(original.update(x), restored.update(x), "event " + i);
    }
  }

  @Test
  void calibrationIsSeeded() {
    double[][] ref = gaussian(new SplittableRandom(11), 200, 3, 0);
    OnlineMmd a = OnlineMmd.builder().setReference(ref).setErt(50).setWindowSize(8).optSeed(1).build();
    OnlineMmd b = OnlineMmd.builder().setReference(ref).setErt(50).setWindowSize(8).optSeed(1).build();
    assertArrayEquals(a.thresholds(), b.thresholds());
    assertEquals(8, a.thresholds().length);
    assertThrows(
        IllegalArgumentException.class,
        () -> OnlineMmd.builder().setReference(ref).setErt(50).setWindowSize(60).build());
  }

  static double[][] gaussian(SplittableRandom rng, int n, int d, double shift) {
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int k = 0; k < d; k++) {
        row[k] = rng.nextGaussian() + shift;
      }
    }
    return x;
  }
}
