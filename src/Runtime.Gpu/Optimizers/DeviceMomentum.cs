using System;
using GraphSampling.Runtime.Gpu.Buffers;
using GraphSampling.Runtime.Optimizers;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu.Optimizers
{
    /// <summary>
    /// <see cref="Momentum"/> on the device (TF's MomentumOptimizer, PyTorch's SGD without dampening): <c>v = μ·v + g</c>,
    /// then <c>w −= lr·v</c>, or with Nesterov <c>w −= lr·(g + μ·v)</c>; the same checks. A sparse gradient updates its
    /// rows' velocities only.
    /// </summary>
    public sealed class DeviceMomentum : DeviceOptimizer
    {
        private readonly float _mu;
        private readonly bool _nesterov;

        /// <summary>Momentum with a learning-rate schedule.</summary>
        public DeviceMomentum(GpuContext gpu, LearningRateSchedule schedule, float momentum = 0f, bool nesterov = false)
            : base(gpu, schedule, stateSlots: 1)
        {
            _mu = float.IsFinite(momentum) && momentum >= 0 && momentum < 1 ? momentum : throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1).");
            if (nesterov && momentum == 0) throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(nesterov));
            _nesterov = nesterov;
        }

        /// <summary>Momentum with a constant learning rate.</summary>
        public DeviceMomentum(GpuContext gpu, float learningRate, float momentum = 0f, bool nesterov = false)
            : this(gpu, LearningRateSchedule.Constant(learningRate), momentum, nesterov)
        {
        }

        private StepConstants MomentumConstants()
        {
            StepConstants k = Constants();
            k.Momentum = _mu;
            k.Nesterov = _nesterov ? 1 : 0;
            return k;
        }

        /// <inheritdoc/>
        protected override void UpdateDense(DeviceParameterTable table, ArrayView<float> gradient, MemoryBuffer1D<float, Stride1D.Dense>[] state) =>
            Context.OpKernels.MomentumDense((int)gradient.Length, table.Layout, table.ShardStart, table.Data, gradient, state[0].View, MomentumConstants());

        /// <inheritdoc/>
        protected override void UpdateSparse(DeviceParameterTable table, DeviceSparseRowGradient gradient, MemoryBuffer1D<float, Stride1D.Dense>[] state) =>
            Context.OpKernels.MomentumRows(gradient.Capacity * gradient.Width, table.Layout, table.ShardStart, table.Data, gradient.Ids, gradient.CountView, gradient.Rows, state[0].View, MomentumConstants());
    }
}
