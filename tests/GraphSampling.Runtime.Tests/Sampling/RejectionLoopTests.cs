using System;
using System.Collections.Generic;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    /// <summary>
    /// The sampler's block-wise, branch-free rejection loop against the loop as spec 3.2 states it, one scalar draw
    /// at a time with a HashSet: same candidates in the same order, same num_tries, for every mode and both forms of
    /// the class marks (two-bit table and hash map).
    /// </summary>
    public class RejectionLoopTests
    {
        private static long Draw(ref PhiloxStream rng, long range)
        {
            long v = (long)Math.Exp(rng.NextDouble() * Math.Log(range + 1.0)) - 1;
            return v >= range ? v % range : v;
        }

        private static (long[] Candidates, int Tries) Straightforward(long range, bool unique, bool exclude, long step, long[] labels, int k)
        {
            var rng = PhiloxStream.ForCall(3, 4, step, k);
            var excluded = exclude ? new HashSet<long>(labels) : new HashSet<long>();
            var seen = new HashSet<long>();
            var candidates = new List<long>();
            int tries = 0;
            while (candidates.Count < k)
            {
                long v = Draw(ref rng, range);
                if (excluded.Contains(v))
                {
                    continue;
                }

                tries++;
                if (!unique || seen.Add(v))
                {
                    candidates.Add(v);
                }
            }

            return (candidates.ToArray(), tries);
        }

        [Theory]
        [InlineData(60L, true, false, 40)]
        [InlineData(60L, true, true, 40)]
        [InlineData(60L, false, true, 300)]
        [InlineData(800_000L, true, false, 8192)]
        [InlineData(800_000L, true, true, 8192)]
        [InlineData(800_000L, false, true, 1000)]
        [InlineData(ClassMarks.DenseLimit + 10, true, false, 3000)]
        [InlineData(ClassMarks.DenseLimit + 10, true, true, 3000)]
        [InlineData(ClassMarks.DenseLimit + 10, false, true, 1000)]
        public void BlockLoop_EqualsTheLoopOfTheSpec(long range, bool unique, bool exclude, int k)
        {
            // Labels among the most probable classes, so that exclusion actually skips draws.
            long[] labels = [0, 1, 2, 5, 5, 9, 17, 33];
            var sampler = new LogUniformSampler(range, unique, seed: 3, stream: 4) { ExcludeTrueClasses = exclude };
            var sampled = new long[k];
            var trueCounts = new float[labels.Length];
            var sampledCounts = new float[k];
            for (long step = 0; step < 3; step++)
            {
                int tries = sampler.SampleCandidates(step, labels, 1, sampled, trueCounts, sampledCounts);
                (long[] expected, int expectedTries) = Straightforward(range, unique, exclude, step, labels, k);
                Assert.Equal(expectedTries, tries);
                Assert.Equal(expected, sampled);
            }
        }
    }
}

namespace GraphSampling.Runtime.Tests.Sampling
{
    /// <summary>The learned unigram's batched draws against TF's pick, one scalar draw and a linear scan at a time.</summary>
    public class LearnedUnigramDrawTests
    {
        [Theory]
        [InlineData(false, 700)]
        [InlineData(true, 300)]
        public void BatchedDescents_EqualALinearScanOfTheCounts(bool unique, int k)
        {
            const int range = 1000;
            var sampler = new LearnedUnigramSampler(range, unique, seed: 8, stream: 9);
            var counts = new int[range];
            Array.Fill(counts, 1);
            var random = new Random(4);
            var labels = new long[64];
            var sampled = new long[k];
            var trueCounts = new float[labels.Length];
            var sampledCounts = new float[k];
            for (long step = 0; step < 4; step++)
            {
                for (int i = 0; i < labels.Length; i++)
                {
                    labels[i] = (long)Math.Exp(random.NextDouble() * Math.Log(range)) - 1;
                }

                int tries = sampler.SampleCandidates(step, labels, 1, sampled, trueCounts, sampledCounts);

                var rng = PhiloxStream.ForCall(8, 9, step, k);
                int total = 0;
                foreach (int c in counts)
                {
                    total += c;
                }

                var seen = new System.Collections.Generic.HashSet<long>();
                var expected = new System.Collections.Generic.List<long>();
                int expectedTries = 0;
                while (expected.Count < k)
                {
                    uint u = rng.Uniform((uint)total);
                    int v = 0;
                    long prefix = counts[0];
                    while (prefix <= u)
                    {
                        prefix += counts[++v];
                    }

                    expectedTries++;
                    if (!unique || seen.Add(v))
                    {
                        expected.Add(v);
                    }
                }

                Assert.Equal(expectedTries, tries);
                Assert.Equal(expected, sampled);
                foreach (long c in labels)
                {
                    counts[c]++;
                }
            }
        }
    }
}

namespace GraphSampling.Runtime.Tests.Sampling
{
    public class AliasTableBatchTests
    {
        [Theory]
        [InlineData(1000, 0)]
        [InlineData(1000, 1)]
        [InlineData(1024, 37)]
        [InlineData(3, 300)]
        public void SampleMany_EqualsRepeatedSample_AndLeavesTheStreamInTheSameState(int n, int length)
        {
            var random = new Random(n + length);
            var weights = new float[n];
            for (int i = 0; i < n; i++)
            {
                weights[i] = random.Next(0, 5);
            }

            weights[0] += 1;
            var table = new AliasTable(weights);
            var expected = new PhiloxStream(5, 6);
            var actual = expected;
            var values = new long[length];
            table.SampleMany(ref actual, values, new float[length], new int[length]);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(table.Sample(ref expected), values[i]);
            }

            Assert.Equal(expected.NextUInt32(), actual.NextUInt32());
        }
    }
}

namespace GraphSampling.Runtime.Tests.Sampling
{
    public class AliasTableBadInputTests
    {
        [Fact]
        public void SampleMany_WithShortScratch_ThrowsBeforeReadingTheStream()
        {
            var table = new AliasTable(new float[] { 1, 2, 3 });
            var rng = new PhiloxStream(1, 2);
            var untouched = rng;
            var destination = new long[8];
            var e = Assert.Throws<ArgumentException>(() => table.SampleMany(ref rng, destination, new float[8], new int[7]));
            Assert.Equal("columns", e.ParamName);
            Assert.Equal(untouched.NextUInt32(), rng.NextUInt32());
            Assert.All(destination, v => Assert.Equal(0, v));
        }
    }
}

namespace GraphSampling.Runtime.Tests.Sampling
{
    /// <summary>The uniform sampler's batched draws against TF's Uniform64, one draw at a time.</summary>
    public class UniformDrawTests
    {
        [Theory]
        [InlineData(800_000L, true, 5000)]
        [InlineData(800_000L, false, 700)]
        [InlineData(1024L, true, 1000)]
        [InlineData(3L, false, 50)]
        public void BatchedDraws_EqualRepeatedUniform64(long range, bool unique, int k)
        {
            var sampler = new UniformSampler(range, unique, seed: 12, stream: 13);
            long[] labels = [0, 1, 2];
            var sampled = new long[k];
            int tries = sampler.SampleCandidates(4, labels, 1, sampled, new float[labels.Length], new float[k]);

            var rng = PhiloxStream.ForCall(12, 13, 4, k);
            var seen = new System.Collections.Generic.HashSet<long>();
            var expected = new System.Collections.Generic.List<long>();
            int expectedTries = 0;
            while (expected.Count < k)
            {
                long v = (long)rng.Uniform64((ulong)range);
                expectedTries++;
                if (!unique || seen.Add(v))
                {
                    expected.Add(v);
                }
            }

            Assert.Equal(expectedTries, tries);
            Assert.Equal(expected, sampled);
        }
    }
}
