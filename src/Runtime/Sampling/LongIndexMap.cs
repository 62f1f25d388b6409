using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// A reusable open-addressing map from non-negative int64 keys to int values (linear probing, Fibonacci hashing).
    /// Slots are live only when their stamp equals the current generation, so <see cref="Clear"/> is O(1) and a warm
    /// map never allocates; it is sized for at most half occupancy. Not thread-safe: one per sampler.
    /// </summary>
    internal sealed class LongIndexMap
    {
        private long[] _keys = [];
        private int[] _values = [];
        private uint[] _stamps = [];
        private uint _generation;
        private int _shift = 64;
        private int _mask = -1;
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
                _keys = new long[size];
                _values = new int[size];
                _stamps = new uint[size];
                _generation = 0;
                _mask = size - 1;
                _shift = 64 - BitOperations.Log2((uint)size);
                _limit = size / 2;
            }

            _generation++;
            if (_generation == 0)
            {
                // Wrapped after 2^32 clears: stale stamps could match again, so wipe them once.
                Array.Clear(_stamps);
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
            int slot = Home(key);
            while (true)
            {
                if (_stamps[slot] != _generation)
                {
                    if (_count == _limit)
                    {
                        ThrowFull();
                    }

                    _stamps[slot] = _generation;
                    _keys[slot] = key;
                    _values[slot] = value;
                    _count++;
                    return -1;
                }

                if (_keys[slot] == key)
                {
                    return _values[slot];
                }

                slot = (slot + 1) & _mask;
            }
        }

        /// <summary>Stores <paramref name="value"/> for <paramref name="key"/>, overwriting any previous value.</summary>
        public void Set(long key, int value)
        {
            int slot = Home(key);
            while (true)
            {
                if (_stamps[slot] != _generation)
                {
                    if (_count == _limit)
                    {
                        ThrowFull();
                    }

                    _stamps[slot] = _generation;
                    _keys[slot] = key;
                    _values[slot] = value;
                    _count++;
                    return;
                }

                if (_keys[slot] == key)
                {
                    _values[slot] = value;
                    return;
                }

                slot = (slot + 1) & _mask;
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

            int slot = Home(key);
            while (_stamps[slot] == _generation)
            {
                if (_keys[slot] == key)
                {
                    return _values[slot];
                }

                slot = (slot + 1) & _mask;
            }

            return -1;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Home(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> _shift);

        private static void ThrowFull() => throw new InvalidOperationException("LongIndexMap holds more keys than it was cleared for.");
    }
}
