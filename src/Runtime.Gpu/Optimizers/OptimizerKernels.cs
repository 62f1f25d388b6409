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
    }
}
