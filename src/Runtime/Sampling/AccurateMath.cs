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
        /// <summary>log(1 + x), accurate to a few ulps for every x &gt; -1.</summary>
        public static double Log1P(double x)
        {
            double u = 1.0 + x;
            if (u == 1.0)
            {
                // |x| is below half an ulp of 1: log(1 + x) = x - x^2/2 + ..., and x^2/2 is below x's own ulp.
                return x;
            }

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
            double u = Math.Exp(x);
            if (u == 1.0)
            {
                return x;
            }

            double um1 = u - 1.0;
            if (um1 == -1.0)
            {
                return -1.0;
            }

            if (double.IsPositiveInfinity(u) || double.IsNaN(u))
            {
                return u;
            }

            // Kahan's trick: (u - 1) / log(u) is smooth, both are evaluated at the same rounded u, so the ratio times x
            // is accurate even though u itself carries a relative error far larger than x's.
            return um1 * x / Math.Log(u);
        }

        /// <summary>log(1 + x) in float, evaluated in double and rounded once.</summary>
        public static float Log1P(float x) => (float)Log1P((double)x);

        /// <summary>exp(x) - 1 in float, evaluated in double and rounded once.</summary>
        public static float ExpM1(float x) => (float)ExpM1((double)x);
    }
}
