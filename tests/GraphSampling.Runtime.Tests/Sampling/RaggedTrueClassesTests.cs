using System;
using System.Linq;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    /// <summary>
    /// <see cref="CandidateSampler.RaggedTrueClasses"/>: -1 pads a row of true classes. Against the same sampler over
    /// labels with the padding replaced by a real class: the same candidates and num_tries (draws do not depend on the
    /// labels), the same counts at real labels and 0 at padding; exclusion and the learned unigram ignore padding; off,
    /// -1 is refused as TF refuses it.
    /// </summary>
    public class RaggedTrueClassesTests
    {
        public static TheoryData<string, bool> Samplers()
        {
            var data = new TheoryData<string, bool>();
            foreach (string kind in new[] { "uniform", "log-uniform", "learned", "fixed" })
            {
                data.Add(kind, false);
                data.Add(kind, true);
            }
            return data;
        }

        private static CandidateSampler Create(string kind, bool unique, bool ragged, bool exclude = false) => kind switch
        {
            "uniform" => new UniformSampler(40, unique, 3, 4) { RaggedTrueClasses = ragged, ExcludeTrueClasses = exclude },
            "log-uniform" => new LogUniformSampler(40, unique, 3, 4) { RaggedTrueClasses = ragged, ExcludeTrueClasses = exclude },
            "learned" => new LearnedUnigramSampler(40, unique, 3, 4) { RaggedTrueClasses = ragged, ExcludeTrueClasses = exclude },
            _ => new FixedUnigramSampler(40, unique, 3, 4, unigrams: Enumerable.Range(1, 40).Select(i => (float)i).ToArray()) { RaggedTrueClasses = ragged, ExcludeTrueClasses = exclude },
        };

        private static readonly long[] Labels = { 5, -1, -1, 0, 17, 3, -1, 39, -1 };

        [Theory, MemberData(nameof(Samplers))]
        public void Padding_changes_no_candidate_and_has_count_zero(string kind, bool unique)
        {
            var ragged = Create(kind, unique, ragged: true);
            var plain = Create(kind, unique, ragged: false);
            // The learned unigram's draws depend on its counts: feed the plain one the same real labels only.
            long[] real = Labels.Where(c => c != -1).ToArray();
            var candidates = new long[6];
            var plainCandidates = new long[6];
            var counts = new float[Labels.Length];
            var sampledCounts = new float[6];
            var plainSampledCounts = new float[6];
            for (long step = 0; step < 4; step++)
            {
                int tries = ragged.SampleCandidates(step, Labels, 3, candidates, counts, sampledCounts);
                var realCounts = new float[real.Length];
                int plainTries = plain.SampleCandidates(step, real, 1, plainCandidates, realCounts, plainSampledCounts);
                Assert.Equal(plainCandidates, candidates);
                Assert.Equal(plainTries, tries);
                Assert.Equal(plainSampledCounts, sampledCounts);
                for (int i = 0, m = 0; i < Labels.Length; i++) Assert.Equal(Labels[i] == -1 ? 0f : realCounts[m++], counts[i]);
            }
        }

        [Theory, MemberData(nameof(Samplers))]
        public void Without_the_switch_padding_is_refused(string kind, bool unique)
        {
            var sampler = Create(kind, unique, ragged: false);
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => sampler.SampleCandidates(0, Labels, 3, new long[6], new float[Labels.Length], new float[6]));
            Assert.Equal("trueClasses", e.ParamName);
            Assert.Contains("row 0, column 1", e.Message);
            // Other negative values stay refused with the switch on.
            var ragged = Create(kind, unique, ragged: true);
            Assert.Throws<ArgumentOutOfRangeException>(() => ragged.SampleCandidates(0, new long[] { 5, -2, 1 }, 3, new long[6], new float[3], new float[6]));
        }

        [Fact]
        public void Exclusion_skips_padding_and_gives_it_count_zero()
        {
            var sampler = Create("uniform", unique: true, ragged: true, exclude: true);
            var counts = new float[Labels.Length];
            var candidates = new long[20];
            sampler.SampleCandidates(0, Labels, 3, candidates, counts, new float[20]);
            Assert.DoesNotContain(candidates, c => Labels.Contains(c));
            for (int i = 0; i < Labels.Length; i++) Assert.Equal(Labels[i] == -1 ? 0f : 1f, counts[i]);
        }

        [Fact]
        public void The_learned_unigram_counts_real_labels_only()
        {
            var sampler = new LearnedUnigramSampler(40, unique: false, 3, 4) { RaggedTrueClasses = true };
            int before = sampler.TotalCount;
            sampler.SampleCandidates(0, Labels, 3, new long[4], new float[Labels.Length], new float[4]);
            Assert.Equal(before + 5, sampler.TotalCount);
            Assert.Equal(2, sampler.GetCount(5));
            Assert.Equal(1, sampler.GetCount(1));
            sampler.Observe(new long[] { -1, 1 });
            Assert.Equal(2, sampler.GetCount(1));
            Assert.Equal(before + 6, sampler.TotalCount);
        }
    }
}
