using System;
using System.Numerics;
using GraphSampling.Runtime.Buffers;

namespace GraphSampling.Runtime.Optimizers
{
    /// <summary>
    /// Adam (PyTorch's and Keras's form): with t the 1-based step, <c>m = β1·m + (1-β1)·g</c>, <c>v = β2·v + (1-β2)·g²</c>,
    /// <c>w -= lr · (m / (1-β1^t)) / (sqrt(v / (1-β2^t)) + ε)</c>. Defaults lr 1e-3, β1 0.9, β2 0.999, ε 1e-8 (PyTorch).
    /// With a sparse gradient it behaves as dense Adam would with zeros for the untouched rows (their moments decay and
    /// they keep moving, O(table) per step, as TF's Adam); <see cref="LazyAdam"/> touches only the gradient's rows.
    /// </summary>
    public class Adam : Optimizer
    {
        private readonly float _beta1, _beta2, _epsilon;
        private float _correction1, _correction2;   // 1 - β^t of the current step

        public Adam(LearningRateSchedule schedule, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
            : base(schedule, stateSlots: 2)
        {
            _beta1 = beta1 >= 0 && beta1 < 1 ? beta1 : throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
            _beta2 = beta2 >= 0 && beta2 < 1 ? beta2 : throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
            _epsilon = float.IsFinite(epsilon) && epsilon > 0 ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive and finite.");
        }

        public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
            : this(LearningRateSchedule.Constant(learningRate), beta1, beta2, epsilon)
        {
        }

        protected override void OnBeginStep(long t)
        {
            _correction1 = (float)(1 - Math.Pow(_beta1, t + 1));
            _correction2 = (float)(1 - Math.Pow(_beta2, t + 1));
        }

        protected override void UpdateSparse(ParameterTable table, SparseRowGradient gradient, float[][] state)
        {
            // Dense semantics: every row steps, the untouched ones with a zero gradient (and no weight decay).
            int width = table.Width;
            var ids = gradient.Ids;
            int next = 0;
            for (int id = 0; id < table.Rows; id++)
            {
                bool touched = next < ids.Length && ids[next] == id;
                if (touched) UpdateRow(table.Row(id), gradient.Row(next++), state, id * width);
                else UpdateRowWithZeroGradient(table.Row(id), state, id * width);
            }
        }

        protected override void UpdateRow(Span<float> w, ReadOnlySpan<float> g, float[][] state, int offset)
        {
            float lr = CurrentLearningRate, b1 = _beta1, b2 = _beta2, c1 = _correction1, c2 = _correction2, eps = _epsilon;
            var m = state[0].AsSpan(offset, w.Length);
            var v = state[1].AsSpan(offset, w.Length);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var vlr = new Vector<float>(lr);
                Vector<float> vb1 = new(b1), vb2 = new(b2), one1 = new(1 - b1), one2 = new(1 - b2), vc1 = new(c1), vc2 = new(c2), veps = new(eps);
                var scale = new Vector<float>(GradientScale);
                var decay = new Vector<float>(WeightDecay);
                for (; i <= w.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var wi = new Vector<float>(w.Slice(i));
                    var gi = scale * new Vector<float>(g.Slice(i)) + decay * wi;
                    var mi = vb1 * new Vector<float>(m.Slice(i)) + one1 * gi;
                    var vi = vb2 * new Vector<float>(v.Slice(i)) + one2 * gi * gi;
                    mi.CopyTo(m.Slice(i));
                    vi.CopyTo(v.Slice(i));
                    (wi - vlr * (mi / vc1) / (Vector.SquareRoot(vi / vc2) + veps)).CopyTo(w.Slice(i));
                }
            }
            for (; i < w.Length; i++)
            {
                float gi = Effective(g[i], w[i]);
                float mi = b1 * m[i] + (1 - b1) * gi;
                float vi = b2 * v[i] + (1 - b2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                w[i] -= lr * (mi / c1) / (MathF.Sqrt(vi / c2) + eps);
            }
        }

        private void UpdateRowWithZeroGradient(Span<float> w, float[][] state, int offset)
        {
            float lr = CurrentLearningRate, b1 = _beta1, b2 = _beta2, c1 = _correction1, c2 = _correction2, eps = _epsilon;
            var m = state[0].AsSpan(offset, w.Length);
            var v = state[1].AsSpan(offset, w.Length);
            for (int i = 0; i < w.Length; i++)
            {
                float mi = b1 * m[i];
                float vi = b2 * v[i];
                m[i] = mi;
                v[i] = vi;
                w[i] -= lr * (mi / c1) / (MathF.Sqrt(vi / c2) + eps);
            }
        }
    }

    /// <summary>
    /// LazyAdam (TF-Addons LazyAdam, PyTorch SparseAdam): Adam whose sparse updates change only the gradient's rows and
    /// their moments; untouched rows and their moments are left alone. The bias correction uses the global step, as both
    /// do. Dense gradients update every row, exactly as <see cref="Adam"/>.
    /// </summary>
    public sealed class LazyAdam : Adam
    {
        public LazyAdam(LearningRateSchedule schedule, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
            : base(schedule, beta1, beta2, epsilon)
        {
        }

        public LazyAdam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
            : base(learningRate, beta1, beta2, epsilon)
        {
        }

        protected override void UpdateSparse(ParameterTable table, SparseRowGradient gradient, float[][] state) => UpdateTouchedRows(table, gradient, state);
    }
}
