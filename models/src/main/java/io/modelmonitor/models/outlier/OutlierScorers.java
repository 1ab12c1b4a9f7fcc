package io.modelmonitor.models.outlier;

import io.modelmonitor.detectors.outlier.KnnScorer;
import io.modelmonitor.detectors.outlier.MahalanobisScorer;
import io.modelmonitor.detectors.outlier.OutlierScorer;
import io.modelmonitor.models.Progress;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Fits the outlier scorer of an {@link OutlierMethod} on the fit part of a reference and scores
 * prepared vectors (standardised features or whole embeddings). Mahalanobis and kNN use the whole
 * vector, not its PCA projection: outliers off the reference's principal subspace project close to
 * its mean, and in the PCA space Mahalanobis ranked gibberish, foreign-language and off-topic text
 * <i>below</i> clean reviews (AUC 0.001-0.003; 1.000 on the whole embedding). Calibrate the scorer
 * on rows it was not fitted on.
 */
public final class OutlierScorers {
    /** k of the kNN scorer. */
    public static final int KNN_K = 10;

    /** Most reference rows the kNN scorer keeps (a seeded subsample): a score costs n·k. */
    public static final int KNN_MAX_REFERENCE = 2000;

    private OutlierScorers() {}

    /**
     * The fitted scorer.
     *
     * @throws IllegalArgumentException for the methods that score images, not vectors ({@link
     *     OutlierMethod#scoresImages})
     */
    public static OutlierScorer fit(
            OutlierMethod method,
            double[][] fitPart,
            int autoencoderEpochs,
            long seed,
            Progress progress) {
        return switch (method) {
            case AUTOENCODER ->
                    OutlierAutoencoder.builder()
                            .optEpochs(autoencoderEpochs)
                            .optSeed(seed)
                            .optProgress(progress)
                            .fit(fitPart);
            case MAHALANOBIS -> MahalanobisScorer.fit(fitPart);
            case KNN ->
                    KnnScorer.of(
                            subsample(fitPart, KNN_MAX_REFERENCE, seed),
                            Math.min(KNN_K, fitPart.length),
                            KnnScorer.Aggregate.MEAN);
            case CONV_RECONSTRUCTION, INPUT_COMPLEXITY ->
                    throw new IllegalArgumentException(
                            method.label() + " scores the images, not their embeddings");
        };
    }

    private static double[][] subsample(double[][] rows, int max, long seed) {
        if (rows.length <= max) {
            return rows;
        }
        int[] order = new int[rows.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] kept = Arrays.copyOf(order, max);
        Arrays.sort(kept);
        double[][] out = new double[max][];
        for (int i = 0; i < max; i++) {
            out[i] = rows[kept[i]];
        }
        return out;
    }
}
