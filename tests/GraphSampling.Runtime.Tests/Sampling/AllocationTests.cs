using GraphSampling.Tests.Shared;
using System;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    public class AllocationTests
    {
        private const int K = 256;

        private static readonly long[] Labels = [3, 17, 99, 4, 100, 5, 77, 8];

        // Warm-up: scratch sized, code jitted and tiered.
        private static long Measure(Action call) => Allocations.AfterWarmUp(call, calls: 10, warmUp: 2);

        public static TheoryData<string, bool, bool> Cases()
        {
            var data = new TheoryData<string, bool, bool>();
            foreach (string kind in new[] { "uniform", "log-uniform", "learned", "fixed", "all" })
            {
                data.Add(kind, false, false);
                data.Add(kind, true, false);
                if (kind != "all")
                {
                    data.Add(kind, true, true);
                }
            }

            return data;
        }

        private static CandidateSampler Create(string kind, bool unique, bool exclude)
        {
            const int range = 5000;
            CandidateSampler s = kind switch
            {
                "uniform" => new UniformSampler(range, unique, 1, 2) { ExcludeTrueClasses = exclude },
                "log-uniform" => new LogUniformSampler(range, unique, 1, 2) { ExcludeTrueClasses = exclude },
                "learned" => new LearnedUnigramSampler(range, unique, 1, 2) { ExcludeTrueClasses = exclude },
                "fixed" => new FixedUnigramSampler(range, unique, 1, 2, unigrams: Weights(range)) { ExcludeTrueClasses = exclude },
                _ => new AllCandidateSampler(K, unique),
            };
            return s;
        }

        private static float[] Weights(int n)
        {
            var w = new float[n];
            for (int i = 0; i < n; i++)
            {
                w[i] = 1 + i % 17;
            }

            return w;
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void WarmCall_AllocatesNothing(string kind, bool unique, bool exclude)
        {
            CandidateSampler sampler = Create(kind, unique, exclude);
            var s = new long[K];
            var qt = new float[Labels.Length];
            var qs = new float[K];
            long step = 0;
            Assert.Equal(0, Measure(() => sampler.SampleCandidates(step++, Labels, 2, s, qt, qs)));

            var sr = new long[4 * K];
            var qsr = new float[4 * K];
            Assert.Equal(0, Measure(() => sampler.SampleCandidatesPerRow(step++, Labels, 2, K, sr, qt, qsr)));
        }

        [Fact]
        public void WarmMixedCall_AllocatesNothing()
        {
            var mixed = new MixedNegativeSampler(
                new LogUniformSampler(5000, unique: true, 1, 2),
                new LearnedUnigramSampler(5000, unique: false, 0, 0));
            var c = new long[Labels.Length + K];
            var qc = new float[Labels.Length + K];
            var qt = new float[Labels.Length];
            long step = 0;
            Assert.Equal(0, Measure(() => mixed.Sample(step++, Labels, 1, K, c, qt, qc)));
        }

        [Fact]
        public void WarmAccidentalHits_AllocateNothing()
        {
            long[] sampled = new long[K];
            for (int i = 0; i < K; i++)
            {
                sampled[i] = i * 3;
            }

            var indices = new int[Labels.Length];
            var ids = new long[Labels.Length];
            var weights = new float[Labels.Length];
            var mask = new float[4 * K];
            var predicate = new bool[4 * K];
            var logits = new float[4 * K];
            Assert.Equal(0, Measure(() => AccidentalHits.ComputeAccidentalHits(Labels, 2, sampled, indices, ids, weights)));
            Assert.Equal(0, Measure(() => AccidentalHits.AccidentalHitMask(Labels, 2, sampled, mask)));
            Assert.Equal(0, Measure(() => AccidentalHits.AccidentalHitPredicate(Labels, 2, sampled, predicate)));
            Assert.Equal(0, Measure(() => AccidentalHits.AllOccurrencesPredicate(Labels, 2, sampled, predicate)));
            Assert.Equal(0, Measure(() => AccidentalHits.ApplyMask<float>(logits, predicate)));
        }
    }
}
