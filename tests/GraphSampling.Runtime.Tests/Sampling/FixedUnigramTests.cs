using System;
using System.IO;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    public sealed class FixedUnigramTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("gs-vocab-").FullName;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private string Write(string name, string text)
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllText(path, text);
            return path;
        }

        [Fact]
        public void ReservedIds_HaveWeightZero_AndExpectedCountZero()
        {
            var sampler = new FixedUnigramSampler(5, unique: false, seed: 1, stream: 1, unigrams: [5f, 1f, 3f], numReservedIds: 2);
            Assert.Equal([0f, 0f, 5f, 1f, 3f], sampler.Weights.ToArray());
            Assert.Equal(0f, sampler.Probability(1));
            Assert.Equal(5f / 9f, sampler.Probability(2));
            Assert.Equal(0f, sampler.Probability(5)); // outside the range
            var qt = new float[1];
            var s = new long[4];
            sampler.SampleCandidates(0, [0], 1, s, qt, new float[4]);
            Assert.Equal(0f, qt[0]);
            Assert.DoesNotContain(0L, s);
            Assert.DoesNotContain(1L, s);
        }

        [Fact]
        public void Sharding_UsesShardLocalIds_AndTheReservedIdCounterQuirk()
        {
            float[] w = [10f, 20f, 30f, 40f, 50f];
            // Shard 0 of 2 owns reserved ids 0 and 2, then the counter restarts at 2 (its reserved count), so it owns
            // vocabulary entries 0, 2, 4 (counters 2, 4, 6).
            var s0 = new FixedUnigramSampler(5, false, 1, 1, unigrams: w, numReservedIds: 3, numShards: 2, shard: 0);
            Assert.Equal([0f, 0f, 10f, 30f, 50f], s0.Weights.ToArray());
            // Shard 1 owns reserved id 1; its counter starts at 1, so it owns entries 0, 2, 4 as well (counters 1, 3, 5).
            var s1 = new FixedUnigramSampler(4, false, 1, 1, unigrams: w, numReservedIds: 3, numShards: 2, shard: 1);
            Assert.Equal([0f, 10f, 30f, 50f], s1.Weights.ToArray());
            Assert.Equal(10f / 90f, s1.Probability(1));

            var draws = new long[1000];
            s1.SampleCandidates(0, [1], 1, draws, new float[1], new float[1000]);
            foreach (long v in draws)
            {
                Assert.InRange(v, 1, 3); // local ids; 0 is reserved
            }
        }

        [Fact]
        public void DistortionZero_MakesEveryNonReservedWeightOne_IncludingZeroCounts()
        {
            var sampler = new FixedUnigramSampler(5, false, 1, 1, unigrams: [7f, 0f, 2.5f, 1e6f], distortion: 0f, numReservedIds: 1);
            Assert.Equal([0f, 1f, 1f, 1f, 1f], sampler.Weights.ToArray());
            Assert.Equal(4f, sampler.TotalWeight);
            Assert.Equal(0.25f, sampler.Probability(2));
        }

        [Fact]
        public void Distortion_UsesFloatPow()
        {
            var sampler = new FixedUnigramSampler(3, false, 1, 1, unigrams: [8f, 27f, 2f], distortion: 0.75f);
            Assert.Equal([MathF.Pow(8f, 0.75f), MathF.Pow(27f, 0.75f), MathF.Pow(2f, 0.75f)], sampler.Weights.ToArray());
        }

        [Fact]
        public void VocabFile_LastCsvFieldIsTheCount()
        {
            string path = Write("vocab.txt", "the,5\r\nof,x,1\n  3  \nand,1e1\n");
            var sampler = new FixedUnigramSampler(4, false, 1, 1, vocabFile: path);
            Assert.Equal([5f, 1f, 3f, 10f], sampler.Weights.ToArray());
            Assert.Equal(19f, sampler.TotalWeight);
        }

        [Fact]
        public void VocabFile_LinesOfOtherShardsAreNotParsed()
        {
            // Shard 1 of 2 owns lines 2 and 4; the malformed line 1 and the blank line 3 belong to shard 0.
            string path = Write("sharded.txt", "a,bad\nb,2\n\nd,4");
            var sampler = new FixedUnigramSampler(2, false, 1, 1, vocabFile: path, numShards: 2, shard: 1);
            Assert.Equal([2f, 4f], sampler.Weights.ToArray());
        }

        [Fact]
        public void VocabFile_MalformedLine_NamesTheLineNumber()
        {
            string path = Write("bad.txt", "a,1\nb,2\nc,three\nd,4\n");
            var e = Assert.Throws<FormatException>(() => new FixedUnigramSampler(4, false, 1, 1, vocabFile: path));
            Assert.Contains("line 3", e.Message);
            Assert.Contains("three", e.Message);
        }

        [Fact]
        public void VocabFile_BlankOwnedLine_IsAnError()
        {
            string path = Write("blank.txt", "a,1\n\nc,3\n");
            var e = Assert.Throws<FormatException>(() => new FixedUnigramSampler(3, false, 1, 1, vocabFile: path));
            Assert.Contains("line 2", e.Message);
        }

        [Fact]
        public void VocabFile_WithThousandsSeparators_NamesTheFileTheLineAndTheCountRead()
        {
            // "a,1,000": the count is the last field, "000" = 0; every weight 0 used to be reported against 'unigrams'.
            string path = Write("grouped.txt", "a,1,000\nb,2,000\n");
            var e = Assert.Throws<ArgumentException>(() => new FixedUnigramSampler(2, false, 1, 1, vocabFile: path));
            Assert.Equal("vocabFile", e.ParamName);
            Assert.Contains(path, e.Message);
            Assert.Contains("line 1 (\"a,1,000\") reads as the count 0", e.Message);
        }

        [Fact]
        public void A_total_that_overflows_float_is_refused_with_the_source_named()
        {
            var e = Assert.Throws<ArgumentException>(() => new FixedUnigramSampler(2, false, 1, 1, unigrams: new[] { 3e38f, 3e38f }));
            Assert.Equal("unigrams", e.ParamName);
            Assert.Contains("float", e.Message);
            string path = Write("huge.txt", "a,3e38\nb,3e38\n");
            Assert.Equal("vocabFile", Assert.Throws<ArgumentException>(() => new FixedUnigramSampler(2, false, 1, 1, vocabFile: path)).ParamName);
            // A distorted weight beyond float is refused at its line.
            var d = Assert.Throws<ArgumentException>(() => new FixedUnigramSampler(2, false, 1, 1, unigrams: new[] { 1e30f, 1f }, distortion: 2f));
            Assert.Contains("unigrams[0]", d.Message);
            // Just below the limit still works, and samples.
            var ok = new FixedUnigramSampler(2, false, 1, 1, unigrams: new[] { 1.5e38f, 1.5e38f });
            Assert.True(float.IsFinite(ok.TotalWeight));
        }

        [Fact]
        public void VocabFile_Unreadable_Throws()
        {
            string path = Path.Combine(_dir, "missing.txt");
            var e = Assert.Throws<IOException>(() => new FixedUnigramSampler(3, false, 1, 1, vocabFile: path));
            Assert.Contains("missing.txt", e.Message);
            Assert.Throws<IOException>(() => new FixedUnigramSampler(3, false, 1, 1, vocabFile: _dir));
        }

        [Fact]
        public void BothOrNeitherSource_Throws()
        {
            string path = Write("v.txt", "1\n2\n");
            var both = Assert.Throws<ArgumentException>(() => new FixedUnigramSampler(2, false, 1, 1, vocabFile: path, unigrams: [1f, 2f]));
            Assert.Contains("only provide one", both.Message);
            var neither = Assert.Throws<ArgumentException>(() => new FixedUnigramSampler(2, false, 1, 1));
            Assert.Contains("either vocabFile or unigrams", neither.Message);
        }

        [Fact]
        public void WeightCountDifferentFromRangeMax_Throws()
        {
            var e = Assert.Throws<ArgumentException>(() => new FixedUnigramSampler(4, false, 1, 1, unigrams: [1f, 2f, 3f], numReservedIds: 2));
            Assert.Contains("range is 4 must be equal to weights size 5", e.Message);
            Assert.Equal("rangeMax", e.ParamName);
        }

        [Fact]
        public void NegativeOrNonFiniteWeights_Throw()
        {
            var e = Assert.Throws<ArgumentException>(() => new FixedUnigramSampler(3, false, 1, 1, unigrams: [1f, -2f, 3f]));
            Assert.Contains("unigrams[1]", e.Message);
            Assert.Throws<ArgumentException>(() => new FixedUnigramSampler(2, false, 1, 1, unigrams: [1f, float.NaN]));
            string path = Write("neg.txt", "a,1\nb,-4\n");
            var f = Assert.Throws<ArgumentException>(() => new FixedUnigramSampler(2, false, 1, 1, vocabFile: path));
            Assert.Contains("line 2", f.Message);
            Assert.Throws<ArgumentException>(() => new FixedUnigramSampler(2, false, 1, 1, unigrams: [0f, 0f]));
        }

        [Fact]
        public void BadShardArguments_Throw()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new FixedUnigramSampler(1, false, 1, 1, unigrams: [1f], numShards: 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new FixedUnigramSampler(1, false, 1, 1, unigrams: [1f], numShards: 2, shard: 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => new FixedUnigramSampler(1, false, 1, 1, unigrams: [1f], numReservedIds: -1));
        }

        [Fact]
        public void Unique_MoreCandidatesThanNonzeroWeights_Throws()
        {
            var sampler = new FixedUnigramSampler(4, unique: true, 1, 1, unigrams: [1f, 0f, 2f, 0f]);
            var e = Assert.Throws<ArgumentException>(() => sampler.SampleCandidates(0, [0], 1, new long[3], new float[1], new float[3]));
            Assert.Contains("nonzero probability", e.Message);
            var s = new long[2];
            sampler.SampleCandidates(0, [0], 1, s, new float[1], new float[2]);
            Array.Sort(s);
            Assert.Equal([0L, 2L], s);
        }

        [Fact]
        public void AliasTable_ImpliesTheWeights()
        {
            // Independent check of the construction: P(i) = (prob_i + sum over columns j != i aliased to i of
            // (1 - prob_j)) / n must equal w_i / sum(w).
            var rng = new Random(8);
            foreach (int n in new[] { 1, 2, 5, 64, 1000 })
            {
                var w = new float[n];
                double sum = 0;
                for (int i = 0; i < n; i++)
                {
                    w[i] = rng.Next(4) == 0 ? 0f : (float)(rng.NextDouble() * 100);
                    sum += w[i];
                }

                if (sum == 0)
                {
                    w[0] = 1f;
                    sum = 1;
                }

                var table = new AliasTable(w);
                var implied = new double[n];
                for (int j = 0; j < n; j++)
                {
                    implied[j] += table.KeepProbability(j);
                    if (table.Alias(j) != j)
                    {
                        implied[table.Alias(j)] += 1 - table.KeepProbability(j);
                    }
                }

                for (int i = 0; i < n; i++)
                {
                    Assert.True(Math.Abs(implied[i] / n - w[i] / sum) < 1e-6, $"n = {n}, class {i}: {implied[i] / n} vs {w[i] / sum}");
                }
            }
        }
    }
}
