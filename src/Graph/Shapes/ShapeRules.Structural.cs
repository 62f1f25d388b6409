using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    // Concat, Reshape, SparseToDense and TopK.
    public static partial class ShapeInference
    {
        internal static TensorType[]? Concat(RuleContext c)
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

        internal static TensorType[]? Reshape(RuleContext c)
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

        internal static TensorType[]? SparseToDense(RuleContext c)
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

        internal static TensorType[]? TopK(RuleContext c)
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
    }
}
