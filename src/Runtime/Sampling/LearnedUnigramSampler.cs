using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.CompilerServices;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// TF <c>learned_unigram_candidate_sampler</c> (spec 3.6): a count per class, all starting at 1, with
    /// <c>P(v) = float(count[v]) / float(total)</c>. After each call's expected counts are computed, the first
    /// <c>min(B·T, 2^31 − 1 − total)</c> true classes (row-major) each add 1 to their count, so a batch's labels affect
    /// later calls only. Draws and updates are O(log rangeMax) through a Fenwick tree. Unlike TF's kernel state, the
    /// counts can be saved and restored (<see cref="SaveState"/>, <see cref="LoadState"/>).
    /// </summary>
    public sealed class LearnedUnigramSampler : CandidateSampler
    {
        private const uint Magic = 0x554C5347;  // "GSLU" as little-endian bytes
        private const int Version = 1;
        private const int HeaderBytes = 24;     // magic, version, rangeMax (int64), total (int64)

        private readonly int[] _counts;
        private readonly FenwickTree _tree;
        private readonly int[] _targets = new int[DrawBlockLength];
        private int _total;

        /// <summary>Creates a learned unigram sampler over <c>[0, rangeMax)</c>, rangeMax &lt; 2^31 − 1.</summary>
        public LearnedUnigramSampler(long rangeMax, bool unique, ulong seed, ulong stream)
            : base(rangeMax, unique, seed, stream)
        {
            if (rangeMax >= int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(rangeMax), rangeMax, $"The learned unigram sampler needs rangeMax < 2^31 - 1 = {int.MaxValue} (its counts total in int32).");
            }

            if (rangeMax + 1 > Array.MaxLength)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(rangeMax), rangeMax, $"rangeMax is larger than the largest array this runtime can hold ({Array.MaxLength - 1}).");
            }

            int n = (int)rangeMax;
            _counts = new int[n];
            _counts.AsSpan().Fill(1);
            _tree = new FenwickTree(n);
            _tree.Build(_counts);
            _total = n;
        }

        /// <summary>Sum of all counts (TF's total weight).</summary>
        public int TotalCount => _total;

        /// <summary>The current count of <paramref name="classId"/>.</summary>
        public int GetCount(long classId)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(classId);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classId, RangeMax);
            return _counts[classId];
        }

        /// <inheritdoc/>
        /// <remarks>0 outside <c>[0, RangeMax)</c>.</remarks>
        public override float Probability(long value)
            => (ulong)value < (ulong)_counts.Length ? (float)_counts[value] / (float)_total : 0.0f;

        /// <inheritdoc/>
        protected override long Draw(ref PhiloxStream rng)
            => _tree.FindFirstPrefixAbove((int)rng.Uniform((uint)_total));

        /// <inheritdoc/>
        protected override void DrawMany(ref PhiloxStream rng, Span<long> destination)
        {
            // The same draws as Draw: the uniforms in stream order first, then the tree descents together.
            for (int start = 0; start < destination.Length; start += _targets.Length)
            {
                Span<long> chunk = destination.Slice(start, Math.Min(_targets.Length, destination.Length - start));
                Span<int> targets = _targets.AsSpan(0, chunk.Length);
                for (int i = 0; i < targets.Length; i++)
                {
                    targets[i] = (int)rng.Uniform((uint)_total);
                }

                _tree.FindManyFirstPrefixAbove(targets, chunk);
            }
        }

        /// <summary>
        /// TF's update: adds 1 to the count of each of the first <c>min(n, 2^31 − 1 − total)</c> classes (padding, -1 with
        /// <see cref="CandidateSampler.RaggedTrueClasses"/>, is skipped and not counted). Called by
        /// every sampling call after its expected counts; public for feeding labels without sampling.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Observe(ReadOnlySpan<long> trueClasses)
        {
            foreach (long c in trueClasses)
            {
                if ((ulong)c >= (ulong)RangeMax && !(c == -1 && RaggedTrueClasses))
                {
                    throw new ArgumentOutOfRangeException(nameof(trueClasses), c, $"class {c} must lie in [0, {RangeMax}).");
                }
            }

            Update(trueClasses);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected override void Update(ReadOnlySpan<long> trueClasses)
        {
            // The cap keeps the total within int32, as in TF; it is fixed before the loop from the current total.
            int updates = (int)Math.Min(trueClasses.Length, (long)int.MaxValue - _total);
            int counted = 0;
            for (int i = 0; i < trueClasses.Length && counted < updates; i++)
            {
                int c = (int)trueClasses[i];
                if (c == -1) continue; // padding (RaggedTrueClasses; validated before): not a class seen
                _counts[c]++;
                _tree.Add(c, 1);
                counted++;
            }

            _total += counted;
        }

        /// <summary>Bytes written by <see cref="WriteState"/> and <see cref="SaveState"/>.</summary>
        public long StateSizeInBytes => HeaderBytes + 4L * _counts.Length;

        /// <summary>
        /// Writes the counts: "GSLU", version 1 (int32), rangeMax (int64), total (int64), then one int32 count per class,
        /// all little-endian. Returns the number of bytes written.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int WriteState(Span<byte> destination)
        {
            long size = StateSizeInBytes;
            if (destination.Length < size)
            {
                throw new ArgumentException($"The state needs {size} bytes; the destination has {destination.Length}.", nameof(destination));
            }

            WriteHeader(destination);
            Span<byte> body = destination.Slice(HeaderBytes);
            for (int i = 0; i < _counts.Length; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(body.Slice(4 * i), _counts[i]);
            }

            return (int)size;
        }

        /// <summary>Restores counts written by <see cref="WriteState"/>; on any error the state is left unchanged.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ReadState(ReadOnlySpan<byte> source)
        {
            if (source.Length < HeaderBytes)
            {
                throw new InvalidDataException($"Learned-unigram state is {source.Length} bytes, shorter than its {HeaderBytes}-byte header.");
            }

            long total = ReadHeader(source);
            long expected = StateSizeInBytes;
            if (source.Length != expected)
            {
                throw new InvalidDataException($"Learned-unigram state is {source.Length} bytes; rangeMax {RangeMax} needs exactly {expected}.");
            }

            int[] counts = new int[_counts.Length];
            ReadOnlySpan<byte> body = source.Slice(HeaderBytes);
            for (int i = 0; i < counts.Length; i++)
            {
                counts[i] = BinaryPrimitives.ReadInt32LittleEndian(body.Slice(4 * i));
            }

            Commit(counts, total);
        }

        /// <summary>Writes the state (format of <see cref="WriteState"/>) to <paramref name="destination"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void SaveState(Stream destination)
        {
            ArgumentNullException.ThrowIfNull(destination);
            Span<byte> header = stackalloc byte[HeaderBytes];
            WriteHeader(header);
            destination.Write(header);
            byte[] chunk = new byte[4 * 4096];
            for (int start = 0; start < _counts.Length; start += 4096)
            {
                int n = Math.Min(4096, _counts.Length - start);
                for (int i = 0; i < n; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(4 * i), _counts[start + i]);
                }

                destination.Write(chunk, 0, 4 * n);
            }
        }

        /// <summary>Restores the state from <paramref name="source"/>; on any error the state is left unchanged.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void LoadState(Stream source)
        {
            ArgumentNullException.ThrowIfNull(source);
            Span<byte> header = stackalloc byte[HeaderBytes];
            ReadExactly(source, header);
            long total = ReadHeader(header);
            int[] counts = new int[_counts.Length];
            byte[] chunk = new byte[4 * 4096];
            for (int start = 0; start < counts.Length; start += 4096)
            {
                int n = Math.Min(4096, counts.Length - start);
                ReadExactly(source, chunk.AsSpan(0, 4 * n));
                for (int i = 0; i < n; i++)
                {
                    counts[start + i] = BinaryPrimitives.ReadInt32LittleEndian(chunk.AsSpan(4 * i));
                }
            }

            Commit(counts, total);
        }

        private void WriteHeader(Span<byte> destination)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
            BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(4), Version);
            BinaryPrimitives.WriteInt64LittleEndian(destination.Slice(8), RangeMax);
            BinaryPrimitives.WriteInt64LittleEndian(destination.Slice(16), _total);
        }

        private long ReadHeader(ReadOnlySpan<byte> source)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic)
            {
                throw new InvalidDataException("Not a learned-unigram state: the magic bytes \"GSLU\" are missing.");
            }

            int version = BinaryPrimitives.ReadInt32LittleEndian(source.Slice(4));
            if (version != Version)
            {
                throw new InvalidDataException($"Learned-unigram state version {version} is not supported (expected {Version}).");
            }

            long range = BinaryPrimitives.ReadInt64LittleEndian(source.Slice(8));
            if (range != RangeMax)
            {
                throw new InvalidDataException($"Learned-unigram state is for rangeMax {range}; this sampler has rangeMax {RangeMax}.");
            }

            return BinaryPrimitives.ReadInt64LittleEndian(source.Slice(16));
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Commit(int[] counts, long total)
        {
            long sum = 0;
            for (int i = 0; i < counts.Length; i++)
            {
                if (counts[i] < 1)
                {
                    throw new InvalidDataException($"Learned-unigram state has count {counts[i]} for class {i}; counts start at 1 and only grow.");
                }

                sum += counts[i];
            }

            if (sum != total || total > int.MaxValue)
            {
                throw new InvalidDataException($"Learned-unigram state is inconsistent: its counts sum to {sum}, its header says {total} (at most {int.MaxValue}).");
            }

            counts.CopyTo(_counts, 0);
            _tree.Build(_counts);
            _total = (int)total;
        }

        private static void ReadExactly(Stream source, Span<byte> buffer)
        {
            try
            {
                source.ReadExactly(buffer);
            }
            catch (EndOfStreamException e)
            {
                throw new InvalidDataException("Learned-unigram state ends early.", e);
            }
        }
    }
}
