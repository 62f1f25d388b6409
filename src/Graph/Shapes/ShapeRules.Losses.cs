using GraphSampling.Ir;
using GraphSampling.Schema;

namespace GraphSampling.Shapes
{
    // The cross-entropy kernels (spec 10) and the composite sampled losses (spec 5-9), each composite checked as one
    // node at its own arguments before it is lowered.
    public static partial class ShapeInference
    {
        internal static TensorType[]? CrossEntropy(RuleContext c)
        {
            var kind = c.Node.Kind;
            if (!c.ExpectDType(1, DType.Float32, "logits")) return null;
            var logits = c.In(1).Shape;
            var labels = c.In(0).Shape;
            if (kind == OpKind.SigmoidCrossEntropyWithLogits)
            {
                if (!c.ExpectDType(0, DType.Float32, "labels")) return null;
                if (!labels.Equals(logits)) return c.Error(ShapeErrorIds.DimensionMismatch, "labels", "'" + c.NameOf(0) + "' is " + labels + " but '" + c.NameOf(1) + "' is " + logits + "; they must have one shape.");
                return new[] { Float(logits) };
            }
            if (!c.ExpectRank(1, 2, "logits")) return null;
            if (kind == OpKind.SparseSoftmaxCrossEntropyWithLogits)
            {
                if (!c.ExpectDType(0, DType.Int64, "labels") || !c.ExpectRank(0, 1, "labels")) return null;
                if (labels[0] != logits[0] || labels.Batched != logits.Batched)
                {
                    return c.Error(ShapeErrorIds.DimensionMismatch, "labels", "'" + c.NameOf(0) + "' is " + labels + " but '" + c.NameOf(1) + "' is " + logits + "; one label per row.");
                }
                long range = ComputedIdRange(c, c.Node.Inputs[0]);
                if (range > logits[1])
                {
                    return c.Error(ShapeErrorIds.SamplingRange, "labels", "'" + c.NameOf(0) + "' produces class ids up to " + (range - 1) + " but '" + c.NameOf(1) + "' has " + logits[1] + " classes.");
                }
            }
            else
            {
                if (!c.ExpectDType(0, DType.Float32, "labels")) return null;
                if (!labels.Equals(logits)) return c.Error(ShapeErrorIds.DimensionMismatch, "labels", "'" + c.NameOf(0) + "' is " + labels + " but '" + c.NameOf(1) + "' is " + logits + "; they must have one shape.");
            }
            return new[] { Float(Shape.Of(logits.Batched, logits[0])) };
        }

        internal static TensorType[]? CompositeLoss(RuleContext c)
        {
            var kind = c.Node.Kind;
            if (c.Producer(0).Kind != OpKind.Parameter) return c.Error(ShapeErrorIds.NotAParameter, "weights", "'" + c.NameOf(0) + "' must be a Parameter (the class table).");
            if (c.Producer(1).Kind != OpKind.Parameter) return c.Error(ShapeErrorIds.NotAParameter, "biases", "'" + c.NameOf(1) + "' must be a Parameter (the class biases).");
            if (!c.ExpectRank(0, 2, "weights") || !c.ExpectRank(1, 1, "biases")) return null;
            if (!c.ExpectDType(2, DType.Int64, "labels") || !c.ExpectRank(2, 2, "labels")) return null;
            if (!c.ExpectDType(3, DType.Float32, "inputs") || !c.ExpectRank(3, 2, "inputs")) return null;
            var w = c.In(0).Shape;
            var labels = c.In(2).Shape;
            var inputs = c.In(3).Shape;
            var a = c.Attrs;
            long classes = a.Int("numClasses"), k = a.Int("numSampled"), numTrue = a.Int("numTrue");
            bool given = a.Bool("hasSampledValues");
            if (c.In(1).Shape[0] != w[0]) return c.Error(ShapeErrorIds.DimensionMismatch, "biases", "'" + c.NameOf(1) + "' is " + c.In(1).Shape + " but '" + c.NameOf(0) + "' is " + w + "; one bias per class.");
            if (w[0] != classes) return c.Error(ShapeErrorIds.DimensionMismatch, "numClasses", "numClasses is " + classes + " but '" + c.NameOf(0) + "' has " + w[0] + " rows.");
            if (!inputs.Batched) return c.Error(ShapeErrorIds.BatchDimension, "inputs", "'" + c.NameOf(3) + "' " + inputs + " must be batched: one row per example.");
            if (inputs[1] != w[1]) return c.Error(ShapeErrorIds.DimensionMismatch, "inputs", "'" + c.NameOf(3) + "' is " + inputs + " but '" + c.NameOf(0) + "' is " + w + "; the dims must agree.");
            if (kind == OpKind.SampledSparseSoftmaxLoss && labels[1] != 1)
            {
                return c.Error(ShapeErrorIds.DimensionMismatch, "labels", "'" + c.NameOf(2) + "' is " + labels + " but the sampled sparse softmax takes exactly one true class per row ([B, 1]).");
            }
            if (numTrue < 1) return c.Error(ShapeErrorIds.InvalidAttribute, "numTrue", "numTrue must be at least 1 but is " + numTrue + ".");
            if (labels[1] != numTrue) return c.ErrorWithFix(ShapeErrorIds.DimensionMismatch, "numTrue", "numTrue is " + numTrue + " but '" + c.NameOf(2) + "' is " + labels + " (" + labels[1] + " per row).", "numTrue", labels[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (labels[0] != inputs[0] || labels.Batched != inputs.Batched) return c.Error(ShapeErrorIds.DimensionMismatch, "labels", "'" + c.NameOf(2) + "' is " + labels + " but '" + c.NameOf(3) + "' is " + inputs + "; one label row per input row.");
            if (k < 1) return c.Error(ShapeErrorIds.InvalidAttribute, "numSampled", "numSampled must be at least 1 but is " + k + ".");

            if (kind == OpKind.RankSampledSoftmaxLoss)
            {
                // TF checks these in this order before building anything (spec 9).
                long r = a.Int("numResampled");
                if (k > classes) return c.Error(ShapeErrorIds.SamplingRange, "numSampled", "numSampled (" + k + ") cannot be greater than numClasses (" + classes + ").");
                if (k <= r) return c.Error(ShapeErrorIds.SamplingRange, "numResampled", "numResampled (" + r + ") must be less than numSampled (" + k + ").");
                if (r < 1) return c.Error(ShapeErrorIds.InvalidAttribute, "numResampled", "numResampled must be at least 1 but is " + r + ".");
                double tau = a.Double("resamplingTemperature");
                if (!(tau > 0) || double.IsInfinity(tau)) return c.Error(ShapeErrorIds.InvalidAttribute, "resamplingTemperature", "resamplingTemperature must be positive and finite but is " + tau + ".");
            }
            else if (!given && k > classes)
            {
                return c.Error(ShapeErrorIds.SamplingRange, "numSampled", "the default sampler draws " + k + " unique classes, but there are only numClasses = " + classes + ".");
            }

            if (given)
            {
                var s = c.In(4).Shape;
                var qt = c.In(5).Shape;
                if (c.In(4).DType != DType.Int64 || s.Rank != 1 || s.Batched)
                {
                    return c.Error(ShapeErrorIds.RankMismatch, "sampledValues", "the sampled candidates '" + c.NameOf(4) + "' must be long [numSampled] (shared by the batch) but are " + c.In(4) + ".");
                }
                if (s[0] != k) return c.Error(ShapeErrorIds.DimensionMismatch, "numSampled", "numSampled is " + k + " but the sampled values hold " + s[0] + " candidates ('" + c.NameOf(4) + "' " + s + ").");
                if (!qt.Equals(labels) || c.In(5).DType != DType.Float32)
                {
                    return c.Error(ShapeErrorIds.DimensionMismatch, "sampledValues", "the true expected counts '" + c.NameOf(5) + "' are " + c.In(5) + " but the labels are " + labels + "; one count per label.");
                }
                var qs = c.In(6).Shape;
                if (c.In(6).DType != DType.Float32 || !qs.Equals(s)) return c.Error(ShapeErrorIds.DimensionMismatch, "sampledValues", "the sampled expected counts '" + c.NameOf(6) + "' are " + c.In(6) + " but there are " + s[0] + " candidates.");
                long range = ComputedIdRange(c, c.Node.Inputs[4]);
                if (range > classes) return c.Error(ShapeErrorIds.SamplingRange, "sampledValues", "the sampled candidates '" + c.NameOf(4) + "' come from a range of " + range + " classes but numClasses is " + classes + ".");
                // Ragged labels reach the given sampler too: it must take -1 as padding, or the first padded row fails.
                var sampler = c.Producer(4);
                if (a.Flag("raggedLabels") && OpSchemas.Of(sampler.Kind).IsSampler && !sampler.Attributes.Flag("raggedTrueClasses"))
                {
                    return c.Error(ShapeErrorIds.InvalidAttribute, "raggedLabels", "the labels are ragged but the sampler '" + c.NameOf(4) + "' was declared without raggedTrueClasses: true, so it would refuse their -1 padding.");
                }
            }
            return new[] { Float(Shape.Of(inputs.Batched, inputs[0])) };
        }
    }
}
