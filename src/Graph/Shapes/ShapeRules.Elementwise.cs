using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    // BiasAdd, the broadcasting binary ops, and unary float ops.
    public static partial class ShapeInference
    {
        internal static TensorType[]? BiasAdd(RuleContext c)
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

        internal static TensorType[]? UnaryX(RuleContext c) => UnaryFloat(c, "x");

        internal static TensorType[]? UnaryFloat(RuleContext c, string argument)
        {
            if (!c.ExpectDType(0, DType.Float32, argument)) return null;
            return new[] { c.In(0) };
        }

        internal static TensorType[]? Elementwise(RuleContext c)
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
    }
}
