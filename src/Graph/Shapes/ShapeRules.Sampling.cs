using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    public static partial class ShapeInference
    {
        internal static TensorType[]? Sampler(RuleContext c)
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

        internal static TensorType[]? AccidentalHits(RuleContext c)
        {
            if (!c.ExpectDType(0, DType.Int64, "trueClasses") || !c.ExpectRank(0, 2, "trueClasses")) return null;
            if (!c.ExpectDType(1, DType.Int64, "sampledCandidates") || !c.ExpectRank(1, 1, "sampledCandidates")) return null;
            var t = c.In(0).Shape;
            if (t[1] != c.Attrs.Int("numTrue")) return c.Error(ShapeErrorIds.DimensionMismatch, "numTrue", "'" + c.NameOf(0) + "' is " + t + " but numTrue is " + c.Attrs.Int("numTrue") + ".");
            if (c.In(1).Shape.Batched) return c.Error(ShapeErrorIds.BatchDimension, "sampledCandidates", "sampled candidates are shared by the batch; they cannot be batched.");
            return new[] { Float(Shape.Of(t.Batched, t[0], c.In(1).Shape[0])) };
        }

        internal static TensorType[]? SampledValues(RuleContext c)
        {
            if (!c.ExpectDType(0, DType.Int64, "sampledCandidates") || !c.ExpectRank(0, 1, "sampledCandidates")) return null;
            if (!c.ExpectDType(1, DType.Float32, "trueExpectedCount") || !c.ExpectRank(1, 2, "trueExpectedCount")) return null;
            if (!c.ExpectDType(2, DType.Float32, "sampledExpectedCount") || !c.ExpectRank(2, 1, "sampledExpectedCount")) return null;
            var s = c.In(0).Shape;
            var qs = c.In(2).Shape;
            if (s.Batched) return c.Error(ShapeErrorIds.BatchDimension, "sampledCandidates", "sampled candidates are shared by the batch; '" + c.NameOf(0) + "' cannot be batched (use g.SideInput).");
            if (qs.Batched || qs[0] != s[0])
            {
                return c.Error(ShapeErrorIds.DimensionMismatch, "sampledExpectedCount", "'" + c.NameOf(2) + "' is " + qs + " but '" + c.NameOf(0) + "' is " + s + "; one expected count per candidate.");
            }
            return new[] { c.In(0), c.In(1), c.In(2) };
        }
    }
}
