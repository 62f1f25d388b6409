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
        private readonly int[] _tree; // 1-based; _tree[i] sums weights (i - lowbit(i), i]
        private readonly int _topStep;

        public FenwickTree(int length)
        {
            _tree = new int[length + 1];
            _topStep = length == 0 ? 0 : 1 << BitOperations.Log2((uint)length); // highest power of two <= length
        }

        public int Length => _tree.Length - 1;

        /// <summary>Rebuilds the tree from <paramref name="weights"/> in O(n).</summary>
        public void Build(ReadOnlySpan<int> weights)
        {
            int n = Length;
            _tree[0] = 0;
            weights.CopyTo(_tree.AsSpan(1));
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
            for (int i = index + 1; i < _tree.Length; i += i & -i)
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
                int next = pos + step;
                if (next < tree.Length && tree[next] <= rest)
                {
                    pos = next;
                    rest -= tree[next];
                }
            }

            return pos;
        }
    }
}
