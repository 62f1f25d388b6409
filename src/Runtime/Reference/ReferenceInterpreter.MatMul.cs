using GraphSampling.Ir;

namespace GraphSampling.Runtime.Reference
{
    // MatMul and BiasAdd.
    public sealed partial class ReferenceInterpreter
    {
        /// <summary>
        /// a [M,K] (or [K,M] with transposeA) times b [K,N] (or [N,K] with transposeB). Batch rules: the output is batched
        /// iff M is a's batch axis; K may be the batch axis only of both operands at once (a contraction over the live
        /// rows); N can never be batched, since only axis 0 of the output could carry it.
        /// </summary>
        private StaticType InferMatMul(IrNode node)
        {
            StaticType[] t = Inputs(node, 2, 2);
            RequireFloat(node, t[0], "a");
            RequireFloat(node, t[1], "b");
            bool ta = AttrBool(node, "transposeA"), tb = AttrBool(node, "transposeB");
            StaticType a = t[0], b = t[1];
            if (a.Rank != 2 || b.Rank != 2) throw Invalid(node, "MatMul needs rank-2 operands; a is " + a + " and b is " + b + ".");
            int m = ta ? a.Dims[1] : a.Dims[0], ka = ta ? a.Dims[0] : a.Dims[1];
            int kb = tb ? b.Dims[1] : b.Dims[0], n = tb ? b.Dims[0] : b.Dims[1];
            if (ka != kb) throw Invalid(node, "inner dimensions differ: a is " + a + (ta ? " (transposed)" : "") + " and b is " + b + (tb ? " (transposed)" : "") + ".");
            bool mBatched = a.Batched && !ta, kaBatched = a.Batched && ta;
            bool kbBatched = b.Batched && !tb, nBatched = b.Batched && tb;
            if (nBatched) throw Invalid(node, "b's batch axis would become the output's column axis; only axis 0 can be the batch.");
            if (kaBatched != kbBatched) throw Invalid(node, "the contracted axis is the batch axis of only one operand (a is " + a + ", b is " + b + ").");
            return new StaticType(DType.Float32, new[] { m, n }, mBatched);
        }

        private static void MatMulDims(RefTensor a, RefTensor b, bool ta, bool tb, out int m, out int k, out int n)
        {
            m = ta ? a.Shape[1] : a.Shape[0];
            k = ta ? a.Shape[0] : a.Shape[1];
            n = tb ? b.Shape[0] : b.Shape[1];
        }

        private RefTensor ForwardMatMul(IrNode node, RunState s)
        {
            RefTensor a = s.Value(node.Inputs[0]), b = s.Value(node.Inputs[1]);
            bool ta = AttrBool(node, "transposeA"), tb = AttrBool(node, "transposeB");
            MatMulDims(a, b, ta, tb, out int m, out int k, out int n);
            double[] av = a.F, bv = b.F;
            var output = new double[m * n];
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        double x = ta ? av[p * m + i] : av[i * k + p];
                        double y = tb ? bv[j * k + p] : bv[p * n + j];
                        sum += x * y;
                    }
                    output[i * n + j] = sum;
                }
            }
            return new RefTensor(new[] { m, n }, output);
        }

        /// <summary>dA(i,p) = Σ_j g(i,j)·B(p,j) and dB(p,j) = Σ_i A(i,p)·g(i,j), stored back in each operand's layout.</summary>
        private void BackwardMatMul(IrNode node, RunState s, double[] g)
        {
            RefTensor a = s.Value(node.Inputs[0]), b = s.Value(node.Inputs[1]);
            bool ta = AttrBool(node, "transposeA"), tb = AttrBool(node, "transposeB");
            MatMulDims(a, b, ta, tb, out int m, out int k, out int n);
            double[] av = a.F, bv = b.F;
            double[] da = s.Grad(node.Inputs[0]);
            for (int i = 0; i < m; i++)
            {
                for (int p = 0; p < k; p++)
                {
                    double sum = 0;
                    for (int j = 0; j < n; j++) sum += g[i * n + j] * (tb ? bv[j * k + p] : bv[p * n + j]);
                    da[ta ? p * m + i : i * k + p] += sum;
                }
            }
            double[] db = s.Grad(node.Inputs[1]);
            for (int p = 0; p < k; p++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int i = 0; i < m; i++) sum += (ta ? av[p * m + i] : av[i * k + p]) * g[i * n + j];
                    db[tb ? j * k + p : p * n + j] += sum;
                }
            }
        }

        private static StaticType InferBiasAdd(IrNode node, StaticType[] t)
        {
            RequireFloat(node, t[0], "value");
            RequireFloat(node, t[1], "bias");
            StaticType v = t[0], bias = t[1];
            if (v.Rank < 1) throw Invalid(node, "value must have rank >= 1 but is " + v + ".");
            if (bias.Rank != 1 || bias.Batched) throw Invalid(node, "bias must be a non-batched vector but is " + bias + ".");
            if (v.Batched && v.Rank == 1) throw Invalid(node, "value's last axis is its batch axis; a bias cannot be added along it.");
            if (bias.Dims[0] != v.Dims[v.Rank - 1]) throw Invalid(node, "bias " + bias + " does not match the last axis of value " + v + ".");
            return v;
        }

        private StaticType InferBiasAdd(IrNode node) => InferBiasAdd(node, Inputs(node, 2, 2));

        private static RefTensor ForwardBiasAdd(IrNode node, RunState s)
        {
            RefTensor v = s.Value(node.Inputs[0]), bias = s.Value(node.Inputs[1]);
            double[] x = v.F, bv = bias.F;
            int n = bv.Length;
            var output = new double[x.Length];
            for (int i = 0; i < x.Length; i++) output[i] = x[i] + bv[i % n];
            return new RefTensor((int[])v.Shape.Clone(), output);
        }

        private static void BackwardBiasAdd(IrNode node, RunState s, double[] g)
        {
            double[] dv = s.Grad(node.Inputs[0]);
            double[] db = s.Grad(node.Inputs[1]);
            int n = db.Length;
            for (int i = 0; i < g.Length; i++)
            {
                dv[i] += g[i];
                db[i % n] += g[i];
            }
        }
    }
}
