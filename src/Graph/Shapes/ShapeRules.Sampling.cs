using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    public static partial class ShapeInference
    {
        private static TensorType[]? Sampler(RuleContext c)
        {
            if (!c.ExpectDType(0, DType.Int64, "trueClasses") || !c.ExpectRank(0, 2, "trueClasses")) return null;
            var t = c.In(0).Shape;
            long numTrue = c.Attrs.Int("numTrue"), k = c.Attrs.Int("numSampled");
            if (numTrue < 1) return c.Error(ShapeErrorIds.InvalidAttribute, "numTrue", "numTrue must be at least 1 but is " + numTrue + ".");
            if (t[1] != numTrue) return c.Error(ShapeErrorIds.DimensionMismatch, "numTrue", "'" + c.NameOf(0) + "' is " + t + " but numTrue is " + numTrue + ".");
            if (k < 1 || k > int.MaxValue) return c.Error(ShapeErrorIds.InvalidAttribute, "numSampled", "numSampled must be at least 1 but is " + k + ".");
            if (c.Node.Kind != OpKind.AllCandidateSampler)
            {
                long range = c.Attrs.Int("rangeMax");
                if (range < 1) return c.Error(ShapeErrorIds.InvalidAttribute, "rangeMax", "rangeMax must be at least 1 but is " + range + ".");
                if (c.Attrs.Bool("unique") && k > range) return c.Error(ShapeErrorIds.SamplingRange, "numSampled", "unique sampling of " + k + " candidates from a range of " + range + " is impossible.");
                if (c.Node.Kind == OpKind.LearnedUnigramCandidateSampler && range >= int.MaxValue) return c.Error(ShapeErrorIds.InvalidAttribute, "rangeMax", "the learned unigram sampler needs rangeMax < 2^31 - 1.");
            }
            return new[] { Long(Shape.Of(false, (int)k)), Float(t), Float(Shape.Of(false, (int)k)) };
        }

        private static TensorType[]? AccidentalHits(RuleContext c)
        {
            if (!c.ExpectDType(0, DType.Int64, "trueClasses") || !c.ExpectRank(0, 2, "trueClasses")) return null;
            if (!c.ExpectDType(1, DType.Int64, "sampledCandidates") || !c.ExpectRank(1, 1, "sampledCandidates")) return null;
            var t = c.In(0).Shape;
            if (t[1] != c.Attrs.Int("numTrue")) return c.Error(ShapeErrorIds.DimensionMismatch, "numTrue", "'" + c.NameOf(0) + "' is " + t + " but numTrue is " + c.Attrs.Int("numTrue") + ".");
            if (c.In(1).Shape.Batched) return c.Error(ShapeErrorIds.BatchDimension, "sampledCandidates", "sampled candidates are shared by the batch; they cannot be batched.");
            return new[] { Float(Shape.Of(t.Batched, t[0], c.In(1).Shape[0])) };
        }

        private static TensorType[]? CompositeLoss(RuleContext c)
        {
            if (c.Producer(0).Kind != OpKind.Parameter) return c.Error(ShapeErrorIds.NotAParameter, "weights", "'" + c.NameOf(0) + "' must be a Parameter (the class table).");
            if (c.Producer(1).Kind != OpKind.Parameter) return c.Error(ShapeErrorIds.NotAParameter, "biases", "'" + c.NameOf(1) + "' must be a Parameter (the class biases).");
            if (!c.ExpectRank(0, 2, "weights") || !c.ExpectRank(1, 1, "biases")) return null;
            if (!c.ExpectDType(2, DType.Int64, "labels") || !c.ExpectRank(2, 2, "labels")) return null;
            if (!c.ExpectDType(3, DType.Float32, "inputs") || !c.ExpectRank(3, 2, "inputs")) return null;
            var w = c.In(0).Shape;
            var labels = c.In(2).Shape;
            var inputs = c.In(3).Shape;
            long classes = c.Attrs.Int("numClasses"), k = c.Attrs.Int("numSampled"), numTrue = c.Attrs.Int("numTrue");
            if (c.In(1).Shape[0] != w[0]) return c.Error(ShapeErrorIds.DimensionMismatch, "biases", "'" + c.NameOf(1) + "' is " + c.In(1).Shape + " but '" + c.NameOf(0) + "' is " + w + ".");
            if (w[0] != classes) return c.Error(ShapeErrorIds.DimensionMismatch, "numClasses", "numClasses is " + classes + " but '" + c.NameOf(0) + "' has " + w[0] + " rows.");
            if (inputs[1] != w[1]) return c.Error(ShapeErrorIds.DimensionMismatch, "inputs", "'" + c.NameOf(3) + "' is " + inputs + " but '" + c.NameOf(0) + "' is " + w + "; the dims must agree.");
            if (labels[1] != numTrue) return c.Error(ShapeErrorIds.DimensionMismatch, "labels", "'" + c.NameOf(2) + "' is " + labels + " but numTrue is " + numTrue + ".");
            if (labels[0] != inputs[0] || labels.Batched != inputs.Batched) return c.Error(ShapeErrorIds.DimensionMismatch, "labels", "'" + c.NameOf(2) + "' is " + labels + " but '" + c.NameOf(3) + "' is " + inputs + "; one label row per input row.");
            if (k < 1 || k > classes) return c.Error(ShapeErrorIds.SamplingRange, "numSampled", "numSampled = " + k + " must be in [1, numClasses = " + classes + "].");
            if (c.Node.Kind == OpKind.RankSampledSoftmaxLoss)
            {
                long r = c.Attrs.Int("numResampled");
                if (r < 1 || r >= k) return c.Error(ShapeErrorIds.SamplingRange, "numResampled", "numResampled = " + r + " must be less than numSampled = " + k + ".");
            }
            return new[] { Float(Shape.Of(inputs.Batched, inputs[0])) };
        }
    }
}
