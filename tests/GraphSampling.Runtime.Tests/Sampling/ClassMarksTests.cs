using System;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    public class ClassMarksTests
    {
        [Theory]
        [InlineData(1L)]
        [InlineData(33L)]
        [InlineData(800_000L)]
        [InlineData(ClassMarks.DenseLimit + 1)] // the hash-map form
        public void MarksAreTaggedAndForgottenAtEachClear(long range)
        {
            var marks = new ClassMarks(range);
            var random = new Random(5);
            for (int call = 0; call < 4; call++)
            {
                int capacity = 1 + call * 37;
                marks.Clear(capacity);
                var expected = new System.Collections.Generic.Dictionary<long, int>();
                for (int i = 0; i < capacity; i++)
                {
                    long v = random.NextInt64(range);
                    int tag = random.Next(2);
                    int got = marks.GetOrAdd(v, tag);
                    if (expected.TryGetValue(v, out int old))
                    {
                        Assert.Equal(old, got);
                    }
                    else
                    {
                        Assert.Equal(-1, got);
                        expected[v] = tag;
                    }
                }

                // Every class reads back its tag or -1, including the neighbours that share a word with a mark.
                foreach (long v in expected.Keys)
                {
                    Assert.Equal(expected[v], marks.Get(v));
                    foreach (long n in new[] { v - 1, v + 1, v ^ 31 })
                    {
                        if (n >= 0 && n < range)
                        {
                            Assert.Equal(expected.TryGetValue(n, out int t) ? t : -1, marks.Get(n));
                        }
                    }
                }
            }

            // After a clear nothing of the last call remains.
            marks.Clear(1);
            Assert.Equal(-1, marks.Get(0));
            Assert.Equal(-1, marks.Get(range - 1));
        }
    
        [Theory]
        [InlineData(40L)]
        [InlineData(800_000L)]
        [InlineData(ClassMarks.DenseLimit + 1)]
        public void PickNew_AppendsFirstOccurrencesInOrderUntilFull(long range)
        {
            var marks = new ClassMarks(range);
            var random = new Random(9);
            for (int call = 0; call < 3; call++)
            {
                const int k = 30;
                marks.Clear(k);
                var picked = new long[k];
                int count = 0;
                var expected = new System.Collections.Generic.List<long>();
                int expectedLookedAt = 0;
                var draws = new long[64];
                for (int i = 0; i < draws.Length; i++)
                {
                    draws[i] = random.NextInt64(Math.Min(range, 50));
                }

                foreach (long v in draws)
                {
                    if (expected.Count == k)
                    {
                        break;
                    }

                    expectedLookedAt++;
                    if (!expected.Contains(v))
                    {
                        expected.Add(v);
                    }
                }

                // Two blocks, as the sampler calls it.
                int lookedAt = marks.PickNew(draws.AsSpan(0, 20), picked, ref count, out int skipped1);
                lookedAt += marks.PickNew(draws.AsSpan(20), picked, ref count, out int skipped2);
                Assert.Equal(0, skipped1 + skipped2);
                Assert.Equal(expected.Count, count);
                Assert.Equal(expected, picked[..count]);
                Assert.Equal(expectedLookedAt, lookedAt);
                foreach (long v in expected)
                {
                    Assert.Equal(1, marks.Get(v));
                }
            }
        }
}
}
