using System;
using System.Runtime.CompilerServices;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// The per-call set of classes a sampler has picked or excluded, each with a small tag. For ranges up to
    /// <see cref="DenseLimit"/> classes it is one stamp per class (a probe is one load); larger ranges use the hash map.
    /// A new call only bumps the generation, so nothing is cleared per call in either form.
    /// </summary>
    internal sealed class ClassMarks
    {
        /// <summary>Ranges up to this many classes use 4 bytes per class.</summary>
        public const long DenseLimit = 1 << 22;

        private readonly int[]? _stamps;   // generation * 2 + tag for marked classes (tags are 0 or 1)
        private readonly LongIndexMap? _map;
        private int _generation;

        public ClassMarks(long range)
        {
            if (range <= DenseLimit) _stamps = new int[range];
            else _map = new LongIndexMap();
        }

        /// <summary>Forgets every mark; <paramref name="capacity"/> is how many marks the call may make.</summary>
        public void Clear(int capacity)
        {
            if (_map != null)
            {
                _map.Clear(capacity);
                return;
            }
            if (++_generation >= int.MaxValue / 2)
            {
                // Stamps from 2^30 calls ago could match again: wipe them once.
                Array.Clear(_stamps!);
                _generation = 1;
            }
        }

        /// <summary>The tag of <paramref name="value"/> when already marked; otherwise marks it with <paramref name="tag"/>
        /// (0 or 1) and returns -1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int GetOrAdd(long value, int tag)
        {
            if (_map != null) return _map.GetOrAdd(value, tag);
            ref int stamp = ref _stamps![value];
            int marked = stamp - _generation * 2;
            if ((uint)marked <= 1u) return marked;
            stamp = _generation * 2 + tag;
            return -1;
        }

        /// <summary>The tag of <paramref name="value"/>, or -1 when it is not marked.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Get(long value)
        {
            if (_map != null) return _map.Get(value);
            int marked = _stamps![value] - _generation * 2;
            return (uint)marked <= 1u ? marked : -1;
        }
    }
}
