using System;
using System.Runtime.CompilerServices;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>Top-k per row, sorted descending, ties to the lower column (TF top_k).</summary>
    public static class Ranking
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void TopK(ReadOnlySpan<float> x, int rows, int cols, int k, Span<float> values, Span<long> indices)
        {
            for (int i = 0; i < rows; i++)
            {
                var row = x.Slice(i * cols, cols);
                var v = values.Slice(i * k, k);
                var ix = indices.Slice(i * k, k);
                int filled = 0;
                for (int j = 0; j < cols; j++)
                {
                    float c = row[j];
                    if (filled == k && !(c > v[k - 1])) continue;
                    // Insertion into the sorted top list; equal values keep the earlier column first.
                    int p = filled < k ? filled++ : k - 1;
                    while (p > 0 && c > v[p - 1])
                    {
                        v[p] = v[p - 1];
                        ix[p] = ix[p - 1];
                        p--;
                    }
                    v[p] = c;
                    ix[p] = j;
                }
            }
        }
    }
}
