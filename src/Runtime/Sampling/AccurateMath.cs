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
    /// The vector overloads perform the same operations in every lane as the scalar ones wherever both use the series
    /// (<c>|x| &lt; 2^-7</c> for log1p, <c>|x| &lt; 0.5</c> for expm1), so they return the same bits there. Outside,
    /// <see cref="Log1P(Vector512{double})"/> calls the scalar function per lane, and the expm1 overloads use
    /// <see cref="VectorMath.ExpDouble(Vector512{double})"/> minus 1 where the scalar uses <see cref="Math.Exp"/> minus 1
    /// (a few double ulps apart at most).
    /// </para>
    /// </summary>
    public static class AccurateMath
    {
        // Below this magnitude the Taylor series converge to double precision within a few terms:
        // |x|^8 / 9 < 2^-59 relative for log1p, |x|^7 / 8! < 2^-64 relative for expm1.
        private const double SeriesLimit = 0.0078125; // 2^-7

        // |x| < 0.5 = 2^-1 needs at most 6 halvings to fall below 2^-7.
        private const int MaxHalvings = 6;

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

        /// <summary>Lane-wise <see cref="Log1P(double)"/>, bit for bit.</summary>
        /// <remarks>
        /// A vector whose lanes all satisfy <c>|x| &lt; 2^-7</c> (the common case for probabilities of a large class
        /// set) is evaluated with the series in vector form; any other vector lane by lane with the scalar function.
        /// </remarks>
        public static Vector512<double> Log1P(Vector512<double> x)
        {
            if (!Vector512.LessThanAll(Vector512.Abs(x), Vector512.Create(SeriesLimit)))
            {
                return Log1PPerLane(x);
            }

            // The scalar series with the same operations in the same order (no fused multiply-adds): the same bits.
            Vector512<double> t = Vector512.Create(-1.0 / 8) + (x / Vector512.Create(9.0));
            t = Vector512.Create(1.0 / 7) + (x * t);
            t = Vector512.Create(-1.0 / 6) + (x * t);
            t = Vector512.Create(1.0 / 5) + (x * t);
            t = Vector512.Create(-1.0 / 4) + (x * t);
            t = Vector512.Create(1.0 / 3) + (x * t);
            t = Vector512.Create(-1.0 / 2) + (x * t);
            return x + (x * (x * t));
        }

        /// <summary>
        /// Lane-wise <see cref="ExpM1(double)"/>: the same bits where <c>|x| &lt; 0.5</c>, elsewhere
        /// <see cref="VectorMath.ExpDouble(Vector512{double})"/> minus 1, within a few double ulps of the scalar result.
        /// </summary>
        public static Vector512<double> ExpM1(Vector512<double> x)
        {
            Vector512<double> ax = Vector512.Abs(x);
            Vector512<double> one = Vector512<double>.One;
            Vector512<double> small = Vector512.LessThan(ax, Vector512.Create(0.5));
            ulong smallLanes = Vector512.ExtractMostSignificantBits(small);
            const ulong allLanes = 0xFF; // 8 lanes

            // |e^x - 1| >= 0.39 outside the series range, so the subtraction loses at most about one bit (NaN lanes
            // land here too and stay NaN).
            Vector512<double> result = smallLanes == allLanes ? Vector512<double>.Zero : VectorMath.ExpDouble(x) - one;
            if (smallLanes == 0)
            {
                return result;
            }

            // The scalar halving loop with masks: a lane with |x| >= 2^(i-7) is halved in step i (exactly), and its
            // series value is doubled back with expm1(2y) = expm1(y)·(expm1(y) + 2) under the same masks.
            Vector512<double> half = Vector512.Create(0.5);
            Vector512<double> limit = Vector512.Create(SeriesLimit);
            Vector512<double> y = x;
            for (int i = 0; i < MaxHalvings; i++)
            {
                y = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(ax, limit), y * half, y);
                limit += limit;
            }

            Vector512<double> t = (Vector512.Create(1.0 / 5040) * y) + Vector512.Create(1.0 / 720);
            t = Vector512.Create(1.0 / 120) + (y * t);
            t = Vector512.Create(1.0 / 24) + (y * t);
            t = Vector512.Create(1.0 / 6) + (y * t);
            t = half + (y * t);
            Vector512<double> e = y + (y * (y * t));

            Vector512<double> two = Vector512.Create(2.0);
            limit = Vector512.Create(SeriesLimit);
            for (int i = 0; i < MaxHalvings; i++)
            {
                e = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(ax, limit), e * (e + two), e);
                limit += limit;
            }

            return Vector512.ConditionalSelect(small, e, result);
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

        /// <summary>Lane-wise <see cref="Log1P(double)"/>, bit for bit.</summary>
        /// <remarks>
        /// A vector whose lanes all satisfy <c>|x| &lt; 2^-7</c> (the common case for probabilities of a large class
        /// set) is evaluated with the series in vector form; any other vector lane by lane with the scalar function.
        /// </remarks>
        public static Vector256<double> Log1P(Vector256<double> x)
        {
            if (!Vector256.LessThanAll(Vector256.Abs(x), Vector256.Create(SeriesLimit)))
            {
                return Log1PPerLane(x);
            }

            // The scalar series with the same operations in the same order (no fused multiply-adds): the same bits.
            Vector256<double> t = Vector256.Create(-1.0 / 8) + (x / Vector256.Create(9.0));
            t = Vector256.Create(1.0 / 7) + (x * t);
            t = Vector256.Create(-1.0 / 6) + (x * t);
            t = Vector256.Create(1.0 / 5) + (x * t);
            t = Vector256.Create(-1.0 / 4) + (x * t);
            t = Vector256.Create(1.0 / 3) + (x * t);
            t = Vector256.Create(-1.0 / 2) + (x * t);
            return x + (x * (x * t));
        }

        /// <summary>
        /// Lane-wise <see cref="ExpM1(double)"/>: the same bits where <c>|x| &lt; 0.5</c>, elsewhere
        /// <see cref="VectorMath.ExpDouble(Vector256{double})"/> minus 1, within a few double ulps of the scalar result.
        /// </summary>
        public static Vector256<double> ExpM1(Vector256<double> x)
        {
            Vector256<double> ax = Vector256.Abs(x);
            Vector256<double> one = Vector256<double>.One;
            Vector256<double> small = Vector256.LessThan(ax, Vector256.Create(0.5));
            ulong smallLanes = Vector256.ExtractMostSignificantBits(small);
            const ulong allLanes = 0xF; // 4 lanes

            // |e^x - 1| >= 0.39 outside the series range, so the subtraction loses at most about one bit (NaN lanes
            // land here too and stay NaN).
            Vector256<double> result = smallLanes == allLanes ? Vector256<double>.Zero : VectorMath.ExpDouble(x) - one;
            if (smallLanes == 0)
            {
                return result;
            }

            // The scalar halving loop with masks: a lane with |x| >= 2^(i-7) is halved in step i (exactly), and its
            // series value is doubled back with expm1(2y) = expm1(y)·(expm1(y) + 2) under the same masks.
            Vector256<double> half = Vector256.Create(0.5);
            Vector256<double> limit = Vector256.Create(SeriesLimit);
            Vector256<double> y = x;
            for (int i = 0; i < MaxHalvings; i++)
            {
                y = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(ax, limit), y * half, y);
                limit += limit;
            }

            Vector256<double> t = (Vector256.Create(1.0 / 5040) * y) + Vector256.Create(1.0 / 720);
            t = Vector256.Create(1.0 / 120) + (y * t);
            t = Vector256.Create(1.0 / 24) + (y * t);
            t = Vector256.Create(1.0 / 6) + (y * t);
            t = half + (y * t);
            Vector256<double> e = y + (y * (y * t));

            Vector256<double> two = Vector256.Create(2.0);
            limit = Vector256.Create(SeriesLimit);
            for (int i = 0; i < MaxHalvings; i++)
            {
                e = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(ax, limit), e * (e + two), e);
                limit += limit;
            }

            return Vector256.ConditionalSelect(small, e, result);
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
