using System;
using GraphSampling.Ir;

namespace GraphSampling.Runtime.Reference
{
    // SoftmaxCrossEntropyWithLogits, SparseSoftmaxCrossEntropyWithLogits, SigmoidCrossEntropyWithLogits (spec 10).
    public sealed partial class ReferenceInterpreter
    {
        private StaticType InferSoftmaxCrossEntropy(IrNode node)
        {
            StaticType[] t = Inputs(node, 2, 2);
            StaticType labels = t[0], logits = t[1];
            RequireFloat(node, labels, "labels");
            RequireFloat(node, logits, "logits");
            if (logits.Rank != 2) throw Invalid(node, "logits must be [B, C] but are " + logits + ".");
            if (!SameType(labels, logits)) throw Invalid(node, "labels " + labels + " and logits " + logits + " must have the same shape.");
            return new StaticType(DType.Float32, new[] { logits.Dims[0] }, logits.Batched);
        }

        /// <summary>Per row: m = max z, sh = z − m, s = Σ exp(sh); loss = Σ_j y_j (log s − sh_j) (spec 10.1).</summary>
        private static RefTensor ForwardSoftmaxCrossEntropy(IrNode node, RunState s)
        {
            double[] y = s.Value(node.Inputs[0]).F;
            RefTensor logits = s.Value(node.Inputs[1]);
            int b = logits.Shape[0], c = logits.Shape[1];
            double[] z = logits.F;
            var loss = new double[b];
            for (int i = 0; i < b; i++)
            {
                SoftmaxRow(z, i * c, c, out double m, out double sum);
                double logSum = Math.Log(sum), acc = 0;
                for (int j = 0; j < c; j++) acc += y[i * c + j] * (logSum - (z[i * c + j] - m));
                loss[i] = acc;
            }
            return new RefTensor(new[] { b }, loss);
        }

        /// <summary>
        /// TF's registered gradient: dlogits = g·(softmax − y) (exact only when each label row sums to 1, as TF assumes);
        /// dlabels = −g·log_softmax(z) = g·(log s − sh).
        /// </summary>
        private static void BackwardSoftmaxCrossEntropy(IrNode node, RunState s, double[] g)
        {
            double[] y = s.Value(node.Inputs[0]).F;
            RefTensor logits = s.Value(node.Inputs[1]);
            int b = logits.Shape[0], c = logits.Shape[1];
            double[] z = logits.F;
            double[] dy = s.Grad(node.Inputs[0]);
            double[] dz = s.Grad(node.Inputs[1]);
            for (int i = 0; i < b; i++)
            {
                SoftmaxRow(z, i * c, c, out double m, out double sum);
                double logSum = Math.Log(sum);
                for (int j = 0; j < c; j++)
                {
                    double sh = z[i * c + j] - m;
                    dz[i * c + j] += g[i] * (Math.Exp(sh) / sum - y[i * c + j]);
                    dy[i * c + j] += g[i] * (logSum - sh);
                }
            }
        }

        private StaticType InferSparseSoftmaxCrossEntropy(IrNode node)
        {
            StaticType[] t = Inputs(node, 2, 2);
            StaticType labels = t[0], logits = t[1];
            RequireInt(node, labels, "labels");
            RequireFloat(node, logits, "logits");
            if (logits.Rank != 2) throw Invalid(node, "logits must be [B, C] but are " + logits + ".");
            if (labels.Rank != 1 || labels.Dims[0] != logits.Dims[0] || labels.Batched != logits.Batched)
            {
                throw Invalid(node, "labels must be [B] for logits " + logits + " but are " + labels + ".");
            }
            return new StaticType(DType.Float32, new[] { logits.Dims[0] }, logits.Batched);
        }

        /// <summary>loss = log s − sh_label (spec 10.2); a label outside [0, C) is an error naming the row.</summary>
        private RefTensor ForwardSparseSoftmaxCrossEntropy(IrNode node, RunState s)
        {
            long[] labels = s.Value(node.Inputs[0]).I;
            RefTensor logits = s.Value(node.Inputs[1]);
            int b = logits.Shape[0], c = logits.Shape[1];
            double[] z = logits.F;
            var loss = new double[b];
            for (int i = 0; i < b; i++)
            {
                long label = labels[i];
                if (label < 0 || label >= c)
                {
                    string name = ValueName(node.Inputs[0]);
                    throw new ArgumentOutOfRangeException(name, label,
                        Describe(node) + ": row " + i + " of labels '" + name + "' has label " + label + ", outside [0, " + c + ").");
                }
                SoftmaxRow(z, i * c, c, out double m, out double sum);
                loss[i] = Math.Log(sum) - (z[i * c + label] - m);
            }
            return new RefTensor(new[] { b }, loss);
        }

        /// <summary>dlogits = g·(softmax − onehot(label)).</summary>
        private static void BackwardSparseSoftmaxCrossEntropy(IrNode node, RunState s, double[] g)
        {
            long[] labels = s.Value(node.Inputs[0]).I;
            RefTensor logits = s.Value(node.Inputs[1]);
            int b = logits.Shape[0], c = logits.Shape[1];
            double[] z = logits.F;
            double[] dz = s.Grad(node.Inputs[1]);
            for (int i = 0; i < b; i++)
            {
                SoftmaxRow(z, i * c, c, out double m, out double sum);
                for (int j = 0; j < c; j++)
                {
                    dz[i * c + j] += g[i] * (Math.Exp(z[i * c + j] - m) / sum - (j == labels[i] ? 1.0 : 0.0));
                }
            }
        }

        private StaticType InferSigmoidCrossEntropy(IrNode node)
        {
            StaticType[] t = Inputs(node, 2, 2);
            StaticType labels = t[0], logits = t[1];
            RequireFloat(node, labels, "labels");
            RequireFloat(node, logits, "logits");
            if (!SameType(labels, logits)) throw Invalid(node, "labels " + labels + " and logits " + logits + " must have the same shape.");
            return logits;
        }

        /// <summary>max(x, 0) − x·z + log1p(exp(−|x|)) (spec 10.3), with an accurate log1p.</summary>
        private static RefTensor ForwardSigmoidCrossEntropy(IrNode node, RunState s)
        {
            double[] z = s.Value(node.Inputs[0]).F;
            RefTensor logits = s.Value(node.Inputs[1]);
            double[] x = logits.F;
            var output = new double[x.Length];
            for (int i = 0; i < x.Length; i++) output[i] = Math.Max(x[i], 0) - x[i] * z[i] + RefMath.Log1p(Math.Exp(-Math.Abs(x[i])));
            return new RefTensor((int[])logits.Shape.Clone(), output);
        }

        /// <summary>dlogits = g·(σ(x) − z), evaluated as TF's autodiff does (spec 7): [x ≥ 0] − z + (x ≥ 0 ? −1 : +1)·e/(1+e)
        /// with e = exp(−|x|); dlabels = −g·x.</summary>
        private static void BackwardSigmoidCrossEntropy(IrNode node, RunState s, double[] g)
        {
            double[] z = s.Value(node.Inputs[0]).F;
            double[] x = s.Value(node.Inputs[1]).F;
            double[] dz = s.Grad(node.Inputs[0]);
            double[] dx = s.Grad(node.Inputs[1]);
            for (int i = 0; i < x.Length; i++)
            {
                double e = Math.Exp(-Math.Abs(x[i]));
                bool nonNegative = x[i] >= 0;
                double d = (nonNegative ? 1.0 : 0.0) - z[i] + (nonNegative ? -1.0 : 1.0) * e / (1 + e);
                dx[i] += g[i] * d;
                dz[i] += -g[i] * x[i];
            }
        }

        private static void SoftmaxRow(double[] z, int start, int c, out double max, out double sum)
        {
            max = double.NegativeInfinity;
            for (int j = 0; j < c; j++) max = Math.Max(max, z[start + j]);
            sum = 0;
            for (int j = 0; j < c; j++) sum += Math.Exp(z[start + j] - max);
        }

        private static bool SameType(StaticType a, StaticType b)
        {
            if (a.Rank != b.Rank || a.Batched != b.Batched) return false;
            for (int i = 0; i < a.Rank; i++)
            {
                if (a.Dims[i] != b.Dims[i]) return false;
            }
            return true;
        }
    }
}
