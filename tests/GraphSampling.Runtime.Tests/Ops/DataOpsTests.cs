using System;
using GraphSampling.Runtime.Ops;
using Xunit;

namespace GraphSampling.Runtime.Tests.Ops
{
    /// <summary>The kernels behind Gather, TopK of a vector, constants, the expected-count check and log-sum-exp over a
    /// leading (batch) axis, against plain loops. The strided log-sum-exp is vectorised across the inner axis, so it is
    /// checked at every inner length 0..70 (and this class runs in the ISA matrix of .ci/run).</summary>
    public sealed class DataOpsTests
    {
        [Fact]
        public void SumOverRows_ReadsRowsAStrideApart_InRowOrder()
        {
            // A bias gradient read where the logits gradient lies: columns 1..3 of a [3, 5] buffer.
            float[] x = { 9, 1, 2, 3, 9, 9, 10, 20, 30, 9, 9, 100, 200, 300, 9 };
            var destination = new float[] { -1, -1, -1, 7 };
            Reduce.SumOverRows(x.AsSpan(1), 3, 3, 5, destination);
            Assert.Equal(new float[] { 111, 222, 333, 7 }, destination);
            Reduce.SumOverRows(x, 0, 3, 5, destination);
            Assert.Equal(new float[] { 0, 0, 0, 7 }, destination);
        }

        [Fact]
        public void Take_PicksSlicesAlongTheAxis_ForFloatsAndLongs()
        {
            // [outer 2, axis 3, inner 2]
            float[] source = { 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15 };
            var destination = new float[2 * 4 * 2];
            Gather.Take<float>(source, 2, 3, 2, new long[] { 2, 0, 2, 1 }, destination, "ids");
            Assert.Equal(new float[] { 4, 5, 0, 1, 4, 5, 2, 3, 14, 15, 10, 11, 14, 15, 12, 13 }, destination);
            var longs = new long[3];
            Gather.Take<long>(new long[] { 7, 8, 9, 10 }, 1, 4, 1, new long[] { 3, 3, 0 }, longs, "ids");
            Assert.Equal(new long[] { 10, 10, 7 }, longs);
        }

        [Fact]
        public void Take_AnIndexOutOfRange_ThrowsNamingThePosition_BeforeWriting()
        {
            var destination = new float[] { -1, -1, -1 };
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => Gather.Take<float>(new float[] { 1, 2 }, 1, 2, 1, new long[] { 0, 1, 2 }, destination, "kept"));
            Assert.Equal("kept", e.ParamName);
            Assert.Contains("kept[2] = 2 is outside [0, 2)", e.Message);
            Assert.Equal(new float[] { -1, -1, -1 }, destination);
        }

        [Fact]
        public void TakeGradient_ScatterAddsAndAccumulatesRepeats()
        {
            float[] gradient = { 1, 2, 3, 4, 5, 6, 7, 8 };   // [outer 1, 4 picked, inner 2]
            var destination = new float[6];
            destination.AsSpan().Fill(99f);                  // overwritten, not accumulated into
            Gather.TakeGradient(gradient, 1, 3, 2, new long[] { 2, 0, 2, 1 }, destination);
            Assert.Equal(new float[] { 3, 4, 7, 8, 1 + 5, 2 + 6 }, destination);
        }

        [Fact]
        public void TopK_OfAVector_IsSortedDescending_TiesToTheLowerPosition()
        {
            float[] x = { 0.5f, 2f, -1f, 2f, 0.5f, 3f };
            var values = new float[4];
            var indices = new long[4];
            Ranking.TopK(x, 1, x.Length, 4, values, indices);
            Assert.Equal(new float[] { 3f, 2f, 2f, 0.5f }, values);
            Assert.Equal(new long[] { 5, 1, 3, 0 }, indices);
        }

        [Fact]
        public void FillRows_RepeatsTheRow_AndRejectsAPartialRow()
        {
            var destination = new long[6];
            Layout.FillRows<long>(new long[] { 1, 2, 3 }, destination);
            Assert.Equal(new long[] { 1, 2, 3, 1, 2, 3 }, destination);
            Assert.Throws<ArgumentException>(() => Layout.FillRows<float>(new float[] { 1, 2, 3, 4 }, new float[6]));
        }

        [Theory]
        [InlineData(0f)]
        [InlineData(-1f)]
        [InlineData(float.NaN)]
        [InlineData(float.PositiveInfinity)]
        public void PositiveFinite_RejectsCountsWhoseLogIsNotFinite(float bad)
        {
            Checks.PositiveFinite(new[] { 1e-30f, 0.5f, 3f, float.MaxValue }, 2, "q");
            Assert.Throws<ArgumentOutOfRangeException>(() => Checks.PositiveFinite(new[] { -0f }, 0, "q"));   // -0 is not positive either
            var values = new[] { 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f };
            values[3] = bad;
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => Checks.PositiveFinite(values, 2, "trueCounts"));
            Assert.Equal("trueCounts", e.ParamName);
            Assert.Contains("trueCounts[row 1, column 1]", e.Message);
            e = Assert.Throws<ArgumentOutOfRangeException>(() => Checks.PositiveFinite(values, 0, "sampledCounts"));
            Assert.Contains("sampledCounts[3]", e.Message);
        }

        [Fact]
        public void LogSumExpOverALeadingAxis_MatchesADoubleLoop_AtEveryInnerLength()
        {
            var rng = new Random(3);
            const int outer = 2, axis = 5;
            for (int inner = 0; inner <= 70; inner++)
            {
                var x = new float[outer * axis * inner];
                for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 40 - 20);
                var destination = new float[outer * inner];
                Reduce.LogSumExp(x, outer, axis, inner, destination);
                for (int o = 0; o < outer; o++)
                {
                    for (int i = 0; i < inner; i++)
                    {
                        double m = double.NegativeInfinity, s = 0;
                        for (int a = 0; a < axis; a++) m = Math.Max(m, x[(o * axis + a) * inner + i]);
                        for (int a = 0; a < axis; a++) s += Math.Exp(x[(o * axis + a) * inner + i] - m);
                        double expected = Math.Log(s) + m;
                        // float32 terms (exp within 1 ulp), five of them summed, one log, one add: a few ulps of
                        // the result (an ulp of 20 is 1.9e-6, so 1e-6 relative is about 10 ulps there).
                        Assert.True(Math.Abs(destination[o * inner + i] - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)),
                            $"inner {inner}, [{o}, {i}]: {destination[o * inner + i]} vs {expected}");
                    }
                }
            }
        }

        [Fact]
        public void LogSumExpOverALeadingAxis_FollowsTfsShiftRule()
        {
            // Columns: all -inf (shift 0: -inf), one +inf (+inf), a NaN (NaN), finite (plain).
            float ninf = float.NegativeInfinity;
            float[] x = { ninf, 1f, 2f, 0f, ninf, float.PositiveInfinity, float.NaN, 1f };
            var destination = new float[4];
            Reduce.LogSumExp(x, 1, 2, 4, destination);
            Assert.Equal(ninf, destination[0]);
            Assert.Equal(float.PositiveInfinity, destination[1]);
            Assert.True(float.IsNaN(destination[2]));
            Assert.Equal((float)Math.Log(Math.Exp(0) + Math.Exp(1)), destination[3], 6);
        }
    }
}
