namespace GraphSampling.Runtime.Gpu.Sampling
{
    /// <summary>
    /// Everything a sampler kernel needs about one call, passed by value (one kernel argument instead of a dozen):
    /// the Philox key and first counter of the call's stream, the distribution and the sizes.
    /// </summary>
    public struct SamplerLaunch
    {
        /// <summary>Philox key (the seed).</summary>
        public ulong Key;

        /// <summary>Low 64 bits of the call's first counter (<c>step · 512 · K</c> mod 2^64).</summary>
        public ulong CounterLow;

        /// <summary>High 64 bits of the call's first counter (the stream, plus any carry).</summary>
        public ulong CounterHigh;

        /// <summary>Number of classes.</summary>
        public long RangeMax;

        /// <summary>Uniform: TF's rejection bound <c>(2^64 − 1) mod n + 1</c>, or 0 when n is a power of two.</summary>
        public ulong RejectionBound;

        /// <summary>Log-uniform: <c>log(rangeMax + 1)</c>, computed on the host as the CPU sampler does.</summary>
        public double LogRange;

        /// <summary>Uniform: the probability of every class, <c>(float)(1 / rangeMax)</c>.</summary>
        public float UniformProbability;

        /// <summary>A <see cref="DeviceSamplerKind"/> value.</summary>
        public int Kind;

        /// <summary>K, the number of candidates.</summary>
        public int NumSampled;

        /// <summary>Unique sampling: draws generated in parallel before the sequential rejection loop (even).</summary>
        public int DrawCapacity;

        /// <summary>1 for unique sampling (TF's rejection loop), else 0.</summary>
        public int Unique;

        /// <summary>Number of true classes whose expected counts are computed.</summary>
        public int TrueCount;
    }
}
