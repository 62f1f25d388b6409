using System;
using System.Numerics;

namespace GraphSampling.Runtime.Optimizers
{
    /// <summary>
    /// SGD with momentum μ (TF's MomentumOptimizer, PyTorch's SGD without dampening): <c>v = μ·v + g</c>, then
    /// <c>w -= lr·v</c>, or with Nesterov <c>w -= lr·(g + μ·v)</c>. μ = 0 is plain SGD (no state used).
    /// </summary>
    public sealed class Momentum : Optimizer
    {
        private readonly float _mu;
        private readonly bool _nesterov;

        public Momentum(LearningRateSchedule schedule, float momentum = 0f, bool nesterov = false)
            : base(schedule, stateSlots: 1)
        {
            _mu = float.IsFinite(momentum) && momentum >= 0 && momentum < 1 ? momentum : throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1).");
            if (nesterov && momentum == 0) throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(nesterov));
            _nesterov = nesterov;
        }

        public Momentum(float learningRate, float momentum = 0f, bool nesterov = false)
            : this(LearningRateSchedule.Constant(learningRate), momentum, nesterov)
        {
        }

        protected override void UpdateRow(Span<float> w, ReadOnlySpan<float> g, float[][] state, int offset)
        {
            float lr = CurrentLearningRate, mu = _mu;
            var v = state[0].AsSpan(offset, w.Length);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                // The scalar loop's operations in its order, a vector at a time (the same roundings).
                var vlr = new Vector<float>(lr);
                var vmu = new Vector<float>(mu);
                var scale = new Vector<float>(GradientScale);
                var decay = new Vector<float>(WeightDecay);
                for (; i <= w.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var wi = new Vector<float>(w.Slice(i));
                    var gi = scale * new Vector<float>(g.Slice(i)) + decay * wi;
                    var vi = vmu * new Vector<float>(v.Slice(i)) + gi;
                    vi.CopyTo(v.Slice(i));
                    (wi - vlr * (_nesterov ? gi + vmu * vi : vi)).CopyTo(w.Slice(i));
                }
            }
            for (; i < w.Length; i++)
            {
                float gi = Effective(g[i], w[i]);
                float vi = mu * v[i] + gi;
                v[i] = vi;
                w[i] -= lr * (_nesterov ? gi + mu * vi : vi);
            }
        }
    }
}
