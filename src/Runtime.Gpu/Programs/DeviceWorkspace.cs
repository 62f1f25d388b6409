using System;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu.Programs
{
    /// <summary>
    /// The device memory of one generated <c>GpuProgram</c>, allocated once at construction and never per call: one float
    /// and one int64 slab laid out by the graph's buffer plan (plus the program's device copies of its inputs), and two
    /// small host staging arrays for the values a v1 program finishes on the host (sparse row gradients, a Mod-sharded
    /// table used densely). The views it hands out are the device counterparts of <c>Workspace.Floats</c>/<c>Longs</c>.
    /// </summary>
    public sealed class DeviceWorkspace : IDisposable
    {
        private readonly MemoryBuffer1D<float, Stride1D.Dense> _floats;
        private readonly MemoryBuffer1D<long, Stride1D.Dense> _longs;
        private readonly float[] _hostFloats;
        private readonly long[] _hostLongs;

        /// <summary>Allocates the slabs (<paramref name="floats"/> and <paramref name="longs"/> elements on the device) and
        /// the host staging arrays.</summary>
        public DeviceWorkspace(GpuContext gpu, long floats, long longs, int hostFloats = 0, int hostLongs = 0)
        {
            ArgumentNullException.ThrowIfNull(gpu);
            ArgumentOutOfRangeException.ThrowIfNegative(floats);
            ArgumentOutOfRangeException.ThrowIfNegative(longs);
            Gpu = gpu;
            FloatCapacity = floats;
            LongCapacity = longs;
            try
            {
                _floats = gpu.Accelerator.Allocate1D<float>(Math.Max(1, floats));
                _longs = gpu.Accelerator.Allocate1D<long>(Math.Max(1, longs));
                _floats.MemSetToZero();
                _longs.MemSetToZero();
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                Dispose();
                throw new GpuOperationException("allocate program workspace", null, e);
            }

            _hostFloats = new float[Math.Max(0, hostFloats)];
            _hostLongs = new long[Math.Max(0, hostLongs)];
        }

        /// <summary>The device the slabs live on.</summary>
        public GpuContext Gpu { get; }

        /// <summary>Floats in the device slab.</summary>
        public long FloatCapacity { get; }

        /// <summary>Int64s in the device slab.</summary>
        public long LongCapacity { get; }

        /// <summary><paramref name="length"/> floats of the device slab from <paramref name="offset"/>.</summary>
        public ArrayView<float> Floats(int offset, int length) => _floats.View.SubView(offset, length);

        /// <summary><paramref name="length"/> int64s of the device slab from <paramref name="offset"/>.</summary>
        public ArrayView<long> Longs(int offset, int length) => _longs.View.SubView(offset, length);

        /// <summary>As <c>Workspace.FloatsFrom</c>: the view that starts <paramref name="skip"/> elements into a block of
        /// <paramref name="length"/> at <paramref name="offset"/> (rows inside a wider buffer).</summary>
        public ArrayView<float> FloatsFrom(int offset, int length, int skip) =>
            length <= skip ? _floats.View.SubView(offset, 0) : _floats.View.SubView(offset + skip, length - skip);

        /// <summary>The first <paramref name="length"/> elements of the host float staging array.</summary>
        public Span<float> HostFloats(int length) => _hostFloats.AsSpan(0, length);

        /// <summary>The first <paramref name="length"/> elements of the host int64 staging array.</summary>
        public Span<long> HostLongs(int length) => _hostLongs.AsSpan(0, length);

        /// <summary>Copies <paramref name="source"/> (host) into the start of <paramref name="destination"/> (device);
        /// <paramref name="tensor"/> names it in errors.</summary>
        public static void Upload<T>(ReadOnlySpan<T> source, ArrayView<T> destination, string tensor)
            where T : unmanaged
        {
            if (source.Length == 0) return;
            if (destination.Length < source.Length)
            {
                throw new ArgumentException("upload '" + tensor + "': the device buffer holds " + destination.Length + " elements; " + source.Length + " were given.", nameof(source));
            }

            try
            {
                destination.SubView(0, source.Length).CopyFromCPU(ref MemoryMarshal.GetReference(source), source.Length);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("upload", tensor, e);
            }
        }

        /// <summary>Copies all of <paramref name="source"/> (device) into the start of <paramref name="destination"/>
        /// (host); waits for the kernels that write it.</summary>
        public static void Download<T>(ArrayView<T> source, Span<T> destination, string tensor)
            where T : unmanaged
        {
            if (source.Length == 0) return;
            if (destination.Length < source.Length)
            {
                throw new ArgumentException("download '" + tensor + "': " + source.Length + " elements do not fit in " + destination.Length + ".", nameof(destination));
            }

            try
            {
                source.CopyToCPU(ref MemoryMarshal.GetReference(destination), source.Length);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("download", tensor, e);
            }
        }

        /// <summary>Repeats <paramref name="row"/> over <paramref name="destination"/> (a constant's values, once at
        /// construction: this allocates a host array).</summary>
        public static void FillRows<T>(T[] row, ArrayView<T> destination, string tensor)
            where T : unmanaged
        {
            ArgumentNullException.ThrowIfNull(row);
            if (destination.Length == 0) return;
            if (row.Length == 0 || destination.Length % row.Length != 0)
            {
                throw new ArgumentException("fill rows '" + tensor + "': " + destination.Length + " elements are not a whole number of rows of " + row.Length + ".", nameof(destination));
            }

            var all = new T[destination.Length];
            for (long i = 0; i < all.Length; i += row.Length) row.CopyTo(all, i);
            Upload<T>(all, destination, tensor);
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            _floats?.Dispose();
            _longs?.Dispose();
        }
    }
}
