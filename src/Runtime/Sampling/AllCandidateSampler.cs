using System;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// TF <c>all_candidate_sampler</c> (spec 3.8): <c>numSampled</c> is the range, the candidates are
    /// <c>[0, 1, ..., K − 1]</c> and every expected count is 1. No random numbers are used and <c>unique</c> is ignored.
    /// True classes must be below K (newer kernels check this).
    /// </summary>
    public sealed class AllCandidateSampler : CandidateSampler
    {
        /// <summary>Creates the sampler for <paramref name="numSampled"/> classes.</summary>
        public AllCandidateSampler(int numSampled, bool unique = false, ulong seed = 0, ulong stream = 0)
            : base(numSampled < 1 ? throw new ArgumentOutOfRangeException(nameof(numSampled), numSampled, "numSampled must be at least 1.") : numSampled, unique, seed, stream)
        {
        }

        /// <inheritdoc/>
        /// <remarks>Every class is always a candidate: 1 inside the range, 0 outside.</remarks>
        public override float Probability(long value) => (ulong)value < (ulong)RangeMax ? 1.0f : 0.0f;

        /// <inheritdoc/>
        /// <remarks>Never called: candidates are not drawn.</remarks>
        protected override long Draw(ref PhiloxStream rng) => throw new InvalidOperationException("The all-candidate sampler does not draw.");

        private protected override void ValidateCall(int numSampled)
        {
            if (numSampled != RangeMax)
            {
                throw new ArgumentException(
                    $"The all-candidate sampler returns all {RangeMax} classes; the call asked for {numSampled} candidates.", nameof(numSampled));
            }

            if (ExcludeTrueClasses)
            {
                throw new NotSupportedException("The all-candidate sampler returns every class, so it cannot exclude the true classes.");
            }
        }

        private protected override int SampleCore(
            ref PhiloxStream rng,
            ReadOnlySpan<long> trueClasses,
            Span<long> sampled,
            Span<float> trueExpectedCount,
            Span<float> sampledExpectedCount)
        {
            for (int i = 0; i < sampled.Length; i++)
            {
                sampled[i] = i;
            }

            sampledExpectedCount.Fill(1.0f);
            trueExpectedCount.Fill(1.0f);
            return sampled.Length;
        }
    }
}
