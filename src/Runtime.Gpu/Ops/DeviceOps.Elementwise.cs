using System;
using GraphSampling.Runtime.Cpu;
using GraphSampling.Runtime.Ops;
using ILGPU;

namespace GraphSampling.Runtime.Gpu.Ops
{
    public static partial class DeviceOps
    {
        /// <summary><c>Elementwise.MaskPadding</c>: destination[i] = ids[i] &lt; 0 ? fill : x[i], one element per id. As on
        /// the CPU, x must hold exactly one element per id; the destination may be x itself (in place), but no other
        /// view sharing x's elements.</summary>
        public static void MaskPadding(GpuContext gpu, ArrayView<long> ids, ArrayView<float> x, float fill, ArrayView<float> destination, string? tensor = null)
        {
            const string op = "mask padding";
            if (x.Length != ids.Length)
            {
                throw new ArgumentException(op + Named(tensor) + ": x holds " + x.Length + " elements; it must hold one per id (" + ids.Length + ").", nameof(x));
            }

            Need(destination.Length, ids.Length, op, tensor, nameof(destination));
            InPlaceOnly(x, destination.SubView(0, ids.Length), true, op, tensor, nameof(x));
            int n = Elements(ids.Length, op, tensor);
            if (n == 0) return;
            try
            {
                gpu.OpKernels.MaskPadding(n, ids, x, fill, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary>
        /// destination[r, c] = a op b over a [rows, cols] output whose rows are <paramref name="destinationStride"/> apart,
        /// each operand read by its layout (<c>Kernels.Fused</c>'s operands; a fused chain is these ops one after the
        /// other, each rounding as the CPU's fused operator rounds it). As <c>Kernels.Fused</c>: with more than one row the
        /// destination's and every Full operand's stride must be at least cols, and an operand may share memory with the
        /// destination only as exactly the same rows (Full, the same first element, the destination's stride); anything
        /// else is an <see cref="ArgumentException"/> (on the device it would be a race).
        /// </summary>
        public static void Binary(GpuContext gpu, BinaryOp op, int rows, int cols, DeviceOperand a, DeviceOperand b, ArrayView<float> destination, int destinationStride, string? tensor = null)
        {
            string name = BinaryName(op);
            if (rows <= 0 || cols <= 0) return;
            ArrayView<float> written = Destination(name, rows, cols, destination, destinationStride, tensor);
            CheckOperand(a, rows, cols, written, destinationStride, name, tensor, nameof(a));
            CheckOperand(b, rows, cols, written, destinationStride, name, tensor, nameof(b));
            var p = new ElementwiseLaunch
            {
                Rows = rows,
                Cols = cols,
                DestinationStride = destinationStride,
                Op = (int)op,
                ALayout = (int)a.Layout,
                AStride = a.Stride,
                BLayout = (int)b.Layout,
                BStride = b.Stride,
            };
            try
            {
                gpu.OpKernels.Binary(Elements((long)rows * cols, name, tensor), p, a.Data, b.Data, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(name, tensor, e);
            }
        }

        /// <summary><c>Elementwise.Binary(op, x, y, destination)</c>: same-shape operands, destination = x op y.</summary>
        public static void Binary(GpuContext gpu, BinaryOp op, ArrayView<float> x, ArrayView<float> y, ArrayView<float> destination, string? tensor = null)
        {
            int n = Elements(x.Length, "binary", tensor);
            Binary(gpu, op, 1, n, DeviceOperand.Full(x, n), DeviceOperand.Full(y, n), destination, n, tensor);
        }

        /// <summary>
        /// <c>Elementwise.Binary</c> with numpy broadcasting: <paramref name="dims"/> is the output's shape left-padded to
        /// rank 4 (−1 is the batch axis, <paramref name="batch"/> rows), the strides each operand's (0 along broadcast
        /// axes); the output is dense.
        /// </summary>
        public static void Binary(GpuContext gpu, BinaryOp op, ArrayView<float> x, ArrayView<float> y, ArrayView<float> destination,
            ReadOnlySpan<int> dims, ReadOnlySpan<int> xStrides, ReadOnlySpan<int> yStrides, int batch, string? tensor = null)
        {
            string name = BinaryName(op);
            Broadcast4 p = Shape4(dims, xStrides, batch, name, tensor);
            if (yStrides.Length != 4)
            {
                throw new ArgumentException(name + Named(tensor) + ": yStrides must have rank 4 (left-padded).", nameof(yStrides));
            }

            p.Y0 = yStrides[0];
            p.Y1 = yStrides[1];
            p.Y2 = yStrides[2];
            p.Y3 = yStrides[3];
            p.Op = (int)op;
            long n = (long)p.D0 * p.D1 * p.D2 * p.D3;
            if (n == 0) return;
            NonNegativeStrides(yStrides, name, tensor, nameof(yStrides));
            long xe = Extent(p.D0, p.D1, p.D2, p.D3, p.X0, p.X1, p.X2, p.X3), ye = Extent(p.D0, p.D1, p.D2, p.D3, p.Y0, p.Y1, p.Y2, p.Y3);
            Need(x.Length, xe, name, tensor, nameof(x));
            Need(y.Length, ye, name, tensor, nameof(y));
            Need(destination.Length, n, name, tensor, nameof(destination));
            ArrayView<float> written = destination.SubView(0, n);
            InPlaceOnly(x.SubView(0, xe), written, DenseAlong(p, p.X0, p.X1, p.X2, p.X3), name, tensor, nameof(x));
            InPlaceOnly(y.SubView(0, ye), written, DenseAlong(p, p.Y0, p.Y1, p.Y2, p.Y3), name, tensor, nameof(y));
            try
            {
                gpu.OpKernels.Broadcast(Elements(n, name, tensor), p, x, y, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(name, tensor, e);
            }
        }

        /// <summary>destination[r, c] = −x over [rows, cols] (<c>Elementwise.Negate</c>, and the fused chains' negation).</summary>
        public static void Negate(GpuContext gpu, int rows, int cols, DeviceOperand x, ArrayView<float> destination, int destinationStride, string? tensor = null) =>
            Unary(gpu, "negate", 0, rows, cols, x, destination, destinationStride, tensor);

        /// <summary><c>Elementwise.Negate</c>: destination = −x.</summary>
        public static void Negate(GpuContext gpu, ArrayView<float> x, ArrayView<float> destination, string? tensor = null)
        {
            int n = Elements(x.Length, "negate", tensor);
            Negate(gpu, 1, n, DeviceOperand.Full(x, n), destination, n, tensor);
        }

        /// <summary>destination[r, c] = log x over [rows, cols] (<c>Elementwise.Log</c>; correctly rounded, within 1 ulp of <c>VectorMath.Log</c>).</summary>
        public static void Log(GpuContext gpu, int rows, int cols, DeviceOperand x, ArrayView<float> destination, int destinationStride, string? tensor = null) =>
            Unary(gpu, "log", 1, rows, cols, x, destination, destinationStride, tensor);

        /// <summary><c>Elementwise.Log</c>: destination = log x.</summary>
        public static void Log(GpuContext gpu, ArrayView<float> x, ArrayView<float> destination, string? tensor = null)
        {
            int n = Elements(x.Length, "log", tensor);
            Log(gpu, 1, n, DeviceOperand.Full(x, n), destination, n, tensor);
        }

        /// <summary><c>Elementwise.Accumulate</c>: destination += x (gradient fan-in). x may be the destination itself
        /// (destination = 2·destination) but no other view sharing its elements.</summary>
        public static void Accumulate(GpuContext gpu, ArrayView<float> x, ArrayView<float> destination, string? tensor = null)
        {
            const string op = "accumulate";
            Need(destination.Length, x.Length, op, tensor, nameof(destination));
            InPlaceOnly(x, destination.SubView(0, x.Length), true, op, tensor, nameof(x));
            int n = Elements(x.Length, op, tensor);
            if (n == 0) return;
            try
            {
                gpu.OpKernels.Accumulate(n, x, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        private static void Unary(GpuContext gpu, string name, int code, int rows, int cols, DeviceOperand x, ArrayView<float> destination, int destinationStride, string? tensor)
        {
            if (rows <= 0 || cols <= 0) return;
            ArrayView<float> written = Destination(name, rows, cols, destination, destinationStride, tensor);
            CheckOperand(x, rows, cols, written, destinationStride, name, tensor, "x");
            var p = new ElementwiseLaunch { Rows = rows, Cols = cols, DestinationStride = destinationStride, Op = code, ALayout = (int)x.Layout, AStride = x.Stride };
            try
            {
                gpu.OpKernels.Unary(Elements((long)rows * cols, name, tensor), p, x.Data, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(name, tensor, e);
            }
        }

        /// <summary>The destination's stride and length for [rows, cols]; returns the elements the op writes.</summary>
        private static ArrayView<float> Destination(string name, int rows, int cols, ArrayView<float> destination, int destinationStride, string? tensor)
        {
            RowStride(destinationStride, rows, cols, name, tensor, nameof(destinationStride));
            long needed = ((long)(rows - 1) * destinationStride) + cols;
            Need(destination.Length, needed, name, tensor, nameof(destination));
            return destination.SubView(0, needed);
        }

        /// <summary><c>Kernels.Fused</c>'s operand check: a Full operand's stride at least cols (more than one row), its
        /// length for the layout, and memory shared with the destination only as the same rows in place.</summary>
        private static void CheckOperand(DeviceOperand o, int rows, int cols, ArrayView<float> written, int destinationStride, string name, string? tensor, string parameter)
        {
            if (o.Layout == OperandLayout.Full && rows > 1 && o.Stride < cols)
            {
                throw new ArgumentException(name + Named(tensor) + ": operand " + parameter + " has rows " + o.Stride + " apart; rows of " + cols + " need at least " + cols + ".", parameter);
            }

            long needed = o.Needed(rows, cols);
            Need(o.Data.Length, needed, name, tensor, parameter);
            bool sameRows = o.Layout == OperandLayout.Full && (rows == 1 || o.Stride == destinationStride);
            InPlaceOnly(o.Data.SubView(0, needed), written, sameRows, name, tensor, parameter);
        }

        /// <summary>Whether an operand with these strides reads element i of the dense output at i (the output's dense
        /// strides along every axis longer than 1), so that it may be the destination in place.</summary>
        private static bool DenseAlong(Broadcast4 p, int s0, int s1, int s2, int s3)
        {
            long d3 = 1, d2 = p.D3, d1 = (long)p.D2 * p.D3, d0 = (long)p.D1 * p.D2 * p.D3;
            return (p.D0 <= 1 || s0 == d0) && (p.D1 <= 1 || s1 == d1) && (p.D2 <= 1 || s2 == d2) && (p.D3 <= 1 || s3 == d3);
        }

        private static string BinaryName(BinaryOp op) => op switch
        {
            BinaryOp.Add => "add",
            BinaryOp.Subtract => "subtract",
            BinaryOp.Multiply => "multiply",
            _ => "divide",
        };

        /// <summary>Live rank-4 dims (−1 → batch) and one operand's strides.</summary>
        private static Broadcast4 Shape4(ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, int batch, string op, string? tensor)
        {
            if (dims.Length != 4 || strides.Length != 4)
            {
                throw new ArgumentException(op + Named(tensor) + ": dims and strides must have rank 4 (left-padded).", nameof(dims));
            }

            NonNegativeStrides(strides, op, tensor, nameof(strides));
            static int Live(int d, int batch) => d < 0 ? batch : d;
            return new Broadcast4
            {
                D0 = Live(dims[0], batch),
                D1 = Live(dims[1], batch),
                D2 = Live(dims[2], batch),
                D3 = Live(dims[3], batch),
                X0 = strides[0],
                X1 = strides[1],
                X2 = strides[2],
                X3 = strides[3],
            };
        }

        /// <summary>Broadcast strides are 0 (broadcast) or positive: a negative one would index below the view.</summary>
        private static void NonNegativeStrides(ReadOnlySpan<int> strides, string op, string? tensor, string parameter)
        {
            foreach (int s in strides)
            {
                if (s < 0)
                {
                    throw new ArgumentOutOfRangeException(parameter, s, op + Named(tensor) + ": " + parameter + " must be non-negative (0 along a broadcast axis).");
                }
            }
        }

        /// <summary>One past the last element an operand with these strides reads over these dims.</summary>
        private static long Extent(int d0, int d1, int d2, int d3, int s0, int s1, int s2, int s3) =>
            ((long)(d0 - 1) * s0) + ((long)(d1 - 1) * s1) + ((long)(d2 - 1) * s2) + ((long)(d3 - 1) * s3) + 1;
    }
}
