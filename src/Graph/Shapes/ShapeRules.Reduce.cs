using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    // ReduceSum and ReduceLogSumExp.
    public static partial class ShapeInference
    {
        internal static TensorType[]? Reduce(RuleContext c)
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
    }
}
