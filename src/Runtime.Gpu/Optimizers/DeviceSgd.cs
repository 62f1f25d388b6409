using System;
using GraphSampling.Runtime.Gpu.Buffers;
using GraphSampling.Runtime.Optimizers;

namespace GraphSampling.Runtime.Gpu.Optimizers
{
    /// <summary>Plain SGD on a device table (<see cref="Sgd"/>): only the sparse gradient's rows change.</summary>
    public static class DeviceSgd
    {
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
