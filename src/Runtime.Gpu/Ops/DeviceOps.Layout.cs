using System;
using GraphSampling.Runtime.Gpu.Buffers;
using ILGPU;

namespace GraphSampling.Runtime.Gpu.Ops
{
    public static partial class DeviceOps
    {
        /// <summary>destination[i] = value for every element of <paramref name="destination"/>.</summary>
        public static void Fill(GpuContext gpu, ArrayView<float> destination, float value, string? tensor = null)
        {
            int n = Elements(destination.Length, "fill");
            if (n == 0) return;
            try
            {
                gpu.OpKernels.FillFloat(n, destination, value);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail("fill", tensor, e);
            }
        }

        /// <summary>destination[i] = value for every element of <paramref name="destination"/>.</summary>
        public static void Fill(GpuContext gpu, ArrayView<long> destination, long value, string? tensor = null)
        {
            int n = Elements(destination.Length, "fill");
            if (n == 0) return;
            try
            {
                gpu.OpKernels.FillLong(n, destination, value);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail("fill", tensor, e);
            }
        }

        /// <summary>
        /// Copies <paramref name="rows"/> rows of <paramref name="width"/> floats from a source whose rows are
        /// <paramref name="sourceStride"/> apart into a destination whose rows are <paramref name="destinationStride"/>
        /// apart (concat and slice views: <c>Layout.CopyIn</c>/<c>CopyOut</c> are this with an offset view). The two must
        /// not overlap.
        /// </summary>
        public static void CopyRows(GpuContext gpu, ArrayView<float> source, int sourceStride, ArrayView<float> destination, int destinationStride, int rows, int width, string? tensor = null)
        {
            const string op = "copy rows";
            NonNegative(rows, op, nameof(rows));
            NonNegative(width, op, nameof(width));
            if (rows == 0 || width == 0) return;
            Need(source.Length, ((long)(rows - 1) * sourceStride) + width, op, tensor, nameof(source));
            Need(destination.Length, ((long)(rows - 1) * destinationStride) + width, op, tensor, nameof(destination));
            try
            {
                gpu.OpKernels.CopyRowsFloat(Elements((long)rows * width, op), new RowCopy { Width = width, SourceStride = sourceStride, DestinationStride = destinationStride }, source, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary>As <see cref="CopyRows(GpuContext, ArrayView{float}, int, ArrayView{float}, int, int, int, string?)"/> for ids.</summary>
        public static void CopyRows(GpuContext gpu, ArrayView<long> source, int sourceStride, ArrayView<long> destination, int destinationStride, int rows, int width, string? tensor = null)
        {
            const string op = "copy rows";
            NonNegative(rows, op, nameof(rows));
            NonNegative(width, op, nameof(width));
            if (rows == 0 || width == 0) return;
            Need(source.Length, ((long)(rows - 1) * sourceStride) + width, op, tensor, nameof(source));
            Need(destination.Length, ((long)(rows - 1) * destinationStride) + width, op, tensor, nameof(destination));
            try
            {
                gpu.OpKernels.CopyRowsLong(Elements((long)rows * width, op), new RowCopy { Width = width, SourceStride = sourceStride, DestinationStride = destinationStride }, source, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary>Copies all of <paramref name="source"/> into the start of <paramref name="destination"/>.</summary>
        public static void Copy(GpuContext gpu, ArrayView<float> source, ArrayView<float> destination, string? tensor = null) =>
            CopyRows(gpu, source, (int)source.Length, destination, (int)source.Length, source.Length == 0 ? 0 : 1, (int)source.Length, tensor);

        /// <summary><c>Layout.CopyIn</c>: a [outer, block] source into columns [offset, offset + block) of a [outer, dstBlock] destination.</summary>
        public static void CopyIn(GpuContext gpu, ArrayView<float> source, int outer, int block, ArrayView<float> destination, int dstBlock, int offset, string? tensor = null)
        {
            if (outer == 0 || block == 0) return;
            Need(destination.Length, offset, "copy in", tensor, nameof(destination));
            CopyRows(gpu, source, block, destination.SubView(offset), dstBlock, outer, block, tensor);
        }

        /// <summary><c>Layout.CopyOut</c>: columns [offset, offset + block) of a [outer, srcBlock] source into a [outer, block] destination.</summary>
        public static void CopyOut(GpuContext gpu, ArrayView<float> source, int outer, int srcBlock, int offset, ArrayView<float> destination, int block, string? tensor = null)
        {
            if (outer == 0 || block == 0) return;
            Need(source.Length, offset, "copy out", tensor, nameof(source));
            CopyRows(gpu, source.SubView(offset), srcBlock, destination, block, outer, block, tensor);
        }

        /// <summary><c>Layout.FillRows</c>: repeats <paramref name="row"/> over <paramref name="destination"/> (a whole number of rows).</summary>
        public static void FillRows(GpuContext gpu, ArrayView<float> row, ArrayView<float> destination, string? tensor = null)
        {
            if (row.Length == 0 || destination.Length % row.Length != 0)
            {
                throw new ArgumentException("fill rows" + (tensor is null ? "" : " '" + tensor + "'") + ": the destination (" + destination.Length + ") is not a whole number of rows of " + row.Length + ".", nameof(destination));
            }

            int n = Elements(destination.Length, "fill rows");
            if (n == 0) return;
            try
            {
                gpu.OpKernels.FillRowsFloat(n, row, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail("fill rows", tensor, e);
            }
        }

        /// <summary>
        /// <c>Gather.Rows</c> (or, with <paramref name="padding"/>, <c>Gather.RowsOrPadding</c>: an id of −1 gives a
        /// zero row): destination[n] = table[ids[n]], Width floats per id. An id outside the table gives a zero row and
        /// is reported by <see cref="DeviceParameterTable.ThrowIfBadId"/>.
        /// </summary>
        public static void GatherRows(GpuContext gpu, DeviceParameterTable table, ArrayView<long> ids, ArrayView<float> destination, bool padding = false)
        {
            ArgumentNullException.ThrowIfNull(table);
            if (!ReferenceEquals(table.Context, gpu))
            {
                throw new ArgumentException("gather rows: the table '" + table.Table.Name + "' lives on another GpuContext.", nameof(table));
            }

            if (padding)
            {
                table.GatherOrPadding(ids, destination);
            }
            else
            {
                table.Gather(ids, destination);
            }
        }
    }
}
