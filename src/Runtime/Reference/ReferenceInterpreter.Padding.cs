using System;
using GraphSampling.Ir;

namespace GraphSampling.Runtime.Reference
{
    // Ragged labels' primitives (the lowering of a sampled loss with raggedLabels): MaskPadding and LabelWeights, from
    // their definitions in OpKind. The composite losses take ragged labels directly (ReferenceInterpreter.SampledLosses).
    public sealed partial class ReferenceInterpreter
    {
        private StaticType InferMaskPadding(IrNode node)
        {
            StaticType[] t = Inputs(node, 2, 2);
            RequireInt(node, t[0], "ids");
            RequireFloat(node, t[1], "x");
            if (t[0].Rank != t[1].Rank || t[0].Batched != t[1].Batched) throw Invalid(node, "ids " + t[0] + " and x " + t[1] + " must have one shape.");
            for (int i = 0; i < t[0].Rank; i++) if (t[0].Dims[i] != t[1].Dims[i]) throw Invalid(node, "ids " + t[0] + " and x " + t[1] + " must have one shape.");
            AttrDouble(node, "fill");
            return t[1];
        }

        /// <summary>ids &lt; 0 ? fill : x; the fill rounded to float as the generated code holds it.</summary>
        private static RefTensor ForwardMaskPadding(IrNode node, RunState s)
        {
            long[] ids = s.Value(node.Inputs[0]).I;
            RefTensor x = s.Value(node.Inputs[1]);
            double fill = (float)AttrDouble(node, "fill");
            var output = new double[ids.Length];
            for (int i = 0; i < ids.Length; i++) output[i] = ids[i] < 0 ? fill : x.F[i];
            return new RefTensor((int[])x.Shape.Clone(), output);
        }

        private static void BackwardMaskPadding(IrNode node, RunState s, double[] g)
        {
            long[] ids = s.Value(node.Inputs[0]).I;
            double[] dx = s.Grad(node.Inputs[1]);
            for (int i = 0; i < ids.Length; i++) if (ids[i] >= 0) dx[i] += g[i];
        }

        private StaticType InferLabelWeights(IrNode node)
        {
            StaticType labels = Inputs(node, 1, 1)[0];
            RequireInt(node, labels, "labels");
            if (labels.Rank != 2) throw Invalid(node, "labels " + labels + " must be [B, T].");
            return new StaticType(DType.Float32, (int[])labels.Dims.Clone(), labels.Batched);
        }

        /// <summary>1 / T_i at each real label of row i, 0 at padding; a row of padding only is refused.</summary>
        private RefTensor ForwardLabelWeights(IrNode node, RunState s)
        {
            RefTensor labels = s.Value(node.Inputs[0]);
            int t = labels.Shape[1];
            var output = new double[labels.I.Length];
            for (int row = 0; row * t < output.Length; row++)
            {
                int real = 0;
                for (int j = 0; j < t; j++) if (labels.I[row * t + j] >= 0) real++;
                if (real == 0) throw new ArgumentException(Describe(node) + ": row " + row + " of '" + ValueName(node.Inputs[0]) + "' holds only padding.", ValueName(node.Inputs[0]));
                for (int j = 0; j < t; j++) output[row * t + j] = labels.I[row * t + j] >= 0 ? (double)(1f / real) : 0;
            }
            return new RefTensor((int[])labels.Shape.Clone(), output);
        }
    }
}
