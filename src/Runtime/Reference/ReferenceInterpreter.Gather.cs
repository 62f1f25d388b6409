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
                if (id == -1 && node.Attributes.Flag("padding")) continue;   // ragged labels: a zero row
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
                if (idv[n] == -1) continue;   // padding (validated by the forward): no row, no gradient
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

        // EmbeddingBag (TF embedding_lookup_sparse over -1-padded ids): a weighted sum of rows per example, scaled by the
        // combiner; in double, straight from the definition.
        private StaticType InferEmbeddingBag(IrNode node)
        {
            StaticType[] t = Inputs(node, 3, 3);
            IrNode p = _graph.Nodes[node.Inputs[0].Node];
            if (p.Kind != OpKind.Parameter || node.Inputs[0].Output != 0) throw Invalid(node, "params must be a Parameter node, not " + Describe(p) + ".");
            RequireInt(node, t[1], "ids");
            RequireFloat(node, t[2], "weights");
            long combiner = AttrInt(node, "combiner");
            if (combiner < 0 || combiner > 2) throw Invalid(node, "combiner must be 0 (sum), 1 (mean) or 2 (sqrtn), not " + combiner + ".");
            if (t[0].Rank != 2 || t[1].Rank != 2 || !t[1].Batched) throw Invalid(node, "needs params [V, D] and batched ids [B, L].");
            return new StaticType(DType.Float32, new[] { t[1].Dims[0], t[0].Dims[1] }, true);
        }

        private RefTensor ForwardEmbeddingBag(IrNode node, RunState s)
        {
            RefTensor param = s.Value(node.Inputs[0]);
            RefTensor ids = s.Value(node.Inputs[1]);
            double[] weights = s.Value(node.Inputs[2]).F;
            int rows = param.Shape[0], d = param.Shape[1], batch = ids.Shape[0], width = ids.Shape[1];
            var output = new double[batch * d];
            for (int i = 0; i < batch; i++)
            {
                double scale = BagScale(node, ids.I, weights, i, width);
                for (int j = 0; j < width; j++)
                {
                    long id = ids.I[i * width + j];
                    if (id == -1) continue;
                    if (id < 0 || id >= rows)
                    {
                        throw new ArgumentOutOfRangeException(ValueName(node.Inputs[1]), id, Describe(node) + ": id " + id + " at [" + i + ", " + j + "] is outside [0, " + rows + ") and is not -1.");
                    }
                    for (int k = 0; k < d; k++) output[i * d + k] += scale * weights[i * width + j] * param.F[id * d + k];
                }
            }
            return new RefTensor(new[] { batch, d }, output);
        }

        private void BackwardEmbeddingBag(IrNode node, RunState s, double[] g)
        {
            RefTensor param = s.Value(node.Inputs[0]);
            RefTensor ids = s.Value(node.Inputs[1]);
            double[] weights = s.Value(node.Inputs[2]).F;
            int d = param.Shape[1], batch = ids.Shape[0], width = ids.Shape[1];
            double[] dTable = s.Grad(node.Inputs[0]);
            // The weights' gradient, from the definition: out_i = s_i Σ_j w_ij r_ij with s_i a function of the weights.
            double[]? dWeights = _types[node.Inputs[2].Node][node.Inputs[2].Output].DType == DType.Float32 ? s.Grad(node.Inputs[2]) : null;
            var real = new List<long>();
            for (int i = 0; i < batch; i++)
            {
                double scale = BagScale(node, ids.I, weights, i, width);
                for (int j = 0; j < width; j++)
                {
                    long id = ids.I[i * width + j];
                    if (id == -1) continue;
                    real.Add(id);
                    for (int k = 0; k < d; k++) dTable[id * d + k] += scale * weights[i * width + j] * g[i * d + k];
                }
                if (dWeights == null || scale == 0) continue;
                long combiner = AttrInt(node, "combiner");
                var y = new double[d];
                for (int j = 0; j < width; j++)
                {
                    long id = ids.I[i * width + j];
                    if (id == -1) continue;
                    for (int k = 0; k < d; k++) y[k] += scale * weights[i * width + j] * param.F[id * d + k];
                }
                for (int j = 0; j < width; j++)
                {
                    long id = ids.I[i * width + j];
                    if (id == -1) continue;
                    double w = weights[i * width + j], dot = 0;
                    for (int k = 0; k < d; k++)
                    {
                        // d y_ik / d w_ij = s_i r_ijk + (d s_i / d w_ij) Σ_j' w_ij' r_ij'k, with d s / d w = -s² (mean), -w s³ (sqrtn).
                        double ds = combiner == 1 ? -scale * scale : combiner == 2 ? -w * scale * scale * scale : 0;
                        double unscaled = y[k] / scale;
                        dot += g[i * d + k] * (scale * param.F[id * d + k] + ds * unscaled);
                    }
                    dWeights[i * width + j] += dot;
                }
            }
            Touch(s, node.Inputs[0].Node, real.ToArray());
        }

        private double BagScale(IrNode node, long[] ids, double[] weights, int row, int width)
        {
            double total = 0, squares = 0;
            for (int j = 0; j < width; j++)
            {
                if (ids[row * width + j] == -1) continue;
                total += weights[row * width + j];
                squares += weights[row * width + j] * weights[row * width + j];
            }
            return AttrInt(node, "combiner") switch
            {
                1 => total == 0 ? 0 : 1 / total,
                2 => squares == 0 ? 0 : 1 / Math.Sqrt(squares),
                _ => 1,
            };
        }

        private static double RowNorm(double[] table, long start, int cols)
        {
            double sum = 0;
            for (int k = 0; k < cols; k++) sum += table[start + k] * table[start + k];
            return Math.Sqrt(sum);
        }
    }
}
