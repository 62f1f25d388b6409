using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Runtime.Reference
{
    // EmbeddingLookup (spec 2): a gather by id, optional max-norm clipping, sparse gradient.
    public sealed partial class ReferenceInterpreter
    {
        private StaticType InferEmbeddingLookup(IrNode node)
        {
            StaticType[] t = Inputs(node, 2, 2);
            IrNode p = _graph.Nodes[node.Inputs[0].Node];
            if (p.Kind != OpKind.Parameter || node.Inputs[0].Output != 0) throw Invalid(node, "params must be a Parameter node, not " + Describe(p) + ".");
            RequireInt(node, t[1], "ids");
            AttrDouble(node, "maxNorm");
            StaticType param = t[0], ids = t[1];
            var dims = new int[ids.Rank + param.Rank - 1];
            Array.Copy(ids.Dims, dims, ids.Rank);
            Array.Copy(param.Dims, 1, dims, ids.Rank, param.Rank - 1);
            return new StaticType(DType.Float32, dims, ids.Batched);
        }

        private RefTensor ForwardEmbeddingLookup(IrNode node, RunState s)
        {
            RefTensor param = s.Value(node.Inputs[0]);
            RefTensor ids = s.Value(node.Inputs[1]);
            int rows = param.Shape[0];
            int cols = ShapeMath.Product(param.Shape, 1, param.Shape.Length);
            double c = AttrDouble(node, "maxNorm");
            long[] idv = ids.I;
            double[] table = param.F;
            var output = new double[idv.Length * cols];
            int paramNode = node.Inputs[0].Node;
            for (int n = 0; n < idv.Length; n++)
            {
                long id = idv[n];
                if (id < 0 || id >= rows)
                {
                    string idsName = ValueName(node.Inputs[1]);
                    throw new ArgumentOutOfRangeException(idsName, id,
                        Describe(node) + ": id " + id + " at position " + n + " (index " + ShapeMath.IndexOf(ids.Shape, n) + ") of ids '" + idsName
                        + "' is outside [0, " + rows + ") of parameter '" + LeafName(_graph.Nodes[paramNode]) + "'.");
                }
                Array.Copy(table, id * cols, output, (long)n * cols, cols);
                if (!double.IsNaN(c))
                {
                    // t·c / max(|t|, c); a row with |t| = 0 is left as it is (spec 2.3).
                    double norm = RowNorm(table, id * cols, cols);
                    if (norm > 0)
                    {
                        double den = Math.Max(norm, c);
                        for (int k = 0; k < cols; k++) output[n * cols + k] = table[id * cols + k] * c / den;
                    }
                }
            }
            var shape = new int[ids.Shape.Length + param.Shape.Length - 1];
            Array.Copy(ids.Shape, shape, ids.Shape.Length);
            Array.Copy(param.Shape, 1, shape, ids.Shape.Length, param.Shape.Length - 1);
            return new RefTensor(shape, output);
        }

        /// <summary>
        /// One gradient row per id occurrence, summed into the dense table gradient (spec 2.4). With max-norm c and row t:
        /// where |t| ≥ c (the tie goes to the norm branch, as TF's maximum gradient does) the row gradient is
        /// c/|t|·(g − t(t·g)/|t|²); where |t| &lt; c, or |t| = 0, it is g.
        /// </summary>
        private void BackwardEmbeddingLookup(IrNode node, RunState s, double[] g)
        {
            RefTensor param = s.Value(node.Inputs[0]);
            long[] idv = s.Value(node.Inputs[1]).I;
            int cols = ShapeMath.Product(param.Shape, 1, param.Shape.Length);
            double c = AttrDouble(node, "maxNorm");
            double[] table = param.F;
            double[] dTable = s.Grad(node.Inputs[0]);
            // Only lookups that receive a gradient put their ids in the sparse gradient (TAPAS's first pass does not).
            Touch(s, node.Inputs[0].Node, idv);
            for (int n = 0; n < idv.Length; n++)
            {
                long baseRow = idv[n] * cols;
                int baseG = n * cols;
                double norm = double.IsNaN(c) ? 0 : RowNorm(table, baseRow, cols);
                if (!double.IsNaN(c) && norm > 0 && norm >= c)
                {
                    double dot = 0;
                    for (int k = 0; k < cols; k++) dot += table[baseRow + k] * g[baseG + k];
                    for (int k = 0; k < cols; k++)
                    {
                        dTable[baseRow + k] += c / norm * (g[baseG + k] - table[baseRow + k] * dot / (norm * norm));
                    }
                }
                else
                {
                    for (int k = 0; k < cols; k++) dTable[baseRow + k] += g[baseG + k];
                }
            }
        }

        private static double RowNorm(double[] table, long start, int cols)
        {
            double sum = 0;
            for (int k = 0; k < cols; k++) sum += table[start + k] * table[start + k];
            return Math.Sqrt(sum);
        }
    }
}
