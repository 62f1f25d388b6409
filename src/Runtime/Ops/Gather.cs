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

        /// <summary>As <see cref="Rows"/>, with -1 as padding (ragged labels): its row of the destination is zeros and no
        /// table row is read.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void RowsOrPadding(ParameterTable table, ReadOnlySpan<long> ids, Span<float> destination)
        {
            int w = table.Width;
            long rows = table.Rows;
            ReadOnlySpan<float> data = table.Data;
            for (int n = 0; n < ids.Length; n++)
            {
                long id = ids[n];
                var row = destination.Slice(n * w, w);
                if (id == -1)
                {
                    row.Clear();
                    continue;
                }
                if ((ulong)id >= (ulong)rows) ThrowIdOutOfRange(table, id, n);
                data.Slice(table.RowOffset(id), w).CopyTo(row);
            }
        }

        internal static void ThrowIdOutOfRange(ParameterTable table, long id, int position) =>
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
                if (ids[n] < 0) continue;   // an embedding bag's padding: no row
                var dst = dense.Slice((int)ids[n] * width, width);
                Kernels.Map<AddOperator>(dst, rows.Slice(n * width, width), dst);
            }
        }
    
        /// <summary>
        /// An embedding bag (TF embedding_lookup_sparse over -1-padded ids): destination row i = s_i · Σ_j w_ij · table[ids_ij]
        /// over row i's ids that are not -1, with s_i = 1 (sum), 1 / Σ w_ij (mean) or 1 / sqrt(Σ w_ij²) (sqrtn), and 0 for a
        /// row with no ids or a zero divisor. Rows are accumulated in j order; only the real ids are read. ids and weights
        /// are [B, width] (width = L, the padded ids per row); combiner is 0 sum, 1 mean, 2 sqrtn.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void BagRows(ParameterTable table, ReadOnlySpan<long> ids, ReadOnlySpan<float> weights, int width, int combiner, Span<float> destination)
        {
            int d = table.Width;
            long rows = table.Rows;
            ReadOnlySpan<float> data = table.Data;
            int batch = ids.Length / width;
            for (int i = 0; i < batch; i++)
            {
                var dst = destination.Slice(i * d, d);
                dst.Clear();
                float total = 0f, squares = 0f;
                for (int j = 0; j < width; j++)
                {
                    long id = ids[i * width + j];
                    if (id == -1) continue;
                    if ((ulong)id >= (ulong)rows) ThrowIdOutOfRange(table, id, i * width + j);
                    float w = weights[i * width + j];
                    TensorPrimitives.MultiplyAdd(data.Slice(table.RowOffset(id), d), w, dst, dst);
                    total += w;
                    squares += w * w;
                }
                float scale = BagScale(combiner, total, squares);
                if (scale != 1f) TensorPrimitives.Multiply(dst, scale, dst);
            }
        }

        /// <summary>Row i's factor s_i from its real ids' weights (summed in j order, as BagRows sums them).</summary>
        private static float RowScale(ReadOnlySpan<long> ids, ReadOnlySpan<float> weights, int i, int width, int combiner)
        {
            float total = 0f, squares = 0f;
            for (int j = 0; j < width; j++)
            {
                if (ids[i * width + j] == -1) continue;
                float w = weights[i * width + j];
                total += w;
                squares += w * w;
            }
            return BagScale(combiner, total, squares);
        }

        /// <summary>The bag's per-row factor s_i (0 when the divisor is 0: an empty row stays 0).</summary>
        private static float BagScale(int combiner, float total, float squares) => combiner switch
        {
            1 => total == 0f ? 0f : 1f / total,
            2 => squares == 0f ? 0f : 1f / MathF.Sqrt(squares),
            _ => 1f,
        };

        /// <summary>The bag's gradient rows: rows[i, j] = w_ij · s_i · gradient[i] for each id that is not -1 (padding
        /// slots are left unwritten; the sparse gradient skips their ids).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void BagRowsGradient(ReadOnlySpan<long> ids, ReadOnlySpan<float> weights, int width, int combiner, ReadOnlySpan<float> gradient, Span<float> rows)
        {
            int batch = ids.Length / width;
            int d = batch == 0 ? 0 : gradient.Length / batch;
            for (int i = 0; i < batch; i++)
            {
                float scale = RowScale(ids, weights, i, width, combiner);
                var g = gradient.Slice(i * d, d);
                for (int j = 0; j < width; j++)
                {
                    if (ids[i * width + j] == -1) continue;
                    TensorPrimitives.Multiply(g, weights[i * width + j] * scale, rows.Slice((i * width + j) * d, d));
                }
            }
        }
    
        /// <summary>The gradient of the bag's weights ([B, width]): for each id that is not -1, g_i · (r_ij − c_ij · y_i) · s_i,
        /// with r_ij its table row, y_i the bag's output row, s_i the combiner's factor and c_ij = 0 (sum), 1 (mean) or
        /// w_ij · s_i (sqrtn); 0 for padding and for a row whose divisor is 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void BagWeightsGradient(ParameterTable table, ReadOnlySpan<long> ids, ReadOnlySpan<float> weights, int width, int combiner,
            ReadOnlySpan<float> output, ReadOnlySpan<float> gradient, Span<float> destination)
        {
            int d = table.Width;
            ReadOnlySpan<float> data = table.Data;
            int batch = ids.Length / width;
            for (int i = 0; i < batch; i++)
            {
                float scale = RowScale(ids, weights, i, width, combiner);
                var g = gradient.Slice(i * d, d);
                float gy = combiner == 0 || scale == 0f ? 0f : TensorPrimitives.Dot(g, output.Slice(i * d, d));
                for (int j = 0; j < width; j++)
                {
                    long id = ids[i * width + j];
                    if (id == -1 || scale == 0f)
                    {
                        destination[i * width + j] = 0f;
                        continue;
                    }
                    float gr = TensorPrimitives.Dot(g, data.Slice(table.RowOffset(id), d));
                    float c = combiner == 1 ? 1f : combiner == 2 ? weights[i * width + j] * scale : 0f;
                    destination[i * width + j] = (gr - c * gy) * scale;
                }
            }
        }
    }
}
