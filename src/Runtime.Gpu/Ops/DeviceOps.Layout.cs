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
            int n = Elements(destination.Length, "fill", tensor);
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
            int n = Elements(destination.Length, "fill", tensor);
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
        /// apart (concat and slice views: <c>Layout.CopyIn</c>/<c>CopyOut</c> are this with an offset view). With more
        /// than one row the destination stride must be at least the width and the source stride non-negative, and the
        /// elements read must not overlap the elements written (checked: an <see cref="ArgumentException"/>).
        /// </summary>
        public static void CopyRows(GpuContext gpu, ArrayView<float> source, int sourceStride, ArrayView<float> destination, int destinationStride, int rows, int width, string? tensor = null) =>
            CopyRows(gpu, "copy rows", source, sourceStride, destination, destinationStride, rows, width, tensor);

        /// <summary>As <see cref="CopyRows(GpuContext, ArrayView{float}, int, ArrayView{float}, int, int, int, string?)"/> for ids.</summary>
        public static void CopyRows(GpuContext gpu, ArrayView<long> source, int sourceStride, ArrayView<long> destination, int destinationStride, int rows, int width, string? tensor = null)
        {
            const string op = "copy rows";
            if (!CopyShape(op, source, sourceStride, destination, destinationStride, rows, width, tensor, out long read, out long written)) return;
            NoOverlap(source.SubView(0, read), destination.SubView(0, written), op, tensor, nameof(source), "the destination");
            try
            {
                gpu.OpKernels.CopyRowsLong(Elements((long)rows * width, op, tensor), new RowCopy { Width = width, SourceStride = sourceStride, DestinationStride = destinationStride }, source, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary>Copies all of <paramref name="source"/> into the start of <paramref name="destination"/> (they must not overlap).</summary>
        public static void Copy(GpuContext gpu, ArrayView<float> source, ArrayView<float> destination, string? tensor = null) =>
            CopyRows(gpu, "copy", source, (int)source.Length, destination, (int)source.Length, source.Length == 0 ? 0 : 1, Elements(source.Length, "copy", tensor), tensor);

        /// <summary><c>Layout.CopyIn</c>: a [outer, block] source into columns [offset, offset + block) of a [outer, dstBlock] destination.</summary>
        public static void CopyIn(GpuContext gpu, ArrayView<float> source, int outer, int block, ArrayView<float> destination, int dstBlock, int offset, string? tensor = null)
        {
            const string op = "copy in";
            Columns(op, outer, block, dstBlock, offset, tensor, nameof(dstBlock));
            if (outer == 0 || block == 0) return;
            Need(destination.Length, ((long)(outer - 1) * dstBlock) + offset + block, op, tensor, nameof(destination));
            CopyRows(gpu, op, source, block, destination.SubView(offset), dstBlock, outer, block, tensor);
        }

        /// <summary><c>Layout.CopyOut</c>: columns [offset, offset + block) of a [outer, srcBlock] source into a [outer, block] destination.</summary>
        public static void CopyOut(GpuContext gpu, ArrayView<float> source, int outer, int srcBlock, int offset, ArrayView<float> destination, int block, string? tensor = null)
        {
            const string op = "copy out";
            Columns(op, outer, block, srcBlock, offset, tensor, nameof(srcBlock));
            if (outer == 0 || block == 0) return;
            Need(source.Length, ((long)(outer - 1) * srcBlock) + offset + block, op, tensor, nameof(source));
            CopyRows(gpu, op, source.SubView(offset), srcBlock, destination, block, outer, block, tensor);
        }

        /// <summary><c>Layout.FillRows</c>: repeats <paramref name="row"/> over <paramref name="destination"/> (a whole number of rows).</summary>
        public static void FillRows(GpuContext gpu, ArrayView<float> row, ArrayView<float> destination, string? tensor = null)
        {
            if (row.Length == 0 || destination.Length % row.Length != 0)
            {
                throw new ArgumentException("fill rows" + (tensor is null ? "" : " '" + tensor + "'") + ": the destination (" + destination.Length + ") is not a whole number of rows of " + row.Length + ".", nameof(destination));
            }

            int n = Elements(destination.Length, "fill rows", tensor);
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
        /// is reported by <see cref="DeviceParameterTable.ThrowIfBadId"/>. <paramref name="tensor"/> names the
        /// destination in messages.
        /// </summary>
        public static void GatherRows(GpuContext gpu, DeviceParameterTable table, ArrayView<long> ids, ArrayView<float> destination, bool padding = false, string? tensor = null)
        {
            const string op = "gather rows";
            ArgumentNullException.ThrowIfNull(gpu);
            ArgumentNullException.ThrowIfNull(table);
            if (!ReferenceEquals(table.Context, gpu))
            {
                throw new ArgumentException(op + Named(tensor) + ": the table '" + table.Table.Name + "' lives on another GpuContext.", nameof(table));
            }

            Need(destination.Length, ids.Length * table.Table.Width, op + " of '" + table.Table.Name + "'" + (tensor is null ? "" : " into"), tensor, nameof(destination));
            if (padding)
            {
                table.GatherOrPadding(ids, destination);
            }
            else
            {
                table.Gather(ids, destination);
            }
        }

        private static void CopyRows(GpuContext gpu, string op, ArrayView<float> source, int sourceStride, ArrayView<float> destination, int destinationStride, int rows, int width, string? tensor)
        {
            if (!CopyShape(op, source, sourceStride, destination, destinationStride, rows, width, tensor, out long read, out long written)) return;
            NoOverlap(source.SubView(0, read), destination.SubView(0, written), op, tensor, nameof(source), "the destination");
            try
            {
                gpu.OpKernels.CopyRowsFloat(Elements((long)rows * width, op, tensor), new RowCopy { Width = width, SourceStride = sourceStride, DestinationStride = destinationStride }, source, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary>Checks a row copy's counts, strides and lengths; false when there is nothing to copy. Returns the
        /// elements read and written.</summary>
        private static bool CopyShape<T>(string op, ArrayView<T> source, int sourceStride, ArrayView<T> destination, int destinationStride, int rows, int width, string? tensor, out long read, out long written)
            where T : unmanaged
        {
            NonNegative(rows, op, nameof(rows), tensor);
            NonNegative(width, op, nameof(width), tensor);
            read = written = 0;
            if (rows == 0 || width == 0) return false;
            if (rows > 1) NonNegative(sourceStride, op, nameof(sourceStride), tensor);
            RowStride(destinationStride, rows, width, op, tensor, nameof(destinationStride));
            read = ((long)(rows - 1) * sourceStride) + width;
            written = ((long)(rows - 1) * destinationStride) + width;
            Need(source.Length, read, op, tensor, nameof(source));
            Need(destination.Length, written, op, tensor, nameof(destination));
            return true;
        }

        /// <summary>Columns [offset, offset + block) must lie in rows of <paramref name="rowWidth"/>.</summary>
        private static void Columns(string op, int outer, int block, int rowWidth, int offset, string? tensor, string parameter)
        {
            NonNegative(outer, op, nameof(outer), tensor);
            NonNegative(block, op, nameof(block), tensor);
            NonNegative(offset, op, nameof(offset), tensor);
            if ((long)offset + block > rowWidth)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), offset, op + Named(tensor) + ": columns [" + offset + ", " + ((long)offset + block) + ") do not fit in rows of " + parameter + " = " + rowWidth + ".");
            }
        }
    }
}
