using System;
using GraphSampling.Ir;

namespace GraphSampling.Runtime.Reference
{
    // Concat, Reshape, SparseToDense, TopK.
    public sealed partial class ReferenceInterpreter
    {
        /// <summary>1..n inputs of one dtype and rank, all batched or none; joined along axis (negative counts from the
        /// end). Batched inputs cannot be joined along their batch axis.</summary>
        private StaticType InferConcat(IrNode node)
        {
            StaticType[] t = Inputs(node, 1, int.MaxValue);
            StaticType first = t[0];
            if (first.Rank < 1) throw Invalid(node, "Concat needs inputs of rank >= 1.");
            int axis = ResolveAxis(node, AttrInt(node, "axis"), first.Rank);
            var dims = (int[])first.Dims.Clone();
            for (int i = 1; i < t.Length; i++)
            {
                StaticType u = t[i];
                if (u.DType != first.DType || u.Rank != first.Rank || u.Batched != first.Batched)
                {
                    throw Invalid(node, "input " + i + " is " + u + " but input 0 is " + first + " (dtype, rank and batching must agree).");
                }
                for (int a = 0; a < first.Rank; a++)
                {
                    if (a != axis && u.Dims[a] != first.Dims[a]) throw Invalid(node, "input " + i + " " + u + " differs from input 0 " + first + " on axis " + a + ".");
                }
                dims[axis] += u.Dims[axis];
            }
            if (first.Batched && axis == 0) throw Invalid(node, "batched inputs cannot be joined along their batch axis.");
            return new StaticType(first.DType, dims, first.Batched);
        }

        private int ConcatAxis(IrNode node) => ResolveAxis(node, AttrInt(node, "axis"), _types[node.Id][0].Rank);

        private RefTensor ForwardConcat(IrNode node, RunState s)
        {
            int axis = ConcatAxis(node);
            int[] shape = _types[node.Id][0].Live(s.Batch);
            int outer = ShapeMath.Product(shape, 0, axis);
            int size = ShapeMath.Size(shape);
            bool isFloat = _types[node.Id][0].DType == DType.Float32;
            var f = isFloat ? new double[size] : null;
            var l = isFloat ? null : new long[size];
            int pos = 0;
            for (int o = 0; o < outer; o++)
            {
                foreach (ValueRef input in node.Inputs)
                {
                    RefTensor x = s.Value(input);
                    int chunk = ShapeMath.Product(x.Shape, axis, x.Shape.Length);
                    if (f is not null) Array.Copy(x.F, o * chunk, f, pos, chunk);
                    else Array.Copy(x.I, o * chunk, l!, pos, chunk);
                    pos += chunk;
                }
            }
            return f is not null ? new RefTensor(shape, f) : new RefTensor(shape, l!);
        }

        /// <summary>Each input receives its slice of g along the axis.</summary>
        private void BackwardConcat(IrNode node, RunState s, double[] g)
        {
            int axis = ConcatAxis(node);
            int outer = ShapeMath.Product(s.Values[node.Id][0].Shape, 0, axis);
            int pos = 0;
            for (int o = 0; o < outer; o++)
            {
                foreach (ValueRef input in node.Inputs)
                {
                    RefTensor x = s.Value(input);
                    int chunk = ShapeMath.Product(x.Shape, axis, x.Shape.Length);
                    double[] dx = s.Grad(input);
                    for (int i = 0; i < chunk; i++) dx[o * chunk + i] += g[pos + i];
                    pos += chunk;
                }
            }
        }

        /// <summary>Same elements, shape dims. A batched x keeps its batch: dims[0] must be x's capacity.</summary>
        private StaticType InferReshape(IrNode node)
        {
            StaticType x = Inputs(node, 1, 1)[0];
            int[] dims = AttrDims(node, "dims");
            if (x.Batched && (dims.Length == 0 || dims[0] != x.Dims[0]))
            {
                throw Invalid(node, "x " + x + " is batched, so dims[0] must be its capacity " + x.Dims[0] + ", but dims are " + dims.Format() + ".");
            }
            if ((long)ShapeMath.Size(dims) != (long)ShapeMath.Size(x.Dims))
            {
                throw Invalid(node, "cannot reshape " + x + " (" + ShapeMath.Size(x.Dims) + " elements) to " + dims.Format() + " (" + ShapeMath.Size(dims) + ").");
            }
            return new StaticType(x.DType, dims, x.Batched);
        }

        private RefTensor ForwardReshape(IrNode node, RunState s)
        {
            RefTensor x = s.Value(node.Inputs[0]);
            int[] shape = _types[node.Id][0].Live(s.Batch);
            return x.Floats is not null ? new RefTensor(shape, (double[])x.Floats.Clone()) : new RefTensor(shape, (long[])x.I.Clone());
        }

        private static void BackwardReshape(IrNode node, RunState s, double[] g)
        {
            double[] dx = s.Grad(node.Inputs[0]);
            for (int i = 0; i < g.Length; i++) dx[i] += g[i];
        }

        /// <summary>
        /// indices int64 [N, R] (or [N] for R = 1), values float [N] or scalar; output float outputShape (rank R), not
        /// batched. Batched indices make N the live row count; vector values are then batched alike.
        /// </summary>
        private StaticType InferSparseToDense(IrNode node)
        {
            StaticType[] t = Inputs(node, 2, 2);
            StaticType indices = t[0], values = t[1];
            RequireInt(node, indices, "sparseIndices");
            RequireFloat(node, values, "sparseValues");
            if (indices.Rank != 1 && indices.Rank != 2) throw Invalid(node, "sparseIndices must be [N, R] or [N] but is " + indices + ".");
            int r = indices.Rank == 2 ? indices.Dims[1] : 1;
            int[] outputShape = AttrDims(node, "outputShape");
            if (outputShape.Length != r) throw Invalid(node, "outputShape " + outputShape.Format() + " has rank " + outputShape.Length + " but the indices " + indices + " have R = " + r + ".");
            if (values.Rank == 1)
            {
                if (values.Dims[0] != indices.Dims[0] || values.Batched != indices.Batched)
                {
                    throw Invalid(node, "sparseValues " + values + " must have one value per index of " + indices + ".");
                }
            }
            else if (values.Rank != 0)
            {
                throw Invalid(node, "sparseValues must be [N] or a scalar but is " + values + ".");
            }
            AttrDouble(node, "defaultValue");
            AttrBool(node, "validateIndices");
            return new StaticType(DType.Float32, outputShape, false);
        }

        /// <summary>The flat output position of each sparse entry, bounds-checked (always) and, with validateIndices,
        /// checked to be strictly increasing in row-major order (unsorted or repeated indices are errors).</summary>
        private int[] SparseTargets(IrNode node, RunState s)
        {
            RefTensor indices = s.Value(node.Inputs[0]);
            int[] outputShape = _types[node.Id][0].Dims;
            int r = outputShape.Length;
            int n = indices.Shape[0];
            long[] iv = indices.I;
            bool validate = AttrBool(node, "validateIndices");
            var targets = new int[n];
            for (int e = 0; e < n; e++)
            {
                long flat = 0;
                for (int d = 0; d < r; d++)
                {
                    long idx = iv[e * r + d];
                    if (idx < 0 || idx >= outputShape[d])
                    {
                        throw new ArgumentOutOfRangeException(ValueName(node.Inputs[0]), idx,
                            Describe(node) + ": sparse index " + e + " has " + idx + " on axis " + d + ", outside [0, " + outputShape[d] + ") of " + outputShape.Format() + ".");
                    }
                    flat = flat * outputShape[d] + idx;
                }
                targets[e] = (int)flat;
                if (validate && e > 0 && targets[e] <= targets[e - 1])
                {
                    throw new ArgumentException(Describe(node) + ": sparse index " + e + " is " + (targets[e] == targets[e - 1] ? "repeated" : "out of order")
                        + " (validateIndices requires strictly increasing row-major indices).", ValueName(node.Inputs[0]));
                }
            }
            return targets;
        }

        private RefTensor ForwardSparseToDense(IrNode node, RunState s)
        {
            int[] targets = SparseTargets(node, s);
            RefTensor values = s.Value(node.Inputs[1]);
            int[] shape = (int[])_types[node.Id][0].Dims.Clone();
            var output = new double[ShapeMath.Size(shape)];
            Array.Fill(output, AttrDouble(node, "defaultValue"));
            bool scalar = values.Shape.Length == 0;
            for (int e = 0; e < targets.Length; e++) output[targets[e]] = scalar ? values.F[0] : values.F[e]; // the last write wins
            return new RefTensor(shape, output);
        }

        /// <summary>Each value receives g at its cell unless a later entry overwrote that cell; a scalar value receives the
        /// sum of what its entries would.</summary>
        private void BackwardSparseToDense(IrNode node, RunState s, double[] g)
        {
            int[] targets = SparseTargets(node, s);
            var lastWriter = new int[g.Length];
            Array.Fill(lastWriter, -1);
            for (int e = 0; e < targets.Length; e++) lastWriter[targets[e]] = e;
            double[] dv = s.Grad(node.Inputs[1]);
            bool scalar = s.Value(node.Inputs[1]).Shape.Length == 0;
            for (int e = 0; e < targets.Length; e++)
            {
                if (lastWriter[targets[e]] != e) continue;
                dv[scalar ? 0 : e] += g[targets[e]];
            }
        }

        /// <summary>x float, top k along the last axis; outputs values (float) and indices (int64), [..., k].</summary>
        private StaticType[] InferTopK(IrNode node)
        {
            StaticType x = Inputs(node, 1, 1)[0];
            RequireFloat(node, x, "x");
            if (x.Rank < 1) throw Invalid(node, "TopK needs rank >= 1.");
            if (x.Batched && x.Rank == 1) throw Invalid(node, "TopK would select along the batch axis of " + x + ".");
            long k = AttrInt(node, "k");
            int n = x.Dims[x.Rank - 1];
            if (k < 0 || k > n) throw Invalid(node, "k = " + k + " is outside [0, " + n + "] for " + x + ".");
            var dims = (int[])x.Dims.Clone();
            dims[^1] = (int)k;
            return new[] { new StaticType(DType.Float32, dims, x.Batched), new StaticType(DType.Int64, (int[])dims.Clone(), x.Batched) };
        }

        /// <summary>Sorted descending, ties to the lower index. NaN ranks below every number (double.CompareTo order).</summary>
        private RefTensor[] ForwardTopK(IrNode node, RunState s)
        {
            RefTensor x = s.Value(node.Inputs[0]);
            int k = (int)AttrInt(node, "k");
            int n = x.Shape[^1];
            int rows = n == 0 ? 0 : x.Size / n;
            double[] xv = x.F;
            var values = new double[rows * k];
            var indices = new long[rows * k];
            var order = new int[n];
            for (int row = 0; row < rows; row++)
            {
                for (int i = 0; i < n; i++) order[i] = i;
                int offset = row * n;
                Array.Sort(order, (i, j) =>
                {
                    int c = xv[offset + j].CompareTo(xv[offset + i]);
                    return c != 0 ? c : i.CompareTo(j);
                });
                for (int i = 0; i < k; i++)
                {
                    values[row * k + i] = xv[offset + order[i]];
                    indices[row * k + i] = order[i];
                }
            }
            var shape = (int[])x.Shape.Clone();
            shape[^1] = k;
            return new[] { new RefTensor(shape, values), new RefTensor((int[])shape.Clone(), indices) };
        }
    }
}
