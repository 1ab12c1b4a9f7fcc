package io.modelmonitor.detectors.stats;

/**
 * Distributions of Kolmogorov–Smirnov statistics, computed the way {@code scipy.stats} does so that
 * p-values agree with it.
 *
 * <ul>
 *   <li>{@link #twoSidedSf(int, double)}: P(D_n ≥ x) of the one-sample two-sided statistic ({@code
 *       scipy.stats.kstwo.sf}), with the method chosen by Simard &amp; L'Ecuyer (2011), "Computing
 *       the Two-Sided Kolmogorov-Smirnov Distribution", J. Stat. Softw. 39(11): Ruben–Gambino
 *       closed forms at the ends, Durbin's matrix (Marsaglia, Tsang &amp; Wang 2003), Pomeranz's
 *       recursion (1974), Pelz–Good's expansion (1976) and twice the exact one-sided Smirnov tail.
 *   <li>{@link #smirnovSf(int, double)}: P(D_n⁺ ≥ x), Birnbaum &amp; Tingey (1951).
 *   <li>{@link #twoSampleExactSf(int, int, int)}: the exact null distribution of the two-sample
 *       statistic by lattice path counting (Hodges 1958), with Viehmann's (2021, arXiv:2102.08037)
 *       recursion for the complement.
 * </ul>
 *
 * <pre>{@code
 * double p = KolmogorovSmirnovDistribution.twoSidedSf(100, 0.12);
 * }</pre>
 */
public final class KolmogorovSmirnovDistribution {
    private static final int SCALE_EXPONENT = 128;
    private static final double SCALE_UP = Math.scalb(1.0, SCALE_EXPONENT);
    private static final double SCALE_DOWN = Math.scalb(1.0, -SCALE_EXPONENT);
    private static final double PI2 = Math.PI * Math.PI;
    private static final double PI4 = PI2 * PI2;
    private static final double PI6 = PI4 * PI2;
    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);

    private KolmogorovSmirnovDistribution() {}

    /** P(D_n ≥ x) for the one-sample two-sided statistic with sample size n. */
    public static double twoSidedSf(int n, double x) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive");
        }
        if (x >= 1) {
            return 0;
        }
        if (x <= 0) {
            return 1;
        }
        double t = n * x;
        if (t <= 1) {
            if (t <= 0.5) {
                return 1;
            }
            return clip(1 - rubenGambinoLowerCdf(n, t));
        }
        if (t >= n - 1) {
            return clip(2 * Math.pow(1 - x, n));
        }
        if (x >= 0.5) {
            return clip(2 * smirnovSf(n, x));
        }
        double nxSquared = t * x;
        if (n <= 140) {
            if (nxSquared <= 0.754693) {
                return clip(1 - durbinMatrixCdf(n, x));
            }
            if (nxSquared <= 4) {
                return clip(1 - pomeranzCdf(n, x));
            }
            return clip(2 * smirnovSf(n, x));
        }
        if (nxSquared >= 370) {
            return 0;
        }
        if (nxSquared >= 2.2) {
            return clip(2 * smirnovSf(n, x));
        }
        double cdf;
        if (n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4) {
            cdf = durbinMatrixCdf(n, x);
        } else {
            cdf = pelzGoodCdf(n, x);
        }
        return clip(1 - clip(cdf));
    }

    /**
     * P(D_n⁺ ≥ x) of the one-sided one-sample statistic, by the Birnbaum–Tingey sum x
     * Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) (x + v/n)^{v−1} (1 − x − v/n)^{n−v}, whose terms are all positive.
     */
    public static double smirnovSf(int n, double x) {
        if (x >= 1) {
            return 0;
        }
        if (x <= 0) {
            return 1;
        }
        if (n == 1) {
            return 1 - x;
        }
        int last = (int) Math.floor(n * (1 - x));
        double logX = Math.log(x);
        double logBinomial = 0; // log C(n, v), updated incrementally
        double sum = 0;
        for (int v = 0; v <= last; v++) {
            if (v > 0) {
                logBinomial += Math.log((double) (n - v + 1) / v);
            }
            double rest = 1 - x - (double) v / n;
            if (rest <= 0) {
                break;
            }
            double logTerm =
                    logBinomial
                            + logX
                            + (v - 1) * Math.log(x + (double) v / n)
                            + (n - v) * Math.log(rest);
            sum += Math.exp(logTerm);
        }
        return clip(sum);
    }

    /** Limiting Kolmogorov survival function P(K ≥ x) = 2 Σ (−1)^{k−1} exp(−2k²x²). */
    public static double kolmogorovSf(double x) {
        if (x <= 0) {
            return 1;
        }
        if (x < 0.82) {
            // Small x: Jacobi-theta form of the cdf converges faster.
            double w = SQRT_2PI / x;
            double cdf = 0;
            for (int k = 1; k < 100; k++) {
                double term = w * Math.exp(-(2 * k - 1) * (2 * k - 1) * PI2 / (8 * x * x));
                cdf += term;
                if (term < 1e-17 * cdf) {
                    break;
                }
            }
            return clip(1 - cdf);
        }
        double sum = 0;
        for (int k = 1; k < 100; k++) {
            double term = Math.exp(-2.0 * k * k * x * x);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-17) {
                break;
            }
        }
        return clip(2 * sum);
    }

    /**
     * Exact P(D_{m,n} ≥ h / lcm(m, n)) of the two-sample two-sided statistic under the null.
     *
     * @param h the statistic times lcm(m, n), an integer in [0, lcm]
     * @return the p-value; NaN where floating point failed (then use the asymptotic form)
     */
    public static double twoSampleExactSf(int m, int n, int h) {
        if (h <= 0) {
            return 1;
        }
        LatticePoint key = new LatticePoint(Math.min(m, n), Math.max(m, n), h);
        Double known = EXACT_SF.get(key);
        if (known != null) {
            return known;
        }
        double p = computeTwoSampleExactSf(m, n, h);
        if (EXACT_SF.size() >= EXACT_SF_CAPACITY) {
            EXACT_SF.clear();
        }
        EXACT_SF.put(key, p);
        return p;
    }

    /**
     * Memo of {@link #twoSampleExactSf}, a pure function of three integers that costs O(m · band)
     * per call. A stream tests each feature of every window against the same reference size, and
     * windows of similar sizes take few distinct statistics (h ≤ lcm(m, n)), so per-feature drift
     * tests repeat the same calls: they were the largest cost of a numeric job with small windows.
     * Cleared when full rather than evicted one by one; entries are recomputable.
     */
    private static final java.util.Map<LatticePoint, Double> EXACT_SF =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static final int EXACT_SF_CAPACITY = 1 << 16;

    /** {@link #twoSampleExactSf} without the memo, for h &gt; 0. */
    static double computeTwoSampleExactSf(int m, int n, int h) {
        return m == n ? probabilityOutsideSquare(n, h) : probabilityOutsideBand(m, n, gcd(m, n), h);
    }

    private record LatticePoint(int smaller, int larger, int h) {}

    /** Greatest common divisor. */
    public static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return Math.abs(a);
    }

    /**
     * m = n: P = 2 Σ_k (−1)^{k−1} C(2n, n−kh)/C(2n, n), evaluated as a nested product 2·A₁(1 − A₂(1
     * − A₃(…))) whose factors are ratios of binomials, avoiding cancellation.
     */
    private static double probabilityOutsideSquare(int n, int h) {
        double p = 0;
        for (int k = n / h; k >= 0; k--) {
            double ratio = 1;
            for (int j = 0; j < h; j++) {
                ratio = (n - (double) k * h - j) * ratio / (n + (double) k * h + j + 1);
            }
            p = ratio * (1 - p);
        }
        return 2 * p;
    }

    /**
     * m ≠ n: fraction of lattice paths from (0,0) to (m,n) leaving the band |x/m − y/n| &lt; h/lcm,
     * computed column by column on the normalised counts so that the complement is accumulated
     * directly (Viehmann 2021) and only the band of each column is kept.
     */
    private static double probabilityOutsideBand(int m, int n, int g, int h) {
        if (m < n) {
            int t = m;
            m = n;
            n = t;
        }
        long mg = m / g;
        long ng = n / g;
        int minJ = 0;
        int maxJ = (int) Math.min(ceilDiv(h, mg), n + 1L);
        int currentLength = maxJ - minJ;
        double[] column = new double[Math.min(2 * maxJ + 2, n + 1)];
        java.util.Arrays.fill(column, 1.0);
        java.util.Arrays.fill(column, minJ, maxJ, 0.0);
        for (int i = 1; i <= m; i++) {
            int lastMinJ = minJ;
            int lastLength = currentLength;
            minJ = (int) Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0);
            minJ = Math.min(minJ, n);
            maxJ = (int) Math.min(ceilDiv(ng * i + h, mg), n + 1L);
            if (maxJ <= minJ) {
                return 1;
            }
            double value = minJ == 0 ? 0 : 1;
            for (int jj = 0; jj < maxJ - minJ; jj++) {
                int j = jj + minJ;
                value = (column[jj + minJ - lastMinJ] * i + value * j) / (i + j);
                column[jj] = value;
            }
            currentLength = maxJ - minJ;
            if (lastLength > currentLength) {
                java.util.Arrays.fill(
                        column,
                        maxJ - minJ,
                        Math.min(column.length, maxJ - minJ + lastLength - currentLength),
                        1.0);
            }
        }
        return column[maxJ - minJ - 1];
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** n!/n^n · (2t − 1)^n, the exact cdf for 1/(2n) &lt; x ≤ 1/n (Ruben &amp; Gambino 1982). */
    private static double rubenGambinoLowerCdf(int n, double t) {
        if (n <= 140) {
            double p = 1;
            for (int i = 1; i <= n; i++) {
                p *= i * (1.0 / n) * (2 * t - 1);
            }
            return p;
        }
        return Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }

    /** log(n!/n^n) by Stirling's series with the n log n term cancelled analytically. */
    private static double logFactorialOverPower(int n) {
        double[] coefficients = {
            -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
            8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
            -2.7777777777777777778e-3, 8.3333333333333333333e-2
        };
        double rn = 1.0 / n;
        double poly = 0;
        double y = rn / n;
        for (double c : coefficients) {
            poly = poly * y + c;
        }
        return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
    }

    /**
     * Durbin's matrix formula P(D_n &lt; x) = n!/n^n (H^n)_{kk} with H of order 2k − 1, raised by
     * repeated squaring with explicit power-of-two scaling (Marsaglia, Tsang &amp; Wang 2003).
     */
    static double durbinMatrixCdf(int n, double x) {
        if (x >= 1) {
            return 1;
        }
        double nd = n * x;
        if (nd <= 0.5) {
            return 0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        double[] v = new double[m];
        double[] w = new double[m];
        double factorial = 1;
        for (int j = 1; j <= m; j++) {
            w[j - 1] = factorial;
            factorial /= j;
            v[j - 1] = (1 - Math.pow(h, j)) * factorial;
        }
        double tt = Math.pow(Math.max(2 * h - 1, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1 + tt) * factorial;
        double[][] matrix = new double[m][m];
        for (int col = 1; col < m; col++) {
            for (int row = col - 1; row < m; row++) {
                matrix[row][col] = w[row - col + 1];
            }
        }
        for (int row = 0; row < m; row++) {
            matrix[row][0] = v[row];
        }
        for (int col = 0; col < m; col++) {
            matrix[m - 1][col] = v[m - 1 - col];
        }
        double[][] power = identity(m);
        int exponent = 0;
        int matrixExponent = 0;
        int remaining = n;
        while (remaining > 0) {
            if (remaining % 2 == 1) {
                power = multiply(power, matrix);
                exponent += matrixExponent;
            }
            matrix = multiply(matrix, matrix);
            matrixExponent *= 2;
            if (Math.abs(matrix[k - 1][k - 1]) > SCALE_UP) {
                scale(matrix, SCALE_DOWN);
                matrixExponent += SCALE_EXPONENT;
            }
            remaining /= 2;
        }
        double p = power[k - 1][k - 1];
        for (int i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < SCALE_DOWN) {
                p *= SCALE_UP;
                exponent -= SCALE_EXPONENT;
            }
        }
        return Math.scalb(p, exponent);
    }

    /** Pomeranz's recursion for P(D_n ≤ x), convolving rows with Poisson-like weights. */
    static double pomeranzCdf(int n, double x) {
        double t = n * x;
        int ll = (int) Math.floor(t);
        double f = t - ll;
        double g = Math.min(f, 1 - f);
        int ceilF = f > 0 ? 1 : 0;
        int roundF = f > 0.5 ? 1 : 0;
        int powers = 2 * (ll + 1);
        double[] gPower = new double[powers];
        double[] twoGPower = new double[powers];
        double[] oneMinusTwoGPower = new double[powers];
        gPower[0] = 1;
        twoGPower[0] = 1;
        oneMinusTwoGPower[0] = 1;
        for (int m = 1; m < powers; m++) {
            gPower[m] = gPower[m - 1] * (g / n) / m;
            twoGPower[m] = twoGPower[m - 1] * (2 * g / n) / m;
            oneMinusTwoGPower[m] = oneMinusTwoGPower[m - 1] * ((1 - 2 * g) / n) / m;
        }
        double[] previous = new double[powers];
        double[] current = new double[powers];
        current[0] = 1;
        int previousStart = 0;
        int currentStart = 0;
        int exponent = 0;
        int[] bounds = pomeranzBounds(0, n, ll, ceilF, roundF);
        for (int i = 1; i < 2 * n + 2; i++) {
            int k1 = bounds[0];
            double[] swap = previous;
            previous = current;
            current = swap;
            int swapStart = previousStart;
            previousStart = currentStart;
            currentStart = swapStart;
            java.util.Arrays.fill(current, 0.0);
            bounds = pomeranzBounds(i, n, ll, ceilF, roundF);
            int j1 = bounds[0];
            int j2 = bounds[1];
            double[] weights =
                    (i == 1 || i == 2 * n + 1)
                            ? gPower
                            : (i % 2 == 1 ? twoGPower : oneMinusTwoGPower);
            int length = j2 - k1 + 1;
            if (length > 0) {
                int offset = k1 - previousStart;
                int convStart = j1 - k1;
                int convLength = j2 - j1 + 1;
                double max = 0;
                for (int idx = 0; idx < convLength; idx++) {
                    int c = convStart + idx;
                    double s = 0;
                    for (int a = Math.max(0, c - length + 1); a <= Math.min(c, length - 1); a++) {
                        int src = offset + a;
                        if (src >= 0 && src < previous.length) {
                            s += previous[src] * weights[c - a];
                        }
                    }
                    current[idx] = s;
                    max = Math.max(max, s);
                }
                if (max > 0 && max < SCALE_DOWN) {
                    scale(current, SCALE_UP);
                    exponent -= SCALE_EXPONENT;
                }
                currentStart = previousStart + j1 - k1;
            }
        }
        double answer = current[n - currentStart];
        for (int m = 1; m <= n; m++) {
            if (Math.abs(answer) > SCALE_UP) {
                answer *= SCALE_DOWN;
                exponent += SCALE_EXPONENT;
            }
            answer *= m;
        }
        return Math.scalb(answer, exponent);
    }

    private static int[] pomeranzBounds(int i, int n, int ll, int ceilF, int roundF) {
        int j1;
        int j2;
        if (i == 0) {
            j1 = -ll - ceilF - 1;
            j2 = ll + ceilF - 1;
        } else {
            int half = (i + 1) / 2;
            if ((i + 1) % 2 == 0) {
                if (half == n + 1) {
                    j1 = n - ll - ceilF - 1;
                    j2 = n + ll + ceilF - 1;
                } else {
                    j1 = half - 1 - ll - roundF - 1;
                    j2 = half + ll - 1 + ceilF - 1;
                }
            } else {
                j1 = half - 1 - ll - 1;
                j2 = half + ll + roundF - 1;
            }
        }
        return new int[] {Math.max(j1 + 2, 0), Math.min(j2, n)};
    }

    /** Pelz &amp; Good's (1976) expansion of P(D_n ≤ x) in powers of 1/√n. */
    static double pelzGoodCdf(int n, double x) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double z = Math.sqrt(n) * x;
        double z2 = z * z;
        double z3 = z2 * z;
        double z4 = z2 * z2;
        double z6 = z4 * z2;
        double qLog = -PI2 / 8 / z2;
        if (qLog < -708) {
            return 0;
        }
        double q = Math.exp(qLog);
        double k1a = -z2;
        double k1b = PI2 / 4;
        double k2a = 6 * z6 + 2 * z4;
        double k2b = (2 * z4 - 5 * z2) * PI2 / 4;
        double k2c = PI4 * (1 - 2 * z2) / 16;
        double k3d = PI6 * (5 - 30 * z2) / 64;
        double k3c = PI4 * (-60 * z2 + 212 * z4) / 16;
        double k3b = PI2 * (135 * z4 - 96 * z6) / 4;
        double k3a = -30 * z6 - 90 * Math.pow(z, 8);
        double[] terms = new double[4];
        int maxK = (int) Math.ceil(16 * z / Math.PI);
        for (int k = maxK; k > 0; k--) {
            double m = 2 * k - 1;
            double m2 = m * m;
            double m4 = m2 * m2;
            double m6 = m4 * m2;
            double qPower = Math.pow(q, 8 * k);
            double[] coefficients = {
                1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6
            };
            for (int i = 0; i < 4; i++) {
                terms[i] = terms[i] * qPower + coefficients[i];
            }
        }
        double[] divisors = {z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
        for (int i = 0; i < 4; i++) {
            terms[i] = terms[i] * q * SQRT_2PI / divisors[i];
        }
        double q2 = Math.exp(-PI2 / 2 / z2);
        double k2Extra = 0;
        double k3Extra = 0;
        double sqrt3z = Math.sqrt(3) * z;
        for (int k = maxK; k > 0; k--) {
            double k2 = (double) k * k;
            double qPower = Math.pow(q2, k2);
            double kPi = Math.PI * k;
            k2Extra += k2 * qPower;
            k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qPower;
        }
        terms[2] += k2Extra * PI2 * SQRT_2PI / (-36 * z3);
        terms[3] += k3Extra * PI2 * SQRT_2PI / (216 * z6);
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += terms[i] / Math.pow(n, i / 2.0);
        }
        return sum;
    }

    private static double[][] identity(int m) {
        double[][] id = new double[m][m];
        for (int i = 0; i < m; i++) {
            id[i][i] = 1;
        }
        return id;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        double[][] c = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < m; k++) {
                double aik = a[i][k];
                if (aik == 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    c[i][j] += aik * b[k][j];
                }
            }
        }
        return c;
    }

    private static void scale(double[][] matrix, double factor) {
        for (double[] row : matrix) {
            scale(row, factor);
        }
    }

    private static void scale(double[] row, double factor) {
        for (int i = 0; i < row.length; i++) {
            row[i] *= factor;
        }
    }

    private static double clip(double p) {
        return Math.max(0, Math.min(1, p));
    }
}
