using System;
using ILGPU;

namespace GraphSampling.Runtime.Gpu.Ops
{
    public static partial class DeviceOps
    {
        /// <summary><c>Reduce.Sum</c>: destination[o, i] = Σ_a x[o, a, i] of x viewed as [outer, axis, inner] (the last
        /// axis when inner = 1, axis 0 when outer = 1), added in a's order.</summary>
        public static void ReduceSum(GpuContext gpu, ArrayView<float> x, int outer, int axis, int inner, ArrayView<float> destination, string? tensor = null) =>
            AxisReduce(gpu, "reduce sum", false, x, outer, axis, inner, destination, tensor);

        /// <summary><c>Reduce.LogSumExp</c> (TF reduce_logsumexp) over the axis of x viewed as [outer, axis, inner].</summary>
        public static void LogSumExp(GpuContext gpu, ArrayView<float> x, int outer, int axis, int inner, ArrayView<float> destination, string? tensor = null) =>
            AxisReduce(gpu, "reduce logsumexp", true, x, outer, axis, inner, destination, tensor);

        /// <summary><c>Reduce.LogSumExpGradient</c>: destination = g · exp(x − y) along the axis.</summary>
        public static void LogSumExpGradient(GpuContext gpu, ArrayView<float> gradient, ArrayView<float> x, ArrayView<float> y, int outer, int axis, int inner, ArrayView<float> destination, string? tensor = null)
        {
            const string op = "logsumexp gradient";
            long n = CheckAxis(outer, axis, inner, op);
            if (n == 0) return;
            long reduced = (long)outer * inner;
            Need(gradient.Length, reduced, op, tensor, nameof(gradient));
            Need(y.Length, reduced, op, tensor, nameof(y));
            Need(x.Length, n, op, tensor, nameof(x));
            Need(destination.Length, n, op, tensor, nameof(destination));
            try
            {
                gpu.OpKernels.LogSumExpGradient(Elements(n, op), axis, inner, gradient, x, y, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary><c>Reduce.SumOverRows</c>: destination[j] = Σ_i x[i · stride + j] (a bias gradient), rows in order.</summary>
        public static void SumOverRows(GpuContext gpu, ArrayView<float> x, int rows, int cols, int stride, ArrayView<float> destination, string? tensor = null)
        {
            const string op = "sum over rows";
            NonNegative(rows, op, nameof(rows));
            NonNegative(cols, op, nameof(cols));
            if (cols == 0) return;
            if (rows > 0) Need(x.Length, ((long)(rows - 1) * stride) + cols, op, tensor, nameof(x));
            Need(destination.Length, cols, op, tensor, nameof(destination));
            try
            {
                gpu.OpKernels.SumOverRows(cols, rows, stride, x, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary><c>Reduce.BroadcastAlong</c>: destination[o, a, i] = gradient[o, i] (the gradient of a sum).</summary>
        public static void BroadcastAlong(GpuContext gpu, ArrayView<float> gradient, int outer, int axis, int inner, ArrayView<float> destination, string? tensor = null)
        {
            const string op = "broadcast along";
            long n = CheckAxis(outer, axis, inner, op);
            if (n == 0) return;
            Need(gradient.Length, (long)outer * inner, op, tensor, nameof(gradient));
            Need(destination.Length, n, op, tensor, nameof(destination));
            try
            {
                gpu.OpKernels.BroadcastAlong(Elements(n, op), axis, inner, gradient, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary>
        /// <c>Elementwise.ReduceTo</c>: destination (the operand's shape, dense) = the gradient summed over the axes where
        /// the operand's <paramref name="strides"/> are 0. <paramref name="dims"/> is the gradient's shape left-padded to
        /// rank 4 (−1: <paramref name="batch"/>); the strides must be the operand's dense strides (0 where broadcast).
        /// </summary>
        public static void ReduceTo(GpuContext gpu, ArrayView<float> gradient, ArrayView<float> destination, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, int batch, string? tensor = null)
        {
            const string op = "reduce to shape";
            Broadcast4 p = Shape4(dims, strides, batch, op);
            long g = (long)p.D0 * p.D1 * p.D2 * p.D3;
            if (g == 0) return;
            long n = Extent(p.X0 == 0 ? 1 : p.D0, p.X1 == 0 ? 1 : p.D1, p.X2 == 0 ? 1 : p.D2, p.X3 == 0 ? 1 : p.D3, p.X0, p.X1, p.X2, p.X3);
            Need(gradient.Length, g, op, tensor, nameof(gradient));
            Need(destination.Length, n, op, tensor, nameof(destination));
            try
            {
                gpu.OpKernels.ReduceTo(Elements(n, op), p, gradient, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        private static void AxisReduce(GpuContext gpu, string op, bool logSumExp, ArrayView<float> x, int outer, int axis, int inner, ArrayView<float> destination, string? tensor)
        {
            long n = CheckAxis(outer, axis, inner, op);
            long reduced = (long)outer * inner;
            if (reduced == 0) return;
            Need(x.Length, n, op, tensor, nameof(x));
            Need(destination.Length, reduced, op, tensor, nameof(destination));
            try
            {
                if (logSumExp)
                {
                    gpu.OpKernels.LogSumExp(Elements(reduced, op), axis, inner, x, destination);
                }
                else
                {
                    gpu.OpKernels.Sum(Elements(reduced, op), axis, inner, x, destination);
                }
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        private static long CheckAxis(int outer, int axis, int inner, string op)
        {
            NonNegative(outer, op, nameof(outer));
            NonNegative(axis, op, nameof(axis));
            NonNegative(inner, op, nameof(inner));
            return (long)outer * axis * inner;
        }
    }
}
