using System;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// Beyond TF: mixed negative sampling. The candidate list is the batch's own labels (<c>B·T</c>, row-major, the
    /// in-batch negatives: row i uses the other rows' labels) followed by K candidates drawn by an ordinary sampler.
    /// Expected counts are those of the mixture, by linearity of expectation: for a class v,
    /// <c>Q(v) = (B − 1)·T·p_label(v) + Q_sampled(v)</c>, where p_label estimates the probability that a label equals v
    /// (the in-batch part is B − 1 other rows of T labels each) and Q_sampled is the sampler's own TF expected count
    /// (0 for a true class the sampler excludes). The same Q is reported for a true class, as TF does, and for its
    /// in-batch copy. Mask with <see cref="AccidentalHits.AllOccurrencesPredicate"/>: the list repeats classes.
    /// See docs/samplers.md.
    /// </summary>
    public sealed class MixedNegativeSampler
    {
        private readonly CandidateSampler _sampled;
        private readonly CandidateSampler _labels;

        /// <summary>Combines the in-batch negatives with <paramref name="sampled"/>.</summary>
        /// <param name="sampled">Draws the K sampled negatives (its unique / exclusion settings apply).</param>
        /// <param name="labelDistribution">Only its <see cref="CandidateSampler.Probability"/> is used, as p_label
        /// (e.g. a <see cref="FixedUnigramSampler"/> over corpus counts, or a <see cref="LearnedUnigramSampler"/>, which
        /// this sampler then updates with each batch's labels after computing the counts). May be
        /// <paramref name="sampled"/> itself.</param>
        public MixedNegativeSampler(CandidateSampler sampled, CandidateSampler labelDistribution)
        {
            ArgumentNullException.ThrowIfNull(sampled);
            ArgumentNullException.ThrowIfNull(labelDistribution);
            if (sampled.RangeMax != labelDistribution.RangeMax)
            {
                throw new ArgumentException(
                    $"The label distribution covers {labelDistribution.RangeMax} classes but the sampler covers {sampled.RangeMax}.",
                    nameof(labelDistribution));
            }

            _sampled = sampled;
            _labels = labelDistribution;
        }

        /// <summary>The sampler that draws the K sampled negatives.</summary>
        public CandidateSampler Sampled => _sampled;

        /// <summary>The distribution whose probability stands for the labels' frequency.</summary>
        public CandidateSampler LabelDistribution => _labels;

        /// <summary>
        /// One call. <paramref name="candidates"/> and <paramref name="candidateExpectedCount"/> have length
        /// <c>B·T + numSampled</c>; <paramref name="trueExpectedCount"/> has length <c>B·T</c>. Returns the sampled
        /// part's num_tries.
        /// </summary>
        public int Sample(
            long step,
            ReadOnlySpan<long> trueClasses,
            int numTrue,
            int numSampled,
            Span<long> candidates,
            Span<float> trueExpectedCount,
            Span<float> candidateExpectedCount)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(numTrue, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(numSampled, 1);
            int inBatch = trueClasses.Length;
            long total = (long)inBatch + numSampled;
            if (candidates.Length != total || candidateExpectedCount.Length != total)
            {
                throw new ArgumentException(
                    $"The mixed candidate list holds B·T + numSampled = {inBatch} + {numSampled} = {total} entries; candidates has {candidates.Length} and candidateExpectedCount {candidateExpectedCount.Length}.",
                    nameof(candidates));
            }

            // Validates everything else before anything is written; the update waits until the mixture is computed.
            int tries = _sampled.SampleCandidatesDeferred(
                step, trueClasses, numTrue, candidates.Slice(inBatch), trueExpectedCount, candidateExpectedCount.Slice(inBatch));

            int rows = inBatch / numTrue;
            double slots = (double)Math.Max(rows - 1, 0) * numTrue; // an empty batch has no in-batch negatives
            bool excluded = _sampled.ExcludeTrueClasses;
            for (int j = 0; j < inBatch; j++)
            {
                long y = trueClasses[j];
                double fromSampler = excluded ? 0.0 : trueExpectedCount[j];
                float q = (float)(fromSampler + slots * _labels.Probability(y));
                candidates[j] = y;
                trueExpectedCount[j] = q;
                candidateExpectedCount[j] = q;
            }

            for (int j = inBatch; j < candidates.Length; j++)
            {
                candidateExpectedCount[j] = (float)(candidateExpectedCount[j] + slots * _labels.Probability(candidates[j]));
            }

            _sampled.ApplyUpdate(trueClasses);
            if (!ReferenceEquals(_labels, _sampled) && _labels is LearnedUnigramSampler learned)
            {
                learned.Observe(trueClasses);
            }

            return tries;
        }
    }
}
