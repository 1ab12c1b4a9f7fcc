package io.modelmonitor.models.outlier;

import io.modelmonitor.detectors.outlier.OutlierScorer;
import io.modelmonitor.detectors.reduction.Pca;

/**
 * A scorer fitted in the reduced (PCA) space, applied to prepared vectors: projects, then scores.
 * The PCA is the bundle's own, so the space is the one the MMD test works in.
 */
public final class ReducedSpaceScorer implements OutlierScorer {
    private static final long serialVersionUID = 1L;

    private final Pca pca;
    private final OutlierScorer inReducedSpace;

    public ReducedSpaceScorer(Pca pca, OutlierScorer inReducedSpace) {
        this.pca = pca;
        this.inReducedSpace = inReducedSpace;
    }

    /** The scorer of reduced vectors. */
    public OutlierScorer inReducedSpace() {
        return inReducedSpace;
    }

    @Override
    public String name() {
        return inReducedSpace.name();
    }

    @Override
    public double score(double[] prepared) {
        return inReducedSpace.score(pca.transform(prepared));
    }
}
