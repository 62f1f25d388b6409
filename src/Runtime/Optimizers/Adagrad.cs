using System;
using System.Numerics;

namespace GraphSampling.Runtime.Optimizers
{
    /// <summary>
    /// Adagrad: <c>a += g²</c>, then <c>w -= lr·g / (sqrt(a) + ε)</c>. TensorFlow's defaults (initial accumulator 0.1,
    /// ε = 1e-7, as Keras) unless given; PyTorch's are <c>initialAccumulator: 0, epsilon: 1e-10</c>
    /// (<see cref="PyTorch"/>). A sparse gradient updates its rows' accumulators only.
    /// </summary>
    public sealed class Adagrad : Optimizer
    {
        private readonly float _initial;
        private readonly float _epsilon;

        public Adagrad(LearningRateSchedule schedule, float initialAccumulator = 0.1f, float epsilon = 1e-7f)
            : base(schedule, stateSlots: 1)
        {
            _initial = float.IsFinite(initialAccumulator) && initialAccumulator >= 0 ? initialAccumulator : throw new ArgumentOutOfRangeException(nameof(initialAccumulator), initialAccumulator, "initialAccumulator must be finite and non-negative.");
            _epsilon = float.IsFinite(epsilon) && epsilon >= 0 ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite and non-negative.");
            if (initialAccumulator == 0 && epsilon == 0) throw new ArgumentException("With a zero initial accumulator, epsilon must be positive (the first step would divide by zero).", nameof(epsilon));
        }

        public Adagrad(float learningRate, float initialAccumulator = 0.1f, float epsilon = 1e-7f)
            : this(LearningRateSchedule.Constant(learningRate), initialAccumulator, epsilon)
        {
        }

        /// <summary>Adagrad with PyTorch's defaults (initial accumulator 0, ε = 1e-10).</summary>
        public static Adagrad PyTorch(float learningRate) => new Adagrad(learningRate, initialAccumulator: 0f, epsilon: 1e-10f);

        protected override void InitializeState(float[][] state) => state[0].AsSpan().Fill(_initial);

        protected override void UpdateRow(Span<float> w, ReadOnlySpan<float> g, float[][] state, int offset)
        {
            float lr = CurrentLearningRate;
            var a = state[0].AsSpan(offset, w.Length);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var vlr = new Vector<float>(lr);
                var eps = new Vector<float>(_epsilon);
                var scale = new Vector<float>(GradientScale);
                var decay = new Vector<float>(WeightDecay);
                for (; i <= w.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var wi = new Vector<float>(w.Slice(i));
                    var gi = scale * new Vector<float>(g.Slice(i)) + decay * wi;
                    var ai = new Vector<float>(a.Slice(i)) + gi * gi;
                    ai.CopyTo(a.Slice(i));
                    (wi - vlr * gi / (Vector.SquareRoot(ai) + eps)).CopyTo(w.Slice(i));
                }
            }
            for (; i < w.Length; i++)
            {
                float gi = Effective(g[i], w[i]);
                float ai = a[i] + gi * gi;
                a[i] = ai;
                w[i] -= lr * gi / (MathF.Sqrt(ai) + _epsilon);
            }
        }
    }
}
