package io.modelmonitor.detectors.stats;

/**
 * Special functions the tests need, in plain Java: log-gamma, the regularized incomplete gamma and
 * beta functions (hence chi-squared and binomial tails), the normal distribution and the modified
 * Bessel function of the second kind.
 *
 * <pre>{@code
 * double p = SpecialFunctions.chiSquaredSf(14.2, 3);          // 0.00264...
 * double z = SpecialFunctions.normalQuantile(0.975);          // 1.959963984540054
 * }</pre>
 *
 * <p>Algorithms: Stirling's series with upward recurrence for log Γ; the power series and the Lentz
 * continued fraction for the incomplete gamma and beta functions (Press et al., <i>Numerical
 * Recipes</i>, 3rd ed., sections 6.2 and 6.4); Acklam's rational approximation refined by one
 * Halley step for the normal quantile; the integral K_ν(z) = ∫₀^∞ exp(−z cosh t) cosh(νt) dt
 * evaluated by the trapezoidal rule, which converges geometrically for this analytic integrand
 * (Trefethen &amp; Weideman, SIAM Review 56, 2014). Relative accuracy is close to 1e-14 in the
 * ranges the detectors use.
 */
public final class SpecialFunctions {
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double EPS = 1e-16;
    private static final double TINY = 1e-300;
    private static final int MAX_ITERATIONS = 100_000;

    /** Bernoulli numbers B_{2j}/(2j(2j−1)) for j = 1..8: Stirling series coefficients. */
    private static final double[] STIRLING = {
        1.0 / 12,
        -1.0 / 360,
        1.0 / 1260,
        -1.0 / 1680,
        1.0 / 1188,
        -691.0 / 360360,
        1.0 / 156,
        -3617.0 / 122400
    };

    private SpecialFunctions() {}

    /** log Γ(x) for x &gt; 0. */
    public static double logGamma(double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("logGamma needs x > 0, got " + x);
        }
        // Shift x up to >= 15 where 8 Stirling terms reach double precision; undo with the product.
        double shift = 0;
        double product = 1;
        while (x < 15) {
            product *= x;
            x += 1;
            if (product > 1e250) {
                shift += Math.log(product);
                product = 1;
            }
        }
        shift += Math.log(product);
        double inv = 1 / x;
        double inv2 = inv * inv;
        double series = 0;
        for (int j = STIRLING.length - 1; j >= 0; j--) {
            series = series * inv2 + STIRLING[j];
        }
        series *= inv;
        return (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + series - shift;
    }

    /** log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b). */
    public static double logBeta(double a, double b) {
        return logGamma(a) + logGamma(b) - logGamma(a + b);
    }

    /** Regularized lower incomplete gamma P(a, x). */
    public static double regularizedGammaP(double a, double x) {
        checkGammaArgs(a, x);
        if (x == 0) {
            return 0;
        }
        return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
    }

    /** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), accurate in the upper tail. */
    public static double regularizedGammaQ(double a, double x) {
        checkGammaArgs(a, x);
        if (x == 0) {
            return 1;
        }
        return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
    }

    /** Survival function of the chi-squared distribution with {@code dof} degrees of freedom. */
    public static double chiSquaredSf(double x, double dof) {
        if (x <= 0) {
            return 1;
        }
        return regularizedGammaQ(dof / 2, x / 2);
    }

    /** Regularized incomplete beta function I_x(a, b). */
    public static double regularizedBeta(double x, double a, double b) {
        if (!(a > 0 && b > 0) || x < 0 || x > 1) {
            throw new IllegalArgumentException("regularizedBeta needs a, b > 0 and 0 <= x <= 1");
        }
        if (x == 0 || x == 1) {
            return x;
        }
        double logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
        // The continued fraction converges fast for x < (a+1)/(a+b+2); use symmetry otherwise.
        if (x < (a + 1) / (a + b + 2)) {
            return Math.exp(logFront) * betaContinuedFraction(x, a, b) / a;
        }
        return 1 - Math.exp(logFront) * betaContinuedFraction(1 - x, b, a) / b;
    }

    /**
     * Upper tail P(X ≥ k) of a Binomial(n, p) variable, i.e. {@code scipy.stats.binom.sf(k-1, n,
     * p)} = I_p(k, n − k + 1).
     */
    public static double binomialUpperTail(long k, long n, double p) {
        if (k <= 0) {
            return 1;
        }
        if (k > n) {
            return 0;
        }
        if (p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return 1;
        }
        return regularizedBeta(p, k, n - k + 1.0);
    }

    /** Complementary error function erfc(x). */
    public static double erfc(double x) {
        if (x >= 0) {
            return regularizedGammaQ(0.5, x * x);
        }
        return 1 + regularizedGammaP(0.5, x * x);
    }

    /** Standard normal cumulative distribution function Φ(x). */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /** Standard normal survival function 1 − Φ(x), accurate in the upper tail. */
    public static double normalSf(double x) {
        return 0.5 * erfc(x / Math.sqrt(2));
    }

    /** Standard normal quantile Φ⁻¹(p) for 0 &lt; p &lt; 1. */
    public static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            if (p == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            if (p == 1) {
                return Double.POSITIVE_INFINITY;
            }
            throw new IllegalArgumentException("normalQuantile needs 0 <= p <= 1, got " + p);
        }
        double x = acklam(p);
        // One Halley step on Φ(x) − p brings Acklam's 1e-9 to full precision.
        double e = (p < 0.5 ? normalCdf(x) - p : p - 1 + normalSf(x));
        if (p >= 0.5) {
            e = -e;
        }
        double u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    /** Modified Bessel function of the second kind K_ν(z) for real ν and z &gt; 0. */
    public static double besselK(double nu, double z) {
        return scaledBesselK(nu, z) * Math.exp(-z);
    }

    /**
     * exp(z)·K_ν(z), which does not underflow for large z: ∫₀^∞ exp(−z(cosh t − 1)) cosh(νt) dt by
     * the trapezoidal rule with step min(1/64, 1/(4√z)): the step resolves the integrand's peak of
     * width ~1/√z at t = 0, so the error stays below exp(−π²·32) relative for any z.
     */
    public static double scaledBesselK(double nu, double z) {
        if (!(z > 0)) {
            throw new IllegalArgumentException("besselK needs z > 0, got " + z);
        }
        final double h = Math.min(1.0 / 64, 0.25 / Math.sqrt(z));
        double sum = 0.5; // f(0) = 1, half weight at the end point
        for (int i = 1; i < 1_000_000; i++) {
            double t = i * h;
            double f = Math.exp(-z * (Math.cosh(t) - 1)) * Math.cosh(nu * t);
            sum += f;
            // Past the maximum of the integrand the terms decrease monotonically and super-fast.
            if (f < 1e-18 * sum && z * Math.sinh(t) > Math.abs(nu)) {
                break;
            }
        }
        return sum * h;
    }

    private static void checkGammaArgs(double a, double x) {
        if (!(a > 0) || x < 0 || Double.isNaN(x)) {
            throw new IllegalArgumentException("incomplete gamma needs a > 0 and x >= 0");
        }
    }

    /** P(a, x) by its power series; converges for x &lt; a + 1. */
    private static double gammaSeries(double a, double x) {
        double term = 1 / a;
        double sum = term;
        for (int n = 1; n < MAX_ITERATIONS; n++) {
            term *= x / (a + n);
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * EPS) {
                break;
            }
        }
        return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }

    /** Q(a, x) by its continued fraction (modified Lentz); converges for x &gt; a + 1. */
    private static double gammaContinuedFraction(double a, double x) {
        double b = x + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = b + an / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPS) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** Continued fraction for I_x(a, b) (modified Lentz). */
    private static double betaContinuedFraction(double x, double a, double b) {
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        if (Math.abs(d) < TINY) {
            d = TINY;
        }
        d = 1 / d;
        double h = d;
        for (int m = 1; m < MAX_ITERATIONS; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPS) {
                break;
            }
        }
        return h;
    }

    /** Acklam's rational approximation of Φ⁻¹ (relative error about 1e-9). */
    private static double acklam(double p) {
        final double[] a = {
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
        };
        final double[] b = {
            -5.447609879822406e+01,
            1.615858368580409e+02,
            -1.556989798598866e+02,
            6.680131188771972e+01,
            -1.328068155288572e+01
        };
        final double[] c = {
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
        };
        final double[] d = {
            7.784695709041462e-03,
            3.224671290700398e-01,
            2.445134137142996e+00,
            3.754408661907416e+00
        };
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            double q = Math.sqrt(-2 * Math.log1p(-p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
                * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
