using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using GraphSampling.Runtime.Cpu;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>The binary elementwise ops of the IR.</summary>
    public enum BinaryOp
    {
        Add = 0,
        Subtract = 1,
        Multiply = 2,
        Divide = 3,
    }

    /// <summary>
    /// Elementwise ops with numpy broadcasting. The generator passes the output dims and each operand's strides
    /// (0 along broadcast axes), padded on the left to rank 4; the innermost axis runs through TensorPrimitives.
    /// </summary>
    public static class Elementwise
    {
        /// <summary>Same-shape operands: dst = op(x, y).</summary>
        public static void Binary(BinaryOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        {
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(x, y, destination); break;
                case BinaryOp.Subtract: TensorPrimitives.Subtract(x, y, destination); break;
                case BinaryOp.Multiply: TensorPrimitives.Multiply(x, y, destination); break;
                default: TensorPrimitives.Divide(x, y, destination); break;
            }
        }

        /// <summary>Broadcasting dst = op(x, y); dims, xStrides and yStrides have length 4 (left-padded). A dim of -1 is
        /// the batch axis and runs over <paramref name="batch"/> rows.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Binary(BinaryOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination,
            ReadOnlySpan<int> dims, ReadOnlySpan<int> xStrides, ReadOnlySpan<int> yStrides, int batch)
        {
            int d0 = Live(dims[0], batch), d1 = Live(dims[1], batch), d2 = Live(dims[2], batch), n3 = Live(dims[3], batch);
            int d = 0;
            for (int i0 = 0; i0 < d0; i0++)
            for (int i1 = 0; i1 < d1; i1++)
            for (int i2 = 0; i2 < d2; i2++)
            {
                int xo = i0 * xStrides[0] + i1 * xStrides[1] + i2 * xStrides[2];
                int yo = i0 * yStrides[0] + i1 * yStrides[1] + i2 * yStrides[2];
                Inner(op, x, xo, xStrides[3], y, yo, yStrides[3], destination.Slice(d, n3));
                d += n3;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Inner(BinaryOp op, ReadOnlySpan<float> x, int xo, int xs, ReadOnlySpan<float> y, int yo, int ys, Span<float> dst)
        {
            int n = dst.Length;
            if (xs == 1 && ys == 1)
            {
                Binary(op, x.Slice(xo, n), y.Slice(yo, n), dst);
            }
            else if (xs == 1 && ys == 0)
            {
                float b = y[yo];
                switch (op)
                {
                    case BinaryOp.Add: TensorPrimitives.Add(x.Slice(xo, n), b, dst); break;
                    case BinaryOp.Subtract: TensorPrimitives.Subtract(x.Slice(xo, n), b, dst); break;
                    case BinaryOp.Multiply: TensorPrimitives.Multiply(x.Slice(xo, n), b, dst); break;
                    default: TensorPrimitives.Divide(x.Slice(xo, n), b, dst); break;
                }
            }
            else if (xs == 0 && ys == 1)
            {
                float a = x[xo];
                switch (op)
                {
                    case BinaryOp.Add: TensorPrimitives.Add(y.Slice(yo, n), a, dst); break;
                    case BinaryOp.Subtract: TensorPrimitives.Subtract(a, y.Slice(yo, n), dst); break;
                    case BinaryOp.Multiply: TensorPrimitives.Multiply(y.Slice(yo, n), a, dst); break;
                    default: TensorPrimitives.Divide(a, y.Slice(yo, n), dst); break;
                }
            }
            else
            {
                for (int i = 0; i < n; i++) dst[i] = Apply(op, x[xo + i * xs], y[yo + i * ys]);
            }
        }

        private static float Apply(BinaryOp op, float a, float b) =>
            op == BinaryOp.Add ? a + b : op == BinaryOp.Subtract ? a - b : op == BinaryOp.Multiply ? a * b : a / b;

        /// <summary>The gradient of a broadcast: dst (the operand's shape) = g summed over the axes where the operand's
        /// stride is 0. dims is g's shape (rank 4, left-padded); strides are the operand's.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ReduceTo(ReadOnlySpan<float> gradient, Span<float> destination, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, int batch)
        {
            destination.Clear();
            int d0 = Live(dims[0], batch), d1 = Live(dims[1], batch), d2 = Live(dims[2], batch), n3 = Live(dims[3], batch);
            int s = 0;
            for (int i0 = 0; i0 < d0; i0++)
            for (int i1 = 0; i1 < d1; i1++)
            for (int i2 = 0; i2 < d2; i2++)
            {
                int o = i0 * strides[0] + i1 * strides[1] + i2 * strides[2];
                var g = gradient.Slice(s, n3);
                if (strides[3] == 1)
                {
                    var dst = destination.Slice(o, n3);
                    TensorPrimitives.Add(dst, g, dst);
                }
                else
                {
                    destination[o] += TensorPrimitives.Sum(g);
                }
                s += n3;
            }
        }

        private static int Live(int dim, int batch) => dim < 0 ? batch : dim;

        public static void Negate(ReadOnlySpan<float> x, Span<float> destination) => Kernels.Map<NegateOperator>(x, destination);

        public static void Log(ReadOnlySpan<float> x, Span<float> destination) => Kernels.Map<LogOperator>(x, destination);

        /// <summary>destination[i] = ids[i] &lt; 0 ? fill : x[i] (ragged labels: a padded true logit becomes -FLT_MAX, its
        /// gradient 0). Any value of x at a padded position is replaced, infinities and NaN included.</summary>
        public static void MaskPadding(ReadOnlySpan<long> ids, ReadOnlySpan<float> x, float fill, Span<float> destination)
        {
            if (x.Length != ids.Length || destination.Length < ids.Length) throw new ArgumentException("ids, x and destination must have one element per id (" + ids.Length + ").", nameof(x));
            for (int i = 0; i < ids.Length; i++) destination[i] = ids[i] < 0 ? fill : x[i];
        }

        /// <summary>dst = sum of the inputs (gradient fan-in).</summary>
        public static void Accumulate(ReadOnlySpan<float> x, Span<float> destination) => Kernels.Map<AddOperator>(destination, x, destination);
    }
}
