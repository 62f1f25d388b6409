using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Runtime.Reference
{
    // The four sampled losses evaluated directly from the spec (sections 5-9 and 11), not through the primitives the
    // generator lowers them to: an independent oracle for the lowering. Sampled values must be given (this interpreter
    // runs no sampler).
    public sealed partial class ReferenceInterpreter
    {
        private static bool IsSampledLoss(OpKind kind) =>
            kind == OpKind.SampledSoftmaxLoss || kind == OpKind.SampledSparseSoftmaxLoss || kind == OpKind.NceLoss || kind == OpKind.RankSampledSoftmaxLoss;

        /// <summary>weights [C, D] and biases [C] (Parameters), labels int64 [B, T], inputs float [B, D], then S [K],
        /// Qt [B, T], Qs [K]. Output float [B].</summary>
        private StaticType InferSampledLoss(IrNode node)
        {
            if (!AttrBool(node, "hasSampledValues"))
            {
                throw new NotSupportedException(Describe(node) + ": the reference interpreter runs no sampler; give the loss sampledValues (g.SampledValues over fed data).");
            }
            StaticType[] t = Inputs(node, 7, 7);
            for (int i = 0; i < 2; i++)
            {
                IrNode p = _graph.Nodes[node.Inputs[i].Node];
                if (p.Kind != OpKind.Parameter) throw Invalid(node, (i == 0 ? "weights" : "biases") + " must be a Parameter, not " + Describe(p) + ".");
            }
            StaticType w = t[0], b = t[1], labels = t[2], x = t[3], sampled = t[4], qt = t[5], qs = t[6];
            if (w.Rank != 2 || b.Rank != 1 || b.Dims[0] != w.Dims[0]) throw Invalid(node, "weights " + w + " and biases " + b + " must be [C, D] and [C].");
            RequireInt(node, labels, "labels");
            RequireFloat(node, x, "inputs");
            if (labels.Rank != 2 || x.Rank != 2 || !x.Batched || labels.Dims[0] != x.Dims[0] || labels.Batched != x.Batched) throw Invalid(node, "labels " + labels + " and inputs " + x + " must be [B, T] and [B, D].");
            if (x.Dims[1] != w.Dims[1]) throw Invalid(node, "inputs " + x + " and weights " + w + " disagree on D.");
            long numTrue = AttrInt(node, "numTrue"), k = AttrInt(node, "numSampled"), c = AttrInt(node, "numClasses");
            if (labels.Dims[1] != numTrue) throw Invalid(node, "labels " + labels + " do not have numTrue = " + numTrue + " columns.");
            if (c != w.Dims[0]) throw Invalid(node, "numClasses " + c + " is not the rows of weights " + w + ".");
            if (sampled.Rank != 1 || sampled.Dims[0] != k || qs.Rank != 1 || qs.Dims[0] != k) throw Invalid(node, "the sampled values must hold numSampled = " + k + " candidates.");
            if (qt.Rank != 2 || qt.Dims[0] != labels.Dims[0] || qt.Dims[1] != numTrue) throw Invalid(node, "true expected counts " + qt + " must be shaped like the labels " + labels + ".");
            if (node.Kind == OpKind.RankSampledSoftmaxLoss)
            {
                long r = AttrInt(node, "numResampled");
                if (k > c || r >= k || r < 1) throw Invalid(node, "TAPAS needs numResampled < numSampled <= numClasses.");
                if (!(AttrDouble(node, "resamplingTemperature") > 0)) throw Invalid(node, "resamplingTemperature must be positive.");
            }
            AttrBool(node, "removeAccidentalHits");
            AttrBool(node, "subtractLogQ");
            return new StaticType(DType.Float32, new[] { x.Dims[0] }, true);
        }

        /// <summary>The sampled logits of spec 5 for one call (after TAPAS's resampling when it applies), kept for backward.</summary>
        private sealed class SampledLogits
        {
            public int B, D, T, K;
            public long[] Classes = Array.Empty<long>();     // L flattened, then the (kept) candidates
            public double[] Z = Array.Empty<double>();       // [B, T + K]
            public double[] Y = Array.Empty<double>();       // [B, T + K]
        }

        private SampledLogits ComputeSampledLogits(IrNode node, RunState s)
        {
            double[] w = s.Value(node.Inputs[0]).F, bias = s.Value(node.Inputs[1]).F, x = s.Value(node.Inputs[3]).F;
            long[] labels = s.Value(node.Inputs[2]).I, sampled = s.Value(node.Inputs[4]).I;
            double[] qt = s.Value(node.Inputs[5]).F, qs = s.Value(node.Inputs[6]).F;
            int rows = (int)AttrInt(node, "numClasses");
            int d = _types[node.Inputs[0].Node][0].Dims[1];
            int batch = s.Batch, t = (int)AttrInt(node, "numTrue");
            bool ragged = node.Attributes.Flag("raggedLabels");
            CheckClasses(node, labels, rows, node.Inputs[2], ragged);
            CheckClasses(node, sampled, rows, node.Inputs[4], false);
            CheckCounts(node, qt, node.Inputs[5], ragged ? labels : null);
            CheckCounts(node, qs, node.Inputs[6]);

            if (node.Kind == OpKind.RankSampledSoftmaxLoss) Resample(node, w, bias, x, batch, d, ref sampled, ref qs);
            int k = sampled.Length;

            var r = new SampledLogits { B = batch, D = d, T = t, K = k, Z = new double[batch * (t + k)], Y = new double[batch * (t + k)] };
            r.Classes = new long[batch * t + k];
            Array.Copy(labels, r.Classes, batch * t);
            Array.Copy(sampled, 0, r.Classes, batch * t, k);
            bool hits = AttrBool(node, "removeAccidentalHits"), logQ = AttrBool(node, "subtractLogQ");

            // Accidental hits (spec 4): a true class that is a candidate masks that candidate's last position.
            var lastPosition = new Dictionary<long, int>();
            for (int j = 0; j < k; j++) lastPosition[sampled[j]] = j;
            int width = t + k;
            for (int i = 0; i < batch; i++)
            {
                // Ragged labels (beyond TF): the row is TF's loss over its T_i real labels, each with target 1/T_i; a
                // padding column takes no part (its logit is -inf here: exp gives 0, and it is skipped below).
                int real = 0;
                for (int j = 0; j < t; j++) if (labels[i * t + j] != -1) real++;
                if (real == 0) throw new ArgumentException(Describe(node) + ": labels row " + i + " holds only padding.", ValueName(node.Inputs[2]));
                for (int j = 0; j < t; j++)
                {
                    long c = labels[i * t + j];
                    if (c == -1)
                    {
                        r.Z[i * width + j] = double.NegativeInfinity;
                        continue;
                    }
                    double z = Dot(x, i * d, w, c * d, d) + bias[c];
                    if (logQ) z -= Math.Log(qt[i * t + j]);
                    r.Z[i * width + j] = z;
                    r.Y[i * width + j] = ragged ? (double)(1f / real) : 1.0 / t;
                }
                for (int j = 0; j < k; j++)
                {
                    long c = sampled[j];
                    r.Z[i * width + t + j] = Dot(x, i * d, w, c * d, d) + bias[c];
                }
                if (hits)
                {
                    for (int j = 0; j < t; j++)
                    {
                        if (lastPosition.TryGetValue(labels[i * t + j], out int p)) r.Z[i * width + t + p] = AccidentalHitLogit;   // mask before log Q
                    }
                }
                if (logQ)
                {
                    for (int j = 0; j < k; j++)
                    {
                        // −FLT_MAX − log q rounds back to −FLT_MAX in float32 (spec 5, step 7); keep it exactly.
                        if (r.Z[i * width + t + j] != AccidentalHitLogit) r.Z[i * width + t + j] -= Math.Log(qs[j]);
                    }
                }
            }
            return r;
        }

        /// <summary>TAPAS's first pass (spec 9): score_k = LSE over the live rows of W[S_k]·x_j/τ, plus b[S_k]/τ; keep the
        /// numResampled highest (ties to the lower position), best first. Qt is left as it is.</summary>
        private void Resample(IrNode node, double[] w, double[] bias, double[] x, int batch, int d, ref long[] sampled, ref double[] qs)
        {
            double tau = AttrDouble(node, "resamplingTemperature");
            int k = sampled.Length, r = (int)AttrInt(node, "numResampled");
            var scores = new double[k];
            var logits = new double[batch];
            for (int j = 0; j < k; j++)
            {
                double max = double.NegativeInfinity;
                for (int i = 0; i < batch; i++)
                {
                    double z = 0;
                    for (int e = 0; e < d; e++) z += w[sampled[j] * d + e] * (x[i * d + e] / tau);
                    logits[i] = z;
                    max = Math.Max(max, z);
                }
                double shift = double.IsFinite(max) ? max : 0, sum = 0;
                for (int i = 0; i < batch; i++) sum += Math.Exp(logits[i] - shift);
                scores[j] = Math.Log(sum) + shift + bias[sampled[j]] / tau;
            }
            var order = new int[k];
            for (int j = 0; j < k; j++) order[j] = j;
            Array.Sort(order, (a, b) => scores[b] != scores[a] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
            var keptIds = new long[r];
            var keptCounts = new double[r];
            for (int j = 0; j < r; j++)
            {
                keptIds[j] = sampled[order[j]];
                keptCounts[j] = qs[order[j]];
            }
            sampled = keptIds;
            qs = keptCounts;
        }

        private RefTensor ForwardSampledLoss(IrNode node, RunState s)
        {
            SampledLogits r = ComputeSampledLogits(node, s);
            int width = r.T + r.K;
            var loss = new double[r.B];
            for (int i = 0; i < r.B; i++)
            {
                int row = i * width;
                switch (node.Kind)
                {
                    case OpKind.NceLoss:
                        // Σ_j max(z, 0) − z·y + log1p(exp(−|z|)) over all T + K columns (spec 7).
                        for (int j = 0; j < width; j++)
                        {
                            double z = r.Z[row + j];
                            if (double.IsNegativeInfinity(z)) continue;   // a padding label: no term
                            loss[i] += Math.Max(z, 0) - z * r.Y[row + j] + RefMath.Log1p(Math.Exp(-Math.Abs(z)));
                        }
                        break;
                    case OpKind.SampledSparseSoftmaxLoss:
                        SoftmaxRow(r.Z, row, width, out double m0, out double s0);
                        loss[i] = Math.Log(s0) - (r.Z[row] - m0);
                        break;
                    default:
                        SoftmaxRow(r.Z, row, width, out double m, out double sum);
                        for (int j = 0; j < width; j++) if (r.Y[row + j] != 0) loss[i] += r.Y[row + j] * (Math.Log(sum) - (r.Z[row + j] - m));
                        break;
                }
            }
            return new RefTensor(new[] { r.B }, loss);
        }

        /// <summary>Spec 11: dZ from the loss, then dX = dZ·W[classes], dW[class] += dZ·x, db[class] += dZ.</summary>
        private void BackwardSampledLoss(IrNode node, RunState s, double[] g)
        {
            SampledLogits r = ComputeSampledLogits(node, s);
            int width = r.T + r.K, d = r.D;
            var dz = new double[r.B * width];
            for (int i = 0; i < r.B; i++)
            {
                int row = i * width;
                if (node.Kind == OpKind.NceLoss)
                {
                    for (int j = 0; j < width; j++) dz[row + j] = double.IsNegativeInfinity(r.Z[row + j]) ? 0 : g[i] * (Sigmoid(r.Z[row + j]) - r.Y[row + j]);
                    continue;
                }
                SoftmaxRow(r.Z, row, width, out double m, out double sum);
                for (int j = 0; j < width; j++)
                {
                    double target = node.Kind == OpKind.SampledSparseSoftmaxLoss ? (j == 0 ? 1 : 0) : r.Y[row + j];
                    dz[row + j] = g[i] * (Math.Exp(r.Z[row + j] - m) / sum - target);
                }
            }
            double[] w = s.Value(node.Inputs[0]).F, x = s.Value(node.Inputs[3]).F;
            double[] dx = s.Grad(node.Inputs[3]), dw = s.Grad(node.Inputs[0]), db = s.Grad(node.Inputs[1]);
            Touch(s, node.Inputs[0].Node, r.Classes);
            Touch(s, node.Inputs[1].Node, r.Classes);
            for (int i = 0; i < r.B; i++)
            {
                for (int j = 0; j < width; j++)
                {
                    // Column j of row i is the true class (i, j) or candidate j − T.
                    long c = j < r.T ? r.Classes[i * r.T + j] : r.Classes[r.B * r.T + j - r.T];
                    if (c == -1) continue;   // padding: dz is 0 and there is no row
                    double v = dz[i * width + j];
                    for (int e = 0; e < d; e++)
                    {
                        dx[i * d + e] += v * w[c * d + e];
                        dw[c * d + e] += v * x[i * d + e];
                    }
                    db[c] += v;
                }
            }
        }

        private static void Touch(RunState s, int parameter, long[] ids)
        {
            if (!s.Touched.TryGetValue(parameter, out var set)) s.Touched[parameter] = set = new SortedSet<long>();
            foreach (long id in ids) if (id != -1) set.Add(id);   // padding touches no row
        }

        private void CheckClasses(IrNode node, long[] ids, int rows, ValueRef v, bool padding)
        {
            for (int i = 0; i < ids.Length; i++)
            {
                if (padding && ids[i] == -1) continue;
                if (ids[i] < 0 || ids[i] >= rows)
                {
                    string name = ValueName(v);
                    throw new ArgumentOutOfRangeException(name, ids[i], Describe(node) + ": class " + ids[i] + " at position " + i + " of '" + name + "' is outside [0, " + rows + ").");
                }
            }
        }

        /// <summary>Every count finite and positive, except at a padding label (<paramref name="labels"/> -1).</summary>
        private void CheckCounts(IrNode node, double[] counts, ValueRef v, long[]? labels = null)
        {
            for (int i = 0; i < counts.Length; i++)
            {
                if (labels != null && labels[i] == -1) continue;
                if (!(counts[i] > 0) || double.IsInfinity(counts[i]))
                {
                    string name = ValueName(v);
                    throw new ArgumentOutOfRangeException(name, counts[i], Describe(node) + ": expected count " + counts[i] + " at position " + i + " of '" + name + "' is not finite and positive.");
                }
            }
        }

        private static double Dot(double[] a, long aStart, double[] b, long bStart, int n)
        {
            double sum = 0;
            for (int e = 0; e < n; e++) sum += a[aStart + e] * b[bStart + e];
            return sum;
        }

        private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
    }
}
