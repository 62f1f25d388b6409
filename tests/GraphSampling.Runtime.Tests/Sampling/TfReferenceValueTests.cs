using System;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    /// <summary>The worked values of spec section 13 (R0 and R5).</summary>
    public class TfReferenceValueTests
    {
        private static readonly double[] R0Probability = [0.386852801, 0.226294383, 0.160558417, 0.124538787, 0.101755597];
        private static readonly double[] R0CountsTries3 = [1.160558462, 0.678883135, 0.481675267, 0.373616368, 0.305266798];
        private static readonly double[] R0CountsTries4 = [0.858662009, 0.641653657, 0.503451228, 0.412581474, 0.349004358];

        internal static void AssertClose(double expected, float actual, double relative = 1e-7)
        {
            double tolerance = Math.Max(relative * Math.Abs(expected), Math.Abs(MathF.BitIncrement(actual) - actual));
            Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R}");
        }

        [Fact]
        public void R0_LogUniformProbabilities()
        {
            var sampler = new LogUniformSampler(5, unique: true, seed: 0, stream: 0);
            for (int v = 0; v < 5; v++)
            {
                AssertClose(R0Probability[v], sampler.Probability(v));
            }
        }

        [Fact]
        public void R0_ExpectedCounts_BothBranches()
        {
            var sampler = new LogUniformSampler(5, unique: true, seed: 0, stream: 0);
            for (int v = 0; v < 5; v++)
            {
                AssertClose(R0CountsTries3[v], ExpectedCounts.Compute(sampler.Probability(v), 3, 3));
                AssertClose(R0CountsTries4[v], ExpectedCounts.Compute(sampler.Probability(v), 3, 4));
            }
        }

        [Fact]
        public void R5_LogUniform_TwoCalls()
        {
            var sampler = new LogUniformSampler(5, unique: true, seed: 1, stream: 2);
            AssertCall(sampler, 0, [0, 1, 4], 5, [0.722745419, 0.583176315], [0.913339019, 0.722745419, 0.415246814]);
            AssertCall(sampler, 1, [4, 2, 0], 4, [0.641653657, 0.503451228], [0.349004358, 0.503451228, 0.858662009]);
        }

        [Fact]
        public void R5_Uniform_Call0()
        {
            var sampler = new UniformSampler(5, unique: true, seed: 1, stream: 2);
            AssertCall(sampler, 0, [4, 1, 2], 3, [0.600000024, 0.600000024], [0.600000024, 0.600000024, 0.600000024]);
        }

        [Fact]
        public void R5_LearnedUnigram_Call1()
        {
            var sampler = new LearnedUnigramSampler(5, unique: true, seed: 1, stream: 2);
            Span<long> s = stackalloc long[3];
            Span<float> qt = stackalloc float[2];
            Span<float> qs = stackalloc float[3];
            sampler.SampleCandidates(0, [1, 2], 1, s, qt, qs);
            AssertCall(sampler, 1, [3, 1, 4], 5, [0.814065576, 0.814065576], [0.537335634, 0.814065576, 0.537335634]);
        }

        [Fact]
        public void R5_FixedUnigram_Call0()
        {
            var sampler = new FixedUnigramSampler(5, unique: true, seed: 1, stream: 2, unigrams: [5f, 1f, 3f, 1f, 0.5f]);
            Span<long> s = stackalloc long[3];
            Span<float> qt = stackalloc float[2];
            Span<float> qs = stackalloc float[3];
            int tries = sampler.SampleCandidates(0, [1, 2], 1, s, qt, qs);
            Assert.Equal([0L, 4L, 1L], s.ToArray());
            Assert.Equal(3, tries);
            AssertClose(1.428571463, qs[0]);
            AssertClose(0.142857149, qs[1]);
            AssertClose(0.285714298, qs[2]);
        }

        private static void AssertCall(CandidateSampler sampler, long step, long[] ids, int numTries, double[] qt, double[] qs)
        {
            var s = new long[3];
            var t = new float[2];
            var q = new float[3];
            int tries = sampler.SampleCandidates(step, [1, 2], 1, s, t, q);
            Assert.Equal(ids, s);
            Assert.Equal(numTries, tries);
            for (int i = 0; i < 2; i++)
            {
                AssertClose(qt[i], t[i]);
            }

            for (int i = 0; i < 3; i++)
            {
                AssertClose(qs[i], q[i]);
            }
        }
    }
}
