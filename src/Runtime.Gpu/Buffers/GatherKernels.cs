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
        public static void GatherRows(Index1D i, TableLayout layout, ArrayView<float> table, ArrayView<int> shardStart, ArrayView<long> ids, ArrayView<float> destination, ArrayView<int> error)
        {
            int position = i.X / layout.Width;
            int column = i.X - (position * layout.Width);
            long id = ids[position];
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
