namespace GraphSampling.Runtime.Gpu.Sampling
{
    /// <summary>
    /// Philox4x32-10 as device code: the same function as <see cref="GraphSampling.Runtime.Sampling.Philox4x32.Compute(uint, uint, uint, uint, uint, uint)"/>
    /// (plain integer arithmetic, so every backend gives the same bits), plus the addressing a parallel kernel needs:
    /// the block at any offset from a stream's first counter.
    /// </summary>
    public static class DevicePhilox
    {
        private const uint M0 = GraphSampling.Runtime.Sampling.Philox4x32.M0;
        private const uint M1 = GraphSampling.Runtime.Sampling.Philox4x32.M1;
        private const uint W0 = GraphSampling.Runtime.Sampling.Philox4x32.W0;
        private const uint W1 = GraphSampling.Runtime.Sampling.Philox4x32.W1;

        /// <summary>The ten rounds on counter (c0..c3) under key (k0, k1); the four output words in stream order.</summary>
        public static Block Compute(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
        {
            for (int round = 0; round < 10; round++)
            {
                // 32x32->64 products; the high halves mix with the other words and the round key.
                ulong p0 = (ulong)M0 * c0;
                ulong p1 = (ulong)M1 * c2;
                uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
                uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
                c1 = (uint)p1;
                c3 = (uint)p0;
                c0 = n0;
                c2 = n2;
                k0 += W0;
                k1 += W1;
            }

            return new Block(c0, c1, c2, c3);
        }

        /// <summary>
        /// The block <paramref name="offset"/> blocks after the 128-bit counter (<paramref name="counterLow"/>,
        /// <paramref name="counterHigh"/>), with the carry a 128-bit increment makes, under the 64-bit key.
        /// </summary>
        public static Block At(ulong key, ulong counterLow, ulong counterHigh, ulong offset)
        {
            ulong low = counterLow + offset;
            ulong high = counterHigh + (low < counterLow ? 1UL : 0UL);
            return Compute((uint)low, (uint)(low >> 32), (uint)high, (uint)(high >> 32), (uint)key, (uint)(key >> 32));
        }

        /// <summary>Four output words, X0 consumed first.</summary>
        public readonly struct Block
        {
            /// <summary>Creates a block from its words.</summary>
            public Block(uint x0, uint x1, uint x2, uint x3)
            {
                X0 = x0;
                X1 = x1;
                X2 = x2;
                X3 = x3;
            }

            /// <summary>Word 0 (first in stream order).</summary>
            public uint X0 { get; }

            /// <summary>Word 1.</summary>
            public uint X1 { get; }

            /// <summary>Word 2.</summary>
            public uint X2 { get; }

            /// <summary>Word 3.</summary>
            public uint X3 { get; }
        }
    }
}
