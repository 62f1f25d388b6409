using ILGPU;

namespace GraphSampling.Runtime.Gpu.Buffers
{
    /// <summary>Row gathers from a device-resident sharded table.</summary>
    public static class GatherKernels
    {
        /// <summary>
        /// Element i of <c>destination[ids.Length, width]</c>: column i mod width of the row of id i / width. An id
        /// outside [0, rows) gives a zero row and records its position + 1 in <c>error[0]</c> (the device cannot throw).
        /// </summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void GatherRows(Index1D i, TableLayout layout, ArrayView<float> table, ArrayView<int> shardStart, ArrayView<long> ids, ArrayView<float> destination, ArrayView<int> error) =>
            Gather(i.X, layout, table, shardStart, ids, destination, error, false);

        /// <summary>As <see cref="GatherRows"/>, with −1 as padding: its row is zeros and no table row is read
        /// (<c>Gather.RowsOrPadding</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void GatherRowsOrPadding(Index1D i, TableLayout layout, ArrayView<float> table, ArrayView<int> shardStart, ArrayView<long> ids, ArrayView<float> destination, ArrayView<int> error) =>
            Gather(i.X, layout, table, shardStart, ids, destination, error, true);

        private static void Gather(int i, TableLayout layout, ArrayView<float> table, ArrayView<int> shardStart, ArrayView<long> ids, ArrayView<float> destination, ArrayView<int> error, bool padding)
        {
            int position = i / layout.Width;
            int column = i - (position * layout.Width);
            long id = ids[position];
            if (padding && id == -1)
            {
                destination[i] = 0.0f;
                return;
            }

            if (id < 0 || id >= layout.Rows)
            {
                destination[i] = 0.0f;
                Atomic.Max(ref error[0], position + 1);
                return;
            }

            destination[i] = table[(layout.StorageRow(id, shardStart) * layout.Width) + column];
        }
    }
}
