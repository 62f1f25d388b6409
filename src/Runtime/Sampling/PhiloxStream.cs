using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// A sequential reader over Philox4x32-10 blocks with TensorFlow's primitives (<c>SimplePhilox</c>, spec 3.9):
    /// each block yields four 32-bit words consumed in order, and the counter advances by one (128-bit, with carry)
    /// per block.
    /// <para>
    /// The mapping from (seed, step, stream) to Philox inputs, shared with the CUDA backend:
    /// key = (seed &amp; 0xFFFFFFFF, seed &gt;&gt; 32); the 128-bit counter of the first block is
    /// <c>stream · 2^64 + step · 512 · K</c> (mod 2^128), i.e. counter words (c0, c1) = the low 64 bits
    /// <c>step · 512 · K</c> and (c2, c3) = the stream's low and high halves. This is TensorFlow's layout with
    /// seed2 as the stream and the call index as the step: the op advances its generator by 512·K blocks per call.
    /// Per-row draws use the stream <c>stream ^ ((row + 1) &lt;&lt; 32)</c> (see <see cref="ForRow"/>).
    /// </para>
    /// </summary>
    public struct PhiloxStream
    {
        /// <summary>Blocks TensorFlow reserves per sampled candidate and call: (2048·K + 3) div 4 = 512·K.</summary>
        public const int BlocksPerCandidate = 512;

        private readonly uint _k0;
        private readonly uint _k1;
        private UInt128 _counter;   // counter of the next block to compute
        private ulong _words01;     // unread words of the current block, next one in the low half
        private ulong _words23;
        private int _left;          // how many words of the current block are unread

        /// <summary>A stream whose first block has the given key and counter.</summary>
        public PhiloxStream(ulong key, UInt128 counter)
        {
            _k0 = (uint)key;
            _k1 = (uint)(key >> 32);
            _counter = counter;
            _words01 = 0;
            _words23 = 0;
            _left = 0;
        }

        /// <summary>The stream of one batch-shared sampler call: counter = stream·2^64 + step·512·numSampled.</summary>
        public static PhiloxStream ForCall(ulong seed, ulong stream, long step, int numSampled)
        {
            UInt128 start = ((UInt128)stream << 64) + (UInt128)(ulong)step * (ulong)BlocksPerCandidate * (ulong)(uint)numSampled;
            return new PhiloxStream(seed, start);
        }

        /// <summary>
        /// The stream of row <paramref name="row"/> in a per-row sampler call: as <see cref="ForCall"/> with the stream
        /// id <c>stream ^ ((row + 1) &lt;&lt; 32)</c>, so a row's draws depend on neither the batch size nor other rows.
        /// </summary>
        public static PhiloxStream ForRow(ulong seed, ulong stream, long step, int numSampled, int row)
            => ForCall(seed, stream ^ ((ulong)(uint)(row + 1) << 32), step, numSampled);

        /// <summary>The counter of the next block this stream will compute.</summary>
        public readonly UInt128 NextCounter => _counter;

        /// <summary>TF <c>Rand32</c>: the next word.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public uint NextUInt32()
        {
            if (_left == 0)
            {
                Refill();
            }

            uint word = (uint)_words01;
            _words01 = (_words01 >> 32) | (_words23 << 32);
            _words23 >>= 32;
            _left--;
            return word;
        }

        /// <summary>TF <c>Rand64</c>: low word drawn first.</summary>
        public ulong NextUInt64()
        {
            uint lo = NextUInt32();
            uint hi = NextUInt32();
            return lo | ((ulong)hi << 32);
        }

        /// <summary>TF <c>RandFloat</c>: 23 random mantissa bits under exponent 0, minus 1, in [0, 1).</summary>
        public float NextFloat()
        {
            uint x = NextUInt32();
            return BitConverter.UInt32BitsToSingle(0x3F800000u | (x & 0x7FFFFFu)) - 1.0f;
        }

        /// <summary>TF <c>RandDouble</c>: 20 bits of the first word and all of the second as the mantissa, in [0, 1).</summary>
        public double NextDouble()
        {
            uint x0 = NextUInt32();
            uint x1 = NextUInt32();
            ulong bits = (0x3FFUL << 52) | ((ulong)(x0 & 0xFFFFFu) << 32) | x1;
            return BitConverter.UInt64BitsToDouble(bits) - 1.0;
        }

        /// <summary>
        /// Fills <paramref name="destination"/> with TF <c>RandDouble</c> values in stream order: exactly the values of
        /// repeated <see cref="NextDouble"/> calls, and the stream ends in the same state. Whole blocks (two doubles
        /// each) are computed eight or four at a time when the CPU has AVX-512 or AVX2.
        /// </summary>
        public void FillDoubles(Span<double> destination)
        {
            int i = 0;
            // Finish a partly read block word by word, so that the bulk starts on a block boundary.
            while (i < destination.Length && _left != 0)
            {
                destination[i++] = NextDouble();
            }

            int blocks = (destination.Length - i) / 2;
            ulong low = (ulong)_counter;
            // The lanes add the block index to the low 64 counter bits only; a run that would carry into the high
            // half (once in 2^64 blocks) takes the scalar path, which carries.
            if (blocks > 0 && (ulong)(blocks - 1) <= ulong.MaxValue - low)
            {
                int done = FillDoubleBlocks(destination.Slice(i, 2 * blocks), low);
                _counter += (ulong)done;
                i += 2 * done;
            }

            while (i < destination.Length)
            {
                destination[i++] = NextDouble();
            }
        }

        // Computes as many whole blocks as the widest available vectors allow, starting at counter (hi, low), and
        // writes their two doubles each; returns the number of blocks written (the caller advances the counter).
        private readonly int FillDoubleBlocks(Span<double> destination, ulong low)
        {
            int blocks = destination.Length / 2;
            ulong hi = (ulong)(_counter >> 64);
            ref double dst = ref MemoryMarshal.GetReference(destination);
            int done = 0;
            if (Avx512F.IsSupported)
            {
                Vector512<long> interleaveLow = Vector512.Create(0L, 8, 1, 9, 2, 10, 3, 11);
                Vector512<long> interleaveHigh = Vector512.Create(4L, 12, 5, 13, 6, 14, 7, 15);
                for (; done + 8 <= blocks; done += 8)
                {
                    Vector512<ulong> c0 = Vector512.Create(low + (ulong)done) + Vector512<ulong>.Indices;
                    Vector512<ulong> c1 = Vector512.ShiftRightLogical(c0, 32);
                    Vector512<ulong> c2 = Vector512.Create(hi);
                    Vector512<ulong> c3 = Vector512.Create(hi >> 32);
                    Philox4x32.Compute(ref c0, ref c1, ref c2, ref c3, _k0, _k1);
                    Vector512<double> first = ToDouble(c0, c1);
                    Vector512<double> second = ToDouble(c2, c3);
                    Avx512F.PermuteVar8x64x2(first, interleaveLow, second).StoreUnsafe(ref dst, (nuint)(2 * done));
                    Avx512F.PermuteVar8x64x2(first, interleaveHigh, second).StoreUnsafe(ref dst, (nuint)(2 * done + 8));
                }
            }

            if (Avx2.IsSupported)
            {
                for (; done + 4 <= blocks; done += 4)
                {
                    Vector256<ulong> c0 = Vector256.Create(low + (ulong)done) + Vector256<ulong>.Indices;
                    Vector256<ulong> c1 = Vector256.ShiftRightLogical(c0, 32);
                    Vector256<ulong> c2 = Vector256.Create(hi);
                    Vector256<ulong> c3 = Vector256.Create(hi >> 32);
                    Philox4x32.Compute(ref c0, ref c1, ref c2, ref c3, _k0, _k1);
                    Vector256<double> first = ToDouble(c0, c1);
                    Vector256<double> second = ToDouble(c2, c3);
                    // [f0 s0 f2 s2] and [f1 s1 f3 s3], then swap the middle 128-bit halves into block order.
                    Vector256<double> even = Avx.UnpackLow(first, second);
                    Vector256<double> odd = Avx.UnpackHigh(first, second);
                    Avx.Permute2x128(even, odd, 0x20).StoreUnsafe(ref dst, (nuint)(2 * done));
                    Avx.Permute2x128(even, odd, 0x31).StoreUnsafe(ref dst, (nuint)(2 * done + 4));
                }
            }

            return done;
        }

        // RandDouble of two words per lane, as NextDouble: 20 bits of the first and 32 of the second under exponent 0.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> ToDouble(Vector512<ulong> first, Vector512<ulong> second)
        {
            Vector512<ulong> bits = Vector512.ShiftLeft(first & Vector512.Create(0xFFFFFUL), 32)
                | (second & Vector512.Create(0xFFFFFFFFUL))
                | Vector512.Create(0x3FFUL << 52);
            return bits.AsDouble() - Vector512<double>.One;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> ToDouble(Vector256<ulong> first, Vector256<ulong> second)
        {
            Vector256<ulong> bits = Vector256.ShiftLeft(first & Vector256.Create(0xFFFFFUL), 32)
                | (second & Vector256.Create(0xFFFFFFFFUL))
                | Vector256.Create(0x3FFUL << 52);
            return bits.AsDouble() - Vector256<double>.One;
        }

        /// <summary>TF <c>Uniform(n)</c>: an unbiased integer in [0, n) from 32-bit words (rejection below the remainder).</summary>
        public uint Uniform(uint n)
        {
            if ((n & (n - 1)) == 0)
            {
                return NextUInt32() & (n - 1);
            }

            return Uniform(n, RejectionBound(n));
        }

        /// <summary>TF's rejection bound for <see cref="Uniform(uint)"/>: <c>(2^32 − 1) mod n + 1</c>.</summary>
        public static uint RejectionBound(uint n) => (uint.MaxValue % n) + 1;

        /// <summary>TF's rejection bound for <see cref="Uniform64(ulong)"/>: <c>(2^64 − 1) mod n + 1</c>.</summary>
        public static ulong RejectionBound64(ulong n) => (ulong.MaxValue % n) + 1;

        /// <summary>
        /// <see cref="Uniform(uint)"/> for an n that is not a power of two, with its rejection bound
        /// <c>rem = (2^32 − 1) mod n + 1</c> computed once by a caller that draws many times from the same n.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public uint Uniform(uint n, uint rem)
        {
            // Words below rem are rejected so that the accepted range [rem, 2^32) holds a whole number of copies of [0, n).
            uint draw;
            do
            {
                draw = NextUInt32();
            }
            while (draw < rem);
            return draw % n;
        }

        /// <summary>TF <c>Uniform64(n)</c>: as <see cref="Uniform(uint)"/> with 64-bit draws (<see cref="NextUInt64"/>).</summary>
        public ulong Uniform64(ulong n)
        {
            if ((n & (n - 1)) == 0)
            {
                return NextUInt64() & (n - 1);
            }

            return Uniform64(n, RejectionBound64(n));
        }

        /// <summary>
        /// <see cref="Uniform64(ulong)"/> for an n that is not a power of two, with its rejection bound
        /// <c>rem = (2^64 − 1) mod n + 1</c> computed once by a caller that draws many times from the same n.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Uniform64(ulong n, ulong rem)
        {
            ulong draw;
            do
            {
                draw = NextUInt64();
            }
            while (draw < rem);
            return draw % n;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Refill()
        {
            ulong lo = (ulong)_counter;
            ulong hi = (ulong)(_counter >> 64);
            PhiloxBlock b = Philox4x32.Compute((uint)lo, (uint)(lo >> 32), (uint)hi, (uint)(hi >> 32), _k0, _k1);
            _words01 = b.X0 | ((ulong)b.X1 << 32);
            _words23 = b.X2 | ((ulong)b.X3 << 32);
            _left = 4;
            _counter++;
        }
    }
}
