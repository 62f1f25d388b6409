using ILGPU;

namespace GraphSampling.Runtime.Gpu.Sampling
{
    /// <summary>
    /// The device side of <see cref="DeviceCandidateSampler"/>. A call runs, in order on one stream:
    /// <see cref="Draw"/> (one thread per draw, in parallel: draw j reads the two words of half j mod 2 of block j / 2,
    /// which is where the CPU stream reads them), <see cref="Select"/> (one thread: TF's rejection loop over the draws in
    /// stream order, then on from the stream when they run out; without <c>unique</c> it only redoes the call
    /// sequentially in the rare case that a uniform word was rejected, which shifts every later draw), <see cref="ExpectedCounts"/> (one thread per count) and
    /// <see cref="ClearMarks"/> (one thread per candidate).
    /// </summary>
    public static class SamplerKernels
    {
        /// <summary>Draw j of the call's stream, or -1 when its 64-bit word is below TF's uniform rejection bound.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void Draw(Index1D j, SamplerLaunch p, ArrayView<long> draws, ArrayView<int> state)
        {
            DevicePhilox.Block block = DevicePhilox.At(p.Key, p.CounterLow, p.CounterHigh, (ulong)(j.X >> 1));
            bool first = (j.X & 1) == 0;
            long draw = FromWords(p, first ? block.X0 : block.X2, first ? block.X1 : block.X3);
            draws[j] = draw;
            if (draw < 0)
            {
                // A rejected word shifts every later draw: Select then redoes the call sequentially.
                Atomic.Or(ref state[1], 1);
            }
        }

        /// <summary>
        /// One thread. Unique: TF's rejection loop (a repeat is a rejected try, a new class is appended) over the
        /// parallel draws, continued from the stream if they run out; writes the candidates and num_tries (state[0]).
        /// Not unique: num_tries = K, and the candidates are redrawn sequentially only if a draw was rejected.
        /// </summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void Select(Index1D index, SamplerLaunch p, ArrayView<long> draws, ArrayView<long> candidates, ArrayView<uint> marks, ArrayView<int> state)
        {
            if (index.X != 0)
            {
                return;
            }

            int k = p.NumSampled;
            bool rejected = state[1] != 0;
            state[1] = 0; // ready for the next call
            if (p.Unique == 0)
            {
                state[0] = k;
                if (rejected)
                {
                    var stream = new DevicePhiloxStream(p.Key, p.CounterLow, p.CounterHigh);
                    for (int i = 0; i < k; i++)
                    {
                        candidates[i] = DrawSequential(p, ref stream);
                    }
                }

                return;
            }

            // A word below the uniform rejection bound is no draw at all (Uniform64 just reads the next two words), so it
            // is skipped without a try, as on the CPU.
            int picked = 0;
            int tries = 0;
            for (int j = 0; j < p.DrawCapacity && picked < k; j++)
            {
                long draw = draws[j];
                if (draw >= 0)
                {
                    tries++;
                    Pick(draw, candidates, marks, ref picked);
                }
            }

            if (picked < k)
            {
                // Past the parallel draws: on from the stream position that follows them.
                ulong low = p.CounterLow + (ulong)(p.DrawCapacity >> 1);
                ulong high = p.CounterHigh + (low < p.CounterLow ? 1UL : 0UL);
                var stream = new DevicePhiloxStream(p.Key, low, high);
                while (picked < k)
                {
                    tries++;
                    Pick(DrawSequential(p, ref stream), candidates, marks, ref picked);
                }
            }

            state[0] = tries;
        }

        /// <summary>
        /// Count i: candidate i for i &lt; K, else true class i − K; TF's rule (spec 3.3) with the call's num_tries:
        /// <c>q·K</c> when no draw was rejected, else <c>−expm1(tries · log1p(−q))</c>, in double, rounded once.
        /// </summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void ExpectedCounts(
            Index1D i, SamplerLaunch p, ArrayView<long> candidates, ArrayView<long> trueClasses, ArrayView<float> sampledCounts, ArrayView<float> trueCounts, ArrayView<int> state)
        {
            int k = p.NumSampled;
            bool sampled = i.X < k;
            long value = sampled ? candidates[i] : trueClasses[i.X - k];
            double q = Probability(p, value);
            int tries = state[0];
            float count = tries == k
                ? (float)(q * (float)k)
                : (float)-DeviceMath.ExpM1(tries * DeviceMath.Log1P(-q));
            if (sampled)
            {
                sampledCounts[i] = count;
            }
            else
            {
                trueCounts[i.X - k] = count;
            }
        }

        /// <summary>Clears the rejection-loop marks of candidate i (the only marks a call sets).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void ClearMarks(Index1D i, ArrayView<long> candidates, ArrayView<uint> marks)
        {
            marks[candidates[i] >> 5] = 0;
        }

        // The class of one draw from its two words; -1 for a uniform word TF's Uniform64 would reject.
        private static long FromWords(in SamplerLaunch p, uint w0, uint w1)
        {
            if (p.Kind == (int)DeviceSamplerKind.Uniform)
            {
                ulong raw = w0 | ((ulong)w1 << 32);
                ulong n = (ulong)p.RangeMax;
                if (p.RejectionBound == 0)
                {
                    return (long)(raw & (n - 1));
                }

                return raw < p.RejectionBound ? -1 : (long)(raw % n);
            }

            return LogUniformClass(DevicePhiloxStream.ToDouble(w0, w1), p);
        }

        private static long DrawSequential(in SamplerLaunch p, ref DevicePhiloxStream stream)
        {
            if (p.Kind == (int)DeviceSamplerKind.Uniform)
            {
                ulong n = (ulong)p.RangeMax;
                return p.RejectionBound == 0 ? (long)(stream.NextUInt64() & (n - 1)) : (long)stream.Uniform64(n, p.RejectionBound);
            }

            return LogUniformClass(stream.NextDouble(), p);
        }

        // As LogUniformSampler.ToClass: floor(exp(u·log(R+1))) − 1, with R folded to 0. The product is rounded on its
        // own (never fused into the exp's first step), as on the CPU.
        private static long LogUniformClass(double uniform, in SamplerLaunch p)
        {
            long v = (long)DeviceMath.Exp(DeviceMath.Mul(uniform, p.LogRange)) - 1;
            return v >= p.RangeMax ? v - p.RangeMax : v;
        }

        private static double Probability(in SamplerLaunch p, long value)
        {
            if (p.Kind == (int)DeviceSamplerKind.Uniform)
            {
                return p.UniformProbability;
            }

            return (float)(DeviceMath.Log((value + 2.0) / (value + 1.0)) / p.LogRange);
        }

        private static void Pick(long value, ArrayView<long> candidates, ArrayView<uint> marks, ref int picked)
        {
            long word = value >> 5;
            uint bit = 1u << (int)(value & 31);
            uint current = marks[word];
            if ((current & bit) == 0)
            {
                marks[word] = current | bit;
                candidates[picked++] = value;
            }
        }
    }
}
