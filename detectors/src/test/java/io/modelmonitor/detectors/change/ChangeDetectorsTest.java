package io.modelmonitor.detectors.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import java.util.function.DoublePredicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * ADWIN on seeded Bernoulli error streams: no alarm on 5000 stationary
 * Bernoulli(0.1) values (several seeds), and detection within a bounded delay after the error
 * rate jumps to 0.4.
 */
class ChangeDetectorsTest {
  private static final int STATIONARY = 5000;
  /** Stated worst-case delay after the jump 0.1 → 0.4 (typical: ADWIN ≈ 100). */
  private static final int MAX_DELAY = 400;

  /** Feeds 5000 values at 0.1 then values at 0.4; returns alarms before the jump and delay. */
  private static int[] run(DoublePredicate detector, long seed) {
    Random rng = new Random(seed);
    int falseAlarms = 0;
    for (int t = 0; t < STATIONARY; t++) {
      if (detector.test(rng.nextDouble() < 0.1 ? 1 : 0)) {
        falseAlarms++;
      }
    }
    for (int t = 1; t <= 5000; t++) {
      if (detector.test(rng.nextDouble() < 0.4 ? 1 : 0)) {
        return new int[] {falseAlarms, t};
      }
    }
    return new int[] {falseAlarms, Integer.MAX_VALUE};
  }

  private static void check(Supplier<DoublePredicate> factory, String name) {
    for (long seed = 1; seed <= 5; seed++) {
      int[] outcome = run(factory.get(), seed);
      assertEquals(0, outcome[0], name + " false alarms, seed " + seed);
      assertTrue(outcome[1] <= MAX_DELAY, name + " delay " + outcome[1] + ", seed " + seed);
    }
  }

  @Test
  void adwinDetectsTheJumpWithoutFalseAlarms() {
    check(() -> Adwin.builder().build()::add, "ADWIN");
  }

  @Test
  void adwinShrinksToTheNewRegimeAndKeepsFewBuckets() throws Exception {
    Adwin adwin = Adwin.builder().build();
    Random rng = new Random(9);
    for (int t = 0; t < STATIONARY; t++) {
      adwin.add(rng.nextDouble() < 0.1 ? 1 : 0);
    }
    assertEquals(STATIONARY, adwin.width());
    assertEquals(0.1, adwin.mean(), 0.015);
    assertTrue(adwin.bucketCount() <= 5 * 13, "buckets " + adwin.bucketCount());
    adwin = roundTrip(adwin);
    for (int t = 0; t < 2000; t++) {
      adwin.add(rng.nextDouble() < 0.4 ? 1 : 0);
    }
    assertTrue(adwin.detections() >= 1);
    assertTrue(adwin.width() < 2500, "width " + adwin.width());
    assertEquals(0.4, adwin.mean(), 0.05);
    assertEquals(adwin.mean() * (1 - adwin.mean()), adwin.variance(), 1e-9); // 0/1 values
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T object) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
