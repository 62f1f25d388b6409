using System;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>TF <c>uniform_candidate_sampler</c> (spec 3.4): every class has probability <c>float(1 / rangeMax)</c>.</summary>
    public sealed class UniformSampler : CandidateSampler
    {
        private readonly float _probability;

        /// <summary>Creates a uniform sampler over <c>[0, rangeMax)</c>.</summary>
        public UniformSampler(long rangeMax, bool unique, ulong seed, ulong stream)
            : base(rangeMax, unique, seed, stream)
        {
            _probability = (float)(1.0 / rangeMax);
        }

        /// <inheritdoc/>
        public override float Probability(long value) => _probability;

        /// <inheritdoc/>
        protected override long Draw(ref PhiloxStream rng) => (long)rng.Uniform64((ulong)RangeMax);

        /// <inheritdoc/>
        /// <remarks>The same draws as <see cref="Draw"/>, with TF's rejection bound computed once per call instead of
        /// once per draw (a 64-bit division each).</remarks>
        protected override void DrawMany(ref PhiloxStream rng, Span<long> destination)
        {
            ulong n = (ulong)RangeMax;
            if ((n & (n - 1)) == 0)
            {
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (long)rng.Uniform64(n);
                }

                return;
            }

            ulong rem = PhiloxStream.RejectionBound64(n);
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = (long)rng.Uniform64(n, rem);
            }
        }
    }
}
