using System;
using System.Numerics;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// A Fenwick (binary indexed) tree over non-negative int weights whose total fits in int: O(log n) point update
    /// and O(log n) "smallest index whose inclusive prefix sum exceeds u" search, TF's <c>WeightedPicker::PickAt</c>.
    /// </summary>
    internal sealed class FenwickTree
    {
        // 1-based; _tree[i] sums weights (i - lowbit(i), i] for i <= Length. Entries past Length, up to twice the top
        // step, hold int.MaxValue: a descent compares against them and never steps there, so it needs no range check.
        private readonly int[] _tree;
        private readonly int _length;
        private readonly int _topStep;

        public FenwickTree(int length)
        {
            _length = length;
            _topStep = length == 0 ? 0 : 1 << BitOperations.Log2((uint)length); // highest power of two <= length
            _tree = new int[Math.Max(length + 1, 2 * _topStep)];
            _tree.AsSpan(length + 1).Fill(int.MaxValue);
        }

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

        /// <summary>
        /// <see cref="FindFirstPrefixAbove"/> for every target, written to <paramref name="destination"/>. Eight
        /// descents advance level by level together: their loads are independent, so the cache misses of the deep
        /// levels (the tree of 800,000 classes is 3 MB) overlap instead of queueing one descent behind another.
        /// </summary>
        public void FindManyFirstPrefixAbove(ReadOnlySpan<int> targets, Span<long> destination)
        {
            const int Lanes = 8;
            Span<int> pos = stackalloc int[Lanes];
            Span<int> rest = stackalloc int[Lanes];
            int[] tree = _tree;
            int i = 0;
            for (; i + Lanes <= targets.Length; i += Lanes)
            {
                pos.Clear();
                targets.Slice(i, Lanes).CopyTo(rest);
                for (int step = _topStep; step > 0; step >>= 1)
                {
                    for (int j = 0; j < Lanes; j++)
                    {
                        int next = pos[j] + step;
                        int sum = tree[next];
                        bool take = sum <= rest[j];
                        pos[j] = take ? next : pos[j];
                        rest[j] = take ? rest[j] - sum : rest[j];
                    }
                }

                for (int j = 0; j < Lanes; j++)
                {
                    destination[i + j] = pos[j];
                }
            }

            for (; i < targets.Length; i++)
            {
                destination[i] = FindFirstPrefixAbove(targets[i]);
            }
        }
    }
}
