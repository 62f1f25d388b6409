using System;
using System.Runtime.CompilerServices;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// Walker's alias method with TF's <c>DistributionSampler</c> construction and draw order (spec 3.7): O(n) to
    /// build, O(1) per draw (one <c>RandFloat</c>, then one <c>Uniform(n)</c>).
    /// </summary>
    public sealed class AliasTable
    {
        private readonly Entry[] _entries; // probability and alias side by side: one cache line per draw

        /// <summary>Builds the table for non-negative <paramref name="weights"/> with a positive sum.</summary>
        public AliasTable(ReadOnlySpan<float> weights)
        {
            int n = weights.Length;
            if (n == 0)
            {
                throw new ArgumentException("An alias table needs at least one weight.", nameof(weights));
            }

            double sum = 0.0;
            foreach (float w in weights)
            {
                if (!(w >= 0.0f) || float.IsPositiveInfinity(w))
                {
                    throw new ArgumentException($"Alias-table weights must be finite and non-negative; got {w}.", nameof(weights));
                }

                sum += w;
            }

            if (!(sum > 0.0) || double.IsInfinity(sum))
            {
                throw new ArgumentException($"Alias-table weights must have a positive finite sum; got {sum}.", nameof(weights));
            }

            _entries = new Entry[n];
            double[] scaled = new double[n];
            int[] low = new int[n];
            int[] high = new int[n];
            int lowCount = 0;
            int highCount = 0;
            for (int i = 0; i < n; i++)
            {
                // TF scales in float (w·n), then divides by the double sum.
                double p = (weights[i] * (float)n) / sum;
                scaled[i] = p;
                _entries[i].Alias = -1;
                if (p < 1.0)
                {
                    low[lowCount++] = i;
                }
                else
                {
                    high[highCount++] = i;
                }
            }

            // Pair the most recently pushed short column with the most recently pushed tall one (both are stacks).
            while (lowCount > 0 && highCount > 0)
            {
                int l = low[--lowCount];
                int h = high[--highCount];
                _entries[l].Alias = h;
                double rest = scaled[h] - (1.0 - scaled[l]);
                scaled[h] = rest;
                if (rest < 1.0)
                {
                    low[lowCount++] = h;
                }
                else
                {
                    high[highCount++] = h;
                }
            }

            for (int i = 0; i < n; i++)
            {
                _entries[i].Probability = (float)scaled[i];
            }

            // Leftovers differ from 1 only by rounding: make them keep themselves.
            for (int i = 0; i < highCount; i++)
            {
                _entries[high[i]] = new Entry { Probability = 1.0f, Alias = high[i] };
            }

            for (int i = 0; i < lowCount; i++)
            {
                _entries[low[i]] = new Entry { Probability = 1.0f, Alias = low[i] };
            }
        }

        /// <summary>Number of outcomes.</summary>
        public int Count => _entries.Length;

        /// <summary>The probability of keeping column <paramref name="index"/> (else its alias is returned).</summary>
        public float KeepProbability(int index) => _entries[index].Probability;

        /// <summary>The alias of column <paramref name="index"/>.</summary>
        public int Alias(int index) => _entries[index].Alias;

        /// <summary>One draw: <c>r = RandFloat()</c>, then <c>i = Uniform(n)</c>; i if r &lt; prob[i], else alias[i].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Sample(ref PhiloxStream rng)
        {
            float r = rng.NextFloat();
            int i = (int)rng.Uniform((uint)_entries.Length);
            Entry e = _entries[i];
            return r < e.Probability ? i : e.Alias;
        }

        /// <summary>
        /// Fills <paramref name="destination"/> with consecutive draws, the values and stream consumption of repeated
        /// <see cref="Sample"/> calls; <paramref name="uniforms"/> and <paramref name="columns"/> are scratch of the
        /// same length. The words are read first; the table lookups (random over a table larger than the cache) then
        /// run as one loop without dependences between iterations, so their misses overlap.
        /// </summary>
        public void SampleMany(ref PhiloxStream rng, Span<long> destination, Span<float> uniforms, Span<int> columns)
        {
            // Checked before the first word is read, so a bad call leaves the stream and the destination untouched.
            if (uniforms.Length < destination.Length || columns.Length < destination.Length)
            {
                throw new ArgumentException(
                    $"The scratch spans must hold {destination.Length} values each; uniforms has {uniforms.Length} and columns {columns.Length}.",
                    uniforms.Length < destination.Length ? nameof(uniforms) : nameof(columns));
            }

            uint n = (uint)_entries.Length;
            bool powerOfTwo = (n & (n - 1)) == 0;
            uint rem = powerOfTwo ? 0 : PhiloxStream.RejectionBound(n);
            for (int i = 0; i < destination.Length; i++)
            {
                uniforms[i] = rng.NextFloat();
                columns[i] = (int)(powerOfTwo ? rng.NextUInt32() & (n - 1) : rng.Uniform(n, rem));
            }

            Entry[] entries = _entries;
            for (int i = 0; i < destination.Length; i++)
            {
                int column = columns[i];
                Entry e = entries[column];
                destination[i] = uniforms[i] < e.Probability ? column : e.Alias;
            }
        }

        private struct Entry
        {
            public float Probability;
            public int Alias;
        }
    }
}
