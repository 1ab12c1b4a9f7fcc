package io.modelmonitor.detectors.univariate;

import java.io.Serializable;

/**
 * Outcome of a statistical test: which test, its statistic and its p-value.
 *
 * <pre>{@code
 * TestResult r = KolmogorovSmirnov.test(reference, window);
 * if (r.reject(0.05)) { ... }
 * }</pre>
 *
 * <p>Distances without a null distribution (PSI, Jensen–Shannon, Wasserstein) carry {@code pValue =
 * NaN}; {@link #reject(double)} is then always false.
 *
 * @param test short name of the test, e.g. {@code "ks"}, {@code "chi2"}, {@code "cvm"}
 * @param statistic the test statistic
 * @param pValue the p-value, or NaN where the measure has none
 */
public record TestResult(String test, double statistic, double pValue) implements Serializable {

    /** True when the p-value is below the significance level {@code alpha}. */
    public boolean reject(double alpha) {
        return pValue < alpha;
    }
}
