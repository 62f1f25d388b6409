using System;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    public class PhiloxTests
    {
        // Random123 known-answer vectors for Philox4x32-10 (kat_vectors): counter, key -> output.
        [Theory]
        [InlineData(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
        [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
        [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
        public void Compute_MatchesRandom123KnownAnswers(
            uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint r0, uint r1, uint r2, uint r3)
        {
            Assert.Equal(new PhiloxBlock(r0, r1, r2, r3), Philox4x32.Compute(c0, c1, c2, c3, k0, k1));
        }

        [Fact]
        public void Stream_ReadsWordsInOrderAndCarriesTheCounter()
        {
            // Key 0 and counter 2^64 - 1 in the low half: the second block must carry into word c2.
            var rng = new PhiloxStream(0, ((UInt128)5 << 64) | ulong.MaxValue);
            PhiloxBlock first = Philox4x32.Compute(0xffffffff, 0xffffffff, 5, 0, 0, 0);
            PhiloxBlock second = Philox4x32.Compute(0, 0, 6, 0, 0, 0);
            uint[] expected = [first.X0, first.X1, first.X2, first.X3, second.X0, second.X1];
            foreach (uint word in expected)
            {
                Assert.Equal(word, rng.NextUInt32());
            }
        }

        [Fact]
        public void ForCall_UsesSeedAsKeyStreamAsCounterHighAndStepTimes512K()
        {
            ulong seed = 0x0123456789ABCDEFUL;
            ulong stream = 0xFEDCBA9876543210UL;
            var rng = PhiloxStream.ForCall(seed, stream, step: 7, numSampled: 3);
            ulong low = 7UL * 512 * 3;
            PhiloxBlock b = Philox4x32.Compute((uint)low, (uint)(low >> 32), 0x76543210, 0xFEDCBA98, 0x89ABCDEF, 0x01234567);
            Assert.Equal(b.X0, rng.NextUInt32());
            Assert.Equal(b.X1, rng.NextUInt32());
        }

        [Fact]
        public void ForRow_XorsRowPlusOneIntoTheStreamHighWord()
        {
            var rng = PhiloxStream.ForRow(seed: 1, stream: 2, step: 1, numSampled: 4, row: 2);
            Assert.Equal((((UInt128)(2UL ^ (3UL << 32))) << 64) + 2048, rng.NextCounter);
        }

        [Fact]
        public void Primitives_FollowTensorFlowBitRecipes()
        {
            PhiloxBlock b0 = Philox4x32.Compute(0, 0, 0, 0, 0, 0);
            PhiloxBlock b1 = Philox4x32.Compute(1, 0, 0, 0, 0, 0);

            var rng = new PhiloxStream(0, 0);
            // RandFloat: the low 23 bits as a binary fraction.
            Assert.Equal((b0.X0 & 0x7FFFFF) / 8388608.0f, rng.NextFloat());
            // RandDouble: 20 bits of the first word then 32 of the second, as a 52-bit fraction.
            double d = (((ulong)(b0.X1 & 0xFFFFF) << 32) | b0.X2) / 4503599627370496.0;
            Assert.Equal(d, rng.NextDouble());
            // Rand64 spans the block boundary: low word first.
            Assert.Equal(b0.X3 | ((ulong)b1.X0 << 32), rng.NextUInt64());
            // Uniform of a power of two masks the word.
            Assert.Equal(b1.X1 & 7u, rng.Uniform(8));
        }

        [Fact]
        public void Uniform_RejectsWordsBelowTheRemainder()
        {
            // n = 3: rem = (2^32 - 1) mod 3 + 1 = 1, so only the word 0 is rejected; otherwise word mod 3.
            var rng = new PhiloxStream(42, 9);
            var copy = rng;
            uint w = copy.NextUInt32();
            uint expected = w == 0 ? copy.NextUInt32() % 3 : w % 3;
            Assert.Equal(expected, rng.Uniform(3));

            // n = 2^31 + 1: rem = (2^32 - 1) mod n + 1 = 2^31 - 1, a large rejection region.
            uint n = 0x80000001u;
            var r2 = new PhiloxStream(3, 4);
            var c2 = r2;
            uint draw;
            do
            {
                draw = c2.NextUInt32();
            }
            while (draw < 0x7FFFFFFFu);
            Assert.Equal(draw % n, r2.Uniform(n));
        }
    
        public static TheoryData<int> FillLengths()
        {
            var lengths = new TheoryData<int>();
            for (int n = 0; n <= 70; n++)
            {
                lengths.Add(n);
            }

            lengths.Add(1000);
            return lengths;
        }

        [Theory]
        [MemberData(nameof(FillLengths))]
        public void FillDoubles_EqualsRepeatedNextDouble_AtEveryLengthAndStartingWord(int length)
        {
            // Every starting word offset (0..3 words of the current block already read) and both 64-bit halves.
            foreach (UInt128 counter in new[] { (UInt128)12345, ((UInt128)7 << 64) | 0xFFFFFFF0UL })
            {
                for (int skip = 0; skip < 4; skip++)
                {
                    var expected = new PhiloxStream(0xABCDEF0123456789UL, counter);
                    var actual = expected;
                    for (int s = 0; s < skip; s++)
                    {
                        expected.NextUInt32();
                        actual.NextUInt32();
                    }

                    var values = new double[length];
                    actual.FillDoubles(values);
                    for (int i = 0; i < length; i++)
                    {
                        Assert.Equal(expected.NextDouble(), values[i]);
                    }

                    // Both streams continue from the same word.
                    Assert.Equal(expected.NextUInt32(), actual.NextUInt32());
                }
            }
        }

        [Fact]
        public void FillDoubles_CarriesIntoTheHighCounterHalfLikeTheScalarStream()
        {
            // The run crosses low = 2^64 - 1 -> 0 with a carry into the stream word.
            var expected = new PhiloxStream(99, ((UInt128)3 << 64) | (ulong.MaxValue - 5));
            var actual = expected;
            var values = new double[64];
            actual.FillDoubles(values);
            foreach (double v in values)
            {
                Assert.Equal(expected.NextDouble(), v);
            }

            Assert.Equal(expected.NextCounter, actual.NextCounter);
        }
}
}
