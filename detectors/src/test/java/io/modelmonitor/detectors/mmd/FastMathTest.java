package io.modelmonitor.detectors.mmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link FastMath} against {@link Math#exp} and {@link Math#cos} at the documented bounds. */
class FastMathTest {

    @Test
    void expWithinTenToTheMinus13Relative() {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 200_000;
        double[] d2 = new double[n];
        for (int i = 0; i < n; i++) {
            // squared distances over a wide range, exact zeros and the clamp boundary included
            d2[i] =
                    i < 3
                            ? new double[] {0, 128, 64 * 2}[i]
                            : rng.nextDouble() * (i % 2 == 0 ? 4 : 140);
        }
        double scale = -0.5; // exp(−d²/2), arguments in [−70, 0]
        double[] fast = d2.clone();
        FastMath.expScaled(fast, 0, n, scale);
        double maxRel = 0;
        for (int i = 0; i < n; i++) {
            double y = d2[i] * scale;
            double exact = Math.exp(y);
            if (y >= FastMath.EXP_FLOOR) {
                maxRel = Math.max(maxRel, Math.abs(fast[i] - exact) / exact);
            } else {
                assertEquals(Math.exp(FastMath.EXP_FLOOR), fast[i], 1e-40);
            }
        }
        System.out.printf("FastMath.expScaled: max relative error %.2e%n", maxRel);
        assertTrue(maxRel < 1e-13, "relative error " + maxRel);
        assertEquals(1.0, fast[0], 0);
    }

    @Test
    void expOfTheRangeEndsIsExactEnough() {
        double[] a = {0.0, -1e-300, -1.0, -64.0, -1000.0};
        FastMath.expScaled(a, 0, a.length, 1.0);
        assertEquals(1.0, a[0], 0);
        assertEquals(1.0, a[1], 0);
        assertEquals(Math.exp(-1), a[2], 1e-15);
        assertEquals(Math.exp(-64), a[3], 1e-13 * Math.exp(-64));
        assertTrue(a[4] > 0 && a[4] < 2e-28, "clamped: " + a[4]);
    }

    @Test
    void cosWithinTenToTheMinus14Absolute() {
        SplittableRandom rng = new SplittableRandom(2);
        int n = 200_000;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (rng.nextDouble() - 0.5) * (i % 3 == 0 ? 20 : i % 3 == 1 ? 200 : 20_000);
        }
        double[] fast = x.clone();
        FastMath.cos(fast, 0, n);
        double maxAbs = 0;
        for (int i = 0; i < n; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(fast[i] - Math.cos(x[i])));
        }
        System.out.printf("FastMath.cos: max absolute error %.2e%n", maxAbs);
        assertTrue(maxAbs < 1e-14, "absolute error " + maxAbs);
        double[] special = {0, Math.PI, -Math.PI, 2 * Math.PI, Math.PI / 2};
        FastMath.cos(special, 0, special.length);
        assertEquals(1.0, special[0], 1e-16);
        assertEquals(-1.0, special[1], 1e-15);
        assertEquals(-1.0, special[2], 1e-15);
        assertEquals(1.0, special[3], 1e-15);
        assertEquals(0.0, special[4], 1e-15);
    }
}
