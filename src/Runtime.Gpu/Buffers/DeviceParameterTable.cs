using System;
using System.Runtime.InteropServices;
using GraphSampling.Runtime.Buffers;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu.Buffers
{
    /// <summary>
    /// A <see cref="ParameterTable"/> resident on the device: all shards back to back in one buffer, in the host table's
    /// storage order, so that upload and download are single copies. Gathers rows by global id on the device under the
    /// table's Mod or Div partition. Every device buffer is allocated here (the gather scratch for up to
    /// <see cref="MaxIds"/> ids included); calls allocate nothing on the device.
    /// </summary>
    public sealed class DeviceParameterTable : IDisposable
    {
        private readonly GpuContext _context;
        private readonly MemoryBuffer1D<float, Stride1D.Dense> _data;
        private readonly MemoryBuffer1D<int, Stride1D.Dense> _shardStart;
        private readonly MemoryBuffer1D<long, Stride1D.Dense> _ids;
        private readonly MemoryBuffer1D<float, Stride1D.Dense> _rows;
        private readonly MemoryBuffer1D<int, Stride1D.Dense> _error;
        private readonly int[] _hostError = new int[1];
        private readonly TableLayout _layout;
        private readonly Action<Index1D, TableLayout, ArrayView<float>, ArrayView<int>, ArrayView<long>, ArrayView<float>, ArrayView<int>> _gather;
        private Action<Index1D, TableLayout, ArrayView<float>, ArrayView<int>, ArrayView<long>, ArrayView<float>, ArrayView<int>>? _gatherOrPadding;

        /// <summary>Allocates the device copy of <paramref name="table"/> and uploads it.</summary>
        /// <param name="context">The device.</param>
        /// <param name="table">The host table (kept: <see cref="Upload"/> and <see cref="Download"/> copy to and from it).</param>
        /// <param name="maxIds">Most ids one host-side <see cref="Gather(ReadOnlySpan{long}, Span{float})"/> call takes.</param>
        public DeviceParameterTable(GpuContext context, ParameterTable table, int maxIds)
        {
            ArgumentNullException.ThrowIfNull(context);
            ArgumentNullException.ThrowIfNull(table);
            ArgumentOutOfRangeException.ThrowIfNegative(maxIds);
            _context = context;
            Table = table;
            MaxIds = maxIds;
            _layout = new TableLayout { Rows = table.Rows, Width = table.Width, Shards = table.Shards, Mod = table.Partition == Partition.Mod ? 1 : 0 };
            var starts = new int[table.Shards + 1];
            for (int p = 0; p < table.Shards; p++)
            {
                starts[p + 1] = starts[p] + table.ShardRows(p);
            }

            Accelerator a = context.Accelerator;
            try
            {
                _data = a.Allocate1D<float>((long)table.Rows * table.Width);
                _shardStart = a.Allocate1D(starts);
                _ids = a.Allocate1D<long>(Math.Max(1, maxIds));
                _rows = a.Allocate1D<float>(Math.Max(1, (long)maxIds * table.Width));
                _error = a.Allocate1D<int>(1);
                _error.MemSetToZero();
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                Dispose();
                throw new GpuOperationException("allocate table", table.Name, e);
            }

            _gather = KernelLoader.Load(
                context,
                "embedding gather",
                (Action<Index1D, TableLayout, ArrayView<float>, ArrayView<int>, ArrayView<long>, ArrayView<float>, ArrayView<int>>)GatherKernels.GatherRows,
                KernelGrouping.Implicit,
                acc => acc.LoadAutoGroupedStreamKernel<Index1D, TableLayout, ArrayView<float>, ArrayView<int>, ArrayView<long>, ArrayView<float>, ArrayView<int>>(GatherKernels.GatherRows));
            Upload();
        }

        /// <summary>The host table this device copy mirrors.</summary>
        public ParameterTable Table { get; }

        /// <summary>Most ids per host-side gather.</summary>
        public int MaxIds { get; }

        /// <summary>The table on the device, shards back to back (the host table's <see cref="ParameterTable.Data"/> order).</summary>
        public ArrayView<float> Data => _data.View;

        /// <summary>The context the table lives on.</summary>
        internal GpuContext Context => _context;

        /// <summary>Shape and partition, for kernels.</summary>
        internal TableLayout Layout => _layout;

        /// <summary>First storage row of each shard (Shards + 1 ints).</summary>
        internal ArrayView<int> ShardStart => _shardStart.View;

        /// <summary>Copies the host table to the device.</summary>
        public void Upload()
        {
            try
            {
                _data.View.CopyFromCPU(ref MemoryMarshal.GetReference(Table.Data), Table.Data.Length);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("upload", Table.Name, e);
            }
        }

        /// <summary>Copies the device table back into the host table (after device-side updates).</summary>
        public void Download()
        {
            try
            {
                _data.View.CopyToCPU(ref MemoryMarshal.GetReference(Table.Data), Table.Data.Length);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("download", Table.Name, e);
            }
        }

        /// <summary>
        /// Launches the gather of <c>destination[ids.Length, Width]</c> from ids already on the device. Ids are not
        /// checked on the host; an out-of-range id gives a zero row and is reported by <see cref="ThrowIfBadId"/>.
        /// </summary>
        public void Gather(ArrayView<long> ids, ArrayView<float> destination)
        {
            long elements = ids.Length * Table.Width;
            if (destination.Length < elements)
            {
                throw new ArgumentException($"destination holds {destination.Length} floats; {ids.Length} rows of '{Table.Name}' need {elements}.", nameof(destination));
            }

            if (elements == 0)
            {
                return;
            }

            try
            {
                _gather((int)elements, _layout, _data.View, _shardStart.View, ids, destination, _error.View);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("embedding gather", Table.Name, e);
            }
        }

        /// <summary>
        /// As <see cref="Gather(ArrayView{long}, ArrayView{float})"/>, with −1 as padding (<c>Gather.RowsOrPadding</c>):
        /// its row of <paramref name="destination"/> is zeros and no table row is read. Other bad ids are reported by
        /// <see cref="ThrowIfBadId"/>. The kernel is loaded at the first call.
        /// </summary>
        public void GatherOrPadding(ArrayView<long> ids, ArrayView<float> destination)
        {
            long elements = ids.Length * Table.Width;
            if (destination.Length < elements)
            {
                throw new ArgumentException($"destination holds {destination.Length} floats; {ids.Length} rows of '{Table.Name}' need {elements}.", nameof(destination));
            }

            if (elements == 0)
            {
                return;
            }

            _gatherOrPadding ??= KernelLoader.Load(
                _context,
                "embedding gather (padding)",
                (Action<Index1D, TableLayout, ArrayView<float>, ArrayView<int>, ArrayView<long>, ArrayView<float>, ArrayView<int>>)GatherKernels.GatherRowsOrPadding,
                KernelGrouping.Implicit,
                acc => acc.LoadAutoGroupedStreamKernel<Index1D, TableLayout, ArrayView<float>, ArrayView<int>, ArrayView<long>, ArrayView<float>, ArrayView<int>>(GatherKernels.GatherRowsOrPadding));
            try
            {
                _gatherOrPadding((int)elements, _layout, _data.View, _shardStart.View, ids, destination, _error.View);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("embedding gather (padding)", Table.Name, e);
            }
        }

        /// <summary>
        /// Gathers the rows of <paramref name="ids"/> (host memory) into <paramref name="destination"/> ([ids, Width],
        /// host memory) through the device, as <see cref="ParameterTable.Row"/> would read them one by one.
        /// </summary>
        public void Gather(ReadOnlySpan<long> ids, Span<float> destination)
        {
            if (ids.Length > MaxIds) throw new ArgumentException($"{ids.Length} ids exceed maxIds = {MaxIds} of '{Table.Name}'.", nameof(ids));
            int elements = ids.Length * Table.Width;
            if (destination.Length < elements) throw new ArgumentException($"destination holds {destination.Length} floats; {ids.Length} rows need {elements}.", nameof(destination));
            for (int i = 0; i < ids.Length; i++)
            {
                if ((ulong)ids[i] >= (ulong)Table.Rows)
                {
                    throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"id at position {i} is {ids[i]}; it must lie in [0, {Table.Rows}) for '{Table.Name}'.");
                }
            }

            if (elements == 0)
            {
                return;
            }

            try
            {
                ArrayView<long> idView = _ids.View.SubView(0, ids.Length);
                idView.CopyFromCPU(ref MemoryMarshal.GetReference(ids), ids.Length);
                Gather(idView, _rows.View);
                _rows.View.SubView(0, elements).CopyToCPU(ref MemoryMarshal.GetReference(destination), elements);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("embedding gather", Table.Name, e);
            }
        }

        /// <summary>Throws (and resets the record) if a device-side <see cref="Gather(ArrayView{long}, ArrayView{float})"/> met an out-of-range id.</summary>
        public void ThrowIfBadId()
        {
            try
            {
                _error.View.CopyToCPU(ref _hostError[0], 1);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("check gather ids", Table.Name, e);
            }

            if (_hostError[0] != 0)
            {
                int position = _hostError[0] - 1;
                _error.MemSetToZero();
                throw new InvalidOperationException($"A device gather from '{Table.Name}' met an id outside [0, {Table.Rows}), the highest at position {position} (its row was zeroed).");
            }
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            _data?.Dispose();
            _shardStart?.Dispose();
            _ids?.Dispose();
            _rows?.Dispose();
            _error?.Dispose();
        }
    }
}
