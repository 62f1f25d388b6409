using System;
using System.Numerics.Tensors;
using GraphSampling.Runtime.Buffers;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>Embedding lookups over sharded tables: gather, max-norm clipping and their gradients.</summary>
    public static class Gather
    {
        /// <summary>dst[n] = table[ids[n]] (Width floats per id). Ids must be in range (checked by the caller's Checks.Ids).</summary>
        public static void Rows(ParameterTable table, ReadOnlySpan<long> ids, Span<float> destination)
        {
            int w = table.Width;
            ReadOnlySpan<float> data = table.Data;
            for (int n = 0; n < ids.Length; n++)
            {
                data.Slice(table.RowOffset(ids[n]), w).CopyTo(destination.Slice(n * w, w));
            }
        }

        /// <summary>TF clip_by_norm per row, in place: t * c / max(|t|, c) (computed that way even when |t| &lt;= c, as TF
        /// does). Rows of norm 0 stay as they are.</summary>
        public static void ClipRows(Span<float> rows, int width, float maxNorm)
        {
            for (int start = 0; start < rows.Length; start += width)
            {
                var t = rows.Slice(start, width);
                float norm = MathF.Sqrt(TensorPrimitives.SumOfSquares(t));
                if (norm == 0f) continue;
                float denom = MathF.Max(norm, maxNorm);
                for (int i = 0; i < t.Length; i++) t[i] = t[i] * maxNorm / denom;
            }
        }

        /// <summary>Gradient through the clip (spec 2.4): for |t| &gt;= c it is c/|t| (g - t (t.g)/|t|^2), else g.</summary>
        public static void ClipRowsGradient(ParameterTable table, ReadOnlySpan<long> ids, ReadOnlySpan<float> gradient, float maxNorm, Span<float> destination)
        {
            int w = table.Width;
            ReadOnlySpan<float> data = table.Data;
            for (int n = 0; n < ids.Length; n++)
            {
                var t = data.Slice(table.RowOffset(ids[n]), w);
                var g = gradient.Slice(n * w, w);
                var d = destination.Slice(n * w, w);
                float sq = TensorPrimitives.SumOfSquares(t);
                float norm = MathF.Sqrt(sq);
                if (norm == 0f || norm < maxNorm)
                {
                    g.CopyTo(d);
                    continue;
                }
                float tg = TensorPrimitives.Dot(t, g);
                float scale = maxNorm / norm, proj = tg / sq;
                for (int i = 0; i < w; i++) d[i] = scale * (g[i] - t[i] * proj);
            }
        }

        /// <summary>dense[ids[n]] += rows[n] for a dense [rows, width] gradient in id order.</summary>
        public static void ScatterAdd(Span<float> dense, int width, ReadOnlySpan<long> ids, ReadOnlySpan<float> rows)
        {
            for (int n = 0; n < ids.Length; n++)
            {
                var dst = dense.Slice((int)ids[n] * width, width);
                TensorPrimitives.Add(dst, rows.Slice(n * width, width), dst);
            }
        }
    }
}
