using System;
using GraphSampling.Runtime.Gpu.Buffers;
using GraphSampling.Runtime.Optimizers;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu.Optimizers
{
    /// <summary>
    /// <see cref="LazyAdam"/> on the device: Adam whose sparse updates change only the gradient's rows and their moments,
    /// the bias corrections <c>1 − β^t</c> from the global step, computed on the host as the CPU computes them (in double,
    /// then rounded to float). Defaults lr 1e-3, β1 0.9, β2 0.999, ε 1e-8.
    /// </summary>
    public sealed class DeviceLazyAdam : DeviceOptimizer
    {
        private readonly float _beta1, _beta2, _epsilon;
        private float _correction1, _correction2;

        /// <summary>LazyAdam with a learning-rate schedule.</summary>
        public DeviceLazyAdam(GpuContext gpu, LearningRateSchedule schedule, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
            : base(gpu, schedule, stateSlots: 2)
        {
            _beta1 = beta1 >= 0 && beta1 < 1 ? beta1 : throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
            _beta2 = beta2 >= 0 && beta2 < 1 ? beta2 : throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
            _epsilon = float.IsFinite(epsilon) && epsilon > 0 ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive and finite.");
        }

        /// <summary>LazyAdam with a constant learning rate.</summary>
        public DeviceLazyAdam(GpuContext gpu, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
            : this(gpu, LearningRateSchedule.Constant(learningRate), beta1, beta2, epsilon)
        {
        }

        /// <inheritdoc/>
        protected override void OnBeginStep(long t)
        {
            _correction1 = (float)(1 - Math.Pow(_beta1, t + 1));
            _correction2 = (float)(1 - Math.Pow(_beta2, t + 1));
        }

        /// <inheritdoc/>
        protected override void UpdateSparse(DeviceParameterTable table, DeviceSparseRowGradient gradient, MemoryBuffer1D<float, Stride1D.Dense>[] state)
        {
            StepConstants k = Constants();
            k.Epsilon = _epsilon;
            k.Beta1 = _beta1;
            k.Beta2 = _beta2;
            k.OneMinusBeta1 = 1 - _beta1;    // in float, as the CPU's (1 - b1)
            k.OneMinusBeta2 = 1 - _beta2;
            k.Correction1 = _correction1;
            k.Correction2 = _correction2;
            Context.OpKernels.LazyAdam(gradient.Capacity * gradient.Width, table.Layout, table.ShardStart, table.Data, gradient.Ids, gradient.CountView, gradient.Rows, state[0].View, state[1].View, k);
        }
    }
}
