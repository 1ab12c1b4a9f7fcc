package io.modelmonitor.detectors.outlier;

import java.io.Serializable;

/**
 * Scores one event against a reference fixed when the scorer was fitted: higher means more unusual.
 * A scorer holds no state that events change, so scoring streams (any event, any order, any thread)
 * and every scorer shares one calibration ({@link OutlierCalibration} on scores of reference rows
 * it was not fitted on).
 */
public interface OutlierScorer extends Serializable {

    /** The method's name as {@code fit --outlier} takes it and the bundle records it. */
    String name();

    /** The score of one vector of the length the scorer was fitted on. */
    double score(double[] x);

    /** Scores each row. */
    default double[] score(double[][] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = score(rows[i]);
        }
        return out;
    }
}
