using System;
using System.Runtime.CompilerServices;

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

        /// <summary>TF <c>Uniform(n)</c>: an unbiased integer in [0, n) from 32-bit words (rejection below the remainder).</summary>
        public uint Uniform(uint n)
        {
            if ((n & (n - 1)) == 0)
            {
                return NextUInt32() & (n - 1);
            }

            // Words below rem are rejected so that the accepted range [rem, 2^32) holds a whole number of copies of [0, n).
            uint rem = (uint.MaxValue % n) + 1;
            uint draw;
            do
            {
                draw = NextUInt32();
            }
            while (draw < rem);
            return draw % n;
        }

        /// <summary>TF <c>Uniform64(n)</c>: as <see cref="Uniform"/> with 64-bit draws (<see cref="NextUInt64"/>).</summary>
        public ulong Uniform64(ulong n)
        {
            if ((n & (n - 1)) == 0)
            {
                return NextUInt64() & (n - 1);
            }

            ulong rem = (ulong.MaxValue % n) + 1;
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
