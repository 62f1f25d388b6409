using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Cpu;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>Embedding lookups over sharded tables: gather, max-norm clipping and their gradients.</summary>
    public static class Gather
    {
        /// <summary>dst[n] = table[ids[n]] (Width floats per id). Fed ids are checked before a call runs (Checks.Ids);
        /// the range test here is for ids computed in the graph, and costs one compare per row.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Rows(ParameterTable table, ReadOnlySpan<long> ids, Span<float> destination)
        {
            int w = table.Width;
            long rows = table.Rows;
            ReadOnlySpan<float> data = table.Data;
            for (int n = 0; n < ids.Length; n++)
            {
                long id = ids[n];
                if ((ulong)id >= (ulong)rows) ThrowIdOutOfRange(table, id, n);
                data.Slice(table.RowOffset(id), w).CopyTo(destination.Slice(n * w, w));
            }
        }

        private static void ThrowIdOutOfRange(ParameterTable table, long id, int position) =>
            throw new ArgumentOutOfRangeException("ids", id, "id " + id + " at position " + position + " is outside [0, " + table.Rows + ") of '" + table.Name + "'.");

        /// <summary>TF gather on a tensor viewed as [outer, axis, inner]: dst[o, n, :] = src[o, indices[n], :]. An index
        /// outside [0, axis) throws, naming <paramref name="indicesName"/> and the position.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Take<T>(ReadOnlySpan<T> source, int outer, int axis, int inner, ReadOnlySpan<long> indices, Span<T> destination, string indicesName)
        {
            int n = indices.Length;
            for (int i = 0; i < n; i++)
            {
                if ((ulong)indices[i] >= (ulong)axis)
                {
                    throw new ArgumentOutOfRangeException(indicesName, indices[i], indicesName + "[" + i + "] = " + indices[i] + " is outside [0, " + axis + ").");
                }
            }
            for (int o = 0; o < outer; o++)
            {
                for (int i = 0; i < n; i++)
                {
                    source.Slice((o * axis + (int)indices[i]) * inner, inner).CopyTo(destination.Slice((o * n + i) * inner, inner));
                }
            }
        }

        /// <summary>The gradient of <see cref="Take{T}"/>: a zero [outer, axis, inner] tensor with each upstream slice added
        /// back at its index (repeated indices accumulate).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void TakeGradient(ReadOnlySpan<float> gradient, int outer, int axis, int inner, ReadOnlySpan<long> indices, Span<float> destination)
        {
            int n = indices.Length;
            destination.Slice(0, outer * axis * inner).Clear();
            for (int o = 0; o < outer; o++)
            {
                for (int i = 0; i < n; i++)
                {
                    var dst = destination.Slice((o * axis + (int)indices[i]) * inner, inner);
                    Kernels.Map<AddOperator>(dst, gradient.Slice((o * n + i) * inner, inner), dst);
                }
            }
        }

        /// <summary>TF clip_by_norm per row, in place: t * c / max(|t|, c) (computed that way even when |t| &lt;= c, as TF
        /// does). Rows of norm 0 stay as they are.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ScatterAdd(Span<float> dense, int width, ReadOnlySpan<long> ids, ReadOnlySpan<float> rows)
        {
            for (int n = 0; n < ids.Length; n++)
            {
                var dst = dense.Slice((int)ids[n] * width, width);
                Kernels.Map<AddOperator>(dst, rows.Slice(n * width, width), dst);
            }
        }
    }
}
