using System;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    public class MixedNegativeSamplerTests
    {
        private const int Range = 30;

        private static double LogUniform(long v) => Math.Log((v + 2.0) / (v + 1.0)) / Math.Log(Range + 1.0);

        [Fact]
        public void Layout_InBatchLabelsThenSampled_WithMixtureCounts()
        {
            long[] labels = [4, 0, 4, 9, 2, 7]; // B = 3, T = 2
            var mixed = new MixedNegativeSampler(
                new UniformSampler(Range, unique: true, seed: 3, stream: 1),
                new LogUniformSampler(Range, unique: false, seed: 0, stream: 0));
            var c = new long[6 + 5];
            var qt = new float[6];
            var qc = new float[11];
            int tries = mixed.Sample(2, labels, 2, 5, c, qt, qc);

            var reference = new UniformSampler(Range, unique: true, seed: 3, stream: 1);
            var s = new long[5];
            var rqt = new float[6];
            var rqs = new float[5];
            Assert.Equal(reference.SampleCandidates(2, labels, 2, s, rqt, rqs), tries);
            Assert.Equal(labels, c.AsSpan(0, 6).ToArray());
            Assert.Equal(s, c.AsSpan(6).ToArray());

            // Q(v) = (B - 1) T p_label(v) + Q_sampled(v), Q_sampled from TF's rule with p = 1/30.
            double Qs(double p) => tries == 5 ? 5 * p : 1 - Math.Pow(1 - p, tries);
            for (int j = 0; j < 11; j++)
            {
                double expected = 2 * 2 * LogUniform(c[j]) + Qs((float)(1.0 / Range));
                TfReferenceValueTests.AssertClose(expected, qc[j], 2e-7);
            }

            for (int j = 0; j < 6; j++)
            {
                Assert.Equal(qc[j], qt[j]);
            }
        }

        [Fact]
        public void ExcludingSampler_ContributesNothingForTrueClasses()
        {
            long[] labels = [1, 2];
            var mixed = new MixedNegativeSampler(
                new UniformSampler(Range, unique: false, 1, 1) { ExcludeTrueClasses = true },
                new LogUniformSampler(Range, false, 0, 0));
            var c = new long[2 + 3];
            var qt = new float[2];
            var qc = new float[5];
            mixed.Sample(0, labels, 1, 3, c, qt, qc);
            TfReferenceValueTests.AssertClose(LogUniform(1), qt[0]);
            TfReferenceValueTests.AssertClose(LogUniform(2), qt[1]);
            for (int j = 2; j < 5; j++)
            {
                // q' = (1/30) / (1 - 2/30) = 1/28 per draw, 3 draws, plus one other row's label.
                TfReferenceValueTests.AssertClose(LogUniform(c[j]) + 3.0 / 28, qc[j], 2e-7);
            }
        }

        [Fact]
        public void ExpectedCounts_MatchMonteCarloOverIidLabels()
        {
            // Labels drawn i.i.d. from the log-uniform law (System.Random, inverse CDF), which is also p_label. Row 0's
            // negatives are the other 7 rows' labels plus 4 uniform draws: E[count of v] = 7 p(v) + 4/30.
            const int rows = 8;
            const int k = 4;
            const int calls = 20_000;
            var mixed = new MixedNegativeSampler(new UniformSampler(Range, false, 5, 5), new LogUniformSampler(Range, false, 0, 0));
            var random = new Random(11);
            var labels = new long[rows];
            var c = new long[rows + k];
            var qt = new float[rows];
            var qc = new float[rows + k];
            var counts = new double[Range];
            for (int step = 0; step < calls; step++)
            {
                for (int r = 0; r < rows; r++)
                {
                    // Inverse of the telescoped CDF: F(v) = log(v + 2) / log(R + 1) for v < R.
                    labels[r] = Math.Min(Range - 1, (long)Math.Floor(Math.Exp(random.NextDouble() * Math.Log(Range + 1.0))) - 1);
                }

                mixed.Sample(step, labels, 1, k, c, qt, qc);
                for (int j = 1; j < c.Length; j++)
                {
                    counts[c[j]]++;
                }
            }

            for (int v = 0; v < Range; v++)
            {
                double p = LogUniform(v);
                double expected = 7 * p + 4.0 / Range;
                double variance = 7 * p * (1 - p) + 4.0 / Range * (1 - 1.0 / Range);
                double se = Math.Sqrt(variance / calls);
                double mean = counts[v] / calls;
                Assert.True(Math.Abs(mean - expected) <= 5 * se, $"class {v}: mean count {mean:F5}, expected {expected:F5}");
            }
        }

        [Fact]
        public void LearnedLabelDistribution_IsUpdatedAfterTheCall()
        {
            var labelsModel = new LearnedUnigramSampler(Range, unique: false, 0, 0);
            var mixed = new MixedNegativeSampler(new UniformSampler(Range, false, 1, 1), labelsModel);
            var c = new long[2 + 1];
            var qt = new float[2];
            var qc = new float[3];
            mixed.Sample(0, [5, 5], 1, 1, c, qt, qc);
            // During the call p_label(5) = 1/30; afterwards count 3 of 32.
            TfReferenceValueTests.AssertClose(1.0 / Range + 1.0 / 30, qt[0], 2e-7);
            Assert.Equal(3, labelsModel.GetCount(5));
            mixed.Sample(1, [5, 5], 1, 1, c, qt, qc);
            TfReferenceValueTests.AssertClose(3.0 / 32 + 1.0 / 30, qt[0], 2e-7);
        }

        [Fact]
        public void BadLengths_Throw()
        {
            var mixed = new MixedNegativeSampler(new UniformSampler(Range, false, 1, 1), new UniformSampler(Range, false, 1, 1));
            Assert.Throws<ArgumentException>(() => mixed.Sample(0, [1, 2], 1, 3, new long[4], new float[2], new float[4]));
            Assert.Throws<ArgumentException>(() => new MixedNegativeSampler(new UniformSampler(Range, false, 1, 1), new UniformSampler(Range + 1, false, 1, 1)));
        }
    }
}
