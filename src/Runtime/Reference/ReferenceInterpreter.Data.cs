using System;
using GraphSampling.Ir;

namespace GraphSampling.Runtime.Reference
{
    // Constant, Gather and SampledValues.
    public sealed partial class ReferenceInterpreter
    {
        /// <summary>No inputs; dims (batch capacity first when batched), value or one value per element (per row when
        /// batched), cast to float32 or int64 as the dtype says.</summary>
        private static StaticType InferConstant(IrNode node)
        {
            Inputs_None(node);
            long dtype = AttrInt(node, "dtype");
            if (dtype != (long)DType.Float32 && dtype != (long)DType.Int64) throw Invalid(node, "dtype " + dtype + " is not a DType.");
            int[] dims = AttrDims(node, "dims");
            bool batched = AttrBool(node, "batched");
            if (batched && dims.Length == 0) throw Invalid(node, "a scalar constant cannot be batched.");
            AttrDouble(node, "value");
            int values = Attr(node, "values", AttrKind.DoubleArray).Doubles.Count;
            int perRow = batched ? ShapeMath.Product(dims, 1, dims.Length) : ShapeMath.Size(dims);
            if (values != 0 && values != perRow) throw Invalid(node, values + " values for " + dims.Format(batched) + " (" + perRow + (batched ? " per row" : "") + ").");
            return new StaticType((DType)dtype, dims, batched);
        }

        private RefTensor ForwardConstant(IrNode node, RunState s)
        {
            StaticType t = _types[node.Id][0];
            int[] shape = t.Live(s.Batch);
            int size = ShapeMath.Size(shape);
            var values = Attr(node, "values", AttrKind.DoubleArray).Doubles;
            double value = AttrDouble(node, "value");
            double At(int i) => values.Count == 0 ? value : values[i % values.Count];
            if (t.DType == DType.Int64)
            {
                var l = new long[size];
                for (int i = 0; i < size; i++) l[i] = (long)At(i);
                return new RefTensor(shape, l);
            }
            // TF's constants are float32: the double attribute is rounded once.
            var f = new double[size];
            for (int i = 0; i < size; i++) f[i] = (float)At(i);
            return new RefTensor(shape, f);
        }

        /// <summary>params (any dtype, rank ≥ 1), indices int64; output params[..axis] + indices.shape + params[axis+1..].
        /// Batched when the indices are (axis 0) or the params are (axis &gt; 0); never both.</summary>
        private StaticType InferGather(IrNode node)
        {
            StaticType[] t = Inputs(node, 2, 2);
            StaticType p = t[0], idx = t[1];
            RequireInt(node, idx, "indices");
            if (p.Rank < 1) throw Invalid(node, "params must have rank >= 1.");
            int axis = ResolveAxis(node, AttrInt(node, "axis"), p.Rank);
            if (p.Batched && axis == 0) throw Invalid(node, "cannot gather along the batch axis of " + p + ".");
            if (p.Batched && idx.Batched) throw Invalid(node, "params and indices cannot both be batched.");
            if (idx.Batched && axis != 0) throw Invalid(node, "batched indices need axis 0.");
            var dims = new int[p.Rank - 1 + idx.Rank];
            Array.Copy(p.Dims, dims, axis);
            Array.Copy(idx.Dims, 0, dims, axis, idx.Rank);
            Array.Copy(p.Dims, axis + 1, dims, axis + idx.Rank, p.Rank - axis - 1);
            return new StaticType(p.DType, dims, p.Batched || idx.Batched);
        }

        private void GatherLayout(IrNode node, RefTensor p, out int outer, out int n, out int inner)
        {
            int axis = ResolveAxis(node, AttrInt(node, "axis"), p.Shape.Length);
            outer = ShapeMath.Product(p.Shape, 0, axis);
            n = p.Shape[axis];
            inner = ShapeMath.Product(p.Shape, axis + 1, p.Shape.Length);
        }

        private RefTensor ForwardGather(IrNode node, RunState s)
        {
            RefTensor p = s.Value(node.Inputs[0]);
            RefTensor idx = s.Value(node.Inputs[1]);
            GatherLayout(node, p, out int outer, out int n, out int inner);
            long[] iv = idx.I;
            for (int i = 0; i < iv.Length; i++)
            {
                if (iv[i] < 0 || iv[i] >= n)
                {
                    string name = ValueName(node.Inputs[1]);
                    throw new ArgumentOutOfRangeException(name, iv[i], Describe(node) + ": index " + iv[i] + " at position " + i + " of '" + name + "' is outside [0, " + n + ").");
                }
            }
            int[] shape = _types[node.Id][0].Live(s.Batch);
            int size = outer * iv.Length * inner;
            var f = p.IsFloat ? new double[size] : null;
            var l = p.IsFloat ? null : new long[size];
            for (int o = 0; o < outer; o++)
            {
                for (int i = 0; i < iv.Length; i++)
                {
                    int from = (int)((o * n + iv[i]) * inner), to = (o * iv.Length + i) * inner;
                    if (f is not null) Array.Copy(p.F, from, f, to, inner);
                    else Array.Copy(p.I, from, l!, to, inner);
                }
            }
            return f is not null ? new RefTensor(shape, f) : new RefTensor(shape, l!);
        }

        /// <summary>Each output slice's gradient is added back at its index (repeats accumulate).</summary>
        private void BackwardGather(IrNode node, RunState s, double[] g)
        {
            RefTensor p = s.Value(node.Inputs[0]);
            if (!p.IsFloat) return;
            long[] iv = s.Value(node.Inputs[1]).I;
            GatherLayout(node, p, out int outer, out int n, out int inner);
            double[] dp = s.Grad(node.Inputs[0]);
            for (int o = 0; o < outer; o++)
            {
                for (int i = 0; i < iv.Length; i++)
                {
                    for (int e = 0; e < inner; e++) dp[(o * n + iv[i]) * inner + e] += g[(o * iv.Length + i) * inner + e];
                }
            }
        }

        /// <summary>TF's sampled_values triple: candidates int64 [K], true counts float [B, T], sampled counts float [K].</summary>
        private StaticType[] InferSampledValues(IrNode node)
        {
            StaticType[] t = Inputs(node, 3, 3);
            RequireInt(node, t[0], "sampledCandidates");
            RequireFloat(node, t[1], "trueExpectedCount");
            RequireFloat(node, t[2], "sampledExpectedCount");
            if (t[0].Rank != 1 || t[0].Batched) throw Invalid(node, "sampledCandidates must be a fixed [K] vector but is " + t[0] + ".");
            if (t[1].Rank != 2) throw Invalid(node, "trueExpectedCount must be [B, T] but is " + t[1] + ".");
            if (t[2].Rank != 1 || t[2].Batched || t[2].Dims[0] != t[0].Dims[0]) throw Invalid(node, "sampledExpectedCount must be [" + t[0].Dims[0] + "] but is " + t[2] + ".");
            return t;
        }

        private bool FeedsRaggedLoss(IrNode values)
        {
            foreach (var n in _graph.Nodes)
            {
                if (IsSampledLoss(n.Kind) && n.Attributes.Flag("raggedLabels") && n.Inputs.Count > 5 && n.Inputs[5].Node == values.Id) return true;
            }
            return false;
        }

        /// <summary>The values pass unchanged; every expected count must be finite and positive (the losses take its log).</summary>
        private RefTensor[] ForwardSampledValues(IrNode node, RunState s)
        {
            for (int input = 1; input <= 2; input++)
            {
                // A loss with ragged labels checks the true counts itself, at the real labels only (padding's is unused).
                if (input == 1 && FeedsRaggedLoss(node)) continue;
                RefTensor counts = s.Value(node.Inputs[input]);
                for (int i = 0; i < counts.Size; i++)
                {
                    double q = counts.F[i];
                    if (!(q > 0) || double.IsInfinity(q))
                    {
                        string name = ValueName(node.Inputs[input]);
                        throw new ArgumentOutOfRangeException(name, q, Describe(node) + ": expected count " + q + " at position " + i + " of '" + name + "' is not finite and positive.");
                    }
                }
            }
            return new[] { s.Value(node.Inputs[0]), s.Value(node.Inputs[1]), s.Value(node.Inputs[2]) };
        }
    }
}
