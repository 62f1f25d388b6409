using System;
using GraphSampling.Runtime.Gpu.Buffers;
using GraphSampling.Runtime.Gpu.Optimizers;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu.Programs
{
    /// <summary>
    /// A dense parameter gradient ([Rows, Width], id order, on the device) presented to the device optimizers as a
    /// sparse gradient of every row: ids 0 … Rows − 1, each with its one row. The CPU <c>Optimizer</c>'s dense update is
    /// its row update over every id in order, and a device optimizer's sparse update is the same row update over the
    /// gradient's (ascending) ids, so the table after <see cref="Update"/> is the CPU's dense update bit for bit (each
    /// row is summed from zero: <c>0 + g</c> is <c>g</c>, except that −0 becomes +0). Used by a generated
    /// <c>GpuProgram</c>'s <c>ApplyGradients(DeviceOptimizer)</c>; the ids and the sparse buffers are allocated here,
    /// once. A step re-sorts the Rows ids (log² launches), cheap for the small dense tables (biases, dense layers) a
    /// sampled-softmax graph has.
    /// </summary>
    public sealed class DeviceDenseGradient : IDisposable
    {
        private readonly DeviceSparseRowGradient _gradient;
        private readonly MemoryBuffer1D<long, Stride1D.Dense> _ids;

        /// <summary>Allocates the ids (0 … rows − 1, uploaded now) and the sparse gradient they fill.</summary>
        public DeviceDenseGradient(GpuContext gpu, string name, int rows, int width)
        {
            ArgumentNullException.ThrowIfNull(gpu);
            _gradient = new DeviceSparseRowGradient(gpu, name, rows, width, rows);
            var ids = new long[rows];
            for (int i = 0; i < rows; i++) ids[i] = i;
            try
            {
                _ids = gpu.Accelerator.Allocate1D(ids);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                _gradient.Dispose();
                throw new GpuOperationException("allocate dense gradient ids", name, e);
            }
        }

        /// <summary>The sparse form of the last <see cref="Load"/>.</summary>
        public DeviceSparseRowGradient Gradient => _gradient;

        /// <summary>Makes <see cref="Gradient"/> the dense gradient <paramref name="dense"/> (Rows · Width floats).</summary>
        public DeviceSparseRowGradient Load(ArrayView<float> dense)
        {
            if (dense.Length != (long)_gradient.TableRows * _gradient.Width)
            {
                throw new ArgumentException("The dense gradient of '" + _gradient.Name + "' has " + dense.Length + " floats; the table has " + ((long)_gradient.TableRows * _gradient.Width) + ".", nameof(dense));
            }

            _gradient.Begin();
            var list = _gradient.AddIds(_ids.View);
            _gradient.Seal();
            _gradient.AddRows(list, dense);
            return _gradient;
        }

        /// <summary>Σ g² of <paramref name="dense"/> in order, in double: the CPU's <c>Optimizer.SquaredNorm</c> (waits for the device).</summary>
        public double SquaredNorm(ArrayView<float> dense) => Load(dense).SquaredNorm();

        /// <summary>One update of <paramref name="table"/> from <paramref name="dense"/>, inside the optimizer's step.</summary>
        public void Update(DeviceOptimizer optimizer, DeviceParameterTable table, ArrayView<float> dense)
        {
            ArgumentNullException.ThrowIfNull(optimizer);
            optimizer.Update(table, Load(dense));
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            _gradient.Dispose();
            _ids?.Dispose();
        }
    }

    /// <summary>Device id lists a generated program fills once, at construction.</summary>
    public static class DeviceIds
    {
        /// <summary>Writes 0, 1, … into <paramref name="destination"/> (allocates a host array: construction only).</summary>
        public static void FillAscending(ArrayView<long> destination)
        {
            var ids = new long[destination.Length];
            for (int i = 0; i < ids.Length; i++) ids[i] = i;
            DeviceWorkspace.Upload<long>(ids, destination, "ids");
        }
    }
}
