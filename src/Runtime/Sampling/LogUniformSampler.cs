using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// TF <c>log_uniform_candidate_sampler</c> (spec 3.5), the Zipfian proposal for classes sorted by decreasing
    /// frequency: <c>P(v) = log((v + 2) / (v + 1)) / log(rangeMax + 1)</c>, evaluated in double and rounded to float.
    /// </summary>
    public sealed class LogUniformSampler : CandidateSampler
    {
        private readonly double _logRange;

        /// <summary>Ranges up to this size keep every class's probability in a table (4 bytes a class): the expected
        /// counts of a call then cost a lookup each instead of a log. The values are the same floats either way.</summary>
        private const long TableLimit = 1 << 22;

        private readonly float[]? _probabilities;

        /// <summary>Creates a log-uniform sampler over <c>[0, rangeMax)</c>.</summary>
        public LogUniformSampler(long rangeMax, bool unique, ulong seed, ulong stream)
            : base(rangeMax, unique, seed, stream)
        {
            // rangeMax + 1 is exact in double for every practical range, so log(range + 1) equals TF's log1p(range)
            // up to libm rounding (spec 1).
            _logRange = Math.Log(rangeMax + 1.0);
            if (rangeMax <= TableLimit)
            {
                _probabilities = new float[rangeMax];
                for (long v = 0; v < rangeMax; v++) _probabilities[v] = Compute(v);
            }
        }

        /// <inheritdoc/>
        /// <remarks>Defined for any value, as in TF; the ratio is formed first, then its log.</remarks>
        public override float Probability(long value) =>
            _probabilities != null && (ulong)value < (ulong)_probabilities.Length ? _probabilities[value] : Compute(value);

        /// <inheritdoc/>
        /// <remarks>A lookup per value in the table (the values of <see cref="Probability"/>), without a virtual call each.</remarks>
        protected override void Probabilities(ReadOnlySpan<long> values, Span<float> destination)
        {
            float[]? table = _probabilities;
            if (table == null)
            {
                base.Probabilities(values, destination);
                return;
            }

            destination = destination.Slice(0, values.Length);
            ref float first = ref MemoryMarshal.GetArrayDataReference(table);
            ulong length = (ulong)table.Length;
            for (int i = 0; i < values.Length; i++)
            {
                long v = values[i];
                destination[i] = (ulong)v < length ? Unsafe.Add(ref first, (nint)v) : Compute(v);
            }
        }

        private float Compute(long value) => (float)(Math.Log((value + 2.0) / (value + 1.0)) / _logRange);

        /// <inheritdoc/>
        protected override long Draw(ref PhiloxStream rng)
        {
            // Inverse CDF: exp(u·log(R+1)) is uniform in log space on [1, R+1); TF's mod only guards a rounding to R.
            // Since u < 1, v lies in [0, R], so "v == R ? 0 : v" is that mod without a 64-bit division per draw.
            long v = (long)Math.Exp(rng.NextDouble() * _logRange) - 1;
            return v >= RangeMax ? v % RangeMax : v;
        }

        /// <inheritdoc/>
        protected override void DrawMany(ref PhiloxStream rng, Span<long> destination)
        {
            // The same draws as Draw, without a virtual call per value (the unique loop consumes blocks of these).
            double logRange = _logRange;
            long range = RangeMax;
            for (int i = 0; i < destination.Length; i++)
            {
                long v = (long)Math.Exp(rng.NextDouble() * logRange) - 1;
                destination[i] = v >= range ? v % range : v;
            }
        }
    }
}
