using System;
using GraphSampling.Runtime.Gpu.Buffers;
using GraphSampling.Runtime.Optimizers;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu.Optimizers
{
    /// <summary>
    /// Plain SGD on device tables. As a <see cref="DeviceOptimizer"/> (schedules, clipping, weight decay; no state):
    /// <c>w −= lr·g'</c> with <c>g' = s·g + λ·w</c>, dense (every row) or sparse (the gradient's rows): the CPU
    /// <see cref="Momentum"/> with μ = 0, whose <c>v = 0·v + g'</c> is <c>g'</c> (bit for bit, except that a zero g'
    /// there is +0 or the sign of the previous v; both leave w as it was, unless w is −0). The static
    /// <see cref="Apply"/> is <see cref="Sgd.Apply(GraphSampling.Runtime.Buffers.ParameterTable, GraphSampling.Runtime.Buffers.SparseRowGradient, float)"/>.
    /// </summary>
    public sealed class DeviceSgd : DeviceOptimizer
    {
        /// <summary>SGD with a learning-rate schedule.</summary>
        public DeviceSgd(GpuContext gpu, LearningRateSchedule schedule)
            : base(gpu, schedule, stateSlots: 0)
        {
        }

        /// <summary>SGD with a constant learning rate.</summary>
        public DeviceSgd(GpuContext gpu, float learningRate)
            : this(gpu, LearningRateSchedule.Constant(learningRate))
        {
        }

        /// <inheritdoc/>
        protected override void UpdateDense(DeviceParameterTable table, ArrayView<float> gradient, MemoryBuffer1D<float, Stride1D.Dense>[] state) =>
            Context.OpKernels.SgdDense((int)gradient.Length, table.Layout, table.ShardStart, table.Data, gradient, Constants());

        /// <inheritdoc/>
        protected override void UpdateSparse(DeviceParameterTable table, DeviceSparseRowGradient gradient, MemoryBuffer1D<float, Stride1D.Dense>[] state) =>
            Context.OpKernels.SgdRows(gradient.Capacity * gradient.Width, table.Layout, table.ShardStart, table.Data, gradient.Ids, gradient.CountView, gradient.Rows, Constants());

        /// <summary>row(id) = g · (−learningRate) + row(id) for each unique id of a sealed sparse gradient: the floats
        /// <see cref="Sgd.Apply(GraphSampling.Runtime.Buffers.ParameterTable, GraphSampling.Runtime.Buffers.SparseRowGradient, float)"/>
        /// gives (an unfused multiply, then an add). Launches without waiting for the device. The gradient must be sealed
        /// this step (an <see cref="InvalidOperationException"/> otherwise).</summary>
        public static void Apply(DeviceParameterTable table, DeviceSparseRowGradient gradient, float learningRate)
        {
            ArgumentNullException.ThrowIfNull(table);
            ArgumentNullException.ThrowIfNull(gradient);
            if (gradient.Width != table.Table.Width || gradient.TableRows != table.Table.Rows)
            {
                throw new ArgumentException("The sparse gradient '" + gradient.Name + "' does not match the table '" + table.Table.Name + "'.", nameof(gradient));
            }

            if (!ReferenceEquals(gradient.Context, table.Context))
            {
                throw new ArgumentException("The sparse gradient '" + gradient.Name + "' lives on another GpuContext than the table '" + table.Table.Name + "'.", nameof(gradient));
            }

            DeviceOptimizer.CheckSealed(gradient);
            if (gradient.Capacity == 0) return;
            try
            {
                table.Context.OpKernels.Sgd(gradient.Capacity * gradient.Width, table.Layout, table.ShardStart, table.Data, gradient.Ids, gradient.CountView, gradient.Rows, -learningRate);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("sgd update", table.Table.Name, e);
            }
        }
    }
}
