using System;
using GraphSampling.Ir;

namespace GraphSampling.Runtime.Reference
{
    // ReduceSum and ReduceLogSumExp over one axis.
    public sealed partial class ReferenceInterpreter
    {
        /// <summary>x float, reduced over axis (negative counts from the end); keepDims leaves a 1 there. Reducing a
        /// batched x over its batch axis sums the live rows and gives a non-batched result.</summary>
        private StaticType InferReduce(IrNode node)
        {
            StaticType x = Inputs(node, 1, 1)[0];
            RequireFloat(node, x, "x");
            if (x.Rank < 1) throw Invalid(node, "cannot reduce a scalar.");
            int axis = ResolveAxis(node, AttrInt(node, "axis"), x.Rank);
            bool keep = AttrBool(node, "keepDims");
            int[] dims;
            if (keep)
            {
                dims = (int[])x.Dims.Clone();
                dims[axis] = 1;
            }
            else
            {
                dims = new int[x.Rank - 1];
                for (int a = 0, o = 0; a < x.Rank; a++)
                {
                    if (a != axis) dims[o++] = x.Dims[a];
                }
            }
            return new StaticType(DType.Float32, dims, x.Batched && axis != 0);
        }

        /// <summary>x's live shape seen as [outer, n, inner] around the reduced axis.</summary>
        private void ReduceLayout(IrNode node, RefTensor x, out int outer, out int n, out int inner)
        {
            int axis = ResolveAxis(node, AttrInt(node, "axis"), x.Shape.Length);
            outer = ShapeMath.Product(x.Shape, 0, axis);
            n = x.Shape[axis];
            inner = ShapeMath.Product(x.Shape, axis + 1, x.Shape.Length);
        }

        private RefTensor ForwardReduceSum(IrNode node, RunState s)
        {
            RefTensor x = s.Value(node.Inputs[0]);
            ReduceLayout(node, x, out int outer, out int n, out int inner);
            double[] xv = x.F;
            var output = new double[outer * inner];
            for (int o = 0; o < outer; o++)
            {
                for (int i = 0; i < inner; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < n; j++) sum += xv[(o * n + j) * inner + i];
                    output[o * inner + i] = sum;
                }
            }
            return new RefTensor(_types[node.Id][0].Live(s.Batch), output);
        }

        private void BackwardReduceSum(IrNode node, RunState s, double[] g)
        {
            RefTensor x = s.Value(node.Inputs[0]);
            ReduceLayout(node, x, out int outer, out int n, out int inner);
            double[] dx = s.Grad(node.Inputs[0]);
            for (int o = 0; o < outer; o++)
            {
                for (int j = 0; j < n; j++)
                {
                    for (int i = 0; i < inner; i++) dx[(o * n + j) * inner + i] += g[o * inner + i];
                }
            }
        }

        /// <summary>m + log Σ exp(x − m), with m the max over the axis replaced by 0 when it is not finite (spec 10.4).</summary>
        private RefTensor ForwardReduceLogSumExp(IrNode node, RunState s)
        {
            RefTensor x = s.Value(node.Inputs[0]);
            ReduceLayout(node, x, out int outer, out int n, out int inner);
            double[] xv = x.F;
            var output = new double[outer * inner];
            for (int o = 0; o < outer; o++)
            {
                for (int i = 0; i < inner; i++)
                {
                    double m = double.NegativeInfinity;
                    for (int j = 0; j < n; j++) m = Math.Max(m, xv[(o * n + j) * inner + i]);
                    if (!double.IsFinite(m)) m = 0;
                    double sum = 0;
                    for (int j = 0; j < n; j++) sum += Math.Exp(xv[(o * n + j) * inner + i] - m);
                    output[o * inner + i] = Math.Log(sum) + m;
                }
            }
            return new RefTensor(_types[node.Id][0].Live(s.Batch), output);
        }

        /// <summary>The shift carries no gradient, so dx = g·exp(x − y) with y the result (the softmax along the axis).</summary>
        private void BackwardReduceLogSumExp(IrNode node, RunState s, double[] g)
        {
            RefTensor x = s.Value(node.Inputs[0]);
            double[] y = s.Values[node.Id][0].F;
            ReduceLayout(node, x, out int outer, out int n, out int inner);
            double[] xv = x.F;
            double[] dx = s.Grad(node.Inputs[0]);
            for (int o = 0; o < outer; o++)
            {
                for (int j = 0; j < n; j++)
                {
                    for (int i = 0; i < inner; i++)
                    {
                        int at = (o * n + j) * inner + i;
                        dx[at] += g[o * inner + i] * Math.Exp(xv[at] - y[o * inner + i]);
                    }
                }
            }
        }
    }
}
