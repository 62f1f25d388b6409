using System;
using System.Numerics;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu.Buffers
{
    /// <summary>One id list of a step, as <see cref="DeviceSparseRowGradient.AddIds"/> placed it: its first position
    /// over all the step's lists and its length. Pass it back to <see cref="DeviceSparseRowGradient.AddRows"/>.</summary>
    public readonly record struct DeviceIdList(int Start, int Length);

    /// <summary>
    /// The device version of <see cref="GraphSampling.Runtime.Buffers.SparseRowGradient"/>: the unique ids a step touched,
    /// ascending, and one summed row per id, with the same two-phase protocol (<see cref="Begin"/>, <see cref="AddIds"/>
    /// for every id list, <see cref="Seal"/>, then <see cref="AddRows"/> for every list's rows). Every device buffer is
    /// allocated here, sized for <see cref="MaxEntries"/> ids per step (repeats and padding included); a step
    /// allocates nothing and launches only (no host wait) until <see cref="ReadCount"/> or <see cref="SquaredNorm"/>.
    /// <para>De-duplication is by sorting 64-bit keys <c>id · 2^32 + position</c> (bitonic, on the used power of two),
    /// so each id's entries lie together in position order; <see cref="AddRows"/> then adds, for each (slot, column),
    /// that id's rows in position order, starting from zero: the additions the CPU makes, in its order, so the rows
    /// are bit-identical to the CPU's when the lists are added in the order their ids were.</para>
    /// </summary>
    public sealed class DeviceSparseRowGradient : IDisposable
    {
        private readonly GpuContext _gpu;
        private readonly int _sortCapacity;                    // power of two ≥ MaxEntries
        private readonly MemoryBuffer1D<long, Stride1D.Dense> _keys;
        private readonly MemoryBuffer1D<int, Stride1D.Dense> _flags;
        private readonly MemoryBuffer1D<int, Stride1D.Dense> _scan;
        private readonly MemoryBuffer1D<long, Stride1D.Dense> _ids;
        private readonly MemoryBuffer1D<int, Stride1D.Dense> _segmentStart;
        private readonly MemoryBuffer1D<int, Stride1D.Dense> _count;
        private readonly MemoryBuffer1D<float, Stride1D.Dense> _rows;
        private readonly MemoryBuffer1D<double, Stride1D.Dense> _norm;
        private readonly MemoryBuffer1D<int, Stride1D.Dense> _error;
        private readonly int[] _hostInt = new int[1];
        private readonly double[] _hostDouble = new double[1];
        private int _positions;
        private int _sealedPositions;
        private bool _begun;
        private bool _sealed;

        private readonly Action<Index1D, int, int, ArrayView<long>, ArrayView<long>, ArrayView<int>> _writeKeys;
        private readonly Action<Index1D, ArrayView<long>, long> _fillKeys;
        private readonly Action<Index1D, int, int, ArrayView<long>> _bitonicStep;
        private readonly Action<Index1D, ArrayView<long>, ArrayView<int>> _firstFlags;
        private readonly Action<Index1D, int, ArrayView<int>, ArrayView<int>> _scanStep;
        private readonly Action<Index1D, ArrayView<long>, ArrayView<int>, ArrayView<long>, ArrayView<int>, ArrayView<int>> _compact;
        private readonly Action<Index1D, int, ArrayView<int>, ArrayView<float>> _zeroRows;
        private readonly Action<Index1D, int, int, int, ArrayView<long>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>> _addRows;
        private readonly Action<Index1D, int, ArrayView<int>, ArrayView<float>, ArrayView<double>> _squaredNorm;

        /// <summary>Allocates the gradient's buffers and loads its kernels.</summary>
        /// <param name="gpu">The device.</param>
        /// <param name="name">The table's name, for messages.</param>
        /// <param name="tableRows">Ids of the table: each must lie in [0, tableRows) or be negative (padding).</param>
        /// <param name="width">Floats per row.</param>
        /// <param name="maxEntries">Most ids one step adds over all its lists (repeats and padding count).</param>
        public DeviceSparseRowGradient(GpuContext gpu, string name, int tableRows, int width, int maxEntries)
        {
            ArgumentNullException.ThrowIfNull(gpu);
            ArgumentNullException.ThrowIfNull(name);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tableRows);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
            ArgumentOutOfRangeException.ThrowIfNegative(maxEntries);
            if (maxEntries > 1 << 30)
            {
                throw new ArgumentOutOfRangeException(nameof(maxEntries), maxEntries, "The gradient of '" + name + "' can sort at most 2^30 entries a step.");
            }

            _gpu = gpu;
            Name = name;
            TableRows = tableRows;
            Width = width;
            MaxEntries = maxEntries;
            Capacity = Math.Min(tableRows, maxEntries);
            if ((long)Capacity * width > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(maxEntries), maxEntries, "The gradient of '" + name + "' would hold " + ((long)Capacity * width) + " floats (" + Capacity + " rows of " + width + "), more than one launch covers.");
            }

            _sortCapacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, maxEntries));
            Accelerator a = gpu.Accelerator;
            // Allocate and load inside one try: a failed allocation or kernel load frees what was already allocated.
            try
            {
                _keys = a.Allocate1D<long>(_sortCapacity);
                _flags = a.Allocate1D<int>(_sortCapacity);
                _scan = a.Allocate1D<int>(_sortCapacity);
                _ids = a.Allocate1D<long>(Math.Max(1, Capacity));
                _segmentStart = a.Allocate1D<int>(Capacity + 1);
                _count = a.Allocate1D<int>(1);
                _rows = a.Allocate1D<float>(Math.Max(1, (long)Capacity * width));
                _norm = a.Allocate1D<double>(1);
                _error = a.Allocate1D<int>(1);
                _count.MemSetToZero();
                _error.MemSetToZero();

                _writeKeys = KernelLoader.Load(gpu, "sparse gradient ids", (Action<Index1D, int, int, ArrayView<long>, ArrayView<long>, ArrayView<int>>)SparseGradientKernels.WriteKeys, KernelGrouping.Implicit,
                    acc => acc.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<long>, ArrayView<long>, ArrayView<int>>(SparseGradientKernels.WriteKeys));
                _fillKeys = KernelLoader.Load(gpu, "sparse gradient seal", (Action<Index1D, ArrayView<long>, long>)Ops.LayoutKernels.FillLong, KernelGrouping.Implicit,
                    acc => acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<long>, long>(Ops.LayoutKernels.FillLong));
                _bitonicStep = KernelLoader.Load(gpu, "sparse gradient sort", (Action<Index1D, int, int, ArrayView<long>>)SparseGradientKernels.BitonicStep, KernelGrouping.Implicit,
                    acc => acc.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<long>>(SparseGradientKernels.BitonicStep));
                _firstFlags = KernelLoader.Load(gpu, "sparse gradient seal", (Action<Index1D, ArrayView<long>, ArrayView<int>>)SparseGradientKernels.FirstFlags, KernelGrouping.Implicit,
                    acc => acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<long>, ArrayView<int>>(SparseGradientKernels.FirstFlags));
                _scanStep = KernelLoader.Load(gpu, "sparse gradient seal", (Action<Index1D, int, ArrayView<int>, ArrayView<int>>)SparseGradientKernels.ScanStep, KernelGrouping.Implicit,
                    acc => acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<int>, ArrayView<int>>(SparseGradientKernels.ScanStep));
                _compact = KernelLoader.Load(gpu, "sparse gradient seal", (Action<Index1D, ArrayView<long>, ArrayView<int>, ArrayView<long>, ArrayView<int>, ArrayView<int>>)SparseGradientKernels.Compact, KernelGrouping.Implicit,
                    acc => acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<long>, ArrayView<int>, ArrayView<long>, ArrayView<int>, ArrayView<int>>(SparseGradientKernels.Compact));
                _zeroRows = KernelLoader.Load(gpu, "sparse gradient seal", (Action<Index1D, int, ArrayView<int>, ArrayView<float>>)SparseGradientKernels.ZeroRows, KernelGrouping.Implicit,
                    acc => acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<int>, ArrayView<float>>(SparseGradientKernels.ZeroRows));
                _addRows = KernelLoader.Load(gpu, "sparse gradient rows", (Action<Index1D, int, int, int, ArrayView<long>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>>)SparseGradientKernels.AddRows, KernelGrouping.Implicit,
                    acc => acc.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<long>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>>(SparseGradientKernels.AddRows));
                _squaredNorm = KernelLoader.Load(gpu, "sparse gradient norm", (Action<Index1D, int, ArrayView<int>, ArrayView<float>, ArrayView<double>>)SparseGradientKernels.SquaredNorm, KernelGrouping.Implicit,
                    acc => acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<int>, ArrayView<float>, ArrayView<double>>(SparseGradientKernels.SquaredNorm));
            }
            catch (Exception e)
            {
                Dispose();
                if (e is not GpuOperationException && GpuOperationException.IsDeviceError(e))
                {
                    throw new GpuOperationException("allocate sparse gradient", name, e);
                }

                throw;
            }
        }

        /// <summary>The table's name.</summary>
        public string Name { get; }

        /// <summary>Ids of the table.</summary>
        public int TableRows { get; }

        /// <summary>Floats per row.</summary>
        public int Width { get; }

        /// <summary>Most ids (entries) a step may add.</summary>
        public int MaxEntries { get; }

        /// <summary>Most unique ids a step can have: min(TableRows, MaxEntries).</summary>
        public int Capacity { get; }

        /// <summary>The context the gradient lives on.</summary>
        public GpuContext Context => _gpu;

        /// <summary>The unique ids, ascending; the first <see cref="ReadCount"/> are this step's (valid after <see cref="Seal"/>).</summary>
        public ArrayView<long> Ids => _ids.View;

        /// <summary>[Capacity, Width]: the summed row of each unique id, in the order of <see cref="Ids"/>.</summary>
        public ArrayView<float> Rows => _rows.View;

        /// <summary>The unique-id count on the device (one int), for kernels that run without a host wait.</summary>
        public ArrayView<int> CountView => _count.View;

        /// <summary>True between <see cref="Seal"/> and the next <see cref="Begin"/>: the ids, count and rows are this step's.</summary>
        internal bool IsSealed => _sealed;

        /// <summary>Starts a step: no ids, not sealed. The device count is zeroed too (an asynchronous memset on the
        /// stream, no allocation), so that a kernel reading <see cref="CountView"/> before <see cref="Seal"/> sees no
        /// ids rather than the previous step's.</summary>
        public void Begin()
        {
            try
            {
                _count.View.MemSetToZero();
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("sparse gradient begin", Name, e);
            }

            _positions = 0;
            _sealedPositions = 0;
            _begun = true;
            _sealed = false;
        }

        /// <summary>
        /// Adds an id list (on the device) and returns where it was placed, for <see cref="AddRows"/>. Negative ids are
        /// padding (no row); an id at or above <see cref="TableRows"/> is dropped and reported by <see cref="ThrowIfBadId"/>.
        /// </summary>
        public DeviceIdList AddIds(ArrayView<long> ids)
        {
            if (!_begun) throw new InvalidOperationException("AddIds before Begin on the sparse gradient '" + Name + "'.");
            if (_sealed) throw new InvalidOperationException("AddIds after Seal on the sparse gradient '" + Name + "'.");
            if (ids.Length > MaxEntries - _positions)
            {
                throw new ArgumentException("sparse gradient '" + Name + "': " + ids.Length + " more ids exceed maxEntries = " + MaxEntries + " (" + _positions + " added this step).", nameof(ids));
            }

            var list = new DeviceIdList(_positions, (int)ids.Length);
            if (list.Length == 0) return list;
            try
            {
                _writeKeys(list.Length, list.Start, TableRows, ids, _keys.View, _error.View);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("sparse gradient ids", Name, e);
            }

            _positions += list.Length;
            return list;
        }

        /// <summary>Sorts and de-duplicates the ids, numbers the unique ones and zeroes their rows.</summary>
        public void Seal()
        {
            if (!_begun) throw new InvalidOperationException("Seal before Begin on the sparse gradient '" + Name + "'.");
            if (_sealed) throw new InvalidOperationException("Seal called twice on the sparse gradient '" + Name + "'.");
            // Sort only the used power of two: the entries past this step's ids become empty keys (sorted last).
            int n = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, _positions));
            ArrayView<long> keys = _keys.View.SubView(0, n);
            try
            {
                if (n > _positions)
                {
                    _fillKeys(n - _positions, keys.SubView(_positions), SparseGradientKernels.Empty);
                }

                for (int k = 2; k <= n; k <<= 1)
                {
                    for (int j = k >> 1; j > 0; j >>= 1)
                    {
                        _bitonicStep(n, j, k, keys);
                    }
                }

                ArrayView<int> from = _flags.View.SubView(0, n);
                ArrayView<int> to = _scan.View.SubView(0, n);
                _firstFlags(n, keys, from);
                for (int offset = 1; offset < n; offset <<= 1)
                {
                    _scanStep(n, offset, from, to);
                    (from, to) = (to, from);
                }

                _count.MemSetToZero();
                _compact(n, keys, from, _ids.View, _segmentStart.View, _count.View);
                if (Capacity > 0)
                {
                    _zeroRows(Capacity * Width, Width, _count.View, _rows.View);
                }
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("sparse gradient seal", Name, e);
            }

            _sealedPositions = _positions;
            _sealed = true;
        }

        /// <summary>
        /// Adds <paramref name="rows"/> ([list.Length, Width], on the device) to the rows of the list's ids, padding
        /// skipped (<c>SparseRowGradient.AddRows</c>). A list's rows may be added more than once (tied tables), each
        /// call after the previous one, as on the CPU.
        /// </summary>
        public void AddRows(DeviceIdList list, ArrayView<float> rows)
        {
            if (!_sealed) throw new InvalidOperationException("AddRows before Seal on the sparse gradient '" + Name + "'.");
            if (list.Start < 0 || list.Length < 0 || (long)list.Start + list.Length > _sealedPositions)
            {
                throw new ArgumentException("sparse gradient '" + Name + "': the list [" + list.Start + ", " + ((long)list.Start + list.Length) + ") was not added this step.", nameof(list));
            }

            if (rows.Length < (long)list.Length * Width)
            {
                throw new ArgumentException("sparse gradient '" + Name + "': rows holds " + rows.Length + " floats; " + list.Length + " rows of " + Width + " are needed.", nameof(rows));
            }

            if (list.Length == 0 || Capacity == 0) return;
            try
            {
                _addRows(Capacity * Width, Width, list.Start, list.Length, _keys.View, _segmentStart.View, _count.View, rows, _rows.View);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("sparse gradient rows", Name, e);
            }
        }

        /// <summary>The number of unique ids this step (waits for the device).</summary>
        public int ReadCount()
        {
            if (!_sealed) throw new InvalidOperationException("ReadCount before Seal on the sparse gradient '" + Name + "'.");
            try
            {
                _count.View.CopyToCPU(ref _hostInt[0], 1);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("sparse gradient count", Name, e);
            }

            return _hostInt[0];
        }

        /// <summary>Σ g² over the rows in order, in double (<c>Optimizer.SquaredNorm</c>, the same value); waits for the device.</summary>
        public double SquaredNorm()
        {
            if (!_sealed) throw new InvalidOperationException("SquaredNorm before Seal on the sparse gradient '" + Name + "'.");
            try
            {
                _squaredNorm(1, Width, _count.View, _rows.View, _norm.View);
                _norm.View.CopyToCPU(ref _hostDouble[0], 1);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("sparse gradient norm", Name, e);
            }

            return _hostDouble[0];
        }

        /// <summary>Copies this step's ids and rows to the host (tests, checkpoints); returns the count.</summary>
        public int CopyToHost(Span<long> ids, Span<float> rows)
        {
            int count = ReadCount();
            if (ids.Length < count || rows.Length < (long)count * Width)
            {
                throw new ArgumentException("sparse gradient '" + Name + "': " + count + " ids and " + ((long)count * Width) + " floats are needed.", nameof(ids));
            }

            if (count == 0) return 0;
            try
            {
                _ids.View.SubView(0, count).CopyToCPU(ref ids[0], count);
                _rows.View.SubView(0, (long)count * Width).CopyToCPU(ref rows[0], (long)count * Width);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("sparse gradient download", Name, e);
            }

            return count;
        }

        /// <summary>Throws (and resets the record) if an id list held an id at or above <see cref="TableRows"/>.</summary>
        public void ThrowIfBadId()
        {
            try
            {
                _error.View.CopyToCPU(ref _hostInt[0], 1);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("check sparse gradient ids", Name, e);
            }

            if (_hostInt[0] != 0)
            {
                int position = _hostInt[0] - 1;
                _error.MemSetToZero();
                throw new InvalidOperationException("The sparse gradient of '" + Name + "' met an id outside [0, " + TableRows + "), the highest at position " + position + " of the step's ids (it was dropped).");
            }
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            _keys?.Dispose();
            _flags?.Dispose();
            _scan?.Dispose();
            _ids?.Dispose();
            _segmentStart?.Dispose();
            _count?.Dispose();
            _rows?.Dispose();
            _norm?.Dispose();
            _error?.Dispose();
        }
    }
}
