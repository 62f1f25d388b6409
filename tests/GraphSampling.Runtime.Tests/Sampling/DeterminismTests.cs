using System;
using System.Threading.Tasks;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    public class DeterminismTests
    {
        private static long[] Call(CandidateSampler sampler, long step, long[] labels, int k = 64)
        {
            var s = new long[k];
            sampler.SampleCandidates(step, labels, 1, s, new float[labels.Length], new float[k]);
            return s;
        }

        [Fact]
        public void SameSeedAndStep_GiveSameCandidates_AcrossInstancesAndBatchSizes()
        {
            var a = new LogUniformSampler(100_000, unique: true, seed: 42, stream: 7);
            var b = new LogUniformSampler(100_000, unique: true, seed: 42, stream: 7);
            Assert.Equal(Call(a, 5, [1, 2]), Call(b, 5, [9, 8, 7, 6, 5]));
            Assert.Equal(Call(a, 5, [1]), Call(a, 5, [1])); // replaying a step gives it again
        }

        [Fact]
        public void DifferentStepSeedOrStream_GiveDifferentCandidates()
        {
            var a = new UniformSampler(1_000_000, unique: true, seed: 42, stream: 7);
            long[] base0 = Call(a, 5, [1]);
            Assert.NotEqual(base0, Call(a, 6, [1]));
            Assert.NotEqual(base0, Call(new UniformSampler(1_000_000, true, 43, 7), 5, [1]));
            Assert.NotEqual(base0, Call(new UniformSampler(1_000_000, true, 42, 8), 5, [1]));
        }

        [Fact]
        public void Threads_GiveTheSameCandidatesAsSequentialCalls()
        {
            const int steps = 16;
            var expected = new long[steps][];
            var sequential = new FixedUnigramSampler(50, unique: true, seed: 9, stream: 1, unigrams: Weights());
            for (int i = 0; i < steps; i++)
            {
                expected[i] = Call(sequential, i, [3], 10);
            }

            var actual = new long[steps][];
            Parallel.For(0, steps, i =>
            {
                // One sampler per thread: instances are not thread-safe, the stream is a pure function of (seed, step, stream).
                var local = new FixedUnigramSampler(50, unique: true, seed: 9, stream: 1, unigrams: Weights());
                actual[i] = Call(local, i, [3], 10);
            });

            Assert.Equal(expected, actual);
        }

        private static float[] Weights()
        {
            var w = new float[50];
            for (int i = 0; i < 50; i++)
            {
                w[i] = 50 - i;
            }

            return w;
        }

        [Fact]
        public void PerRow_RowDoesNotDependOnBatchSizeOrOtherRows()
        {
            var sampler = new LogUniformSampler(1000, unique: true, seed: 3, stream: 3);
            var small = new long[3 * 16];
            var large = new long[5 * 16];
            sampler.SampleCandidatesPerRow(4, [1, 2, 3], 1, 16, small, new float[3], new float[3 * 16]);
            sampler.SampleCandidatesPerRow(4, [1, 2, 3, 4, 5], 1, 16, large, new float[5], new float[5 * 16]);
            Assert.Equal(small, large.AsSpan(0, 3 * 16).ToArray());
            Assert.NotEqual(large.AsSpan(0, 16).ToArray(), large.AsSpan(16, 16).ToArray());
        }

        [Fact]
        public void PerRow_RowStreamIsTheDocumentedPhiloxStream()
        {
            // Row 1 of a non-unique uniform per-row call over 2^20 classes: Uniform64 of a power of two is the 64-bit
            // word masked, drawn from the stream stream ^ (2 << 32) at block step·512·K.
            var sampler = new UniformSampler(1 << 20, unique: false, seed: 10, stream: 20);
            var s = new long[2 * 3];
            sampler.SampleCandidatesPerRow(2, [0, 0], 1, 3, s, new float[2], new float[6]);
            var rng = new PhiloxStream(10, ((UInt128)(20UL ^ (2UL << 32)) << 64) + 2 * 512 * 3);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal((long)(rng.NextUInt64() & ((1 << 20) - 1)), s[3 + i]);
            }
        }
    }
}
