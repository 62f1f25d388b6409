using ILGPU;

namespace GraphSampling.Runtime.Gpu.Ops
{
    /// <summary>Fills and row copies (concat and slice views), one thread per element written.</summary>
    public static class LayoutKernels
    {
        /// <summary>destination[i] = value.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void FillFloat(Index1D i, ArrayView<float> destination, float value) => destination[i] = value;

        /// <summary>destination[i] = value.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void FillLong(Index1D i, ArrayView<long> destination, long value) => destination[i] = value;

        /// <summary>Element i of a [rows, width] block: row i / width, column i mod width, each side at its own row stride.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void CopyRowsFloat(Index1D i, RowCopy p, ArrayView<float> source, ArrayView<float> destination)
        {
            int r = i.X / p.Width;
            int c = i.X - (r * p.Width);
            destination[((long)r * p.DestinationStride) + c] = source[((long)r * p.SourceStride) + c];
        }

        /// <summary>As <see cref="CopyRowsFloat"/> for ids.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void CopyRowsLong(Index1D i, RowCopy p, ArrayView<long> source, ArrayView<long> destination)
        {
            int r = i.X / p.Width;
            int c = i.X - (r * p.Width);
            destination[((long)r * p.DestinationStride) + c] = source[((long)r * p.SourceStride) + c];
        }

        /// <summary>destination[i] = row[i mod row length] (<c>Layout.FillRows</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void FillRowsFloat(Index1D i, ArrayView<float> row, ArrayView<float> destination) => destination[i] = row[i.X % row.IntLength];
    }

    /// <summary>A strided block copy: <c>Rows</c> rows of <c>Width</c> elements, each side with its own row stride.</summary>
    public struct RowCopy
    {
        /// <summary>Elements per row.</summary>
        public int Width;

        /// <summary>Distance between source rows.</summary>
        public int SourceStride;

        /// <summary>Distance between destination rows.</summary>
        public int DestinationStride;
    }
}
