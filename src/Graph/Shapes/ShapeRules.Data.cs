using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    // Constants and the general gather.
    public static partial class ShapeInference
    {
        private static TensorType[]? Constant(RuleContext c)
        {
            var a = c.Attrs;
            long dtype = a.Int("dtype");
            if (dtype != (long)DType.Float32 && dtype != (long)DType.Int64) return c.Error(ShapeErrorIds.DTypeMismatch, "dtype", "a constant holds float or long.");
            bool batched = a.Bool("batched");
            var dims = a.Ints("dims");
            if (batched && dims.Count == 0) return c.Error(ShapeErrorIds.RankMismatch, "batch", "a batched constant needs the batch dimension.");
            for (int i = 0; i < dims.Count; i++)
            {
                if (dims[i] <= 0 || dims[i] > int.MaxValue) return c.Error(ShapeErrorIds.InvalidAttribute, i == 0 && batched ? "batch" : "dims", "dimension " + i + " is " + dims[i] + "; it must be positive.");
            }
            var shape = new Shape(EquatableArray.Create(ToInt32(dims)), batched);
            var values = a.Get("values").Doubles;
            if (values.Count != 0)
            {
                long perRow = batched ? shape.RowSize : shape.Capacity;
                if (values.Count != perRow) return c.Error(ShapeErrorIds.DimensionMismatch, "values", values.Count + " values were given for the shape " + shape + ", which has " + perRow + (batched ? " per row" : "") + ".");
            }
            foreach (double v in values.Count == 0 ? new[] { a.Double("value") } : values.ToArray())
            {
                if (!IsRepresentable(v, (DType)dtype)) return c.Error(ShapeErrorIds.InvalidAttribute, values.Count == 0 ? "value" : "values", v + " is not a finite " + DTypeNames.CSharpName((DType)dtype) + " value.");
            }
            return new[] { new TensorType((DType)dtype, shape) };
        }

        /// <summary>Whether a constant's value survives the cast to its dtype (no NaN, no overflow to infinity).</summary>
        private static bool IsRepresentable(double v, DType dtype)
        {
            if (double.IsNaN(v) || double.IsInfinity(v)) return false;
            if (dtype == DType.Float32) return System.Math.Abs(v) <= float.MaxValue;
            return v >= long.MinValue && v < long.MaxValue && v == System.Math.Floor(v);
        }

        private static TensorType[]? Gather(RuleContext c)
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
