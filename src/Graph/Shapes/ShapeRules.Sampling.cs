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
            if (t[1] != numTrue) return c.ErrorWithFix(ShapeErrorIds.DimensionMismatch, "numTrue", "'" + c.NameOf(0) + "' is " + t + " but numTrue is " + numTrue + ".", "numTrue", t[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (k < 1 || k > int.MaxValue) return c.Error(ShapeErrorIds.InvalidAttribute, "numSampled", "numSampled must be at least 1 but is " + k + ".");
            if (c.Node.Kind != OpKind.AllCandidateSampler)
            {
                long range = c.Attrs.Int("rangeMax");
                if (range < 1) return c.Error(ShapeErrorIds.InvalidAttribute, "rangeMax", "rangeMax must be at least 1 but is " + range + ".");
                if (c.Attrs.Bool("unique") && k > range) return c.ErrorWithFix(ShapeErrorIds.SamplingRange, "numSampled", "unique sampling of " + k + " candidates from a range of " + range + " is impossible.", "numSampled", range.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (c.Node.Kind == OpKind.LearnedUnigramCandidateSampler && range >= int.MaxValue) return c.Error(ShapeErrorIds.InvalidAttribute, "rangeMax", "the learned unigram sampler needs rangeMax < 2^31 - 1.");
                if (c.Node.Kind == OpKind.FixedUnigramCandidateSampler && !FixedUnigramAttributes(c, range)) return null;
            }
            return new[] { Long(Shape.Of(false, (int)k)), Float(t), Float(Shape.Of(false, (int)k)) };
        }

        /// <summary>
        /// The fixed unigram sampler's table, checked as far as the declaration shows it (the runtime checks a vocabulary
        /// file when it reads it): one source, shard bounds, counts finite and non-negative, a finite distortion, and for
        /// given unigrams the shard's size equal to rangeMax and a float32 total of the distorted weights that is finite
        /// and positive (TF normalises by that float sum; [3e38, 3e38] would give NaN probabilities).
        /// </summary>
        private static bool FixedUnigramAttributes(RuleContext c, long range)
        {
            var a = c.Attrs;
            var unigrams = a.Get("unigrams").Doubles;
            bool hasFile = a.String("vocabFile").Length > 0;
            if (hasFile == (unigrams.Count > 0)) return Fail(c, hasFile ? "unigrams" : "vocabFile", hasFile ? "give either vocabFile or unigrams, not both." : "give either vocabFile or unigrams.");
            long numShards = a.Int("numShards"), shard = a.Int("shard"), reserved = a.Int("numReservedIds");
            if (numShards < 1 || numShards > int.MaxValue) return Fail(c, "numShards", "numShards must be in [1, 2^31 - 1] but is " + numShards + ".");
            if (shard < 0 || shard >= numShards) return Fail(c, "shard", "shard must be in [0, numShards = " + numShards + ") but is " + shard + ".");
            if (reserved < 0 || reserved > int.MaxValue) return Fail(c, "numReservedIds", "numReservedIds must be in [0, 2^31 - 1] but is " + reserved + ".");
            double distortion = a.Double("distortion");
            if (double.IsNaN(distortion) || double.IsInfinity(distortion)) return Fail(c, "distortion", "distortion must be finite but is " + distortion + ".");
            if (hasFile) return true;
            // The same walk as the runtime sampler: reserved ids of this shard (weight 0), then every numShards-th count.
            long size = 0;
            for (long id = 0; id < reserved; id++) if (id % numShards == shard) size++;
            long counter = size;
            float total = 0f;
            long support = 0;
            for (int i = 0; i < unigrams.Count; i++, counter++)
            {
                double u = unigrams[i];
                if (double.IsNaN(u) || double.IsInfinity(u) || u < 0) return Fail(c, "unigrams", "unigrams[" + i + "] is " + Format(u) + "; counts must be finite and non-negative.");
                if (counter % numShards != shard) continue;
                size++;
                float weight = (float)System.Math.Pow((float)u, (float)distortion);
                total += weight;
                if (weight > 0) support++;
            }
            if (size != range) return Fail(c, "rangeMax", "rangeMax is " + range + " but shard " + shard + " of " + numShards + " holds " + size + " ids (" + reserved + " reserved ids and " + unigrams.Count + " unigrams in all).");
            if (float.IsInfinity(total) || float.IsNaN(total)) return Fail(c, "unigrams", "the weights of shard " + shard + " sum to more than float can hold (" + Format(float.MaxValue) + "); TF normalises by their float32 sum, so the probabilities would be NaN: scale the counts down.");
            if (!(total > 0)) return Fail(c, "unigrams", "every weight of shard " + shard + " is 0: there is nothing to sample.");
            // Unique sampling needs as many classes of non-zero weight as candidates, or TF's rejection loop never ends
            // (checked here, so the failure is not found in the middle of a call).
            if (a.Bool("unique") && support < a.Int("numSampled"))
            {
                c.Error(ShapeErrorIds.SamplingRange, "numSampled", "unique sampling of " + a.Int("numSampled") + " candidates from shard " + shard + ", which has only " + support + " classes of non-zero weight, is impossible.");
                return false;
            }
            return true;
        }

        private static bool Fail(RuleContext c, string argument, string message)
        {
            c.Error(ShapeErrorIds.InvalidAttribute, argument, message);
            return false;
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

        /// <summary>MaskPadding: ids int64 and x float of one shape; the output is x's type.</summary>
        internal static TensorType[]? MaskPadding(RuleContext c)
        {
            if (!c.ExpectDType(0, DType.Int64, "ids") || !c.ExpectDType(1, DType.Float32, "x")) return null;
            if (!c.In(0).Shape.Equals(c.In(1).Shape)) return c.Error(ShapeErrorIds.DimensionMismatch, "x", "'" + c.NameOf(1) + "' is " + c.In(1).Shape + " but its ids '" + c.NameOf(0) + "' are " + c.In(0).Shape + "; the shapes must be equal.");
            return new[] { c.In(1) };
        }

        /// <summary>LabelWeights: labels int64 [B, T] to float [B, T].</summary>
        internal static TensorType[]? LabelWeights(RuleContext c)
        {
            if (!c.ExpectDType(0, DType.Int64, "labels") || !c.ExpectRank(0, 2, "labels")) return null;
            return new[] { Float(c.In(0).Shape) };
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
