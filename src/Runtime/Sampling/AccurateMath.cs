using System;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// Accurate <c>log1p</c> and <c>expm1</c>. .NET's <see cref="double.LogP1"/> and <see cref="double.ExpM1"/> are
    /// evaluated as <c>log(1 + x)</c> and <c>exp(x) - 1</c>, which lose every significant digit for tiny x; the expected
    /// count <c>-expm1(n log1p(-p))</c> (spec 3.3) needs full accuracy exactly where p is tiny (huge class sets).
    /// </summary>
    public static class AccurateMath
    {
        // Below this magnitude the Taylor series converge to double precision within a few terms:
        // |x|^8 / 9 < 2^-59 relative for log1p, |x|^7 / 8! < 2^-64 relative for expm1.
        private const double SeriesLimit = 0.0078125; // 2^-7

        /// <summary>log(1 + x), accurate to a few ulps for every x &gt; -1.</summary>
        public static double Log1P(double x)
        {
            if (Math.Abs(x) < SeriesLimit)
            {
                // x - x^2/2 + x^3/3 - ... + x^9/9 in Horner form: no cancellation, no transcendental call.
                double t = -1.0 / 8 + x / 9;
                t = 1.0 / 7 + x * t;
                t = -1.0 / 6 + x * t;
                t = 1.0 / 5 + x * t;
                t = -1.0 / 4 + x * t;
                t = 1.0 / 3 + x * t;
                t = -1.0 / 2 + x * t;
                return x + x * (x * t);
            }

            double u = 1.0 + x;
            if (double.IsPositiveInfinity(u) || u <= 0.0 || double.IsNaN(u))
            {
                return Math.Log(u);
            }

            // u = 1 + x is rounded; log(u) / (u - 1) is a smooth function evaluated at the rounded point, and
            // (u - 1) is exact, so multiplying by x restores the digits the rounding of u discarded (Goldberg's trick).
            return Math.Log(u) * (x / (u - 1.0));
        }

        /// <summary>exp(x) - 1, accurate to a few ulps for every x.</summary>
        public static double ExpM1(double x)
        {
            double ax = Math.Abs(x);
            if (ax >= 0.5 || double.IsNaN(x))
            {
                // |exp(x) - 1| >= 0.39 here, so the subtraction loses at most about one bit.
                return Math.Exp(x) - 1.0;
            }

            // Halve x (exactly) into the series range, then undo each halving with expm1(2y) = expm1(y)·(expm1(y) + 2),
            // which has no cancellation: at most 6 steps, each adding about one ulp.
            int halvings = 0;
            while (ax >= SeriesLimit)
            {
                x *= 0.5;
                ax *= 0.5;
                halvings++;
            }

            double t = 1.0 / 5040 * x + 1.0 / 720;
            t = 1.0 / 120 + x * t;
            t = 1.0 / 24 + x * t;
            t = 1.0 / 6 + x * t;
            t = 0.5 + x * t;
            double e = x + x * (x * t);
            for (int i = 0; i < halvings; i++)
            {
                e *= e + 2.0;
            }

            return e;
        }

        /// <summary>log(1 + x) in float, evaluated in double and rounded once.</summary>
        public static float Log1P(float x) => (float)Log1P((double)x);

        /// <summary>exp(x) - 1 in float, evaluated in double and rounded once.</summary>
        public static float ExpM1(float x) => (float)ExpM1((double)x);
    }
}
