using GraphSampling.Runtime.Gpu.Buffers;
using GraphSampling.Runtime.Gpu.Ops;
using ILGPU;

namespace GraphSampling.Runtime.Gpu.Optimizers
{
    /// <summary>
    /// Sparse optimizer updates: element t of [capacity, width] updates column t mod width of the row of unique id
    /// t / width (when that slot is below the gradient's count), state in id order (as the CPU's). The arithmetic is
    /// the CPU's, operation for operation, with products rounded on their own (<see cref="DeviceFloat.Mul"/>).
    /// </summary>
    public static class OptimizerKernels
    {
        /// <summary><c>Sgd.Apply(table, SparseRowGradient, lr)</c>: w = g · (−lr) + w.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void Sgd(Index1D t, TableLayout layout, ArrayView<int> shardStart, ArrayView<float> table, ArrayView<long> ids, ArrayView<int> count, ArrayView<float> rows, float negativeLearningRate)
        {
            int slot = t.X / layout.Width;
            if (slot >= count[0])
            {
                return;
            }

            int c = t.X - (slot * layout.Width);
            long w = (layout.StorageRow(ids[slot], shardStart) * layout.Width) + c;
            table[w] = DeviceFloat.Mul(rows[t], negativeLearningRate) + table[w];
        }

        /// <summary><c>Adagrad.UpdateRow</c>: g' = s·g + λ·w, a += g'², w −= lr·g' / (sqrt(a) + ε).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void Adagrad(Index1D t, TableLayout layout, ArrayView<int> shardStart, ArrayView<float> table, ArrayView<long> ids, ArrayView<int> count, ArrayView<float> rows, ArrayView<float> accumulator, StepConstants k)
        {
            Element e = Locate(t.X, layout, shardStart, ids, count);
            if (!e.Touched)
            {
                return;
            }

            long w = e.Table, s = e.State;
            float wi = table[w];
            float gi = DeviceFloat.Mul(k.GradientScale, rows[t]) + DeviceFloat.Mul(k.WeightDecay, wi);
            float ai = accumulator[s] + DeviceFloat.Mul(gi, gi);
            accumulator[s] = ai;
            table[w] = wi - (DeviceFloat.Mul(k.LearningRate, gi) / (Sqrt(ai) + k.Epsilon));
        }

        /// <summary><c>Adam.UpdateRow</c> on the touched rows only (LazyAdam): m = β1·m + (1−β1)·g', v = β2·v + (1−β2)·g'·g',
        /// w −= lr·(m / c1) / (sqrt(v / c2) + ε).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void LazyAdam(Index1D t, TableLayout layout, ArrayView<int> shardStart, ArrayView<float> table, ArrayView<long> ids, ArrayView<int> count, ArrayView<float> rows, ArrayView<float> m, ArrayView<float> v, StepConstants k)
        {
            Element e = Locate(t.X, layout, shardStart, ids, count);
            if (!e.Touched)
            {
                return;
            }

            long w = e.Table, s = e.State;
            float wi = table[w];
            float gi = DeviceFloat.Mul(k.GradientScale, rows[t]) + DeviceFloat.Mul(k.WeightDecay, wi);
            float mi = DeviceFloat.Mul(k.Beta1, m[s]) + DeviceFloat.Mul(k.OneMinusBeta1, gi);
            float vi = DeviceFloat.Mul(k.Beta2, v[s]) + DeviceFloat.Mul(DeviceFloat.Mul(k.OneMinusBeta2, gi), gi);
            m[s] = mi;
            v[s] = vi;
            table[w] = wi - (DeviceFloat.Mul(k.LearningRate, mi / k.Correction1) / (Sqrt(vi / k.Correction2) + k.Epsilon));
        }

        // ---- Optimizer steps (clip factor and weight decay): sparse (the gradient's rows) and dense (every row) -------------
        // A dense update's thread t is element t of the [Rows, Width] gradient in id order: row t / Width, whose place in
        // the table's storage is StorageRow; its state and gradient are at t. Each is the CPU Optimizer's UpdateRow,
        // operation for operation.

        /// <summary>SGD as an optimizer (<c>Momentum</c> with μ = 0): w −= lr·g', g' = s·g + λ·w; the gradient's rows.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SgdRows(Index1D t, TableLayout layout, ArrayView<int> shardStart, ArrayView<float> table, ArrayView<long> ids, ArrayView<int> count, ArrayView<float> rows, StepConstants k)
        {
            Element e = Locate(t.X, layout, shardStart, ids, count);
            if (e.Touched)
            {
                SgdAt(table, e.Table, rows[t], k);
            }
        }

        /// <summary>SGD as an optimizer, dense: every element.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SgdDense(Index1D t, TableLayout layout, ArrayView<int> shardStart, ArrayView<float> table, ArrayView<float> gradient, StepConstants k) =>
            SgdAt(table, DenseTable(t.X, layout, shardStart), gradient[t], k);

        /// <summary><c>Momentum.UpdateRow</c> on the gradient's rows: v = μ·v + g', w −= lr·v (Nesterov: lr·(g' + μ·v)).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void MomentumRows(Index1D t, TableLayout layout, ArrayView<int> shardStart, ArrayView<float> table, ArrayView<long> ids, ArrayView<int> count, ArrayView<float> rows, ArrayView<float> velocity, StepConstants k)
        {
            Element e = Locate(t.X, layout, shardStart, ids, count);
            if (e.Touched)
            {
                MomentumAt(table, e.Table, rows[t], velocity, e.State, k);
            }
        }

        /// <summary><c>Momentum</c>'s dense update.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void MomentumDense(Index1D t, TableLayout layout, ArrayView<int> shardStart, ArrayView<float> table, ArrayView<float> gradient, ArrayView<float> velocity, StepConstants k) =>
            MomentumAt(table, DenseTable(t.X, layout, shardStart), gradient[t], velocity, t.X, k);

        /// <summary><c>Adagrad</c>'s dense update.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void AdagradDense(Index1D t, TableLayout layout, ArrayView<int> shardStart, ArrayView<float> table, ArrayView<float> gradient, ArrayView<float> accumulator, StepConstants k) =>
            AdagradAt(table, DenseTable(t.X, layout, shardStart), gradient[t], accumulator, t.X, k);

        /// <summary><c>Adam</c>'s (and <c>LazyAdam</c>'s) dense update.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void AdamDense(Index1D t, TableLayout layout, ArrayView<int> shardStart, ArrayView<float> table, ArrayView<float> gradient, ArrayView<float> m, ArrayView<float> v, StepConstants k) =>
            AdamAt(table, DenseTable(t.X, layout, shardStart), gradient[t], m, v, t.X, k);

        /// <summary><c>Adam.UpdateSparse</c>: every row steps, a row of the gradient (found by binary search in its
        /// ascending ids) with its gradient, any other with a zero gradient and no weight decay (<c>UpdateRowWithZeroGradient</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void AdamAllRows(Index1D t, TableLayout layout, ArrayView<int> shardStart, ArrayView<float> table, ArrayView<long> ids, ArrayView<int> count, ArrayView<float> rows, ArrayView<float> m, ArrayView<float> v, StepConstants k)
        {
            int id = t.X / layout.Width;
            int c = t.X - (id * layout.Width);
            long w = DenseTable(t.X, layout, shardStart);
            int lo = 0, hi = count[0] - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                long at = ids[mid];
                if (at == id)
                {
                    AdamAt(table, w, rows[((long)mid * layout.Width) + c], m, v, t.X, k);
                    return;
                }

                if (at < id)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            float mi = DeviceFloat.Mul(k.Beta1, m[t]);
            float vi = DeviceFloat.Mul(k.Beta2, v[t]);
            m[t] = mi;
            v[t] = vi;
            table[w] = table[w] - (DeviceFloat.Mul(k.LearningRate, mi / k.Correction1) / (Sqrt(vi / k.Correction2) + k.Epsilon));
        }

        /// <summary>Σ g² of a dense gradient in order, in double (<c>Optimizer.SquaredNorm</c>'s value); one thread.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void DenseSquaredNorm(Index1D t, ArrayView<float> gradient, ArrayView<double> result)
        {
            double sum = 0.0;
            for (long i = 0; i < gradient.Length; i++)
            {
                double g = gradient[i];
                sum += GraphSampling.Runtime.Gpu.Sampling.DeviceMath.Mul(g, g);
            }

            result[0] = sum;
        }

        private static float Effective(float g, float w, StepConstants k) => DeviceFloat.Mul(k.GradientScale, g) + DeviceFloat.Mul(k.WeightDecay, w);

        private static void SgdAt(ArrayView<float> table, long w, float g, StepConstants k)
        {
            float wi = table[w];
            table[w] = wi - DeviceFloat.Mul(k.LearningRate, Effective(g, wi, k));
        }

        private static void MomentumAt(ArrayView<float> table, long w, float g, ArrayView<float> velocity, long s, StepConstants k)
        {
            float wi = table[w];
            float gi = Effective(g, wi, k);
            float vi = DeviceFloat.Mul(k.Momentum, velocity[s]) + gi;
            velocity[s] = vi;
            table[w] = wi - DeviceFloat.Mul(k.LearningRate, k.Nesterov != 0 ? gi + DeviceFloat.Mul(k.Momentum, vi) : vi);
        }

        private static void AdagradAt(ArrayView<float> table, long w, float g, ArrayView<float> accumulator, long s, StepConstants k)
        {
            float wi = table[w];
            float gi = Effective(g, wi, k);
            float ai = accumulator[s] + DeviceFloat.Mul(gi, gi);
            accumulator[s] = ai;
            table[w] = wi - (DeviceFloat.Mul(k.LearningRate, gi) / (Sqrt(ai) + k.Epsilon));
        }

        private static void AdamAt(ArrayView<float> table, long w, float g, ArrayView<float> m, ArrayView<float> v, long s, StepConstants k)
        {
            float wi = table[w];
            float gi = Effective(g, wi, k);
            float mi = DeviceFloat.Mul(k.Beta1, m[s]) + DeviceFloat.Mul(k.OneMinusBeta1, gi);
            float vi = DeviceFloat.Mul(k.Beta2, v[s]) + DeviceFloat.Mul(DeviceFloat.Mul(k.OneMinusBeta2, gi), gi);
            m[s] = mi;
            v[s] = vi;
            table[w] = wi - (DeviceFloat.Mul(k.LearningRate, mi / k.Correction1) / (Sqrt(vi / k.Correction2) + k.Epsilon));
        }

        /// <summary>Where element <paramref name="t"/> of a dense [Rows, Width] gradient (id order) lies in the table's storage.</summary>
        private static long DenseTable(int t, TableLayout layout, ArrayView<int> shardStart)
        {
            int id = t / layout.Width;
            int c = t - (id * layout.Width);
            return (layout.StorageRow(id, shardStart) * layout.Width) + c;
        }

        /// <summary>Fills optimizer state (Adagrad's initial accumulator).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void Fill(Index1D i, ArrayView<float> state, float value) => state[i] = value;

        private static float Sqrt(float x) => (float)System.Math.Sqrt(x);

        /// <summary>Thread t's element: slot t / Width of the gradient, its column, where it lies in the table's storage
        /// and in the id-ordered state; not touched for slots past the gradient's count.</summary>
        private static Element Locate(int t, TableLayout layout, ArrayView<int> shardStart, ArrayView<long> ids, ArrayView<int> count)
        {
            int slot = t / layout.Width;
            if (slot >= count[0])
            {
                return default;
            }

            int c = t - (slot * layout.Width);
            long id = ids[slot];
            return new Element { Touched = true, Table = (layout.StorageRow(id, shardStart) * layout.Width) + c, State = (id * layout.Width) + c };
        }

        private struct Element
        {
            public bool Touched;
            public long Table;
            public long State;
        }
    }

    /// <summary>The per-step constants of an update, computed on the host exactly as the CPU optimizer computes them.</summary>
    public struct StepConstants
    {
        /// <summary>The step's learning rate (the schedule at the step index).</summary>
        public float LearningRate;

        /// <summary>The clip factor min(1, c / ‖g‖) (1 without clipping).</summary>
        public float GradientScale;

        /// <summary>L2 weight decay λ.</summary>
        public float WeightDecay;

        /// <summary>ε.</summary>
        public float Epsilon;

        /// <summary>Adam's β1.</summary>
        public float Beta1;

        /// <summary>1 − β1 in float.</summary>
        public float OneMinusBeta1;

        /// <summary>Adam's β2.</summary>
        public float Beta2;

        /// <summary>1 − β2 in float.</summary>
        public float OneMinusBeta2;

        /// <summary>1 − β1^t in float (t the 1-based step).</summary>
        public float Correction1;

        /// <summary>1 − β2^t in float.</summary>
        public float Correction2;

        /// <summary>Momentum's μ.</summary>
        public float Momentum;

        /// <summary>1 for Nesterov momentum, else 0.</summary>
        public int Nesterov;
    }
}
