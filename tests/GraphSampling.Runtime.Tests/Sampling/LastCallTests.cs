using GraphSampling.Tests.Shared;
using System;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    /// <summary>A sampler keeps its last successful call (what a program's user reads after a step); a failed call
    /// leaves the record as it was, and a reserved record is written without allocating.</summary>
    public sealed class LastCallTests
    {
        [Fact]
        public void LastCall_HoldsTheOutputsAndNumTries_OfTheLastSuccessfulCall()
        {
            var sampler = new LogUniformSampler(1000, unique: true, seed: 3, stream: 4);
            Assert.Equal(-1, sampler.LastStep);
            Assert.Equal(0, sampler.LastCandidates.Length);
            var labels = new long[] { 1, 2, 3, 900 };
            var s = new long[16];
            var qt = new float[4];
            var qs = new float[16];
            int tries = sampler.SampleCandidates(7, labels, 2, s, qt, qs);
            Assert.Equal(s, sampler.LastCandidates.ToArray());
            Assert.Equal(qt, sampler.LastTrueExpectedCounts.ToArray());
            Assert.Equal(qs, sampler.LastSampledExpectedCounts.ToArray());
            Assert.Equal(tries, sampler.LastNumTries);
            Assert.Equal(7, sampler.LastStep);

            Assert.Throws<ArgumentOutOfRangeException>(() => sampler.SampleCandidates(8, new long[] { 1, 1000 }, 2, new long[16], new float[2], new float[16]));
            Assert.Equal(s, sampler.LastCandidates.ToArray());
            Assert.Equal(7, sampler.LastStep);
        }

        [Fact]
        public void PerRowCalls_RecordEveryRow_AndTheSumOfTheirTries()
        {
            var sampler = new UniformSampler(50, unique: true, seed: 1, stream: 2);
            var labels = new long[] { 4, 9, 16 };
            var s = new long[3 * 5];
            var qs = new float[3 * 5];
            sampler.SampleCandidatesPerRow(0, labels, 1, 5, s, new float[3], qs);
            Assert.Equal(s, sampler.LastCandidates.ToArray());
            Assert.True(sampler.LastNumTries >= 15);
            // Without uniqueness every row makes exactly K tries: the record holds their sum.
            var plain = new UniformSampler(50, unique: false, seed: 1, stream: 2);
            plain.SampleCandidatesPerRow(0, labels, 1, 5, new long[15], new float[3], new float[15]);
            Assert.Equal(15, plain.LastNumTries);
        }

        [Fact]
        public void AReservedRecord_IsWrittenWithoutAllocating()
        {
            var sampler = new LogUniformSampler(1000, unique: true, seed: 3, stream: 4);
            sampler.ReserveLastCall(16, 8);
            var labels = new long[] { 1, 2, 3, 4, 5, 6, 7, 8 };
            var s = new long[16];
            var qt = new float[8];
            var qs = new float[16];
            long step = 0;
            Assert.Equal(0, Allocations.AfterWarmUp(() => sampler.SampleCandidates(step++, labels, 1, s, qt, qs), calls: 19, warmUp: 1));
        }
    }
}
