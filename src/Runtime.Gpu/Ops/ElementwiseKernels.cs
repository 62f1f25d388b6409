using ILGPU;

namespace GraphSampling.Runtime.Gpu.Ops
{
    /// <summary>
    /// Elementwise kernels over a [rows, cols] output with operands read by layout (as <c>Kernels.Fused</c> reads its
    /// <c>FusedOperand</c>s), the numpy-broadcast binary op of rank 4, padding masks and gradient fan-in. One thread
    /// per output element; each element is the single IEEE operation the CPU performs, so results are bit-identical
    /// (log is rounded once from double, see <see cref="DeviceFloat"/>).
    /// </summary>
    public static class ElementwiseKernels
    {
        /// <summary>destination[r, c] = a op b, operands by layout; op 0 add, 1 subtract, 2 multiply, 3 divide.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void Binary(Index1D i, ElementwiseLaunch p, ArrayView<float> a, ArrayView<float> b, ArrayView<float> destination)
        {
            int r = i.X / p.Cols;
            int c = i.X - (r * p.Cols);
            float x = Read(a, p.ALayout, p.AStride, r, c);
            float y = Read(b, p.BLayout, p.BStride, r, c);
            destination[((long)r * p.DestinationStride) + c] = Apply(p.Op, x, y);
        }

        /// <summary>destination[r, c] = f(a); op 0 negate, 1 natural log.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void Unary(Index1D i, ElementwiseLaunch p, ArrayView<float> a, ArrayView<float> destination)
        {
            int r = i.X / p.Cols;
            int c = i.X - (r * p.Cols);
            float x = Read(a, p.ALayout, p.AStride, r, c);
            destination[((long)r * p.DestinationStride) + c] = p.Op == 0 ? -x : DeviceFloat.Log(x);
        }

        /// <summary><c>Elementwise.Binary</c> with rank-4 broadcasting: element i of the dense output, operands at their strides.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void Broadcast(Index1D i, Broadcast4 p, ArrayView<float> x, ArrayView<float> y, ArrayView<float> destination)
        {
            int rest = i.X;
            int i3 = rest % p.D3;
            rest /= p.D3;
            int i2 = rest % p.D2;
            rest /= p.D2;
            int i1 = rest % p.D1;
            int i0 = rest / p.D1;
            long xo = ((long)i0 * p.X0) + ((long)i1 * p.X1) + ((long)i2 * p.X2) + ((long)i3 * p.X3);
            long yo = ((long)i0 * p.Y0) + ((long)i1 * p.Y1) + ((long)i2 * p.Y2) + ((long)i3 * p.Y3);
            destination[i] = Apply(p.Op, x[xo], y[yo]);
        }

        /// <summary>destination[i] = ids[i] &lt; 0 ? fill : x[i].</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void MaskPadding(Index1D i, ArrayView<long> ids, ArrayView<float> x, float fill, ArrayView<float> destination) =>
            destination[i] = ids[i] < 0 ? fill : x[i];

        /// <summary>destination[i] = destination[i] + x[i].</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void Accumulate(Index1D i, ArrayView<float> x, ArrayView<float> destination) => destination[i] = destination[i] + x[i];

        internal static float Read(ArrayView<float> v, int layout, int stride, int r, int c) =>
            layout == 0 ? v[((long)r * stride) + c] : layout == 1 ? v[c] : layout == 2 ? v[r] : v[0];

        private static float Apply(int op, float x, float y) =>
            op == 0 ? x + y : op == 1 ? x - y : op == 2 ? x * y : x / y;
    }

    /// <summary>One elementwise launch over [Rows, Cols]: the op, each operand's layout (the values of
    /// <see cref="GraphSampling.Runtime.Cpu.OperandLayout"/>) and row stride, and the destination's row stride.</summary>
    public struct ElementwiseLaunch
    {
        /// <summary>Output rows.</summary>
        public int Rows;

        /// <summary>Output columns.</summary>
        public int Cols;

        /// <summary>Distance between destination rows.</summary>
        public int DestinationStride;

        /// <summary>The op code (see the kernel).</summary>
        public int Op;

        /// <summary>Layout of a: 0 Full, 1 Row, 2 Column, 3 Scalar.</summary>
        public int ALayout;

        /// <summary>Row stride of a when Full.</summary>
        public int AStride;

        /// <summary>Layout of b.</summary>
        public int BLayout;

        /// <summary>Row stride of b when Full.</summary>
        public int BStride;
    }

    /// <summary>Rank-4 output dims (live: the batch already substituted) and the two operands' strides (0 along broadcast axes).</summary>
    public struct Broadcast4
    {
        public int D0, D1, D2, D3;
        public int X0, X1, X2, X3;
        public int Y0, Y1, Y2, Y3;
        public int Op;
    }
}
