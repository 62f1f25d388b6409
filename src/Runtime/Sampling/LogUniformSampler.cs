using System;

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

        private readonly double[] _uniforms = new double[DrawBlockLength];

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

        private float Compute(long value) => (float)(Math.Log((value + 2.0) / (value + 1.0)) / _logRange);

        /// <inheritdoc/>
        protected override long Draw(ref PhiloxStream rng) => ToClass(rng.NextDouble());

        /// <inheritdoc/>
        protected override void DrawMany(ref PhiloxStream rng, Span<long> destination)
        {
            // The same draws as Draw: the uniforms come a block of Philox outputs at a time, then map one by one.
            for (int start = 0; start < destination.Length; start += _uniforms.Length)
            {
                Span<long> chunk = destination.Slice(start, Math.Min(_uniforms.Length, destination.Length - start));
                Span<double> uniforms = _uniforms.AsSpan(0, chunk.Length);
                rng.FillDoubles(uniforms);
                for (int i = 0; i < chunk.Length; i++)
                {
                    chunk[i] = ToClass(uniforms[i]);
                }
            }
        }

        // Inverse CDF: exp(u·log(R+1)) is uniform in log space on [1, R+1); TF's mod only guards a rounding to R.
        // Since u < 1, v lies in [0, R], so "v == R ? 0 : v" is that mod without a 64-bit division per draw.
        private long ToClass(double uniform)
        {
            long v = (long)Math.Exp(uniform * _logRange) - 1;
            return v >= RangeMax ? v - RangeMax : v;
        }
    }
}
