package io.modelmonitor.detectors.mmd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelmonitor.detectors.linalg.PointMatrix;
import io.modelmonitor.detectors.linalg.SquaredDistances;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The median by selection equals the median of the sorted values, ties and both parities; the
 * vectorised distance rows equal the pairwise differences bit for bit.
 */
class MedianHeuristicTest {

    @Test
    void distanceRowsAreTheDirectDistances() {
        SplittableRandom rng = new SplittableRandom(9);
        double[][] x = new double[300][13];
        for (double[] row : x) {
            for (int k = 0; k < row.length; k++) {
                row[k] = rng.nextGaussian() * 1e3 + 5e3;
            }
        }
        PointMatrix p = PointMatrix.of(x);
        double[] out = new double[300];
        for (int i = 0; i < 300; i += 7) {
            SquaredDistances.directRow(p, i, p, i + 1, 300, out, 0);
            for (int j = i + 1; j < 300; j++) {
                assertEquals(
                        Double.doubleToLongBits(SquaredDistances.direct(p, i, p, j)),
                        Double.doubleToLongBits(out[j - i - 1]));
            }
        }
    }

    @Test
    void selectionGivesTheSortedMedian() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int rep = 0; rep < 400; rep++) {
            int n = 1 + rng.nextInt(rep < 200 ? 12 : 5000);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                // every third array has many ties
                v[i] = rep % 3 == 0 ? rng.nextInt(4) : rng.nextDouble() * 100;
            }
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            int h = n / 2;
            double want = n % 2 == 1 ? sorted[h] : 0.5 * (sorted[h - 1] + sorted[h]);
            assertEquals(want, MedianHeuristic.median(v), 0, "n = " + n);
        }
        double[] sortedAlready = new double[10_001];
        for (int i = 0; i < sortedAlready.length; i++) {
            sortedAlready[i] = i;
        }
        assertEquals(5000, MedianHeuristic.median(sortedAlready), 0);
    }
}
