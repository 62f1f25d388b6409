using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// TF <c>compute_accidental_hits</c> (spec 4) and the masks built from it. A hit is a true class of row i that equals
    /// a sampled candidate; TF reports, per (i, t) in row-major order, the <b>last</b> position holding that class (an
    /// earlier copy of a duplicated candidate is not reported), and a label repeated within a row gives duplicate
    /// triples. The masks put the hits in a <c>[B, K]</c> matrix: as a predicate (apply with <see cref="ApplyMask{T}"/>,
    /// safe in half precision) or as TF's float matrix of 0 and <c>−FLT_MAX</c> (the IR op's output).
    /// Scratch is per thread and reused, so warm calls allocate nothing.
    /// </summary>
    public static class AccidentalHits
    {
        [ThreadStatic]
        private static Scratch? t_scratch;

        /// <summary>The number of triples <see cref="ComputeAccidentalHits"/> would return.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static int CountAccidentalHits(ReadOnlySpan<long> trueClasses, int numTrue, ReadOnlySpan<long> sampledCandidates)
        {
            ValidateLabels(trueClasses, numTrue);
            LongIndexMap last = BuildLastPositions(sampledCandidates);
            int count = 0;
            foreach (long label in trueClasses)
            {
                if (last.Get(label) >= 0)
                {
                    count++;
                }
            }

            return count;
        }

        /// <summary>
        /// TF's triples: for each hit, <paramref name="indices"/> gets the row (int32), <paramref name="ids"/> the
        /// position in <paramref name="sampledCandidates"/> (int64; a position, not a class id) and
        /// <paramref name="weights"/> <c>−FLT_MAX</c>. Returns the number of hits H; each output must hold at least H.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static int ComputeAccidentalHits(
            ReadOnlySpan<long> trueClasses,
            int numTrue,
            ReadOnlySpan<long> sampledCandidates,
            Span<int> indices,
            Span<long> ids,
            Span<float> weights)
        {
            ValidateLabels(trueClasses, numTrue);
            LongIndexMap last = BuildLastPositions(sampledCandidates);
            int capacity = Math.Min(indices.Length, Math.Min(ids.Length, weights.Length));
            int count = 0;
            for (int i = 0; i < trueClasses.Length; i++)
            {
                int position = last.Get(trueClasses[i]);
                if (position >= 0)
                {
                    if (count < capacity)
                    {
                        indices[count] = i / numTrue;
                        ids[count] = position;
                        weights[count] = -float.MaxValue;
                    }

                    count++;
                }
            }

            if (count > capacity)
            {
                throw new ArgumentException(
                    $"There are {count} accidental hits but the output spans hold only {capacity} (indices {indices.Length}, ids {ids.Length}, weights {weights.Length}).",
                    nameof(indices));
            }

            return count;
        }

        /// <summary>
        /// TF's hits as a predicate: <paramref name="mask"/> (<c>[B, K]</c>) is true exactly at the cells TF's
        /// <c>sparse_to_dense</c> of the triples sets, false elsewhere.
        /// </summary>
        public static void AccidentalHitPredicate(ReadOnlySpan<long> trueClasses, int numTrue, ReadOnlySpan<long> sampledCandidates, Span<bool> mask) =>
            FillLastPositionHits(trueClasses, numTrue, sampledCandidates, mask, true);

        /// <summary>
        /// The IR op <c>ComputeAccidentalHits</c>: <paramref name="mask"/> (<c>[B, K]</c>) gets <c>−FLT_MAX</c> at TF's
        /// hit cells and 0 elsewhere, the matrix TF adds to the sampled logits.
        /// </summary>
        public static void AccidentalHitMask(ReadOnlySpan<long> trueClasses, int numTrue, ReadOnlySpan<long> sampledCandidates, Span<float> mask) =>
            FillLastPositionHits(trueClasses, numTrue, sampledCandidates, mask, -float.MaxValue);

        /// <summary>
        /// Sets each finite accidental hit of <paramref name="logits"/> ([B, K] rows <paramref name="stride"/> apart) to
        /// −FLT_MAX, at the last position of the row's true class among the candidates (TF's rule), and leaves every other
        /// cell as it is: for logits below 2^103 in magnitude, adding <see cref="AccidentalHitMask"/> and subtracting a log
        /// count give the same floats, without the mask.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ApplyHits(ReadOnlySpan<long> trueClasses, int numTrue, ReadOnlySpan<long> sampledCandidates, Span<float> logits, int stride)
        {
            int k = sampledCandidates.Length;
            if (numTrue < 1 || trueClasses.Length % numTrue != 0) throw new ArgumentException("trueClasses is not a [B, numTrue] matrix.", nameof(trueClasses));
            int rows = trueClasses.Length / numTrue;
            if (rows > 0 && (long)(rows - 1) * stride + k > logits.Length) throw new ArgumentException("logits is too short for " + rows + " rows of " + k + " at stride " + stride + ".", nameof(logits));
            LongIndexMap last = BuildLastPositions(sampledCandidates);
            for (int i = 0; i < trueClasses.Length; i++)
            {
                int position = last.Get(trueClasses[i]);
                if (position < 0) continue;
                // Unfused, a NaN or infinite logit stays NaN or infinite through + (−FLT_MAX); a finite one becomes −FLT_MAX.
                ref float cell = ref logits[(i / numTrue) * stride + position];
                if (float.IsFinite(cell)) cell = -float.MaxValue;
            }
        }

        /// <summary>
        /// Beyond TF: marks <b>every</b> position whose candidate equals a true class of the row, which is what a
        /// candidate list with repeats needs (the in-batch part of <see cref="MixedNegativeSampler"/>); for duplicate-free
        /// candidates it equals <see cref="AccidentalHitPredicate"/>.
        /// </summary>
        public static void AllOccurrencesPredicate(ReadOnlySpan<long> trueClasses, int numTrue, ReadOnlySpan<long> candidates, Span<bool> mask) =>
            FillAllOccurrenceHits(trueClasses, numTrue, candidates, mask, true);

        /// <summary>As <see cref="AllOccurrencesPredicate"/>, writing 0 / <c>−FLT_MAX</c>.</summary>
        public static void AllOccurrencesMask(ReadOnlySpan<long> trueClasses, int numTrue, ReadOnlySpan<long> candidates, Span<float> mask) =>
            FillAllOccurrenceHits(trueClasses, numTrue, candidates, mask, -float.MaxValue);

        /// <summary>Clears the [B, K] mask, then writes <paramref name="hit"/> at each row's true class, at the last position
        /// that class holds among the candidates (TF's rule).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void FillLastPositionHits<T>(ReadOnlySpan<long> trueClasses, int numTrue, ReadOnlySpan<long> candidates, Span<T> mask, T hit)
        {
            int k = candidates.Length;
            ValidateMask(trueClasses, numTrue, k, mask.Length);
            LongIndexMap last = BuildLastPositions(candidates);
            mask.Clear();
            for (int i = 0; i < trueClasses.Length; i++)
            {
                int position = last.Get(trueClasses[i]);
                if (position >= 0)
                {
                    mask[(i / numTrue) * k + position] = hit;
                }
            }
        }

        /// <summary>As <see cref="FillLastPositionHits{T}"/>, at every position the class holds.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void FillAllOccurrenceHits<T>(ReadOnlySpan<long> trueClasses, int numTrue, ReadOnlySpan<long> candidates, Span<T> mask, T hit)
        {
            int k = candidates.Length;
            ValidateMask(trueClasses, numTrue, k, mask.Length);
            Scratch s = GetScratch();
            LongIndexMap first = BuildChains(s, candidates);
            mask.Clear();
            for (int i = 0; i < trueClasses.Length; i++)
            {
                int row = i / numTrue;
                for (int p = first.Get(trueClasses[i]); p >= 0; p = s.Next[p])
                {
                    mask[row * k + p] = hit;
                }
            }
        }

        /// <summary>
        /// Applies a predicate mask by selection: each masked logit becomes <c>T.MinValue</c>, the most negative finite
        /// value. For float that is exactly TF's result (<c>z + (−FLT_MAX) − log Q</c> rounds to <c>−FLT_MAX</c> for every
        /// |z|, |log Q| &lt; 2^103), so losses are identical; in half precision no infinity or NaN can appear. Apply it
        /// after subtracting log Q.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ApplyMask<T>(Span<T> logits, ReadOnlySpan<bool> mask)
            where T : IFloatingPointIeee754<T>, IMinMaxValue<T>
        {
            if (logits.Length != mask.Length)
            {
                throw new ArgumentException($"logits has {logits.Length} elements but the mask has {mask.Length}.", nameof(mask));
            }

            // Hits are rare: a vectorised scan for the next non-zero byte skips the unmasked stretches.
            ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(mask);
            int offset = 0;
            while (true)
            {
                int next = bytes.Slice(offset).IndexOfAnyExcept((byte)0);
                if (next < 0)
                {
                    return;
                }

                offset += next;
                logits[offset] = T.MinValue;
                offset++;
            }
        }

        private static void ValidateLabels(ReadOnlySpan<long> trueClasses, int numTrue)
        {
            if (numTrue < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(numTrue), numTrue, "numTrue must be at least 1.");
            }

            if (trueClasses.Length % numTrue != 0)
            {
                throw new ArgumentException(
                    $"true_candidates must be a batch_size * num_true matrix: {trueClasses.Length} elements do not make rows of {numTrue}.",
                    nameof(trueClasses));
            }
        }

        private static void ValidateMask(ReadOnlySpan<long> trueClasses, int numTrue, int k, int maskLength)
        {
            ValidateLabels(trueClasses, numTrue);
            long expected = (long)(trueClasses.Length / numTrue) * k;
            if (maskLength != expected)
            {
                throw new ArgumentException(
                    $"The mask must be [batch_size = {trueClasses.Length / numTrue}, K = {k}] = {expected} elements; got {maskLength}.",
                    "mask");
            }
        }

        private static Scratch GetScratch() => t_scratch ??= new Scratch();

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static LongIndexMap BuildLastPositions(ReadOnlySpan<long> candidates)
        {
            LongIndexMap map = GetScratch().Map;
            map.Clear(candidates.Length);
            for (int k = 0; k < candidates.Length; k++)
            {
                map.Set(candidates[k], k); // later positions overwrite earlier ones
            }

            return map;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static LongIndexMap BuildChains(Scratch s, ReadOnlySpan<long> candidates)
        {
            // map: class -> first position; Next[p]: the following position with the same class, or -1.
            LongIndexMap map = s.Map;
            map.Clear(candidates.Length);
            if (s.Next.Length < candidates.Length)
            {
                s.Next = new int[candidates.Length];
            }

            for (int p = candidates.Length - 1; p >= 0; p--)
            {
                int following = map.Get(candidates[p]);
                s.Next[p] = following;
                map.Set(candidates[p], p);
            }

            return map;
        }

        private sealed class Scratch
        {
            public readonly LongIndexMap Map = new();
            public int[] Next = [];
        }
    }
}
