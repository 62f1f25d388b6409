using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// TF <c>fixed_unigram_candidate_sampler</c> (spec 3.7): fixed weights from a vocabulary file (last CSV field of each
    /// line) or a list, raised to <c>distortion</c>, with reserved ids of weight 0 and TF's sharding, in which candidates
    /// and probabilities use this shard's local indices. Draws use Walker's alias method, O(1) each.
    /// </summary>
    public sealed class FixedUnigramSampler : CandidateSampler
    {
        private readonly float[] _weights;
        private readonly float _total;
        private readonly long _support;
        private readonly AliasTable _alias;
        private readonly float[] _uniforms = new float[DrawBlockLength];
        private readonly int[] _columns = new int[DrawBlockLength];

        /// <summary>Builds the weights once, as TF's kernel constructor does.</summary>
        /// <param name="rangeMax">Must equal the number of weights this shard ends up with.</param>
        /// <param name="unique">TF <c>unique</c>.</param>
        /// <param name="seed">Philox key (TF seed).</param>
        /// <param name="stream">Philox counter high half (TF seed2).</param>
        /// <param name="vocabFile">Path of a text file whose lines end in a count (",": last field); or null/empty.</param>
        /// <param name="unigrams">The counts, when no file is given. Exactly one of the two must be non-empty.</param>
        /// <param name="distortion">Each count c becomes <c>c^distortion</c> (float pow); 0 gives all ones.</param>
        /// <param name="numReservedIds">Leading ids of weight 0 (e.g. padding), counted per shard as TF does.</param>
        /// <param name="numShards">Number of shards the class ids are spread over (id mod numShards).</param>
        /// <param name="shard">This shard, in <c>[0, numShards)</c>.</param>
        public FixedUnigramSampler(
            long rangeMax,
            bool unique,
            ulong seed,
            ulong stream,
            string? vocabFile = null,
            ReadOnlySpan<float> unigrams = default,
            float distortion = 1.0f,
            int numReservedIds = 0,
            int numShards = 1,
            int shard = 0)
            : base(rangeMax, unique, seed, stream)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(numReservedIds);
            ArgumentOutOfRangeException.ThrowIfLessThan(numShards, 1);
            if (shard < 0 || shard >= numShards)
            {
                throw new ArgumentOutOfRangeException(nameof(shard), shard, $"shard must lie in [0, numShards = {numShards}).");
            }

            bool hasFile = !string.IsNullOrEmpty(vocabFile);
            bool hasList = !unigrams.IsEmpty;
            if (hasFile == hasList)
            {
                throw new ArgumentException(
                    hasFile ? "Must only provide one of vocabFile and unigrams." : "Must provide either vocabFile or unigrams.",
                    nameof(vocabFile));
            }

            var weights = new List<float>();

            // Reserved ids owned by this shard get weight 0, not distorted.
            for (int id = 0; id < numReservedIds; id++)
            {
                if (id % numShards == shard)
                {
                    weights.Add(0.0f);
                }
            }

            // TF quirk: the id counter continues from this shard's reserved count, not from numReservedIds.
            long counter = weights.Count;
            float total = 0.0f;
            string? firstLine = null;   // for the message when every weight read from a file is 0
            if (hasFile)
            {
                string text;
                try
                {
                    text = File.ReadAllText(vocabFile!);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
                {
                    throw new IOException($"FixedUnigramSampler cannot read the vocabulary file '{vocabFile}': {e.Message}", e);
                }

                int lineNumber = 0;
                ReadOnlySpan<char> rest = text;
                while (!rest.IsEmpty)
                {
                    int end = rest.IndexOf('\n');
                    ReadOnlySpan<char> line = end < 0 ? rest : rest.Slice(0, end);
                    rest = end < 0 ? ReadOnlySpan<char>.Empty : rest.Slice(end + 1);
                    if (line.EndsWith('\r'))
                    {
                        line = line.Slice(0, line.Length - 1);
                    }

                    lineNumber++;
                    if (counter % numShards == shard)
                    {
                        ReadOnlySpan<char> field = line.Slice(line.LastIndexOf(',') + 1);
                        if (!float.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float count))
                        {
                            throw new FormatException(
                                $"Wrong vocabulary format at line {lineNumber} of '{vocabFile}': the last comma-separated field \"{field.ToString()}\" is not a number.");
                        }

                        AddWeight(weights, count, distortion, ref total, $"line {lineNumber} of '{vocabFile}'", nameof(vocabFile));
                        if (firstLine == null)
                        {
                            firstLine = $"line {lineNumber} (\"{line.ToString()}\") reads as the count {count.ToString(CultureInfo.InvariantCulture)}";
                        }
                    }

                    counter++;
                }
            }
            else
            {
                for (int i = 0; i < unigrams.Length; i++)
                {
                    if (counter % numShards == shard)
                    {
                        AddWeight(weights, unigrams[i], distortion, ref total, $"unigrams[{i}]", nameof(unigrams));
                    }

                    counter++;
                }
            }

            if (rangeMax != weights.Count)
            {
                throw new ArgumentException(
                    $"range is {rangeMax} must be equal to weights size {weights.Count} (the weights of shard {shard} of {numShards}, {numReservedIds} reserved ids included).",
                    nameof(rangeMax));
            }

            _weights = weights.ToArray();
            _total = total;
            long support = 0;
            foreach (float w in _weights)
            {
                if (w > 0.0f)
                {
                    support++;
                }
            }

            if (support == 0)
            {
                throw hasFile
                    ? new ArgumentException(
                        $"Every weight of shard {shard} read from '{vocabFile}' is 0, so there is nothing to sample: the count is the last comma-separated field of each line, and {firstLine ?? "no line belongs to this shard"} (a count written with a thousands separator, such as 'a,1,000', reads as its last group).",
                        nameof(vocabFile))
                    : new ArgumentException($"Every weight of shard {shard} is 0 ({unigrams.Length} unigrams given): there is nothing to sample.", nameof(unigrams));
            }

            if (!float.IsFinite(total))
            {
                throw new ArgumentException(
                    $"The weights of shard {shard} sum to more than a float can hold ({float.MaxValue.ToString("R", CultureInfo.InvariantCulture)}); TF normalises by this float32 sum, so every probability would be NaN. Scale the counts down.",
                    hasFile ? nameof(vocabFile) : nameof(unigrams));
            }

            _support = support;
            _alias = new AliasTable(_weights);
        }

        /// <summary>The weight of each local id after distortion (reserved ids 0).</summary>
        public ReadOnlySpan<float> Weights => _weights;

        /// <summary>The float32 running total of the weights (TF's normaliser).</summary>
        public float TotalWeight => _total;

        /// <inheritdoc/>
        /// <remarks>0 outside <c>[0, RangeMax)</c>; a reserved id has probability 0 and expected count 0.</remarks>
        public override float Probability(long value)
            => (ulong)value < (ulong)_weights.Length ? _weights[value] / _total : 0.0f;

        /// <inheritdoc/>
        protected override long Draw(ref PhiloxStream rng) => _alias.Sample(ref rng);

        /// <inheritdoc/>
        protected override void DrawMany(ref PhiloxStream rng, Span<long> destination)
        {
            for (int start = 0; start < destination.Length; start += _columns.Length)
            {
                int length = Math.Min(_columns.Length, destination.Length - start);
                _alias.SampleMany(ref rng, destination.Slice(start, length), _uniforms.AsSpan(0, length), _columns.AsSpan(0, length));
            }
        }

        /// <inheritdoc/>
        protected override long SupportSize => _support;

        /// <inheritdoc/>
        protected override bool IsInSupport(long value) => _weights[value] > 0.0f;

        private static void AddWeight(List<float> weights, float count, float distortion, ref float total, string where, string paramName)
        {
            if (!float.IsFinite(count) || count < 0.0f)
            {
                throw new ArgumentException($"FixedUnigramSampler: the count at {where} is {count}; counts must be finite and non-negative.", paramName);
            }

            float w = MathF.Pow(count, distortion);
            if (!float.IsFinite(w))
            {
                throw new ArgumentException($"FixedUnigramSampler: the count {count} at {where} raised to the distortion {distortion} does not fit in a float.", paramName);
            }

            weights.Add(w);
            total += w;
        }
    }
}
