using System;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    /// <summary>Chi-square goodness of fit of every sampler's draws (non-unique calls return raw draws).</summary>
    public class SamplerDistributionTests
    {
        private const int Draws = 200_000;

        private static long[] DrawMany(CandidateSampler sampler, long step = 3, int n = Draws)
        {
            var s = new long[n];
            var qs = new float[n];
            sampler.SampleCandidates(step, ReadOnlySpan<long>.Empty, 1, s, Span<float>.Empty, qs);
            return s;
        }

        // P(v in [a, b)) of the log-uniform law telescopes to log((b + 1) / (a + 1)) / log(R + 1).
        private static double LogUniformMass(long a, long b, long range) => Math.Log((b + 1.0) / (a + 1.0)) / Math.Log(range + 1.0);

        [Fact]
        public void Uniform_FitsUniformLaw()
        {
            long[] draws = DrawMany(new UniformSampler(20, unique: false, seed: 11, stream: 5));
            long[] bounds = new long[20];
            for (int i = 0; i < 20; i++)
            {
                bounds[i] = i;
            }

            double[] p = new double[20];
            p.AsSpan().Fill(1.0 / 20);
            Statistics.AssertChiSquareFits(Statistics.Bin(draws, bounds, 20), p, "uniform(20)");
        }

        [Fact]
        public void Uniform_LargeNonPowerOfTwoRange_FitsUniformLaw()
        {
            const long range = 3_000_000_019; // above 2^31: exercises Uniform64's rejection
            long[] draws = DrawMany(new UniformSampler(range, unique: false, seed: 2, stream: 9));
            long[] bounds = new long[20];
            double[] p = new double[20];
            for (int i = 0; i < 20; i++)
            {
                bounds[i] = range * i / 20;
            }

            for (int i = 0; i < 20; i++)
            {
                long end = i == 19 ? range : bounds[i + 1];
                p[i] = (double)(end - bounds[i]) / range;
            }

            Statistics.AssertChiSquareFits(Statistics.Bin(draws, bounds, range), p, "uniform(3e9)");
        }

        [Fact]
        public void LogUniform_SmallRange_FitsZipfLaw()
        {
            const long range = 1000;
            long[] bounds = new long[36];
            for (int i = 0; i < 30; i++)
            {
                bounds[i] = i;
            }

            long[] tail = [30, 60, 120, 250, 500, 750];
            tail.CopyTo(bounds, 30);
            long[] draws = DrawMany(new LogUniformSampler(range, unique: false, seed: 7, stream: 1));
            Statistics.AssertChiSquareFits(Statistics.Bin(draws, bounds, range), Masses(bounds, range), "log-uniform(1000)");
        }

        [Fact]
        public void LogUniform_800kRange_FitsZipfLaw()
        {
            const long range = 800_000;
            long[] bounds = new long[21];
            for (int i = 1; i < 21; i++)
            {
                bounds[i] = 1L << (i - 1);
            }

            long[] draws = DrawMany(new LogUniformSampler(range, unique: false, seed: 8, stream: 0));
            Statistics.AssertChiSquareFits(Statistics.Bin(draws, bounds, range), Masses(bounds, range), "log-uniform(800k)");

        }

        private static double[] Masses(long[] bounds, long range)
        {
            var p = new double[bounds.Length];
            for (int i = 0; i < bounds.Length; i++)
            {
                long end = i + 1 < bounds.Length ? bounds[i + 1] : range;
                p[i] = LogUniformMass(bounds[i], end, range);
            }

            return p;
        }

        [Fact]
        public void LearnedUnigram_FitsCounts()
        {
            const int range = 10;
            var sampler = new LearnedUnigramSampler(range, unique: false, seed: 4, stream: 4);
            long[] labels = [0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 9, 9, 5];
            sampler.Observe(labels);
            var counts = new double[range];
            Array.Fill(counts, 1.0);
            foreach (long l in labels)
            {
                counts[l]++;
            }

            double total = range + labels.Length;
            var p = new double[range];
            long[] bounds = new long[range];
            for (int i = 0; i < range; i++)
            {
                p[i] = counts[i] / total;
                bounds[i] = i;
            }

            Statistics.AssertChiSquareFits(Statistics.Bin(DrawMany(sampler), bounds, range), p, "learned unigram(10)");
        }

        [Fact]
        public void LearnedUnigram_LargeRange_FitsCounts()
        {
            // 1000 classes (10 levels of the Fenwick tree), skewed by labels; binned into 20 cells of 50 classes.
            const int range = 1000;
            var sampler = new LearnedUnigramSampler(range, unique: false, seed: 12, stream: 1);
            var rng = new Random(5);
            var labels = new long[20_000];
            var counts = new double[range];
            Array.Fill(counts, 1.0);
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = (long)(range * Math.Pow(rng.NextDouble(), 3));
                counts[labels[i]]++;
            }

            sampler.Observe(labels);
            double total = range + labels.Length;
            var bounds = new long[20];
            var p = new double[20];
            for (int c = 0; c < range; c++)
            {
                p[c / 50] += counts[c] / total;
            }

            for (int i = 0; i < 20; i++)
            {
                bounds[i] = 50 * i;
            }

            Statistics.AssertChiSquareFits(Statistics.Bin(DrawMany(sampler), bounds, range), p, "learned unigram(1000)");
        }

        [Fact]
        public void FixedUnigram_FitsWeights_AndNeverDrawsZeroWeight()
        {
            float[] w = [5f, 1f, 3f, 1f, 0.5f, 0f, 2f];
            var sampler = new FixedUnigramSampler(7, unique: false, seed: 3, stream: 3, unigrams: w);
            long[] draws = DrawMany(sampler);
            Assert.DoesNotContain(5L, draws);
            // Cells: the six positive-weight classes; class 5 (weight 0) is checked above.
            long[] observed = new long[6];
            foreach (long v in draws)
            {
                observed[v < 5 ? v : v - 1]++;
            }

            double sum = 12.5;
            double[] p = [5 / sum, 1 / sum, 3 / sum, 1 / sum, 0.5 / sum, 2 / sum];
            Statistics.AssertChiSquareFits(observed, p, "fixed unigram(7)");
        }

        [Fact]
        public void FixedUnigram_Distortion_FitsPoweredWeights()
        {
            float[] w = [16f, 1f, 4f, 9f, 25f];
            var sampler = new FixedUnigramSampler(5, unique: false, seed: 1, stream: 0, unigrams: w, distortion: 0.5f);
            double[] p = [4 / 15.0, 1 / 15.0, 2 / 15.0, 3 / 15.0, 5 / 15.0];
            Statistics.AssertChiSquareFits(Statistics.Bin(DrawMany(sampler), [0, 1, 2, 3, 4], 5), p, "fixed unigram, distortion 0.5");
        }

        [Fact]
        public void FixedUnigram_LargeRandomWeights_FitsWeights()
        {
            const int range = 1000;
            var rng = new Random(17);
            var w = new float[range];
            for (int i = 0; i < range; i++)
            {
                w[i] = (float)Math.Round(rng.NextDouble() * rng.NextDouble() * 1000);
            }

            double sum = 0;
            foreach (float x in w)
            {
                sum += x;
            }

            var p = new double[20];
            var bounds = new long[20];
            for (int c = 0; c < range; c++)
            {
                p[c / 50] += w[c] / sum;
            }

            for (int i = 0; i < 20; i++)
            {
                bounds[i] = 50 * i;
            }

            var sampler = new FixedUnigramSampler(range, unique: false, seed: 21, stream: 2, unigrams: w);
            Statistics.AssertChiSquareFits(Statistics.Bin(DrawMany(sampler), bounds, range), p, "fixed unigram(1000)");
        }

        [Fact]
        public void PerRow_PooledDraws_FitLaw()
        {
            const int rows = 50;
            const int k = 4000;
            var sampler = new LogUniformSampler(10, unique: false, seed: 5, stream: 6);
            var labels = new long[rows];
            var s = new long[rows * k];
            sampler.SampleCandidatesPerRow(2, labels, 1, k, s, new float[rows], new float[rows * k]);
            long[] bounds = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
            Statistics.AssertChiSquareFits(Statistics.Bin(s, bounds, 10), Masses(bounds, 10), "per-row log-uniform(10)");
        }

        [Fact]
        public void Exclusion_NonUnique_FitsRenormalisedLaw()
        {
            // Excluding {0, 3}: the remaining classes keep their relative log-uniform weights.
            const long range = 10;
            var sampler = new LogUniformSampler(range, unique: false, seed: 9, stream: 9) { ExcludeTrueClasses = true };
            var s = new long[Draws];
            var qs = new float[Draws];
            sampler.SampleCandidates(1, [0, 3, 3], 1, s, new float[3], qs);
            Assert.DoesNotContain(0L, s);
            Assert.DoesNotContain(3L, s);
            long[] classes = [1, 2, 4, 5, 6, 7, 8, 9];
            double rest = 1 - LogUniformMass(0, 1, range) - LogUniformMass(3, 4, range);
            var observed = new long[classes.Length];
            var p = new double[classes.Length];
            for (int i = 0; i < classes.Length; i++)
            {
                p[i] = LogUniformMass(classes[i], classes[i] + 1, range) / rest;
                foreach (long v in s)
                {
                    if (v == classes[i])
                    {
                        observed[i]++;
                    }
                }
            }

            Statistics.AssertChiSquareFits(observed, p, "log-uniform(10) excluding {0,3}");
        }
    }
}
