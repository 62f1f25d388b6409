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
            long n = CheckAxis(outer, axis, inner, op, tensor);
            if (n == 0) return;
            long reduced = (long)outer * inner;
            Need(gradient.Length, reduced, op, tensor, nameof(gradient));
            Need(y.Length, reduced, op, tensor, nameof(y));
            Need(x.Length, n, op, tensor, nameof(x));
            Need(destination.Length, n, op, tensor, nameof(destination));
            NoOverlap(destination.SubView(0, n), gradient.SubView(0, reduced), op, tensor, nameof(destination), "the gradient");
            NoOverlap(destination.SubView(0, n), y.SubView(0, reduced), op, tensor, nameof(destination), "y");
            InPlaceOnly(x.SubView(0, n), destination.SubView(0, n), true, op, tensor, nameof(x));
            try
            {
                gpu.OpKernels.LogSumExpGradient(Elements(n, op, tensor), axis, inner, gradient, x, y, destination);
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
            NonNegative(rows, op, nameof(rows), tensor);
            NonNegative(cols, op, nameof(cols), tensor);
            if (cols == 0) return;
            if (rows > 1) NonNegative(stride, op, nameof(stride), tensor);
            if (rows > 0) Need(x.Length, ((long)(rows - 1) * stride) + cols, op, tensor, nameof(x));
            Need(destination.Length, cols, op, tensor, nameof(destination));
            if (rows > 0) NoOverlap(destination.SubView(0, cols), x.SubView(0, ((long)(rows - 1) * stride) + cols), op, tensor, nameof(destination), "x");
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
            long n = CheckAxis(outer, axis, inner, op, tensor);
            if (n == 0) return;
            Need(gradient.Length, (long)outer * inner, op, tensor, nameof(gradient));
            Need(destination.Length, n, op, tensor, nameof(destination));
            NoOverlap(destination.SubView(0, n), gradient.SubView(0, (long)outer * inner), op, tensor, nameof(destination), "the gradient");
            try
            {
                gpu.OpKernels.BroadcastAlong(Elements(n, op, tensor), axis, inner, gradient, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary>
        /// <c>Elementwise.ReduceTo</c>: destination (the operand's shape, dense) = the gradient summed over the axes where
        /// the operand's <paramref name="strides"/> are 0. <paramref name="dims"/> is the gradient's shape left-padded to
        /// rank 4 (−1: <paramref name="batch"/>). The strides must be the operand's dense row-major strides (0 where
        /// broadcast; any value along an axis of length 1): the CPU accepts any strides, the device kernel finds each
        /// operand element's indices from its dense position, so other strides are refused with an
        /// <see cref="ArgumentException"/>. The destination must not overlap the gradient.
        /// </summary>
        public static void ReduceTo(GpuContext gpu, ArrayView<float> gradient, ArrayView<float> destination, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, int batch, string? tensor = null)
        {
            const string op = "reduce to shape";
            Broadcast4 p = Shape4(dims, strides, batch, op, tensor);
            long g = (long)p.D0 * p.D1 * p.D2 * p.D3;
            if (g == 0) return;
            DenseOperandStrides(p, op, tensor);
            long n = Extent(p.X0 == 0 ? 1 : p.D0, p.X1 == 0 ? 1 : p.D1, p.X2 == 0 ? 1 : p.D2, p.X3 == 0 ? 1 : p.D3, p.X0, p.X1, p.X2, p.X3);
            Need(gradient.Length, g, op, tensor, nameof(gradient));
            Need(destination.Length, n, op, tensor, nameof(destination));
            NoOverlap(destination.SubView(0, n), gradient.SubView(0, g), op, tensor, nameof(destination), "the gradient");
            try
            {
                gpu.OpKernels.ReduceTo(Elements(n, op, tensor), p, gradient, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        private static void AxisReduce(GpuContext gpu, string op, bool logSumExp, ArrayView<float> x, int outer, int axis, int inner, ArrayView<float> destination, string? tensor)
        {
            long n = CheckAxis(outer, axis, inner, op, tensor);
            long reduced = (long)outer * inner;
            if (reduced == 0) return;
            Need(x.Length, n, op, tensor, nameof(x));
            Need(destination.Length, reduced, op, tensor, nameof(destination));
            if (n > 0) NoOverlap(destination.SubView(0, reduced), x.SubView(0, n), op, tensor, nameof(destination), "x");
            try
            {
                if (logSumExp)
                {
                    gpu.OpKernels.LogSumExp(Elements(reduced, op, tensor), axis, inner, x, destination);
                }
                else
                {
                    gpu.OpKernels.Sum(Elements(reduced, op, tensor), axis, inner, x, destination);
                }
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary>ReduceTo's operand strides must be its dense row-major strides along every kept axis longer than 1.</summary>
        private static void DenseOperandStrides(Broadcast4 p, string op, string? tensor)
        {
            // The operand's shape: the gradient's along kept axes, 1 along broadcast ones.
            long e0 = p.X0 == 0 ? 1 : p.D0, e1 = p.X1 == 0 ? 1 : p.D1, e2 = p.X2 == 0 ? 1 : p.D2, e3 = p.X3 == 0 ? 1 : p.D3;
            long s3 = 1, s2 = e3, s1 = e2 * e3, s0 = e1 * e2 * e3;
            if ((p.X0 != 0 && p.D0 > 1 && p.X0 != s0) || (p.X1 != 0 && p.D1 > 1 && p.X1 != s1) || (p.X2 != 0 && p.D2 > 1 && p.X2 != s2) || (p.X3 != 0 && p.D3 > 1 && p.X3 != s3))
            {
                throw new ArgumentException(
                    op + Named(tensor) + ": strides [" + p.X0 + ", " + p.X1 + ", " + p.X2 + ", " + p.X3 + "] are not the operand's dense strides ["
                    + (p.X0 == 0 ? 0 : s0) + ", " + (p.X1 == 0 ? 0 : s1) + ", " + (p.X2 == 0 ? 0 : s2) + ", " + (p.X3 == 0 ? 0 : s3) + "] (0 where broadcast); the device supports only those.",
                    "strides");
            }
        }

        private static long CheckAxis(int outer, int axis, int inner, string op, string? tensor)
        {
            NonNegative(outer, op, nameof(outer), tensor);
            NonNegative(axis, op, nameof(axis), tensor);
            NonNegative(inner, op, nameof(inner), tensor);
            return (long)outer * axis * inner;
        }
    }
}
