using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    // EmbeddingLookup, Gather, and the id ranges that computed ids come from.
    public static partial class ShapeInference
    {
        internal static TensorType[]? EmbeddingLookup(RuleContext c)
        {
            if (c.Producer(0).Kind != OpKind.Parameter) return c.Error(ShapeErrorIds.NotAParameter, "params", "'" + c.NameOf(0) + "' must be a Parameter declared with g.Parameter (lookups read class tables).");
            if (!c.ExpectDType(1, DType.Int64, "ids")) return null;
            double maxNorm = c.Attrs.Double("maxNorm");
            if (!double.IsNaN(maxNorm) && !(maxNorm > 0)) return c.Error(ShapeErrorIds.InvalidAttribute, "maxNorm", "maxNorm must be positive (or NaN for none) but is " + maxNorm + ".");
            // The clipped gradient reads the table row of each id, which padding does not have.
            if (!double.IsNaN(maxNorm) && c.Attrs.Flag("padding")) return c.Error(ShapeErrorIds.InvalidAttribute, "padding", "padding (-1 ids) cannot be combined with maxNorm " + maxNorm + "; leave maxNorm NaN.");
            var p = c.In(0).Shape;
            var ids = c.In(1).Shape;
            long idRange = ComputedIdRange(c, c.Node.Inputs[1]);
            if (idRange > p[0])
            {
                return c.Error(ShapeErrorIds.SamplingRange, "ids", "'" + c.NameOf(1) + "' produces ids up to " + (idRange - 1) + " but '" + c.NameOf(0) + "' has only " + p[0] + " rows.");
            }
            var dims = new List<int>(ids.Dims);
            for (int i = 1; i < p.Rank; i++) dims.Add(p[i]);
            if (dims.Count == 0) return c.Error(ShapeErrorIds.RankMismatch, "ids", "looking up a scalar id in a rank-1 table gives a scalar; use an id vector.");
            return new[] { Float(new Shape(EquatableArray.Create(dims.ToArray()), ids.Batched)) };
        }

        internal static TensorType[]? EmbeddingBag(RuleContext c)
        {
            if (c.Producer(0).Kind != OpKind.Parameter) return c.Error(ShapeErrorIds.NotAParameter, "params", "'" + c.NameOf(0) + "' must be a Parameter declared with g.Parameter (lookups read class tables).");
            if (!c.ExpectDType(1, DType.Int64, "ids")) return null;
            if (!c.ExpectDType(2, DType.Float32, "weights")) return null;
            long combiner = c.Attrs.Int("combiner");
            if (combiner < 0 || combiner > 2) return c.Error(ShapeErrorIds.InvalidAttribute, "combiner", "combiner must be Combiner.Sum, Mean or Sqrtn but is " + combiner + ".");
            var p = c.In(0).Shape;
            var ids = c.In(1).Shape;
            if (p.Rank != 2) return c.Error(ShapeErrorIds.RankMismatch, "params", "'" + c.NameOf(0) + "' must be a [rows, dim] table for a bag of its rows, but is " + p + ".");
            if (ids.Rank != 2 || !ids.Batched) return c.Error(ShapeErrorIds.RankMismatch, "ids", "'" + c.NameOf(1) + "' must be batched ids [B, L] (-1 for padding), but is " + ids + ".");
            if (!c.In(2).Shape.Equals(ids)) return c.Error(ShapeErrorIds.DimensionMismatch, "weights", "'" + c.NameOf(2) + "' " + c.In(2).Shape + " must have the ids' shape " + ids + " (one weight per id).");
            long idRange = ComputedIdRange(c, c.Node.Inputs[1]);
            if (idRange > p[0]) return c.Error(ShapeErrorIds.SamplingRange, "ids", "'" + c.NameOf(1) + "' produces ids up to " + (idRange - 1) + " but '" + c.NameOf(0) + "' has only " + p[0] + " rows.");
            return new[] { Float(Shape.Of(true, ids[0], p[1])) };
        }

        /// <summary>For ids computed inside the graph (a sampler's candidates, top-k indices, and values gathered or
        /// passed on from them), the size of the range they come from; 0 when any of them is fed by the caller (fed ids
        /// are checked at run time).</summary>
        internal static long ComputedIdRange(RuleContext c, ValueRef ids) => ComputedIdRange(c.Graph, c.TypeOf, ids);

        /// <summary>See <see cref="ComputedIdRange(RuleContext, ValueRef)"/>.</summary>
        public static long ComputedIdRange(IrGraph graph, Func<ValueRef, TensorType> typeOf, ValueRef ids)
        {
            var node = graph.Nodes[ids.Node];
            switch (node.Kind)
            {
                case OpKind.Reshape:
                case OpKind.StopGradient:
                    return ComputedIdRange(graph, typeOf, node.Inputs[0]);
                case OpKind.Gather:
                    return ComputedIdRange(graph, typeOf, node.Inputs[0]);   // a gather picks among its params' ids
                case OpKind.SampledValues:
                    return ids.Output == 0 ? ComputedIdRange(graph, typeOf, node.Inputs[0]) : 0;
                case OpKind.Concat:
                {
                    long range = 0;
                    foreach (var input in node.Inputs)
                    {
                        long r = ComputedIdRange(graph, typeOf, input);
                        if (r == 0) return 0;
                        range = Math.Max(range, r);
                    }
                    return range;
                }
                case OpKind.Constant:
                {
                    var a = node.Attributes;
                    var values = a.Get("values").Doubles;
                    double max = values.Count == 0 ? a.Double("value") : double.MinValue;
                    double min = max;
                    foreach (double v in values)
                    {
                        max = Math.Max(max, v);
                        min = Math.Min(min, v);
                    }
                    return min >= 0 && max < long.MaxValue ? (long)max + 1 : long.MaxValue;
                }
                case OpKind.UniformCandidateSampler:
                case OpKind.LogUniformCandidateSampler:
                case OpKind.LearnedUnigramCandidateSampler:
                case OpKind.FixedUnigramCandidateSampler:
                    return ids.Output == 0 ? node.Attributes.Int("rangeMax") : 0;
                case OpKind.AllCandidateSampler:
                    return ids.Output == 0 ? node.Attributes.Int("numSampled") : 0;
                case OpKind.TopK:
                {
                    var s = typeOf(node.Inputs[0]).Shape;
                    return ids.Output == 1 ? s[s.Rank - 1] : 0;   // indices along the last axis of [.., N] lie in [0, N)
                }
                default:
                    return 0;
            }
        }

        internal static TensorType[]? Gather(RuleContext c)
        {
            if (!c.ExpectDType(1, DType.Int64, "indices")) return null;
            var p = c.In(0).Shape;
            var idx = c.In(1).Shape;
            if (p.Rank < 1) return c.Error(ShapeErrorIds.RankMismatch, "params", "'" + c.NameOf(0) + "' is a scalar; gather needs rank 1 or more.");
            int axis = c.NormalizeAxis(p.Rank, "axis");
            if (axis < 0) return null;
            bool batched;
            if (p.Batched && axis == 0) return c.Error(ShapeErrorIds.BatchDimension, "axis", "gathering along the batch of '" + c.NameOf(0) + "' would pick rows of a batch whose size varies per call.");
            if (p.Batched && idx.Batched) return c.Error(ShapeErrorIds.BatchDimension, "indices", "both '" + c.NameOf(0) + "' and '" + c.NameOf(1) + "' are batched; the result would have two batch axes.");
            if (idx.Batched && axis != 0) return c.Error(ShapeErrorIds.BatchDimension, "indices", "batched indices '" + c.NameOf(1) + "' would put the batch at axis " + axis + " of the result; gather along axis 0 or use fixed indices.");
            batched = p.Batched || idx.Batched;
            long range = ComputedIdRange(c, c.Node.Inputs[1]);
            if (range > p[axis])
            {
                return c.Error(ShapeErrorIds.SamplingRange, "indices", "'" + c.NameOf(1) + "' produces indices up to " + (range - 1) + " but axis " + axis + " of '" + c.NameOf(0) + "' " + p + " has " + p[axis] + " entries.");
            }
            var dims = new List<int>();
            for (int i = 0; i < axis; i++) dims.Add(p[i]);
            dims.AddRange(idx.Dims);
            for (int i = axis + 1; i < p.Rank; i++) dims.Add(p[i]);
            return new[] { new TensorType(c.In(0).DType, new Shape(EquatableArray.Create(dims.ToArray()), batched)) };
        }
    }
}
