using System;
using GraphSampling.Runtime.Gpu.Buffers;
using GraphSampling.Runtime.Optimizers;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu.Optimizers
{
    /// <summary>
    /// <see cref="Adagrad"/> on the device: <c>a += g²</c>, then <c>w −= lr·g / (sqrt(a) + ε)</c>, with the same defaults
    /// (TensorFlow's: initial accumulator 0.1, ε = 1e-7) and the same checks. A sparse gradient updates its rows'
    /// accumulators only.
    /// </summary>
    public sealed class DeviceAdagrad : DeviceOptimizer
    {
        private readonly float _initial;
        private readonly float _epsilon;

        /// <summary>Adagrad with a learning-rate schedule.</summary>
        public DeviceAdagrad(GpuContext gpu, LearningRateSchedule schedule, float initialAccumulator = 0.1f, float epsilon = 1e-7f)
            : base(gpu, schedule, stateSlots: 1)
        {
            _initial = float.IsFinite(initialAccumulator) && initialAccumulator >= 0 ? initialAccumulator : throw new ArgumentOutOfRangeException(nameof(initialAccumulator), initialAccumulator, "initialAccumulator must be finite and non-negative.");
            _epsilon = float.IsFinite(epsilon) && epsilon >= 0 ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite and non-negative.");
            if (initialAccumulator == 0 && epsilon == 0) throw new ArgumentException("With a zero initial accumulator, epsilon must be positive (the first step would divide by zero).", nameof(epsilon));
        }

        /// <summary>Adagrad with a constant learning rate.</summary>
        public DeviceAdagrad(GpuContext gpu, float learningRate, float initialAccumulator = 0.1f, float epsilon = 1e-7f)
            : this(gpu, LearningRateSchedule.Constant(learningRate), initialAccumulator, epsilon)
        {
        }

        /// <inheritdoc/>
        protected override void InitializeState(MemoryBuffer1D<float, Stride1D.Dense>[] state)
        {
            if (_initial != 0)
            {
                Context.OpKernels.FillState((int)state[0].Length, state[0].View, _initial);
            }
        }

        /// <inheritdoc/>
        protected override void UpdateDense(DeviceParameterTable table, ArrayView<float> gradient, MemoryBuffer1D<float, Stride1D.Dense>[] state)
        {
            StepConstants k = Constants();
            k.Epsilon = _epsilon;
            Context.OpKernels.AdagradDense((int)gradient.Length, table.Layout, table.ShardStart, table.Data, gradient, state[0].View, k);
        }

        /// <inheritdoc/>
        protected override void UpdateSparse(DeviceParameterTable table, DeviceSparseRowGradient gradient, MemoryBuffer1D<float, Stride1D.Dense>[] state)
        {
            StepConstants k = Constants();
            k.Epsilon = _epsilon;
            Context.OpKernels.Adagrad(gradient.Capacity * gradient.Width, table.Layout, table.ShardStart, table.Data, gradient.Ids, gradient.CountView, gradient.Rows, state[0].View, k);
        }
    }
}
