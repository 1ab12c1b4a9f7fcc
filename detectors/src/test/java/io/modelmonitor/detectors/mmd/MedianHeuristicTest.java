package io.modelmonitor.detectors.mmd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The median by selection equals the median of the sorted values, ties and both parities. */
class MedianHeuristicTest {

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
