using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// A Fenwick (binary indexed) tree over non-negative int weights whose total fits in int: O(log n) point update
    /// and O(log n) "smallest index whose inclusive prefix sum exceeds u" search, TF's <c>WeightedPicker::PickAt</c>.
    /// </summary>
    internal sealed class FenwickTree
    {
        // 1-based; _tree[i] sums weights (i - lowbit(i), i] for i <= Length. Entries past Length, up to twice the top
        // step, hold int.MaxValue: a descent compares against them and never steps there, so it needs no range check
        // (trees of 2^30 weights or more cannot be padded and keep the check).
        private readonly int[] _tree;
        private readonly int _length;
        private readonly int _topStep;
        private readonly bool _padded;

        /// <param name="length">Number of weights.</param>
        /// <param name="pad">Whether to pad (tests turn it off to check the unpadded layout on small trees).</param>
        public FenwickTree(int length, bool pad = true)
        {
            _length = length;
            _topStep = length == 0 ? 0 : 1 << BitOperations.Log2((uint)length); // highest power of two <= length

            _padded = pad && CanPad(length);
            _tree = new int[_padded ? PaddedLength(length) : length + 1];
            _tree.AsSpan(length + 1).Fill(int.MaxValue);
        }

        /// <summary>Whether a tree of <paramref name="length"/> weights fits padded in one array: from 2^30 weights on the
        /// padded size (2^31 entries) exceeds the largest array, so those trees keep the range check.</summary>
        internal static bool CanPad(int length) => PaddedLength(length) <= Array.MaxLength;

        private static long PaddedLength(int length)
            => Math.Max(length + 1L, length == 0 ? 0L : 2L << BitOperations.Log2((uint)length));

        /// <summary>Whether descents may skip the range check (see the constructor).</summary>
        public bool IsPadded => _padded;

        public int Length => _length;

        /// <summary>Rebuilds the tree from <paramref name="weights"/> in O(n).</summary>
        public void Build(ReadOnlySpan<int> weights)
        {
            int n = Length;
            _tree[0] = 0;
            weights.CopyTo(_tree.AsSpan(1, n));
            for (int i = 1; i <= n; i++)
            {
                int parent = i + (i & -i);
                if (parent <= n)
                {
                    _tree[parent] += _tree[i];
                }
            }
        }

        /// <summary>Adds <paramref name="delta"/> to the weight at 0-based <paramref name="index"/>.</summary>
        public void Add(int index, int delta)
        {
            for (int i = index + 1; i <= _length; i += i & -i)
            {
                _tree[i] += delta;
            }
        }

        /// <summary>Sum of the weights at 0-based indices [0, count).</summary>
        public long PrefixSum(int count)
        {
            long sum = 0;
            for (int i = count; i > 0; i -= i & -i)
            {
                sum += _tree[i];
            }

            return sum;
        }

        /// <summary>
        /// The smallest 0-based i with <c>w[0] + ... + w[i] &gt; u</c>, for 0 ≤ u &lt; total. Descends the implicit
        /// tree keeping the largest prefix whose sum stays ≤ u; the next index is the answer.
        /// </summary>
        public int FindFirstPrefixAbove(int u)
        {
            if (!_padded)
            {
                return FindFirstPrefixAboveChecked(u);
            }

            int pos = 0;
            int rest = u;
            int[] tree = _tree;
            for (int step = _topStep; step > 0; step >>= 1)
            {
                // Conditional moves, not a branch: each step goes either way with about even odds.
                int next = pos + step;
                int sum = tree[next];
                bool take = sum <= rest;
                pos = take ? next : pos;
                rest = take ? rest - sum : rest;
            }

            return pos;
        }

        // The descent with the range check, for trees too large to pad.
        private int FindFirstPrefixAboveChecked(int u)
        {
            int pos = 0;
            int rest = u;
            int[] tree = _tree;
            for (int step = _topStep; step > 0; step >>= 1)
            {
                int next = pos + step;
                if (next <= _length && tree[next] <= rest)
                {
                    pos = next;
                    rest -= tree[next];
                }
            }

            return pos;
        }

        /// <summary>
        /// <see cref="FindFirstPrefixAbove"/> for every target, written to <paramref name="destination"/>. With AVX2,
        /// sixteen descents (two vectors of eight) advance level by level together: a gather loads every lane's node
        /// at once, so the cache misses of the deep levels (the tree of 800,000 classes is 4 MB) overlap instead of
        /// queueing one descent behind another, and the comparison is a mask, not a branch.
        /// </summary>
        public unsafe void FindManyFirstPrefixAbove(ReadOnlySpan<int> targets, Span<long> destination)
        {
            int i = 0;
            ref int target = ref MemoryMarshal.GetReference(targets);
            ref long found = ref MemoryMarshal.GetReference(destination);
            fixed (int* tree = _tree)
            {
                // The gathers rely on the padding: an unpadded tree takes the checked scalar descent below.
                if (Avx2.IsSupported && _padded)
                {
                    // Two vectors per pass: sixteen descents in flight.
                    int width = Vector256<int>.Count;
                    for (; i + 2 * width <= targets.Length; i += 2 * width)
                    {
                        Vector256<int> pos0 = Vector256<int>.Zero;
                        Vector256<int> pos1 = Vector256<int>.Zero;
                        Vector256<int> rest0 = Vector256.LoadUnsafe(ref target, (nuint)i);
                        Vector256<int> rest1 = Vector256.LoadUnsafe(ref target, (nuint)(i + width));
                        for (int step = _topStep; step > 0; step >>= 1)
                        {
                            Vector256<int> next0 = pos0 + Vector256.Create(step);
                            Vector256<int> next1 = pos1 + Vector256.Create(step);
                            Vector256<int> sum0 = Avx2.GatherVector256(tree, next0, 4);
                            Vector256<int> sum1 = Avx2.GatherVector256(tree, next1, 4);
                            Vector256<int> take0 = Vector256.LessThanOrEqual(sum0, rest0);
                            Vector256<int> take1 = Vector256.LessThanOrEqual(sum1, rest1);
                            pos0 = Vector256.ConditionalSelect(take0, next0, pos0);
                            pos1 = Vector256.ConditionalSelect(take1, next1, pos1);
                            rest0 -= sum0 & take0;
                            rest1 -= sum1 & take1;
                        }

                        StoreWidened(pos0, ref found, i);
                        StoreWidened(pos1, ref found, i + width);
                    }
                }

                if (Avx2.IsSupported && _padded)
                {
                    for (; i + Vector256<int>.Count <= targets.Length; i += Vector256<int>.Count)
                    {
                        Vector256<int> pos = Vector256<int>.Zero;
                        Vector256<int> rest = Vector256.LoadUnsafe(ref target, (nuint)i);
                        for (int step = _topStep; step > 0; step >>= 1)
                        {
                            Vector256<int> next = pos + Vector256.Create(step);
                            Vector256<int> sum = Avx2.GatherVector256(tree, next, 4);
                            Vector256<int> take = Vector256.LessThanOrEqual(sum, rest);
                            pos = Vector256.ConditionalSelect(take, next, pos);
                            rest -= sum & take;
                        }

                        StoreWidened(pos, ref found, i);
                    }
                }
            }

            for (; i < targets.Length; i++)
            {
                destination[i] = FindFirstPrefixAbove(targets[i]);
            }
        }

        private static void StoreWidened(Vector256<int> values, ref long destination, int index)
        {
            (Vector256<long> low, Vector256<long> high) = Vector256.Widen(values);
            low.StoreUnsafe(ref destination, (nuint)index);
            high.StoreUnsafe(ref destination, (nuint)(index + Vector256<long>.Count));
        }
    }
}
