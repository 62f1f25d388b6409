using System;
using System.Runtime.CompilerServices;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// The per-call set of classes a sampler has picked or excluded, each with a tag (0 or 1). For ranges up to
    /// <see cref="DenseLimit"/> classes it is two bits per class (800,000 classes fit in 200 KB, so the probes of a call
    /// stay in the core's L2 cache); larger ranges use the hash map. The dense form remembers the words it set and
    /// zeroes only those at the next <see cref="Clear"/>, so a call costs in proportion to its marks, not the range.
    /// </summary>
    internal sealed class ClassMarks
    {
        /// <summary>The tag of a class excluded from the draws (a true class, when the sampler excludes them).</summary>
        public const int Excluded = 0;

        /// <summary>The tag of a class already picked in this call.</summary>
        public const int Picked = 1;

        /// <summary>Ranges up to this many classes use the two-bit table (1 MB at the limit).</summary>
        public const long DenseLimit = 1 << 22;

        private readonly ulong[]? _fields;   // 32 classes per word; field = 0 (unmarked) or tag + 1
        private readonly LongIndexMap? _map;
        private int[] _dirtyWords = new int[64];
        private int _dirtyCount;

        public ClassMarks(long range)
        {
            if (range <= DenseLimit)
            {
                _fields = new ulong[(range + 31) >> 5];
            }
            else
            {
                _map = new LongIndexMap();
            }
        }

        /// <summary>Forgets every mark; <paramref name="capacity"/> is how many marks the call may make.</summary>
        public void Clear(int capacity)
        {
            if (_map != null)
            {
                _map.Clear(capacity);
                return;
            }

            ulong[] fields = _fields!;
            for (int i = 0; i < _dirtyCount; i++)
            {
                fields[_dirtyWords[i]] = 0;
            }

            _dirtyCount = 0;
            if (_dirtyWords.Length < capacity)
            {
                // Grows once to the largest call; a warm sampler allocates nothing here.
                _dirtyWords = new int[capacity];
            }
        }

        /// <summary>The tag of <paramref name="value"/> when already marked; otherwise marks it with <paramref name="tag"/>
        /// (0 or 1) and returns -1. At most the <see cref="Clear"/> capacity of values may be marked per call.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int GetOrAdd(long value, int tag)
        {
            if (_map != null)
            {
                return _map.GetOrAdd(value, tag);
            }

            int wordIndex = (int)(value >> 5);
            int shift = (int)(value & 31) << 1;
            ref ulong word = ref _fields![wordIndex];
            int field = (int)(word >> shift) & 3;
            if (field != 0)
            {
                return field - 1;
            }

            word |= (ulong)(tag + 1) << shift;
            _dirtyWords[_dirtyCount++] = wordIndex;
            return -1;
        }

        /// <summary>
        /// The rejection loop of a unique call over one block of draws, in order: a class marked
        /// <see cref="Excluded"/> is skipped, a class marked <see cref="Picked"/> is a rejected try, and an unmarked
        /// class is marked <see cref="Picked"/> and appended to <paramref name="picked"/> at <paramref name="pickedCount"/>. Stops when
        /// <paramref name="picked"/> is full or the draws run out. Returns how many draws were looked at;
        /// <paramref name="skipped"/> receives how many of them were excluded (the rest are TF's tries).
        /// </summary>
        public int PickNew(ReadOnlySpan<long> draws, Span<long> picked, ref int pickedCount, out int skipped)
        {
            int i = 0;
            int count = pickedCount;
            int excluded = 0;
            if (_map != null)
            {
                for (; i < draws.Length && count < picked.Length; i++)
                {
                    int tag = _map.GetOrAdd(draws[i], Picked);
                    if (tag < 0)
                    {
                        picked[count++] = draws[i];
                    }
                    else if (tag == Excluded)
                    {
                        excluded++;
                    }
                }
            }
            else
            {
                // Branch-free body: the value is always stored at the next slot and the slot taken only when new, so
                // the outcome of a probe (half the draws of a Zipfian proposal repeat a class) is data, not an
                // unpredictable branch. Marks made never exceed the Clear capacity, so the dirty list has room.
                ulong[] fields = _fields!;
                int[] dirty = _dirtyWords;
                int dirtyCount = _dirtyCount;
                for (; i < draws.Length && count < picked.Length; i++)
                {
                    long v = draws[i];
                    int wordIndex = (int)(v >> 5);
                    int shift = (int)(v & 31) << 1;
                    ref ulong word = ref fields[wordIndex];
                    int field = (int)(word >> shift) & 3;
                    int isNew = field == 0 ? 1 : 0;
                    excluded += field == Excluded + 1 ? 1 : 0;
                    word |= (ulong)(isNew * (Picked + 1)) << shift;
                    dirty[dirtyCount] = wordIndex;
                    dirtyCount += isNew;
                    picked[count] = v;
                    count += isNew;
                }

                _dirtyCount = dirtyCount;
            }

            pickedCount = count;
            skipped = excluded;
            return i;
        }

        /// <summary>The tag of <paramref name="value"/>, or -1 when it is not marked.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Get(long value)
        {
            if (_map != null)
            {
                return _map.Get(value);
            }

            return ((int)(_fields![value >> 5] >> ((int)(value & 31) << 1)) & 3) - 1;
        }
    }
}
