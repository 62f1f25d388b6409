using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>One block of four 32-bit Philox outputs, in the order a stream consumes them (X0 first).</summary>
    public readonly record struct PhiloxBlock(uint X0, uint X1, uint X2, uint X3);

    /// <summary>
    /// The Philox4x32-10 bijection of Salmon et al. (Random123): a 128-bit counter and a 64-bit key map to 128 random
    /// bits. Stateless and counter-based, so any block of any stream can be computed independently, on any thread or
    /// device; the CUDA backend evaluates exactly the same function.
    /// </summary>
    public static class Philox4x32
    {
        /// <summary>Round multiplier for counter word 0.</summary>
        public const uint M0 = 0xD2511F53;
        /// <summary>Round multiplier for counter word 2.</summary>
        public const uint M1 = 0xCD9E8D57;
        /// <summary>Weyl increment of key word 0 between rounds (golden ratio).</summary>
        public const uint W0 = 0x9E3779B9;
        /// <summary>Weyl increment of key word 1 between rounds (sqrt(3) - 1).</summary>
        public const uint W1 = 0xBB67AE85;

        /// <summary>Applies the ten rounds to counter (c0..c3) under key (k0, k1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static PhiloxBlock Compute(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
        {
            // Written out, no loop: between rounds the key takes a Weyl step (k0 += W0, k1 += W1).
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
            k0 += W0;
            k1 += W1;
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
            k0 += W0;
            k1 += W1;
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
            k0 += W0;
            k1 += W1;
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
            k0 += W0;
            k1 += W1;
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
            k0 += W0;
            k1 += W1;
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
            k0 += W0;
            k1 += W1;
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
            k0 += W0;
            k1 += W1;
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
            k0 += W0;
            k1 += W1;
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
            k0 += W0;
            k1 += W1;
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
            return new PhiloxBlock(c0, c1, c2, c3);
        }

        /// <summary>
        /// Eight blocks at once, one per 64-bit lane: the counter words of each lane are in the low 32 bits of
        /// <paramref name="c0"/>..<paramref name="c3"/> (high halves are ignored). Returns the four output words per
        /// lane, each in the low 32 bits of its lane; the high halves hold garbage and must be masked by the caller.
        /// </summary>
        /// <remarks>
        /// <c>vpmuludq</c> multiplies the low halves of 64-bit lanes into full 64-bit products, which is exactly the
        /// 32×32→64 product a round needs; words are never narrowed, so the garbage above bit 31 never reaches a
        /// product or a masked output. Requires <see cref="Avx512F.IsSupported"/>.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Compute(
            ref Vector512<ulong> c0, ref Vector512<ulong> c1, ref Vector512<ulong> c2, ref Vector512<ulong> c3, uint k0, uint k1)
        {
            Vector512<uint> m0 = Vector512.Create((ulong)M0).AsUInt32();
            Vector512<uint> m1 = Vector512.Create((ulong)M1).AsUInt32();
            for (int round = 0; round < 10; round++)
            {
                Vector512<ulong> p0 = Avx512F.Multiply(c0.AsUInt32(), m0);
                Vector512<ulong> p1 = Avx512F.Multiply(c2.AsUInt32(), m1);
                Vector512<ulong> n0 = Vector512.ShiftRightLogical(p1, 32) ^ c1 ^ Vector512.Create((ulong)k0);
                Vector512<ulong> n2 = Vector512.ShiftRightLogical(p0, 32) ^ c3 ^ Vector512.Create((ulong)k1);
                c1 = p1;
                c3 = p0;
                c0 = n0;
                c2 = n2;
                k0 += W0;
                k1 += W1;
            }
        }

        /// <summary>Four blocks at once, as the <see cref="Vector512{T}"/> overload; requires <see cref="Avx2.IsSupported"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Compute(
            ref Vector256<ulong> c0, ref Vector256<ulong> c1, ref Vector256<ulong> c2, ref Vector256<ulong> c3, uint k0, uint k1)
        {
            Vector256<uint> m0 = Vector256.Create((ulong)M0).AsUInt32();
            Vector256<uint> m1 = Vector256.Create((ulong)M1).AsUInt32();
            for (int round = 0; round < 10; round++)
            {
                Vector256<ulong> p0 = Avx2.Multiply(c0.AsUInt32(), m0);
                Vector256<ulong> p1 = Avx2.Multiply(c2.AsUInt32(), m1);
                Vector256<ulong> n0 = Vector256.ShiftRightLogical(p1, 32) ^ c1 ^ Vector256.Create((ulong)k0);
                Vector256<ulong> n2 = Vector256.ShiftRightLogical(p0, 32) ^ c3 ^ Vector256.Create((ulong)k1);
                c1 = p1;
                c3 = p0;
                c0 = n0;
                c2 = n2;
                k0 += W0;
                k1 += W1;
            }
        }

        // One round: two 32x32->64 products; the high halves are mixed with the other words and the round key.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Round(ref uint c0, ref uint c1, ref uint c2, ref uint c3, uint k0, uint k1)
        {
            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            c1 = (uint)p1;
            c3 = (uint)p0;
            c0 = n0;
            c2 = n2;
        }
    }
}
