using System;
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using GraphSampling.Runtime.Cpu;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>Reductions over one axis of a tensor viewed as [outer, axis, inner].</summary>
    public static class Reduce
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Sum(ReadOnlySpan<float> x, int outer, int axis, int inner, Span<float> destination)
        {
            if (inner == 1)
            {
                Kernels.SumColumns(x.Slice(0, outer * axis), destination.Slice(0, outer), outer, axis);
                return;
            }
            for (int o = 0; o < outer; o++)
            {
                Kernels.SumRows(x.Slice(o * axis * inner, axis * inner), destination.Slice(o * inner, inner), axis, inner);
            }
        }

        /// <summary>dst[j] = the sum over rows of x[i, j], rows <paramref name="stride"/> apart (a bias gradient, read where
        /// the logits gradient lies). Rows are added in order, as <see cref="Elementwise.ReduceTo"/> does.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SumOverRows(ReadOnlySpan<float> x, int rows, int cols, int stride, Span<float> destination)
        {
            var dst = destination.Slice(0, cols);
            dst.Clear();
            for (int i = 0; i < rows; i++) Kernels.Map<AddOperator>(dst, x.Slice(i * stride, cols), dst);
        }

        /// <summary>dst[o, a, i] = g[o, i]: the gradient of Sum.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void BroadcastAlong(ReadOnlySpan<float> gradient, int outer, int axis, int inner, Span<float> destination)
        {
            for (int o = 0; o < outer; o++)
            {
                var g = gradient.Slice(o * inner, inner);
                for (int a = 0; a < axis; a++) g.CopyTo(destination.Slice((o * axis + a) * inner, inner));
            }
        }

        /// <summary>TF reduce_logsumexp: m + log(sum exp(x - m)), with m the max replaced by 0 when not finite.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void LogSumExp(ReadOnlySpan<float> x, int outer, int axis, int inner, Span<float> destination)
        {
            if (inner == 1)
            {
                Kernels.LogSumExpRows(x.Slice(0, outer * axis), destination.Slice(0, outer), outer, axis);
                return;
            }
            // Strided along the axis (a reduction over a leading axis, such as TAPAS's LSE over the batch): the same rule,
            // vectorised across the inner elements. Row a of the axis is one contiguous [inner] span; the sums run in
            // the order of a, as the scalar rule does.
            float[] scratch = ArrayPool<float>.Shared.Rent(2 * inner);
            try
            {
                var sum = scratch.AsSpan(0, inner);
                var term = scratch.AsSpan(inner, inner);
                for (int o = 0; o < outer; o++)
                {
                    var m = destination.Slice(o * inner, inner);
                    m.Fill(float.NegativeInfinity);
                    for (int a = 0; a < axis; a++) Kernels.Map<MaxOperator>(m, x.Slice((o * axis + a) * inner, inner), m);
                    for (int i = 0; i < inner; i++)
                    {
                        if (!float.IsFinite(m[i])) m[i] = 0f;
                    }
                    sum.Clear();
                    for (int a = 0; a < axis; a++)
                    {
                        Kernels.Map<SubtractOperator>(x.Slice((o * axis + a) * inner, inner), m, term);
                        Kernels.Map<ExpOperator>(term, term);
                        Kernels.Map<AddOperator>(sum, term, sum);
                    }
                    Kernels.Map<LogOperator>(sum, sum);
                    Kernels.Map<AddOperator>(sum, m, m);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        }

        /// <summary>dst = g * exp(x - y) along the axis (softmax weights; the shift is not differentiated).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void LogSumExpGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<float> x, ReadOnlySpan<float> y, int outer, int axis, int inner, Span<float> destination)
        {
            for (int o = 0; o < outer; o++)
            for (int a = 0; a < axis; a++)
            for (int i = 0; i < inner; i++)
            {
                int r = o * inner + i;
                int idx = (o * axis + a) * inner + i;
                destination[idx] = gradient[r] * MathF.Exp(x[idx] - y[r]);
            }
        }
    }
}
