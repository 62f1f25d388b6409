using System;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    public class AccurateMathTests
    {
        private static void AssertRelative(double expected, double actual, double tolerance)
            => Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

        [Theory]
        [InlineData(1e-10)]
        [InlineData(-3e-9)]
        [InlineData(2.5e-17)]
        [InlineData(1e-5)]
        public void Log1P_SmallArguments_MatchTaylorSeries(double x)
        {
            double taylor = x - x * x / 2 + x * x * x / 3 - x * x * x * x / 4;
            AssertRelative(taylor, AccurateMath.Log1P(x), 4e-16);
        }

        [Theory]
        [InlineData(1e-10)]
        [InlineData(-7e-12)]
        [InlineData(3e-17)]
        [InlineData(-1e-5)]
        public void ExpM1_SmallArguments_MatchTaylorSeries(double x)
        {
            double taylor = x + x * x / 2 + x * x * x / 6 + x * x * x * x / 24;
            AssertRelative(taylor, AccurateMath.ExpM1(x), 4e-16);
        }

        [Theory]
        // Reference values from the series of exp and the log of 1 + x, in 40-digit decimal arithmetic.
        [InlineData(0.1, 0.10517091807564762)]
        [InlineData(-0.3, -0.25918177931828212)]
        [InlineData(0.01, 0.010050167084168058)]
        [InlineData(-0.49, -0.38737360581558393)]
        public void ExpM1_MidRange_MatchesReference(double x, double expected)
            => AssertRelative(expected, AccurateMath.ExpM1(x), 1e-15);

        [Theory]
        [InlineData(0.01, 0.0099503308531680828)]
        [InlineData(-0.05, -0.051293294387550533)]
        [InlineData(0.0078125, 0.0077821404420549489)]
        public void Log1P_MidRange_MatchesReference(double x, double expected)
            => AssertRelative(expected, AccurateMath.Log1P(x), 1e-15);

        [Fact]
        public void ModerateAndExtremeArguments()
        {
            AssertRelative(Math.Log(1.5), AccurateMath.Log1P(0.5), 4e-16);
            AssertRelative(Math.Log(1e6), AccurateMath.Log1P(999999.0), 4e-16);
            AssertRelative(Math.E - 1, AccurateMath.ExpM1(1.0), 4e-16);
            AssertRelative(Math.Exp(-3) - 1, AccurateMath.ExpM1(-3.0), 4e-16);
            Assert.Equal(-1.0, AccurateMath.ExpM1(-50.0));
            Assert.Equal(double.PositiveInfinity, AccurateMath.ExpM1(710.0));
            Assert.Equal(double.NegativeInfinity, AccurateMath.Log1P(-1.0));
            Assert.True(double.IsNaN(AccurateMath.Log1P(-2.0)));
            Assert.Equal(0.0, AccurateMath.Log1P(0.0));
            Assert.Equal(0.0, AccurateMath.ExpM1(0.0));
        }

        [Fact]
        public void ExpectedCount_TinyProbability_StaysAccurate()
        {
            // 1 - (1 - p)^n = n p - C(n, 2) p^2 + C(n, 3) p^3 for p = 2^-30, n = 1000 tries (K = 999, one rejection).
            float p = MathF.ScaleB(1f, -30);
            double dp = p;
            double n = 1000;
            double expected = n * dp - n * (n - 1) / 2 * dp * dp + n * (n - 1) * (n - 2) / 6 * dp * dp * dp;
            float actual = ExpectedCounts.Compute(p, 999, 1000);
            TfReferenceValueTests.AssertClose(expected, actual);
        }

        [Fact]
        public void ExpectedCount_NoRejection_IsFloatProduct()
        {
            float p = 0.1f;
            Assert.Equal(p * 7f, ExpectedCounts.Compute(p, 7, 7));
            Assert.Equal(0.0f, ExpectedCounts.Compute(0.0f, 7, 9));
            Assert.Equal(1.0f, ExpectedCounts.Compute(1.0f, 7, 9));
        }
    }
}
