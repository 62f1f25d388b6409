using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// A reusable open-addressing map from int64 keys to int values (linear probing, Fibonacci hashing). A slot is live
    /// only when its stamp equals the current generation, so <see cref="Clear"/> is O(1) and a warm map never
    /// allocates; it is sized for at most half occupancy. Key, value and stamp share one 16-byte slot, so a probe
    /// touches one cache line. Not thread-safe: one per sampler.
    /// </summary>
    internal sealed class LongIndexMap
    {
        private Slot[] _slots = [];
        private uint _generation;
        private int _shift = 63;
        private int _mask;
        private int _count;
        private int _limit;

        /// <summary>Number of keys present.</summary>
        public int Count => _count;

        /// <summary>Empties the map and makes room for <paramref name="capacity"/> keys without growing.</summary>
        public void Clear(int capacity)
        {
            if (capacity > _limit)
            {
                // Power of two at least 2·capacity (min 16): load factor stays at or below 1/2.
                int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity * 2));
                _slots = new Slot[size];
                _generation = 0;
                _mask = size - 1;
                _shift = 64 - BitOperations.Log2((uint)size);
                _limit = size / 2;
            }

            _generation++;
            if (_generation == 0)
            {
                // Wrapped after 2^32 clears: stale stamps could match again, so wipe them once.
                Array.Clear(_slots);
                _generation = 1;
            }

            _count = 0;
        }

        /// <summary>
        /// Adds <paramref name="key"/> with <paramref name="value"/> and returns -1, or returns the value already
        /// stored for it (which is left unchanged). Values should be non-negative.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int GetOrAdd(long key, int value)
        {
            Slot[] slots = _slots;
            uint generation = _generation;
            int slot = Home(key);
            while (true)
            {
                ref Slot s = ref slots[slot];
                if (s.Stamp != generation)
                {
                    if (_count == _limit)
                    {
                        ThrowFull();
                    }

                    s.Stamp = generation;
                    s.Key = key;
                    s.Value = value;
                    _count++;
                    return -1;
                }

                if (s.Key == key)
                {
                    return s.Value;
                }

                slot = (slot + 1) & _mask;
            }
        }

        /// <summary>Stores <paramref name="value"/> for <paramref name="key"/>, overwriting any previous value.</summary>
        public void Set(long key, int value)
        {
            int previous = GetOrAdd(key, value);
            if (previous >= 0 && previous != value)
            {
                Find(key).Value = value;
            }
        }

        /// <summary>The value stored for <paramref name="key"/>, or -1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Get(long key)
        {
            if (_limit == 0)
            {
                return -1;
            }

            Slot[] slots = _slots;
            int slot = Home(key);
            while (slots[slot].Stamp == _generation)
            {
                if (slots[slot].Key == key)
                {
                    return slots[slot].Value;
                }

                slot = (slot + 1) & _mask;
            }

            return -1;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private ref Slot Find(long key)
        {
            int slot = Home(key);
            while (_slots[slot].Key != key)
            {
                slot = (slot + 1) & _mask;
            }

            return ref _slots[slot];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Home(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> _shift);

        private static void ThrowFull() => throw new InvalidOperationException("LongIndexMap holds more keys than it was cleared for.");

        private struct Slot
        {
            public long Key;
            public int Value;
            public uint Stamp;
        }
    }
}
