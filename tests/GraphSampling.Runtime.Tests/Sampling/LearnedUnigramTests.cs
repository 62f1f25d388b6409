using System;
using System.Buffers.Binary;
using System.IO;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    public class LearnedUnigramTests
    {
        [Fact]
        public void Labels_AffectOnlyLaterCalls()
        {
            var sampler = new LearnedUnigramSampler(5, unique: false, seed: 1, stream: 2);
            var s = new long[3];
            var qt = new float[2];
            var qs = new float[3];
            sampler.SampleCandidates(0, [1, 1], 2, s, qt, qs);
            // This call's counts still see the initial weights: p = 1/5, Q = 3/5.
            Assert.Equal([0.6f, 0.6f], qt);
            Assert.Equal(3, sampler.GetCount(1));
            Assert.Equal(7, sampler.TotalCount);
            sampler.SampleCandidates(1, [1, 4], 1, s, qt, qs);
            Assert.Equal(3f / 7f * 3f, qt[0]);
            Assert.Equal(1f / 7f * 3f, qt[1]);
        }

        [Fact]
        public void Update_IsCappedAtIntMaxMinusTotal()
        {
            // Counts [1, 1, 2^31 - 5]: total 2^31 - 3, so only the first 2 of 5 labels are counted.
            var sampler = new LearnedUnigramSampler(3, unique: false, seed: 1, stream: 1);
            sampler.ReadState(State(3, [1, 1, int.MaxValue - 4]));
            Assert.Equal(int.MaxValue - 2, sampler.TotalCount);
            var s = new long[2];
            sampler.SampleCandidates(0, [0, 1, 0, 1, 0], 1, s, new float[5], new float[2]);
            Assert.Equal(2, sampler.GetCount(0));
            Assert.Equal(2, sampler.GetCount(1));
            Assert.Equal(int.MaxValue, sampler.TotalCount);
            sampler.SampleCandidates(1, [0, 0, 0], 1, s, new float[3], new float[2]);
            Assert.Equal(2, sampler.GetCount(0));
            Assert.Equal(int.MaxValue, sampler.TotalCount);
        }

        [Fact]
        public void Draw_IsSmallestIndexWithPrefixSumAboveU()
        {
            // Counts [1, 1, 1, 4]: total 7 (not a power of two). Uniform(7) rejects only the word 0x..:
            // rem = (2^32 - 1) mod 7 + 1 = 4; u = word mod 7; then u in 0,1,2 -> classes 0,1,2 and u >= 3 -> class 3.
            var sampler = new LearnedUnigramSampler(4, unique: false, seed: 6, stream: 0);
            sampler.Observe([3, 3, 3]);
            var s = new long[50];
            sampler.SampleCandidates(0, ReadOnlySpan<long>.Empty, 1, s, Span<float>.Empty, new float[50]);
            var rng = PhiloxStream.ForCall(6, 0, 0, 50);
            foreach (long v in s)
            {
                uint word;
                do
                {
                    word = rng.NextUInt32();
                }
                while (word < 4);
                uint u = word % 7;
                Assert.Equal(u < 3 ? u : 3, v);
            }
        }

        [Fact]
        public void State_RoundTrips_ThroughStreamAndSpan()
        {
            var a = new LearnedUnigramSampler(100, unique: true, seed: 5, stream: 5);
            var s = new long[10];
            for (int step = 0; step < 5; step++)
            {
                a.SampleCandidates(step, [step, 2 * step, 7], 1, s, new float[3], new float[10]);
            }

            var stream = new MemoryStream();
            a.SaveState(stream);
            Assert.Equal(a.StateSizeInBytes, stream.Length);
            var bytes = new byte[a.StateSizeInBytes];
            Assert.Equal(bytes.Length, a.WriteState(bytes));
            Assert.Equal(stream.ToArray(), bytes);
            Assert.Equal(0x47, bytes[0]); // "GSLU"
            Assert.Equal(100 + 15, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16)));

            var b = new LearnedUnigramSampler(100, unique: true, seed: 5, stream: 5);
            stream.Position = 0;
            b.LoadState(stream);
            var c = new LearnedUnigramSampler(100, unique: true, seed: 5, stream: 5);
            c.ReadState(bytes);
            Assert.Equal(3, b.GetCount(0)); // 1 + step 0's two zeros
            Assert.Equal(6, c.GetCount(7));

            var sa = new long[10];
            var sb = new long[10];
            var sc = new long[10];
            a.SampleCandidates(9, [1], 1, sa, new float[1], new float[10]);
            b.SampleCandidates(9, [1], 1, sb, new float[1], new float[10]);
            c.SampleCandidates(9, [1], 1, sc, new float[1], new float[10]);
            Assert.Equal(sa, sb);
            Assert.Equal(sa, sc);
        }

        [Fact]
        public void BadState_Throws_AndLeavesCountsUnchanged()
        {
            var sampler = new LearnedUnigramSampler(3, unique: false, seed: 1, stream: 1);
            sampler.Observe([2]);
            Assert.Throws<InvalidDataException>(() => sampler.ReadState(State(4, [1, 1, 1, 1])));  // other range
            Assert.Throws<InvalidDataException>(() => sampler.ReadState(State(3, [1, 0, 1])));     // count below 1
            byte[] wrongTotal = State(3, [1, 2, 3]);
            BinaryPrimitives.WriteInt64LittleEndian(wrongTotal.AsSpan(16), 7);
            Assert.Throws<InvalidDataException>(() => sampler.ReadState(wrongTotal));
            byte[] badMagic = State(3, [1, 2, 3]);
            badMagic[0] = 0;
            Assert.Throws<InvalidDataException>(() => sampler.ReadState(badMagic));
            Assert.Throws<InvalidDataException>(() => sampler.LoadState(new MemoryStream(State(3, [5, 5, 5]).AsSpan(0, 30).ToArray())));
            Assert.Equal(4, sampler.TotalCount);
            Assert.Equal(2, sampler.GetCount(2));
        }

        [Fact]
        public void FailingCall_LeavesCountsUnchanged()
        {
            var sampler = new LearnedUnigramSampler(5, unique: true, seed: 1, stream: 1);
            var s = new long[3];
            Assert.Throws<ArgumentOutOfRangeException>(() => sampler.SampleCandidates(0, [1, 2, 5], 1, s, new float[3], new float[3]));
            Assert.Throws<ArgumentException>(() => sampler.SampleCandidates(0, [1, 2], 1, new long[6], new float[2], new float[6]));
            Assert.Throws<ArgumentOutOfRangeException>(() =>
                sampler.SampleCandidatesPerRow(0, [1, 2, 9], 1, 2, new long[6], new float[3], new float[6]));
            Assert.Equal(5, sampler.TotalCount);
            for (int c = 0; c < 5; c++)
            {
                Assert.Equal(1, sampler.GetCount(c));
            }

            // And the next good call is the same as on a fresh sampler.
            var fresh = new LearnedUnigramSampler(5, unique: true, seed: 1, stream: 1);
            var s2 = new long[3];
            sampler.SampleCandidates(0, [1], 1, s, new float[1], new float[3]);
            fresh.SampleCandidates(0, [1], 1, s2, new float[1], new float[3]);
            Assert.Equal(s2, s);
        }

        [Fact]
        public void RangeMaxAtLeastIntMax_Throws()
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LearnedUnigramSampler(int.MaxValue, false, 0, 0));
            Assert.Equal("rangeMax", e.ParamName);
        }

        [Fact]
        public void FenwickSearch_MatchesLinearScan()
        {
            var rng = new Random(3);
            foreach (int n in new[] { 1, 2, 3, 7, 8, 9, 100, 1023, 1024, 1025 })
            {
                var w = new int[n];
                for (int i = 0; i < n; i++)
                {
                    w[i] = rng.Next(0, 4);
                }

                w[n - 1] += 1; // a positive total
                foreach (bool pad in new[] { true, false })
                {
                    CheckTree(new FenwickTree(n, pad), (int[])w.Clone());
                }
            }
        }

        [Fact]
        public void FenwickTree_PadsBelowTwoToThe30Weights_AndKeepsTheRangeCheckFromThere()
        {
            // Allocating such trees takes gigabytes; the layout decision is what can go wrong (2 * 2^30 overflows int).
            Assert.True(FenwickTree.CanPad(1));
            Assert.True(FenwickTree.CanPad((1 << 30) - 1));
            Assert.False(FenwickTree.CanPad(1 << 30));
            Assert.False(FenwickTree.CanPad(int.MaxValue - 1));
            Assert.True(new FenwickTree(1025).IsPadded);
            Assert.False(new FenwickTree(1025, pad: false).IsPadded);
        }

        private static void CheckTree(FenwickTree tree, int[] w)
        {
            int n = w.Length;
            tree.Build(w);
            tree.Add(0, 2);
            w[0] += 2;
            int total = 0;
            foreach (int x in w)
            {
                total += x;
            }

            Assert.Equal(total, tree.PrefixSum(n));
            var targets = new int[total];
            var found = new long[total];
            for (int u = 0; u < total; u++)
            {
                targets[u] = u;
            }

            // The batch search: groups of sixteen and eight (padded trees), then one at a time.
            tree.FindManyFirstPrefixAbove(targets, found);
            for (int u = 0; u < total; u++)
            {
                int expected = 0;
                int prefix = w[0];
                while (prefix <= u)
                {
                    prefix += w[++expected];
                }

                Assert.Equal(expected, tree.FindFirstPrefixAbove(u));
                Assert.Equal(expected, found[u]);
            }
        }

        private static byte[] State(long range, int[] counts)
        {
            var bytes = new byte[24 + 4 * counts.Length];
            "GSLU"u8.CopyTo(bytes);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 1);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), range);
            long total = 0;
            for (int i = 0; i < counts.Length; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24 + 4 * i), counts[i]);
                total += counts[i];
            }

            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), total);
            return bytes;
        }
    }
}
