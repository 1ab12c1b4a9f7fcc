package io.modelmonitor.pipeline.window;

import io.modelmonitor.detectors.mmd.MmdDetector;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.options.JobSettings;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The MMD detectors of one window operator instance, one per distinct reference sample.
 *
 * <p>A detector caches its reference's kernel matrix (n_ref²/2 floats: 2 MB at 1,000 rows, 8 MB at
 * 2,000) and its calibrated nulls. Deployments that monitor many models fitted on the same
 * reference, one per tenant or region, would otherwise hold one copy per model: at 1,000 models a
 * subtask held gigabytes of identical matrices. A detector's result depends only on its reference
 * sample, bandwidth and the job's settings (its permutations are seeded per window size, never by
 * what it tested before), so models with equal samples share one and get the same reports as with
 * their own. Used from the operator's one thread only.
 */
final class SharedMmdDetectors {
    private final JobSettings settings;
    private final Map<ReferenceSample, MmdDetector> byReference = new HashMap<>();

    SharedMmdDetectors(JobSettings settings) {
        this.settings = settings;
    }

    /** The detector for {@code ref}'s sample; null when the reference has no MMD sample. */
    MmdDetector forReference(ModelReference ref) {
        if (ref.reference() == null) {
            return null;
        }
        return byReference.computeIfAbsent(
                new ReferenceSample(ref.reference(), ref.sigma()),
                k -> ref.mmdDetector(settings.permutations, settings.seed, settings.mmdNull));
    }

    /** How many distinct detectors are held. */
    int size() {
        return byReference.size();
    }

    /** A reference sample by content: equal rows and bandwidth (NaN: estimated, equal to NaN). */
    private static final class ReferenceSample {
        private final double[][] rows;
        private final double sigma;
        private final int hash;

        ReferenceSample(double[][] rows, double sigma) {
            this.rows = rows;
            this.sigma = sigma;
            this.hash = 31 * Arrays.deepHashCode(rows) + Double.hashCode(sigma);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ReferenceSample other
                    && hash == other.hash
                    && Double.compare(sigma, other.sigma) == 0
                    && Arrays.deepEquals(rows, other.rows);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
