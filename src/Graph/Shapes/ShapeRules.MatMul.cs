using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    // MatMul, with the batch rules of a contraction.
    public static partial class ShapeInference
    {
        internal static TensorType[]? MatMul(RuleContext c)
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
                string message = "inner dimensions differ: '" + c.NameOf(0) + "' is " + a + (ta ? " (transposed)" : "") + " but '" + c.NameOf(1) + "' is " + b + (tb ? " (transposed)" : "") + ".";
                // When the other side of b matches, the user has most likely stored b the other way round.
                int other = tb ? b[0] : b[1];
                if (other == ka && !b.Batched) return c.ErrorWithFix(ShapeErrorIds.DimensionMismatch, "b", message + " With transposeB: " + (!tb ? "true" : "false") + " they agree.", "transposeB", !tb ? "true" : "false");
                return c.Error(ShapeErrorIds.DimensionMismatch, "b", message);
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
    }
}
