using System;
using Xunit;

namespace GraphSampling.Gpu.Tests
{
    /// <summary>Comparisons of device results with the CPU runtime's, and small data helpers for the op tests.</summary>
    internal static class DeviceAssert
    {
        /// <summary>2^-24: the unit roundoff of float.</summary>
        public const double Eps = 5.9604644775390625e-8;

        /// <summary>Bit for bit, but any NaN equals any NaN (payloads are not part of the contract).</summary>
        public static void BitEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
        {
            Assert.True(actual.Length >= expected.Length, what + ": " + actual.Length + " values, " + expected.Length + " expected");
            for (int i = 0; i < expected.Length; i++)
            {
                float e = expected[i], a = actual[i];
                bool same = float.IsNaN(e) ? float.IsNaN(a) : BitConverter.SingleToInt32Bits(e) == BitConverter.SingleToInt32Bits(a);
                Assert.True(same, $"{what}[{i}]: device {a:R}, CPU {e:R}");
            }
        }

        /// <summary>|actual − expected| ≤ tolerance(i); non-finite values must match exactly (NaN with NaN, same infinity).</summary>
        public static void Near(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, Func<int, double> tolerance, string what)
        {
            Assert.True(actual.Length >= expected.Length, what + ": " + actual.Length + " values, " + expected.Length + " expected");
            for (int i = 0; i < expected.Length; i++)
            {
                float e = expected[i], a = actual[i];
                if (!float.IsFinite(e) || !float.IsFinite(a))
                {
                    Assert.True(float.IsNaN(e) ? float.IsNaN(a) : e.Equals(a), $"{what}[{i}]: device {a:R}, CPU {e:R}");
                    continue;
                }

                double tol = tolerance(i);
                Assert.True(Math.Abs((double)a - e) <= tol, $"{what}[{i}]: device {a:R}, CPU {e:R}, |diff| {Math.Abs((double)a - e):R} > {tol:R}");
            }
        }

        /// <summary>Within <paramref name="ulps"/> units in the last place of the CPU value (one correctly rounded and one
        /// within 1 ulp of exact differ by at most 2).</summary>
        public static void WithinUlps(float[] expected, ReadOnlySpan<float> actual, int ulps, string what) =>
            Near(expected, actual, i => ulps * Ulp(expected[i]), what);

        /// <summary>The spacing of floats at |x|.</summary>
        public static double Ulp(float x) => Math.Max(MathF.BitIncrement(Math.Abs(x)) - Math.Abs(x), float.Epsilon);

        /// <summary>Values in [−scale, scale), fixed seed.</summary>
        public static float[] Random(int n, int seed, float scale = 1f)
        {
            var rng = new Random(seed);
            var x = new float[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = (float)((rng.NextDouble() * 2.0) - 1.0) * scale;
            }

            return x;
        }
    }
}
