using System;
using System.Runtime.CompilerServices;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// A TensorFlow candidate sampler (spec 3): draws <c>K</c> candidates from a distribution over <c>[0, RangeMax)</c>
    /// and reports TF's expected counts for them and for the true classes. The base class owns the shared parts (input
    /// validation, TF's rejection loop for <see cref="Unique"/>, the expected-count rule, the optional exclusion of true
    /// classes and per-row sampling); a concrete sampler supplies only <see cref="Probability"/> and <see cref="Draw"/>.
    /// <para>
    /// Candidates are a pure function of (<see cref="Seed"/>, step, <see cref="Stream"/>) and, for the learned unigram
    /// sampler, of its counts; see <see cref="PhiloxStream"/> for the exact key and counter. Outputs go to caller-provided
    /// spans and scratch is kept in the sampler, so a warm call allocates nothing. A sampler instance is not thread-safe.
    /// </para>
    /// </summary>
    public abstract class CandidateSampler
    {
        private readonly ClassMarks _used;
        /// <summary>The most draws the rejection loop asks <see cref="DrawMany"/> for at once.</summary>
        private protected const int DrawBlockLength = 256;

        private readonly long[] _drawBuffer = new long[DrawBlockLength];

        /// <summary>Creates a sampler over <c>[0, rangeMax)</c>.</summary>
        /// <param name="rangeMax">Number of classes (TF <c>range_max</c>), at least 1.</param>
        /// <param name="unique">TF <c>unique</c>: draw without replacement by rejecting repeats.</param>
        /// <param name="seed">Philox key (TF <c>seed</c>).</param>
        /// <param name="stream">High half of the Philox counter (TF <c>seed2</c>).</param>
        protected CandidateSampler(long rangeMax, bool unique, ulong seed, ulong stream)
        {
            if (rangeMax < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(rangeMax), rangeMax, "rangeMax must be at least 1.");
            }

            RangeMax = rangeMax;
            Unique = unique;
            Seed = seed;
            Stream = stream;
            _used = new ClassMarks(rangeMax);
        }

        /// <summary>Number of classes; candidates and true classes lie in <c>[0, RangeMax)</c>.</summary>
        public long RangeMax { get; }

        /// <summary>Whether candidates are drawn without replacement (TF's rejection loop, spec 3.2).</summary>
        public bool Unique { get; }

        /// <summary>The Philox key (TF seed).</summary>
        public ulong Seed { get; }

        /// <summary>The high 64 bits of the Philox counter (TF seed2).</summary>
        public ulong Stream { get; }

        /// <summary>
        /// Beyond TF: never draw a true class of the batch (per-row calls: of the row). Draws are then from the
        /// renormalised proposal <c>q'(v) = q(v) / (1 − q(E))</c> off the excluded set E; sampled expected counts use q'
        /// and the tries that hit no excluded class, and every true expected count is 1 (docs/samplers.md).
        /// </summary>
        public bool ExcludeTrueClasses { get; init; }

        /// <summary>
        /// Beyond TF: ragged labels. -1 in the true classes pads a row (numTrue is then a maximum): a padding label's
        /// expected count is 0, it is never excluded, and the learned unigram does not count it. Off by default, when
        /// -1 is refused as TF refuses it.
        /// </summary>
        public bool RaggedTrueClasses { get; init; }

        /// <summary>TF <c>Probability(v)</c>: the chance that one draw returns <paramref name="value"/>, as float.</summary>
        public abstract float Probability(long value);

        /// <summary>
        /// Writes <see cref="Probability"/> of each of <paramref name="values"/> to the same position of
        /// <paramref name="destination"/> (at least as long). A sampler may override it with a faster loop that gives
        /// the same floats (the expected counts of a call read all probabilities through it).
        /// </summary>
        protected virtual void Probabilities(ReadOnlySpan<long> values, Span<float> destination)
        {
            destination = destination.Slice(0, values.Length);
            for (int i = 0; i < values.Length; i++)
            {
                destination[i] = Probability(values[i]);
            }
        }

        /// <summary>TF <c>Sample()</c>: one draw from the proposal, consuming words of <paramref name="rng"/>.</summary>
        protected abstract long Draw(ref PhiloxStream rng);

        /// <summary>
        /// Fills <paramref name="destination"/> with consecutive draws, in stream order (the same values as repeated
        /// <see cref="Draw"/> calls). A sampler may override it with a faster loop.
        /// </summary>
        protected virtual void DrawMany(ref PhiloxStream rng, Span<long> destination)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = Draw(ref rng);
            }
        }

        /// <summary>Number of classes with nonzero probability (a unique call cannot return more).</summary>
        protected virtual long SupportSize => RangeMax;

        /// <summary>Whether <paramref name="value"/> (in range) can be drawn at all.</summary>
        protected virtual bool IsInSupport(long value) => true;

        // ---- The last call's outputs, kept so that a program's sampler can be inspected after a step ----------------

        private long[] _lastCandidates = Array.Empty<long>();
        private float[] _lastTrueCounts = Array.Empty<float>();
        private float[] _lastSampledCounts = Array.Empty<float>();
        private int _lastCandidateCount, _lastTrueCount;

        /// <summary>TF's <c>num_tries</c> of the last successful call: draws made, rejected repeats included (K when not
        /// unique). For a per-row call, the sum over its rows. 0 before the first call.</summary>
        public int LastNumTries { get; private set; }

        /// <summary>The step of the last successful call (-1 before the first).</summary>
        public long LastStep { get; private set; } = -1;

        /// <summary>The candidates the last successful call returned, in order.</summary>
        public ReadOnlySpan<long> LastCandidates => _lastCandidates.AsSpan(0, _lastCandidateCount);

        /// <summary>The expected counts of the last call's true classes ([B, numTrue] row-major).</summary>
        public ReadOnlySpan<float> LastTrueExpectedCounts => _lastTrueCounts.AsSpan(0, _lastTrueCount);

        /// <summary>The expected counts of the last call's candidates.</summary>
        public ReadOnlySpan<float> LastSampledExpectedCounts => _lastSampledCounts.AsSpan(0, _lastCandidateCount);

        /// <summary>Sizes the record of the last call once, so that calls up to these sizes never allocate. Generated
        /// programs call it with their numSampled and batch capacity; without it the first call (or a larger one) sizes it.</summary>
        public void ReserveLastCall(int candidates, int trueClasses)
        {
            if (candidates > _lastCandidates.Length)
            {
                _lastCandidates = new long[candidates];
                _lastSampledCounts = new float[candidates];
            }

            if (trueClasses > _lastTrueCounts.Length)
            {
                _lastTrueCounts = new float[trueClasses];
            }
        }

        private void RecordLastCall(long step, int tries, ReadOnlySpan<long> candidates, ReadOnlySpan<float> trueCounts, ReadOnlySpan<float> sampledCounts)
        {
            ReserveLastCall(candidates.Length, trueCounts.Length);
            candidates.CopyTo(_lastCandidates);
            sampledCounts.CopyTo(_lastSampledCounts);
            trueCounts.CopyTo(_lastTrueCounts);
            _lastCandidateCount = candidates.Length;
            _lastTrueCount = trueCounts.Length;
            LastNumTries = tries;
            LastStep = step;
        }

        /// <summary>Called after a successful call with all of its true classes (the learned unigram's update).</summary>
        private protected virtual void Update(ReadOnlySpan<long> trueClasses)
        {
        }

        /// <summary>Checks sampler-specific call requirements before anything is drawn.</summary>
        private protected virtual void ValidateCall(int numSampled)
        {
        }

        /// <summary>
        /// One TF sampler call with batch-shared candidates: fills <paramref name="sampledCandidates"/> (length K,
        /// K ≥ 1), the expected counts of the true classes (<c>[B, numTrue]</c> row-major, same length as
        /// <paramref name="trueClasses"/>) and of the candidates (length K), then applies any state update.
        /// </summary>
        /// <param name="step">The call index: selects the Philox block range (step · 512 · K).</param>
        /// <param name="trueClasses">int64 <c>[B, numTrue]</c>, row-major, each in <c>[0, RangeMax)</c>.</param>
        /// <param name="numTrue">Labels per row, at least 1.</param>
        /// <param name="sampledCandidates">Receives the K candidates, in order of acceptance.</param>
        /// <param name="trueExpectedCount">Receives the expected count of each true class.</param>
        /// <param name="sampledExpectedCount">Receives the expected count of each candidate.</param>
        /// <returns>TF's <c>num_tries</c>: draws made, rejected repeats included (K when not unique).</returns>
        public int SampleCandidates(
            long step,
            ReadOnlySpan<long> trueClasses,
            int numTrue,
            Span<long> sampledCandidates,
            Span<float> trueExpectedCount,
            Span<float> sampledExpectedCount)
        {
            int tries = SampleCandidatesDeferred(step, trueClasses, numTrue, sampledCandidates, trueExpectedCount, sampledExpectedCount);
            Update(trueClasses);
            RecordLastCall(step, tries, sampledCandidates, trueExpectedCount, sampledExpectedCount);
            return tries;
        }

        /// <summary>
        /// Beyond TF: independent negatives for every row. Row r draws K candidates from its own stream
        /// (<see cref="PhiloxStream.ForRow"/>), so its candidates do not depend on the batch size; exclusion, when on,
        /// removes only that row's true classes. Outputs are <c>[B, K]</c> candidates and counts and <c>[B, numTrue]</c>
        /// true counts, each row with its own num_tries. The state update (learned unigram) follows all rows.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void SampleCandidatesPerRow(
            long step,
            ReadOnlySpan<long> trueClasses,
            int numTrue,
            int numSampled,
            Span<long> sampledCandidates,
            Span<float> trueExpectedCount,
            Span<float> sampledExpectedCount)
        {
            int rows = ValidateInputs(step, trueClasses, numTrue, numSampled, trueExpectedCount.Length);
            long perRow = (long)rows * numSampled;
            if (sampledCandidates.Length != perRow || sampledExpectedCount.Length != perRow)
            {
                throw new ArgumentException(
                    $"Per-row sampling of {rows} rows × {numSampled} candidates needs sampledCandidates and sampledExpectedCount of length {perRow}; got {sampledCandidates.Length} and {sampledExpectedCount.Length}.",
                    nameof(sampledCandidates));
            }

            int tries = 0;
            for (int r = 0; r < rows; r++)
            {
                PhiloxStream rng = PhiloxStream.ForRow(Seed, Stream, step, numSampled, r);
                ReadOnlySpan<long> rowTrue = trueClasses.Slice(r * numTrue, numTrue);
                tries += SampleCore(
                    ref rng,
                    rowTrue,
                    sampledCandidates.Slice(r * numSampled, numSampled),
                    trueExpectedCount.Slice(r * numTrue, numTrue),
                    sampledExpectedCount.Slice(r * numSampled, numSampled));
            }

            Update(trueClasses);
            RecordLastCall(step, tries, sampledCandidates, trueExpectedCount, sampledExpectedCount);
        }

        /// <summary>As <see cref="SampleCandidates"/> without the state update (the mixed sampler defers it).</summary>
        internal int SampleCandidatesDeferred(
            long step,
            ReadOnlySpan<long> trueClasses,
            int numTrue,
            Span<long> sampledCandidates,
            Span<float> trueExpectedCount,
            Span<float> sampledExpectedCount)
        {
            int k = sampledCandidates.Length;
            ValidateInputs(step, trueClasses, numTrue, k, trueExpectedCount.Length);
            if (sampledExpectedCount.Length != k)
            {
                throw new ArgumentException(
                    $"sampledExpectedCount has length {sampledExpectedCount.Length}; it must equal the number of sampled candidates, {k}.",
                    nameof(sampledExpectedCount));
            }

            PhiloxStream rng = PhiloxStream.ForCall(Seed, Stream, step, k);
            return SampleCore(ref rng, trueClasses, sampledCandidates, trueExpectedCount, sampledExpectedCount);
        }

        /// <summary>Applies the deferred state update of <see cref="SampleCandidatesDeferred"/>.</summary>
        internal void ApplyUpdate(ReadOnlySpan<long> trueClasses) => Update(trueClasses);

        /// <summary>
        /// Draws K = <paramref name="sampled"/>.Length candidates from <paramref name="rng"/> and writes the expected
        /// counts; <paramref name="trueClasses"/> are the classes to report (and, with exclusion, to avoid).
        /// Everything that can fail is checked before the first output is written.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected virtual int SampleCore(
            ref PhiloxStream rng,
            ReadOnlySpan<long> trueClasses,
            Span<long> sampled,
            Span<float> trueExpectedCount,
            Span<float> sampledExpectedCount)
        {
            int k = sampled.Length;
            bool exclude = ExcludeTrueClasses;
            double invMass = 1.0;

            if (exclude)
            {
                // The excluded set E (deduplicated) goes into the same map as the picks, tagged, so one probe per draw
                // tells "excluded", "repeat" and "new" apart.
                _used.Clear(k + trueClasses.Length);
                double excludedMass = 0.0;
                long excludedInSupport = 0;
                foreach (long c in trueClasses)
                {
                    if (c == -1) continue; // padding (RaggedTrueClasses): nothing to exclude
                    if (_used.GetOrAdd(c, ClassMarks.Excluded) < 0)
                    {
                        excludedMass += Probability(c);
                        if (IsInSupport(c))
                        {
                            excludedInSupport++;
                        }
                    }
                }

                long available = SupportSize - excludedInSupport;
                if (Unique ? k > available : available < 1)
                {
                    throw new ArgumentException(
                        $"Cannot draw {k} {(Unique ? "unique " : "")}candidates with the true classes excluded: only {available} classes of nonzero probability remain.",
                        nameof(trueClasses));
                }

                // Float probabilities may sum to 1 or more over E even when mass remains; cap q' at 1 then.
                double mass = 1.0 - excludedMass;
                invMass = mass > 0.0 ? 1.0 / mass : double.PositiveInfinity;
            }
            else if (Unique)
            {
                _used.Clear(k);
            }

            int tries = 0;
            if (Unique)
            {
                // TF's rejection loop: a draw of a class already picked is a rejected try, a new class is appended,
                // and (beyond TF) a draw of an excluded class is skipped without counting as a try. The marks do
                // test and append without a branch per draw. Draws come in blocks; the stream is local to the call,
                // so values drawn past the last pick are never looked at and change nothing.
                Span<long> block = _drawBuffer;
                int picked = 0;
                long rawDraws = 0;
                while (picked < k)
                {
                    Span<long> draws = block.Slice(0, Math.Clamp(k - picked, 8, block.Length));
                    DrawMany(ref rng, draws);
                    int consumed = _used.PickNew(draws, sampled, ref picked, out int skipped);
                    rawDraws += consumed;
                    if (rawDraws >= int.MaxValue)
                    {
                        ThrowTooManyTries(k);
                    }

                    tries += consumed - skipped;
                }
            }
            else if (exclude)
            {
                // With replacement, off the excluded set: every draw of a non-excluded class is a try and a candidate.
                Span<long> block = _drawBuffer;
                int picked = 0;
                long rawDraws = 0;
                while (picked < k)
                {
                    Span<long> draws = block.Slice(0, Math.Clamp(k - picked, 8, block.Length));
                    DrawMany(ref rng, draws);
                    for (int i = 0; i < draws.Length && picked < k; i++)
                    {
                        if (++rawDraws >= int.MaxValue)
                        {
                            ThrowTooManyTries(k);
                        }

                        if (_used.Get(draws[i]) != ClassMarks.Excluded)
                        {
                            sampled[picked++] = draws[i];
                        }
                    }
                }

                tries = k;
            }
            else
            {
                DrawMany(ref rng, sampled);
                tries = k;
            }

            // The probabilities go into the count outputs, which the batch rule then overwrites in place: q' = min(1,
            // p / (1 − q(E))) with exclusion, q = p without (the same values as the scalar rule, spec 3.3).
            Probabilities(sampled, sampledExpectedCount);
            ExpectedCounts.Compute(sampledExpectedCount, invMass, k, tries, sampledExpectedCount);
            bool padded = RaggedTrueClasses && trueClasses.Contains(-1L);
            if (exclude)
            {
                // A true class is in the candidate set exactly once, as the positive: log Q = 0 for it.
                trueExpectedCount.Fill(1.0f);
            }
            else
            {
                if (!padded)
                {
                    Probabilities(trueClasses, trueExpectedCount);
                }
                else
                {
                    // Probability(-1) is not defined for every sampler: padding's probability is 0.
                    for (int i = 0; i < trueClasses.Length; i++) trueExpectedCount[i] = trueClasses[i] == -1 ? 0f : Probability(trueClasses[i]);
                }

                ExpectedCounts.Compute(trueExpectedCount, 1.0, k, tries, trueExpectedCount);
            }

            if (padded)
            {
                // Padding's expected count is 0 whichever branch ran (the count rule already gives 0 for probability 0).
                for (int i = 0; i < trueClasses.Length; i++)
                {
                    if (trueClasses[i] == -1) trueExpectedCount[i] = 0f;
                }
            }

            return tries;
        }

        /// <summary>Checks everything about a call that does not depend on the draws; returns the batch size B.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int ValidateInputs(long step, ReadOnlySpan<long> trueClasses, int numTrue, int numSampled, int trueExpectedLength)
        {
            if (numTrue < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(numTrue), numTrue, "numTrue must be at least 1.");
            }

            if (trueClasses.Length % numTrue != 0)
            {
                throw new ArgumentException(
                    $"trueClasses has {trueClasses.Length} elements, which is not a [batch_size, numTrue = {numTrue}] matrix.",
                    nameof(trueClasses));
            }

            if (numSampled < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(numSampled), numSampled, "The number of sampled candidates must be at least 1.");
            }

            if (step < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(step), step, "step must be non-negative.");
            }

            if (trueExpectedLength != trueClasses.Length)
            {
                throw new ArgumentException(
                    $"trueExpectedCount has length {trueExpectedLength}; it must equal the length of trueClasses, {trueClasses.Length}.",
                    "trueExpectedCount");
            }

            for (int i = 0; i < trueClasses.Length; i++)
            {
                long c = trueClasses[i];
                if ((ulong)c >= (ulong)RangeMax && !(c == -1 && RaggedTrueClasses))
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(trueClasses),
                        c,
                        $"true class at row {i / numTrue}, column {i % numTrue} is {c}; it must lie in [0, {RangeMax}) (rangeMax = {RangeMax}).");
                }
            }

            if (Unique && numSampled > RangeMax)
            {
                throw new ArgumentException(
                    $"Sampler's range is too small: {numSampled} unique candidates were requested from rangeMax = {RangeMax} classes.",
                    nameof(numSampled));
            }

            if (Unique && numSampled > SupportSize)
            {
                throw new ArgumentException(
                    $"Sampler's support is too small: {numSampled} unique candidates were requested but only {SupportSize} of the {RangeMax} classes have nonzero probability.",
                    nameof(numSampled));
            }

            ValidateCall(numSampled);
            return trueClasses.Length / numTrue;
        }

        private static void ThrowTooManyTries(int k) =>
            throw new InvalidOperationException($"The rejection loop reached 2^31 - 1 draws before finding {k} candidates (TF aborts here too).");
    }
}
