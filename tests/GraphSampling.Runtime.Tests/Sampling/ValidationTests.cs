using System;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    public class ValidationTests
    {
        public static TheoryData<string> Samplers => new() { "uniform", "log-uniform", "learned", "fixed" };

        private static CandidateSampler Create(string kind, long range, bool unique) => kind switch
        {
            "uniform" => new UniformSampler(range, unique, 1, 2),
            "log-uniform" => new LogUniformSampler(range, unique, 1, 2),
            "learned" => new LearnedUnigramSampler(range, unique, 1, 2),
            _ => new FixedUnigramSampler(range, unique, 1, 2, unigrams: Ones(range)),
        };

        private static float[] Ones(long n)
        {
            var w = new float[n];
            w.AsSpan().Fill(1f);
            return w;
        }

        [Theory]
        [MemberData(nameof(Samplers))]
        public void Unique_MoreCandidatesThanRange_Throws(string kind)
        {
            CandidateSampler sampler = Create(kind, 5, unique: true);
            var e = Assert.Throws<ArgumentException>(() => sampler.SampleCandidates(0, [1], 1, new long[6], new float[1], new float[6]));
            Assert.Contains("Sampler's range is too small", e.Message);
            // Not unique: 6 draws from 5 classes are fine.
            Create(kind, 5, unique: false).SampleCandidates(0, [1], 1, new long[6], new float[1], new float[6]);
        }

        [Theory]
        [MemberData(nameof(Samplers))]
        public void TrueClassOutOfRange_NamesArgumentRowValueAndBound(string kind)
        {
            CandidateSampler sampler = Create(kind, 5, unique: false);
            var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
                sampler.SampleCandidates(0, [1, 2, 3, 5], 2, new long[2], new float[4], new float[2]));
            Assert.Equal("trueClasses", e.ParamName);
            Assert.Equal(5L, e.ActualValue);
            Assert.Contains("row 1", e.Message);
            Assert.Contains("is 5", e.Message);
            Assert.Contains("[0, 5)", e.Message);

            var negative = Assert.Throws<ArgumentOutOfRangeException>(() =>
                sampler.SampleCandidates(0, [-1], 1, new long[2], new float[1], new float[2]));
            Assert.Contains("row 0", negative.Message);
            Assert.Contains("-1", negative.Message);
        }

        [Fact]
        public void BadShapes_Throw()
        {
            var sampler = new UniformSampler(10, false, 1, 2);
            Assert.Throws<ArgumentException>(() => sampler.SampleCandidates(0, [1, 2, 3], 2, new long[2], new float[3], new float[2]));
            Assert.Throws<ArgumentOutOfRangeException>(() => sampler.SampleCandidates(0, [1], 0, new long[2], new float[1], new float[2]));
            Assert.Throws<ArgumentException>(() => sampler.SampleCandidates(0, [1, 2], 1, new long[2], new float[1], new float[2]));
            Assert.Throws<ArgumentException>(() => sampler.SampleCandidates(0, [1], 1, new long[2], new float[1], new float[3]));
            Assert.Throws<ArgumentOutOfRangeException>(() => sampler.SampleCandidates(0, [1], 1, new long[0], new float[1], new float[0]));
            Assert.Throws<ArgumentOutOfRangeException>(() => sampler.SampleCandidates(-1, [1], 1, new long[2], new float[1], new float[2]));
            Assert.Throws<ArgumentException>(() => sampler.SampleCandidatesPerRow(0, [1, 2], 1, 3, new long[3], new float[2], new float[6]));
            Assert.Throws<ArgumentOutOfRangeException>(() => new UniformSampler(0, false, 1, 2));
        }

        [Fact]
        public void Exclusion_WithTooFewRemainingClasses_Throws_AndLeavesStateUnchanged()
        {
            var sampler = new LearnedUnigramSampler(5, unique: true, 1, 2) { ExcludeTrueClasses = true };
            var e = Assert.Throws<ArgumentException>(() =>
                sampler.SampleCandidates(0, [0, 1, 1], 1, new long[4], new float[3], new float[4]));
            Assert.Contains("only 3 classes of nonzero probability remain", e.Message);
            Assert.Equal(5, sampler.TotalCount);

            var nonUnique = new UniformSampler(2, unique: false, 1, 2) { ExcludeTrueClasses = true };
            Assert.Throws<ArgumentException>(() => nonUnique.SampleCandidates(0, [0, 1], 1, new long[4], new float[2], new float[4]));
        }

        [Fact]
        public void AllCandidate_ReturnsEveryClassWithCountOne()
        {
            var sampler = new AllCandidateSampler(4);
            var s = new long[4];
            var qt = new float[2];
            var qs = new float[4];
            Assert.Equal(4, sampler.SampleCandidates(0, [3, 0], 1, s, qt, qs));
            Assert.Equal([0L, 1L, 2L, 3L], s);
            Assert.Equal([1f, 1f], qt);
            Assert.Equal([1f, 1f, 1f, 1f], qs);
            Assert.Throws<ArgumentOutOfRangeException>(() => sampler.SampleCandidates(0, [4], 1, s, new float[1], qs));
            Assert.Throws<ArgumentException>(() => sampler.SampleCandidates(0, [1], 1, new long[3], new float[1], new float[3]));
            var excluding = new AllCandidateSampler(4) { ExcludeTrueClasses = true };
            Assert.Throws<NotSupportedException>(() => excluding.SampleCandidates(0, [1], 1, s, new float[1], qs));
        }
    }
}
