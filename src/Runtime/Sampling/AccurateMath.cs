using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using GraphSampling.Runtime.Cpu;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// Accurate <c>log1p</c> and <c>expm1</c>. .NET's <see cref="double.LogP1"/> and <see cref="double.ExpM1"/> are
    /// evaluated as <c>log(1 + x)</c> and <c>exp(x) - 1</c>, which lose every significant digit for tiny x; the expected
    /// count <c>-expm1(n log1p(-p))</c> (spec 3.3) needs full accuracy exactly where p is tiny (huge class sets).
    /// <para>
    /// The vector overloads of <see cref="Log1P(double)"/> agree with the scalar one to 1 double ulp in every lane: a
    /// vector whose lanes all lie in the series range is evaluated with the same series in a faster order, any other
    /// lane by lane with the scalar function.
    /// The vector counterpart of <see cref="ExpM1(double)"/> is <see cref="VectorMath.ExpM1Double(Vector512{double})"/>.
    /// </para>
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

        /// <summary>Lane-wise <see cref="Log1P(double)"/>, within 1 double ulp of it (the same bits in most lanes).</summary>
        /// <remarks>
        /// A vector whose lanes all satisfy <c>|x| &lt; 2^-7</c> (the common case for probabilities of a large class
        /// set) is evaluated with the series in vector form; any other vector lane by lane with the scalar function
        /// (then bit for bit).
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Log1P(Vector512<double> x)
        {
            if (!Vector512.LessThanAll(Vector512.Abs(x), Vector512.Create(SeriesLimit)))
            {
                return Log1PPerLane(x);
            }

            // The scalar's series x + x²·(-1/2 + x/3 - ... + x^7/9) in Estrin's form (pairs, then x², x⁴) with
            // multiply-adds: a third of Horner's latency. The polynomial is scaled by x² <= 2^-14 in the result, so
            // its rounding errors stay far below an ulp; the final multiply-add rounds once.
            Vector512<double> x2 = x * x;
            Vector512<double> x4 = x2 * x2;
            Vector512<double> a0 = Vector512.MultiplyAddEstimate(Vector512.Create(1.0 / 3), x, Vector512.Create(-1.0 / 2));
            Vector512<double> a1 = Vector512.MultiplyAddEstimate(Vector512.Create(1.0 / 5), x, Vector512.Create(-1.0 / 4));
            Vector512<double> a2 = Vector512.MultiplyAddEstimate(Vector512.Create(1.0 / 7), x, Vector512.Create(-1.0 / 6));
            Vector512<double> a3 = Vector512.MultiplyAddEstimate(Vector512.Create(1.0 / 9), x, Vector512.Create(-1.0 / 8));
            Vector512<double> t = Vector512.MultiplyAddEstimate(
                Vector512.MultiplyAddEstimate(a3, x2, a2),
                x4,
                Vector512.MultiplyAddEstimate(a1, x2, a0));
            return Vector512.MultiplyAddEstimate(x2, t, x);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Vector512<double> Log1PPerLane(Vector512<double> x)
        {
            Span<double> lanes = stackalloc double[Vector512<double>.Count];
            x.CopyTo(lanes);
            for (int i = 0; i < lanes.Length; i++)
            {
                lanes[i] = Log1P(lanes[i]);
            }

            return Vector512.Create<double>(lanes);
        }

        /// <summary>Lane-wise <see cref="Log1P(double)"/>, within 1 double ulp of it (the same bits in most lanes).</summary>
        /// <remarks>
        /// A vector whose lanes all satisfy <c>|x| &lt; 2^-7</c> (the common case for probabilities of a large class
        /// set) is evaluated with the series in vector form; any other vector lane by lane with the scalar function
        /// (then bit for bit).
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Log1P(Vector256<double> x)
        {
            if (!Vector256.LessThanAll(Vector256.Abs(x), Vector256.Create(SeriesLimit)))
            {
                return Log1PPerLane(x);
            }

            // The scalar's series x + x²·(-1/2 + x/3 - ... + x^7/9) in Estrin's form (pairs, then x², x⁴) with
            // multiply-adds: a third of Horner's latency. The polynomial is scaled by x² <= 2^-14 in the result, so
            // its rounding errors stay far below an ulp; the final multiply-add rounds once.
            Vector256<double> x2 = x * x;
            Vector256<double> x4 = x2 * x2;
            Vector256<double> a0 = Vector256.MultiplyAddEstimate(Vector256.Create(1.0 / 3), x, Vector256.Create(-1.0 / 2));
            Vector256<double> a1 = Vector256.MultiplyAddEstimate(Vector256.Create(1.0 / 5), x, Vector256.Create(-1.0 / 4));
            Vector256<double> a2 = Vector256.MultiplyAddEstimate(Vector256.Create(1.0 / 7), x, Vector256.Create(-1.0 / 6));
            Vector256<double> a3 = Vector256.MultiplyAddEstimate(Vector256.Create(1.0 / 9), x, Vector256.Create(-1.0 / 8));
            Vector256<double> t = Vector256.MultiplyAddEstimate(
                Vector256.MultiplyAddEstimate(a3, x2, a2),
                x4,
                Vector256.MultiplyAddEstimate(a1, x2, a0));
            return Vector256.MultiplyAddEstimate(x2, t, x);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Vector256<double> Log1PPerLane(Vector256<double> x)
        {
            Span<double> lanes = stackalloc double[Vector256<double>.Count];
            x.CopyTo(lanes);
            for (int i = 0; i < lanes.Length; i++)
            {
                lanes[i] = Log1P(lanes[i]);
            }

            return Vector256.Create<double>(lanes);
        }

        /// <summary>log(1 + x) in float, evaluated in double and rounded once.</summary>
        public static float Log1P(float x) => (float)Log1P((double)x);

        /// <summary>exp(x) - 1 in float, evaluated in double and rounded once.</summary>
        public static float ExpM1(float x) => (float)ExpM1((double)x);
    }
}
