using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    public static partial class ShapeInference
    {
        private static TensorType[]? InferNode(RuleContext c)
        {
            switch (c.Node.Kind)
            {
                case OpKind.Input: return Input(c);
                case OpKind.Parameter: return Parameter(c);
                case OpKind.EmbeddingLookup: return EmbeddingLookup(c);
                case OpKind.MatMul: return MatMul(c);
                case OpKind.BiasAdd: return BiasAdd(c);
                case OpKind.Add:
                case OpKind.Subtract:
                case OpKind.Multiply:
                case OpKind.Divide: return Elementwise(c);
                case OpKind.Log:
                case OpKind.Negate: return UnaryFloat(c, "x");
                case OpKind.Concat: return Concat(c);
                case OpKind.ReduceSum:
                case OpKind.ReduceLogSumExp: return Reduce(c);
                case OpKind.Reshape: return Reshape(c);
                case OpKind.StopGradient: return new[] { c.In(0) };
                case OpKind.Constant: return Constant(c);
                case OpKind.Gather: return Gather(c);
                case OpKind.SparseToDense: return SparseToDense(c);
                case OpKind.SoftmaxCrossEntropyWithLogits:
                case OpKind.SparseSoftmaxCrossEntropyWithLogits:
                case OpKind.SigmoidCrossEntropyWithLogits: return CrossEntropy(c);
                case OpKind.TopK: return TopK(c);
                case OpKind.UniformCandidateSampler:
                case OpKind.LogUniformCandidateSampler:
                case OpKind.LearnedUnigramCandidateSampler:
                case OpKind.FixedUnigramCandidateSampler:
                case OpKind.AllCandidateSampler: return Sampler(c);
                case OpKind.ComputeAccidentalHits: return AccidentalHits(c);
                case OpKind.SampledValues: return SampledValues(c);
                case OpKind.SampledSoftmaxLoss:
                case OpKind.SampledSparseSoftmaxLoss:
                case OpKind.NceLoss:
                case OpKind.RankSampledSoftmaxLoss: return CompositeLoss(c);
                default: return Backward(c);
            }
        }

        private static TensorType[]? Input(RuleContext c)
        {
            var dims = c.Attrs.Ints("dims");
            string name = c.Attrs.String("name");
            if (!IsValidName(name) || (name.StartsWith("__", System.StringComparison.Ordinal) && c.Attrs.Find("internal") == null)) return c.Error(ShapeErrorIds.InvalidAttribute, "name", "'" + name + "' is not a valid name: use a C# identifier (letters, digits, '_'; not starting with a digit or '__').");
            if (dims.Count == 0) return c.Error(ShapeErrorIds.RankMismatch, "dims", "an input needs at least one dimension.");
            for (int i = 0; i < dims.Count; i++)
            {
                if (dims[i] <= 0 || dims[i] > int.MaxValue) return c.Error(ShapeErrorIds.InvalidAttribute, i == 0 && c.Attrs.Bool("batched") ? "batch" : "dims", "dimension " + i + " of '" + name + "' is " + dims[i] + "; it must be positive.");
            }
            var shape = new Shape(EquatableArray.Create(ToInt32(dims)), c.Attrs.Bool("batched"));
            return new[] { new TensorType((DType)c.Attrs.Int("dtype"), shape) };
        }

        private static TensorType[]? Parameter(RuleContext c)
        {
            var dims = c.Attrs.Ints("dims");
            string name = c.Attrs.String("name");
            if (!IsValidName(name)) return c.Error(ShapeErrorIds.InvalidAttribute, "name", "'" + name + "' is not a valid name: use a C# identifier (letters, digits, '_'; not starting with a digit).");
            for (int i = 0; i < dims.Count; i++)
            {
                if (dims[i] <= 0 || dims[i] > int.MaxValue) return c.Error(ShapeErrorIds.InvalidAttribute, i == 0 ? "rows" : "dim", "dimension " + i + " of '" + name + "' is " + dims[i] + "; it must be positive.");
            }
            long shards = c.Attrs.Int("shards");
            if (shards < 1 || shards > dims[0]) return c.Error(ShapeErrorIds.InvalidAttribute, "shards", "'" + name + "' has " + dims[0] + " rows and cannot be split over " + shards + " shards (need 1 <= shards <= rows).");
            long partition = c.Attrs.Int("partition");
            if (partition != (long)GraphSampling.Partition.Mod && partition != (long)GraphSampling.Partition.Div) return c.Error(ShapeErrorIds.InvalidAttribute, "partition", "unknown partition strategy " + partition + ".");
            return new[] { Float(new Shape(EquatableArray.Create(ToInt32(dims)), false)) };
        }

        private static TensorType[]? EmbeddingLookup(RuleContext c)
        {
            if (c.Producer(0).Kind != OpKind.Parameter) return c.Error(ShapeErrorIds.NotAParameter, "params", "'" + c.NameOf(0) + "' must be a Parameter declared with g.Parameter (lookups read class tables).");
            if (!c.ExpectDType(1, DType.Int64, "ids")) return null;
            double maxNorm = c.Attrs.Double("maxNorm");
            if (!double.IsNaN(maxNorm) && !(maxNorm > 0)) return c.Error(ShapeErrorIds.InvalidAttribute, "maxNorm", "maxNorm must be positive (or NaN for none) but is " + maxNorm + ".");
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

        private static TensorType[]? MatMul(RuleContext c)
        {
            if (!c.ExpectDType(0, DType.Float32, "a") || !c.ExpectDType(1, DType.Float32, "b")) return null;
            if (!c.ExpectRank(0, 2, "a") || !c.ExpectRank(1, 2, "b")) return null;
            bool ta = c.Attrs.Bool("transposeA"), tb = c.Attrs.Bool("transposeB");
            var a = c.In(0).Shape;
            var b = c.In(1).Shape;
            int m = ta ? a[1] : a[0], ka = ta ? a[0] : a[1];
            int kb = tb ? b[1] : b[0], n = tb ? b[0] : b[1];
            if (ka != kb)
            {
                return c.Error(ShapeErrorIds.DimensionMismatch, "b", "inner dimensions differ: '" + c.NameOf(0) + "' is " + a + (ta ? " (transposed)" : "") + " but '" + c.NameOf(1) + "' is " + b + (tb ? " (transposed)" : "") + ".");
            }
            bool aBatchIsRow = a.Batched && !ta;
            bool aBatchIsInner = a.Batched && ta;
            bool bBatchIsInner = b.Batched && !tb;
            bool bBatchIsCol = b.Batched && tb;
            if (bBatchIsCol) return c.Error(ShapeErrorIds.BatchDimension, "b", "the batch dimension of '" + c.NameOf(1) + "' would become a column of the product; put the batched operand first.");
            if (aBatchIsInner != bBatchIsInner)
            {
                return c.Error(ShapeErrorIds.BatchDimension, aBatchIsInner ? "a" : "b", "the contracted dimension is the batch on one side only ('" + c.NameOf(0) + "' " + a + ", '" + c.NameOf(1) + "' " + b + ").");
            }
            return new[] { Float(Shape.Of(aBatchIsRow, m, n)) };
        }

        private static TensorType[]? BiasAdd(RuleContext c)
        {
            if (!c.ExpectDType(0, DType.Float32, "value") || !c.ExpectDType(1, DType.Float32, "bias") || !c.ExpectRank(1, 1, "bias")) return null;
            var v = c.In(0).Shape;
            var bias = c.In(1).Shape;
            if (v.Rank < 1 || v[v.Rank - 1] != bias[0])
            {
                return c.Error(ShapeErrorIds.DimensionMismatch, "bias", "'" + c.NameOf(1) + "' is " + bias + " but the last dimension of '" + c.NameOf(0) + "' is " + v + ".");
            }
            if (bias.Batched) return c.Error(ShapeErrorIds.BatchDimension, "bias", "a bias cannot be batched.");
            if (v.Rank > MaxBroadcastRank) return c.Error(ShapeErrorIds.RankMismatch, "value", "'" + c.NameOf(0) + "' is " + v + "; BiasAdd supports up to rank " + MaxBroadcastRank + ".");
            return new[] { Float(v) };
        }

        /// <summary>Broadcasting kernels index up to four axes (the CPU kernels and their gradients).</summary>
        public const int MaxBroadcastRank = 4;

        private static TensorType[]? UnaryFloat(RuleContext c, string argument)
        {
            if (!c.ExpectDType(0, DType.Float32, argument)) return null;
            return new[] { c.In(0) };
        }

        private static TensorType[]? Elementwise(RuleContext c)
        {
            if (!c.ExpectDType(0, DType.Float32, "x") || !c.ExpectDType(1, DType.Float32, "y")) return null;
            var shape = Broadcast(c.In(0).Shape, c.In(1).Shape, out string? problem);
            if (shape != null && shape.Rank > MaxBroadcastRank) return c.Error(ShapeErrorIds.RankMismatch, "y", "broadcasting supports up to rank " + MaxBroadcastRank + ", but the result would be " + shape + "; reshape to fewer axes first.");
            if (shape == null)
            {
                return c.Error(problem == "batch" ? ShapeErrorIds.BatchDimension : ShapeErrorIds.DimensionMismatch, "y",
                    "cannot broadcast '" + c.NameOf(0) + "' " + c.In(0).Shape + " with '" + c.NameOf(1) + "' " + c.In(1).Shape
                    + (problem == "batch" ? ": a batched dimension can only meet the same batch or a fixed 1." : "."));
            }
            return new[] { Float(shape) };
        }

        /// <summary>Numpy broadcasting aligned at the last axis, with the batch kept at axis 0 of the result.</summary>
        public static Shape? Broadcast(Shape a, Shape b, out string? problem)
        {
            problem = null;
            int rank = Math.Max(a.Rank, b.Rank);
            var dims = new int[rank];
            for (int i = 0; i < rank; i++)
            {
                int ia = i - (rank - a.Rank), ib = i - (rank - b.Rank);
                int da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
                bool ba = ia == 0 && a.Batched, bb = ib == 0 && b.Batched;
                if ((ba && i != 0) || (bb && i != 0)) { problem = "batch"; return null; }
                if (ba != bb)
                {
                    // A batched dim may only meet a fixed dim of size 1 (or nothing).
                    int other = ba ? db : da;
                    if (other != 1) { problem = "batch"; return null; }
                    dims[i] = ba ? da : db;
                    continue;
                }
                if (da == db) dims[i] = da;
                else if (da == 1) dims[i] = db;
                else if (db == 1) dims[i] = da;
                else { problem = "dims"; return null; }
            }
            bool batched = (a.Batched && a.Rank == rank) || (b.Batched && b.Rank == rank);
            return new Shape(EquatableArray.Create(dims), batched);
        }

        private static TensorType[]? Concat(RuleContext c)
        {
            int n = c.Node.Inputs.Count;
            if (n == 0) return c.Error(ShapeErrorIds.RankMismatch, "values", "needs at least one tensor.");
            var first = c.In(0);
            int axis = c.NormalizeAxis(first.Shape.Rank, "axis");
            if (axis < 0) return null;
            if (axis == 0 && first.Shape.Batched) return c.Error(ShapeErrorIds.BatchDimension, "axis", "cannot concatenate along the batch dimension.");
            var dims = first.Shape.Dims.ToArray();
            dims[axis] = 0;
            for (int i = 0; i < n; i++)
            {
                var t = c.In(i);
                if (t.DType != first.DType || t.Shape.Rank != first.Shape.Rank || t.Shape.Batched != first.Shape.Batched)
                {
                    return c.Error(ShapeErrorIds.RankMismatch, "values", "'" + c.NameOf(i) + "' is " + t + " but '" + c.NameOf(0) + "' is " + first + "; all values need one dtype, rank and batching.");
                }
                for (int d = 0; d < dims.Length; d++)
                {
                    if (d != axis && t.Shape[d] != first.Shape[d])
                    {
                        return c.Error(ShapeErrorIds.DimensionMismatch, "values", "dimension " + d + " differs: '" + c.NameOf(i) + "' is " + t.Shape + " but '" + c.NameOf(0) + "' is " + first.Shape + ".");
                    }
                }
                dims[axis] += t.Shape[axis];
            }
            return new[] { new TensorType(first.DType, new Shape(EquatableArray.Create(dims), first.Shape.Batched)) };
        }

        private static TensorType[]? Reduce(RuleContext c)
        {
            if (!c.ExpectDType(0, DType.Float32, "input")) return null;
            var s = c.In(0).Shape;
            int axis = c.NormalizeAxis(s.Rank, "axis");
            if (axis < 0) return null;
            return new[] { Float(ReducedShape(s, axis, c.Attrs.Bool("keepDims"))) };
        }

        /// <summary>The shape after reducing <paramref name="axis"/>; reducing the batch axis gives a fixed shape.</summary>
        public static Shape ReducedShape(Shape s, int axis, bool keepDims)
        {
            var dims = new List<int>();
            for (int i = 0; i < s.Rank; i++)
            {
                if (i != axis) dims.Add(s[i]);
                else if (keepDims) dims.Add(1);
            }
            bool batched = s.Batched && axis != 0;
            return new Shape(EquatableArray.Create(dims.ToArray()), batched);
        }

        private static TensorType[]? Reshape(RuleContext c)
        {
            var s = c.In(0).Shape;
            var dims = ToInt32(c.Attrs.Ints("dims"));
            long count = 1;
            foreach (int d in dims)
            {
                if (d <= 0) return c.Error(ShapeErrorIds.InvalidAttribute, "shape", "every dimension must be positive (no -1 inference), but shape has " + d + ".");
                count *= d;
            }
            if (count != s.Capacity) return c.Error(ShapeErrorIds.DimensionMismatch, "shape", "'" + c.NameOf(0) + "' " + s + " has " + s.Capacity + " elements but the new shape [" + string.Join(", ", dims) + "] has " + count + ".");
            if (s.Batched && (dims.Length == 0 || dims[0] != s[0])) return c.Error(ShapeErrorIds.BatchDimension, "shape", "'" + c.NameOf(0) + "' is batched, so the new shape must keep the batch " + s[0] + " as its first dimension.");
            return new[] { new TensorType(c.In(0).DType, new Shape(EquatableArray.Create(dims), s.Batched)) };
        }

        private static TensorType[]? SparseToDense(RuleContext c)
        {
            if (!c.ExpectDType(0, DType.Int64, "sparseIndices") || !c.ExpectDType(1, DType.Float32, "sparseValues")) return null;
            var idx = c.In(0).Shape;
            var values = c.In(1).Shape;
            var outDims = ToInt32(c.Attrs.Ints("outputShape"));
            if (idx.Batched || values.Batched) return c.Error(ShapeErrorIds.BatchDimension, idx.Batched ? "sparseIndices" : "sparseValues", "sparse indices and values have a fixed count; they cannot be batched.");
            if (idx.Rank < 1 || idx.Rank > 2) return c.Error(ShapeErrorIds.RankMismatch, "sparseIndices", "'" + c.NameOf(0) + "' must be [N] or [N, R] but is " + idx + ".");
            int r = idx.Rank == 1 ? 1 : idx[1];
            if (outDims.Length != r) return c.Error(ShapeErrorIds.DimensionMismatch, "outputShape", "outputShape has rank " + outDims.Length + " but each index of '" + c.NameOf(0) + "' " + idx + " has " + r + " coordinates.");
            foreach (int d in outDims)
            {
                if (d <= 0) return c.Error(ShapeErrorIds.InvalidAttribute, "outputShape", "every dimension must be positive.");
            }
            if (values.Rank > 1 || (values.Rank == 1 && values[0] != idx[0]))
            {
                return c.Error(ShapeErrorIds.DimensionMismatch, "sparseValues", "'" + c.NameOf(1) + "' must be a scalar or [" + idx[0] + "] (one per index) but is " + values + ".");
            }
            return new[] { Float(new Shape(EquatableArray.Create(outDims), false)) };
        }

        private static TensorType[]? CrossEntropy(RuleContext c)
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

        private static TensorType[]? TopK(RuleContext c)
        {
            if (!c.ExpectDType(0, DType.Float32, "input")) return null;
            var s = c.In(0).Shape;
            if (s.Rank != 1 && s.Rank != 2) return c.Error(ShapeErrorIds.RankMismatch, "input", "'" + c.NameOf(0) + "' must be [N] or [B, N] but is " + s + ".");
            int n = s[s.Rank - 1];
            long k = c.Attrs.Int("k");
            if (k < 1 || k > n) return c.Error(ShapeErrorIds.InvalidAttribute, "k", "k = " + k + " must be in [1, " + n + "] for '" + c.NameOf(0) + "' " + s + ".");
            if (s.Rank == 1 && s.Batched) return c.Error(ShapeErrorIds.BatchDimension, "input", "top-k runs along the last axis, which here is the batch of '" + c.NameOf(0) + "'.");
            var outShape = s.Rank == 1 ? Shape.Of(false, (int)k) : Shape.Of(s.Batched, s[0], (int)k);
            return new[] { Float(outShape), Long(outShape) };
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

        internal static int[] ToInt32(EquatableArray<long> v)
        {
            var r = new int[v.Count];
            for (int i = 0; i < r.Length; i++) r[i] = v[i] > int.MaxValue || v[i] < int.MinValue ? -1 : (int)v[i];
            return r;
        }

        internal static int[] ToInt32(long[] v) => ToInt32(new EquatableArray<long>(v));

        /// <summary>Names become C# identifiers in generated code, so only plain identifiers are accepted.</summary>
        public static bool IsValidName(string name)
        {
            if (name.Length == 0 || name.Length > 128) return false;
            if (!(char.IsLetter(name[0]) || name[0] == '_')) return false;
            foreach (char ch in name)
            {
                if (!(ch < 128 && (char.IsLetterOrDigit(ch) || ch == '_'))) return false;
            }
            return true;
        }
    }
}
