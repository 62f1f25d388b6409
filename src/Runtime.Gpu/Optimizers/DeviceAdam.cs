using System;
using GraphSampling.Runtime.Gpu.Buffers;
using GraphSampling.Runtime.Optimizers;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu.Optimizers
{
    /// <summary>
    /// <see cref="Adam"/> on the device: with t the 1-based step, <c>m = β1·m + (1−β1)·g</c>, <c>v = β2·v + (1−β2)·g²</c>,
    /// <c>w −= lr·(m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε)</c>, the bias corrections computed on the host as the CPU
    /// computes them (in double, then rounded to float). Defaults lr 1e-3, β1 0.9, β2 0.999, ε 1e-8. A dense gradient
    /// updates every row; a sparse one too, as the CPU's <see cref="Adam"/> does (untouched rows step with a zero
    /// gradient and no decay: their moments decay and they keep moving, O(table) per step); <see cref="DeviceLazyAdam"/>
    /// touches only the gradient's rows.
    /// </summary>
    public class DeviceAdam : DeviceOptimizer
    {
        private readonly float _beta1, _beta2, _epsilon;
        private float _correction1, _correction2;

        /// <summary>Adam with a learning-rate schedule.</summary>
        public DeviceAdam(GpuContext gpu, LearningRateSchedule schedule, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
            : base(gpu, schedule, stateSlots: 2)
        {
            _beta1 = beta1 >= 0 && beta1 < 1 ? beta1 : throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
            _beta2 = beta2 >= 0 && beta2 < 1 ? beta2 : throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
            _epsilon = float.IsFinite(epsilon) && epsilon > 0 ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive and finite.");
        }

        /// <summary>Adam with a constant learning rate.</summary>
        public DeviceAdam(GpuContext gpu, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
            : this(gpu, LearningRateSchedule.Constant(learningRate), beta1, beta2, epsilon)
        {
        }

        /// <inheritdoc/>
        protected override void OnBeginStep(long t)
        {
            _correction1 = (float)(1 - Math.Pow(_beta1, t + 1));
            _correction2 = (float)(1 - Math.Pow(_beta2, t + 1));
        }

        /// <summary>The step's constants with Adam's terms.</summary>
        private protected StepConstants AdamConstants()
        {
            StepConstants k = Constants();
            k.Epsilon = _epsilon;
            k.Beta1 = _beta1;
            k.Beta2 = _beta2;
            k.OneMinusBeta1 = 1 - _beta1;    // in float, as the CPU's (1 - b1)
            k.OneMinusBeta2 = 1 - _beta2;
            k.Correction1 = _correction1;
            k.Correction2 = _correction2;
            return k;
        }

        /// <inheritdoc/>
        protected override void UpdateDense(DeviceParameterTable table, ArrayView<float> gradient, MemoryBuffer1D<float, Stride1D.Dense>[] state) =>
            Context.OpKernels.AdamDense((int)gradient.Length, table.Layout, table.ShardStart, table.Data, gradient, state[0].View, state[1].View, AdamConstants());

        /// <inheritdoc/>
        protected override void UpdateSparse(DeviceParameterTable table, DeviceSparseRowGradient gradient, MemoryBuffer1D<float, Stride1D.Dense>[] state) =>
            Context.OpKernels.AdamAllRows(table.Table.Rows * table.Table.Width, table.Layout, table.ShardStart, table.Data, gradient.Ids, gradient.CountView, gradient.Rows, state[0].View, state[1].View, AdamConstants());
    }

    /// <summary>
    /// <see cref="LazyAdam"/> on the device: Adam whose sparse updates change only the gradient's rows and their moments,
    /// the bias corrections from the global step. Dense gradients update every row, as <see cref="DeviceAdam"/>.
    /// </summary>
    public sealed class DeviceLazyAdam : DeviceAdam
    {
        /// <summary>LazyAdam with a learning-rate schedule.</summary>
        public DeviceLazyAdam(GpuContext gpu, LearningRateSchedule schedule, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
            : base(gpu, schedule, beta1, beta2, epsilon)
        {
        }

        /// <summary>LazyAdam with a constant learning rate.</summary>
        public DeviceLazyAdam(GpuContext gpu, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
            : base(gpu, learningRate, beta1, beta2, epsilon)
        {
        }

        /// <inheritdoc/>
        protected override void UpdateSparse(DeviceParameterTable table, DeviceSparseRowGradient gradient, MemoryBuffer1D<float, Stride1D.Dense>[] state) =>
            Context.OpKernels.LazyAdam(gradient.Capacity * gradient.Width, table.Layout, table.ShardStart, table.Data, gradient.Ids, gradient.CountView, gradient.Rows, state[0].View, state[1].View, AdamConstants());
    }
}
