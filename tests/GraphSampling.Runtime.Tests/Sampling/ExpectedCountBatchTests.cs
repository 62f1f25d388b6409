using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using GraphSampling.Runtime.Sampling;
using GraphSampling.Runtime.Tests.Cpu;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    /// <summary>
    /// The batch expected-count rule and the vector log1p/expm1 behind it, against the scalar rule and the scalar
    /// <see cref="AccurateMath"/>. Run under the ISA matrix (DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0,
    /// DOTNET_EnableHWIntrinsic=0) the same assertions cover the Vector256 path and the scalar fallback.
    /// </summary>
    public class ExpectedCountBatchTests
    {
        private const int K = 8192;

        public static readonly int[] Tries = [K, K + 1, 16_000, 1_000_000, int.MaxValue];

        public static TheoryData<int> TriesData() => new(Tries);

        /// <summary>
        /// Probabilities from 1e-9 to 1: log-spaced, random in log space, the special values, 2^-7 (the end of the
        /// log1p series) and its neighbours, and for every tries count the p at which <c>tries · log1p(−p)</c> crosses
        /// the expm1 halving thresholds 2^-7 … 2^-1 (0.5 is the end of the expm1 series), with their neighbours.
        /// </summary>
        private static float[] Probabilities()
        {
            var values = new List<float>
            {
                0f, 1f, 0.5f, 0.99999994f, 0.25f, 0.1f, float.Epsilon, 1e-45f, 1e-38f, 1e-20f,
                0.0078125f, MathF.BitDecrement(0.0078125f), MathF.BitIncrement(0.0078125f),
            };
            for (int i = 0; i <= 400; i++)
            {
                values.Add((float)Math.Pow(10, -9 + (9.0 * i / 400)));
            }

            var random = new Random(11);
            for (int i = 0; i < 400; i++)
            {
                values.Add((float)Math.Pow(10, -9 * random.NextDouble()));
            }

            foreach (int tries in Tries)
            {
                for (int i = 0; i <= 6; i++)
                {
                    float p = (float)-AccurateMath.ExpM1(-Math.ScaleB(1, i - 7) / tries);
                    values.Add(MathF.BitDecrement(p));
                    values.Add(p);
                    values.Add(MathF.BitIncrement(p));
                }
            }

            return values.ToArray();
        }

        private static float Scalar(float p, double scale, int tries) =>
            ExpectedCounts.Compute(Math.Min(1.0, p * scale), K, tries);

        /// <summary>True where the scalar rule stays in the series of both log1p and expm1 (then the bits must match).</summary>
        private static bool InSeries(float p, double scale, int numSampled, int tries)
        {
            double q = Math.Min(1.0, p * scale);
            return tries == numSampled || (q < 0.0078125 && Math.Abs(tries * AccurateMath.Log1P(-q)) < 0.5);
        }

        [Theory]
        [MemberData(nameof(TriesData))]
        public void Batch_AllLengths_MatchScalarRule(int tries)
        {
            float[] pool = Probabilities();
            foreach (double scale in new[] { 1.0, 1.0 / (1.0 - 0.0123), 3.5 })
            {
                for (int length = 0; length <= 40; length++)
                {
                    for (int start = 0; start + length <= pool.Length; start += 37)
                    {
                        float[] p = pool.AsSpan(start, length).ToArray();
                        float[] separate = new float[length + 3];
                        separate[length] = 42f; // past the end: must be left alone
                        ExpectedCounts.Compute(p, scale, K, tries, separate);
                        float[] inPlace = (float[])p.Clone();
                        ExpectedCounts.Compute(inPlace, scale, K, tries, inPlace);
                        Assert.Equal(42f, separate[length]);

                        for (int i = 0; i < length; i++)
                        {
                            float expected = Scalar(p[i], scale, tries);
                            AssertCount(expected, separate[i], p[i], scale, tries);
                            Assert.Equal(separate[i], inPlace[i]);
                        }
                    }
                }
            }
        }

        private static void AssertCount(float expected, float actual, float p, double scale, int tries, int numSampled = K)
        {
            string where = $"p={p:R} scale={scale:R} K={numSampled} tries={tries}: batch {actual:R}, scalar {expected:R}";
            if (InSeries(p, scale, numSampled, tries))
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), where);
            }
            else
            {
                Assert.True(TestData.UlpDistance(expected, actual) <= 1, where);
            }
        }

        [Fact]
        public void Batch_ScaleOne_IsTheFloatOverload_AndTfFloatProduct()
        {
            float[] p = Probabilities();
            var counts = new float[p.Length];
            foreach (int tries in Tries)
            {
                ExpectedCounts.Compute(p, 1.0, K, tries, counts);
                for (int i = 0; i < p.Length; i++)
                {
                    float scalar = ExpectedCounts.Compute(p[i], K, tries);
                    AssertCount(scalar, counts[i], p[i], 1.0, tries);
                    if (tries == K)
                    {
                        // TF's float product p * (float)K, bit for bit.
                        Assert.Equal(BitConverter.SingleToInt32Bits(p[i] * (float)K), BitConverter.SingleToInt32Bits(counts[i]));
                    }
                }
            }
        }

        [Fact]
        public void Batch_ManyRandomProbabilities_WithinOneUlp_AlmostAllIdentical()
        {
            // Probabilities of a log-uniform sampler over 800k classes: the case the sampler meets most.
            var sampler = new LogUniformSampler(800_000, unique: true, seed: 1, stream: 2);
            var random = new Random(17);
            float[] p = new float[200_000];
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = sampler.Probability((long)Math.Exp(random.NextDouble() * Math.Log(800_000)) - 1);
            }

            var counts = new float[p.Length];
            long identical = 0, total = 0;
            foreach (int tries in Tries)
            {
                ExpectedCounts.Compute(p, 1.0, K, tries, counts);
                for (int i = 0; i < p.Length; i++)
                {
                    float scalar = ExpectedCounts.Compute(p[i], K, tries);
                    AssertCount(scalar, counts[i], p[i], 1.0, tries);
                    identical += scalar == counts[i] ? 1 : 0;
                    total++;
                }
            }

            double fraction = (double)identical / total;
            TestContext.Current.TestOutputHelper?.WriteLine($"identical to the scalar rule: {identical} of {total} ({fraction:P5})");
            Assert.True(fraction > 0.999, $"only {fraction:P5} identical");
        }

        [Fact]
        public void Batch_RejectsShortOrShiftedDestination()
        {
            float[] p = [0.1f, 0.2f, 0.3f, 0.4f];
            Assert.Throws<ArgumentException>(() => ExpectedCounts.Compute(p, 1.0, K, K + 1, new float[3]));
            var buffer = new float[8];
            Assert.Throws<ArgumentException>(() => ExpectedCounts.Compute(buffer.AsSpan(0, 4), 1.0, K, K + 1, buffer.AsSpan(1, 4)));
            Assert.Throws<ArgumentException>(() => ExpectedCounts.Compute(buffer.AsSpan(1, 4), 1.0, K, K + 1, buffer.AsSpan(0, 4)));
            ExpectedCounts.Compute(ReadOnlySpan<float>.Empty, 1.0, K, K + 1, Span<float>.Empty);
        }

        public static TheoryData<string, bool, bool> Samplers()
        {
            var data = new TheoryData<string, bool, bool>();
            foreach (string kind in new[] { "log-uniform", "log-uniform no table", "uniform", "learned", "fixed" })
            {
                data.Add(kind, false, false);
                data.Add(kind, true, false);
                data.Add(kind, true, true);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Samplers))]
        public void SamplerCall_CountsFollowTheScalarRule(string kind, bool unique, bool exclude)
        {
            const int k = 1000;
            long range = kind == "log-uniform no table" ? 5_000_000 : 20_000;
            var weights = new float[20_000];
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = 1000f / (i + 1);
            }

            CandidateSampler sampler = kind switch
            {
                "uniform" => new UniformSampler(range, unique, 3, 4) { ExcludeTrueClasses = exclude },
                "learned" => new LearnedUnigramSampler(range, unique, 3, 4) { ExcludeTrueClasses = exclude },
                "fixed" => new FixedUnigramSampler(range, unique, 3, 4, unigrams: weights) { ExcludeTrueClasses = exclude },
                _ => new LogUniformSampler(range, unique, 3, 4) { ExcludeTrueClasses = exclude },
            };
            long[] labels = [0, 1, 5, 0, 77, 1234, 19_999, 3];
            var sampled = new long[k];
            var trueCounts = new float[labels.Length];
            var sampledCounts = new float[k];
            for (long step = 0; step < 3; step++)
            {
                var excluded = new HashSet<long>();
                double excludedMass = 0.0;
                foreach (long c in labels)
                {
                    if (excluded.Add(c))
                    {
                        excludedMass += sampler.Probability(c);
                    }
                }

                float[] trueP = Array.ConvertAll(labels, c => sampler.Probability(c));

                // Without the state update, so that the learned unigram's probabilities are still those of the call.
                int tries = sampler.SampleCandidatesDeferred(step, labels, 1, sampled, trueCounts, sampledCounts);

                double invMass = exclude ? 1.0 / (1.0 - excludedMass) : 1.0;
                for (int i = 0; i < k; i++)
                {
                    float p = sampler.Probability(sampled[i]);
                    float expected = exclude ? ExpectedCounts.Compute(Math.Min(1.0, p * invMass), k, tries) : ExpectedCounts.Compute(p, k, tries);
                    AssertCount(expected, sampledCounts[i], p, invMass, tries, k);
                }

                for (int i = 0; i < labels.Length; i++)
                {
                    float expected = exclude ? 1.0f : ExpectedCounts.Compute(trueP[i], k, tries);
                    Assert.True(TestData.UlpDistance(expected, trueCounts[i]) <= 1, $"true class {labels[i]}: {trueCounts[i]:R} vs {expected:R}");
                }
            }
        }

        [Fact]
        public void VectorLog1P_IsBitIdenticalToScalar()
        {
            var random = new Random(23);
            var inputs = new List<double> { 0.0, -0.0, 0.0078125, -0.0078125, Math.BitDecrement(0.0078125), -Math.BitDecrement(0.0078125) };
            for (int i = 0; i < 40_000; i++)
            {
                inputs.Add(-Math.ScaleB(random.NextDouble(), -7 - random.Next(0, 40)));
                inputs.Add(Math.ScaleB(random.NextDouble(), -7 - random.Next(0, 40)));
            }

            // Vectors with a lane outside the series range go lane by lane through the scalar function.
            inputs.AddRange([-0.5, -1.0, -0.999, 0.75, 3.0, double.NaN, -2.0, 1e300]);
            CheckWidths(inputs, AccurateMath.Log1P, AccurateMath.Log1P, AccurateMath.Log1P, maxUlps: 0);
        }

        [Fact]
        public void VectorExpM1_MatchesScalar_BitIdenticalInSeriesRange()
        {
            var random = new Random(29);
            var series = new List<double> { 0.0, -0.0, Math.BitDecrement(0.5), -Math.BitDecrement(0.5) };
            for (int i = 0; i <= 6; i++)
            {
                double threshold = Math.ScaleB(1, i - 7);
                series.AddRange([threshold, -threshold, Math.BitDecrement(threshold), -Math.BitDecrement(threshold)]);
            }

            for (int i = 0; i < 40_000; i++)
            {
                series.Add(-Math.ScaleB(random.NextDouble(), -1 - random.Next(0, 30)));
                series.Add(Math.ScaleB(random.NextDouble(), -1 - random.Next(0, 30)));
            }

            CheckWidths(series, AccurateMath.ExpM1, AccurateMath.ExpM1, AccurateMath.ExpM1, maxUlps: 0);

            // Beyond the series: the vector exp minus 1 against Math.Exp minus 1. The exp differs by at most an ulp
            // of e^x, which is at most 2 ulps of e^x - 1 here (|e^x - 1| >= 0.39).
            var wide = new List<double> { 0.5, -0.5, -745.0, -745.2, -746.0, -1e6, double.NegativeInfinity, double.NaN, 709.0, 710.0 };
            for (int i = 0; i < 40_000; i++)
            {
                wide.Add(-0.5 - (random.NextDouble() * 60));
                wide.Add(-0.5 - (random.NextDouble() * 0.5));
                wide.Add(0.5 + (random.NextDouble() * 700));
            }

            CheckWidths(wide, AccurateMath.ExpM1, AccurateMath.ExpM1, AccurateMath.ExpM1, maxUlps: 2);

            // Mixed vectors: series lanes and exp lanes side by side.
            var mixed = new List<double>();
            for (int i = 0; i < 40_000; i++)
            {
                mixed.Add(random.Next(2) == 0 ? -random.NextDouble() * 3 : -Math.ScaleB(random.NextDouble(), -random.Next(1, 20)));
            }

            CheckWidths(mixed, AccurateMath.ExpM1, AccurateMath.ExpM1, AccurateMath.ExpM1, maxUlps: 2, bitExactBelow: 0.5);
        }

        private static void CheckWidths(
            List<double> inputs,
            Func<Vector512<double>, Vector512<double>> f512,
            Func<Vector256<double>, Vector256<double>> f256,
            Func<double, double> scalar,
            long maxUlps,
            double bitExactBelow = 0.0)
        {
            int padded = (inputs.Count + 7) / 8 * 8;
            double[] x = new double[padded];
            inputs.CopyTo(x);
            for (int i = 0; i < padded; i += 8)
            {
                Vector512<double> r512 = f512(Vector512.Create(x.AsSpan(i, 8)));
                Vector256<double> lo = f256(Vector256.Create(x.AsSpan(i, 4)));
                Vector256<double> hi = f256(Vector256.Create(x.AsSpan(i + 4, 4)));
                for (int j = 0; j < 8; j++)
                {
                    double expected = scalar(x[i + j]);
                    long allowed = Math.Abs(x[i + j]) < bitExactBelow ? 0 : maxUlps;
                    foreach (double actual in new[] { r512[j], j < 4 ? lo[j] : hi[j - 4] })
                    {
                        long distance = UlpDistance(expected, actual);
                        bool sameBits = BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual)
                            || (double.IsNaN(expected) && double.IsNaN(actual));
                        Assert.True(
                            allowed == 0 ? sameBits : distance <= allowed,
                            $"x={x[i + j]:R}: vector {actual:R}, scalar {expected:R} ({distance} ulps)");
                    }
                }
            }
        }

        private static long UlpDistance(double a, double b)
        {
            if (double.IsNaN(a) || double.IsNaN(b))
            {
                return double.IsNaN(a) && double.IsNaN(b) ? 0 : long.MaxValue;
            }

            long oa = BitConverter.DoubleToInt64Bits(a), ob = BitConverter.DoubleToInt64Bits(b);
            oa = oa < 0 ? long.MinValue - oa : oa;
            ob = ob < 0 ? long.MinValue - ob : ob;
            return Math.Abs(oa - ob);
        }
    }
}
