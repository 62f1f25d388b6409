using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    // Input, Parameter and Constant: the values a graph starts from.
    public static partial class ShapeInference
    {
        internal static TensorType[]? Input(RuleContext c)
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

        internal static TensorType[]? Parameter(RuleContext c)
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

        internal static TensorType[]? Constant(RuleContext c)
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
    }
}
