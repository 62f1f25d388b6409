using ILGPU;

namespace GraphSampling.Runtime.Gpu.Sampling
{
    /// <summary>
    /// <see cref="GraphSampling.Runtime.Sampling.PhiloxStream"/> as device code: the same words in the same order from
    /// the same key and 128-bit counter, with TF's <c>Rand32</c>/<c>Rand64</c>/<c>RandFloat</c>/<c>RandDouble</c> and
    /// <c>Uniform</c>/<c>Uniform64</c> (rejection below the remainder). The counter is held as two 64-bit halves,
    /// since <c>UInt128</c> does not compile for the device.
    /// </summary>
    public struct DevicePhiloxStream
    {
        private readonly ulong _key;
        private ulong _counterLow;
        private ulong _counterHigh;
        private uint _w0;
        private uint _w1;
        private uint _w2;
        private uint _w3;
        private int _next; // index of the next unread word of the current block; 4 = none left

        /// <summary>A stream whose first block has counter (<paramref name="counterLow"/>, <paramref name="counterHigh"/>).</summary>
        public DevicePhiloxStream(ulong key, ulong counterLow, ulong counterHigh)
        {
            _key = key;
            _counterLow = counterLow;
            _counterHigh = counterHigh;
            _w0 = _w1 = _w2 = _w3 = 0;
            _next = 4;
        }

        /// <summary>TF <c>Rand32</c>: the next word.</summary>
        public uint NextUInt32()
        {
            if (_next == 4)
            {
                DevicePhilox.Block b = DevicePhilox.At(_key, _counterLow, _counterHigh, 0);
                _w0 = b.X0;
                _w1 = b.X1;
                _w2 = b.X2;
                _w3 = b.X3;
                _next = 0;
                _counterLow++;
                _counterHigh += _counterLow == 0 ? 1UL : 0UL;
            }

            int i = _next++;
            return i == 0 ? _w0 : i == 1 ? _w1 : i == 2 ? _w2 : _w3;
        }

        /// <summary>TF <c>Rand64</c>: low word drawn first.</summary>
        public ulong NextUInt64()
        {
            uint lo = NextUInt32();
            uint hi = NextUInt32();
            return lo | ((ulong)hi << 32);
        }

        /// <summary>TF <c>RandFloat</c>: in [0, 1).</summary>
        public float NextFloat() => ToFloat(NextUInt32());

        /// <summary>TF <c>RandDouble</c>: in [0, 1).</summary>
        public double NextDouble()
        {
            uint x0 = NextUInt32();
            uint x1 = NextUInt32();
            return ToDouble(x0, x1);
        }

        /// <summary>TF <c>Uniform(n)</c>.</summary>
        public uint Uniform(uint n)
        {
            if ((n & (n - 1)) == 0)
            {
                return NextUInt32() & (n - 1);
            }

            uint rem = (uint.MaxValue % n) + 1;
            uint draw;
            do
            {
                draw = NextUInt32();
            }
            while (draw < rem);
            return draw % n;
        }

        /// <summary>TF <c>Uniform64(n)</c>.</summary>
        public ulong Uniform64(ulong n)
        {
            if ((n & (n - 1)) == 0)
            {
                return NextUInt64() & (n - 1);
            }

            return Uniform64(n, (ulong.MaxValue % n) + 1);
        }

        /// <summary>TF <c>Uniform64(n)</c> for an n that is not a power of two, with its rejection bound given.</summary>
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

        /// <summary>RandFloat of one word: 23 mantissa bits under exponent 0, minus 1.</summary>
        public static float ToFloat(uint x) => Interop.IntAsFloat(0x3F800000u | (x & 0x7FFFFFu)) - 1.0f;

        /// <summary>RandDouble of two words: 20 bits of the first and all of the second as the mantissa, minus 1.</summary>
        public static double ToDouble(uint x0, uint x1)
        {
            ulong bits = (0x3FFUL << 52) | ((ulong)(x0 & 0xFFFFFu) << 32) | x1;
            return Interop.IntAsFloat(bits) - 1.0;
        }
    }
}
