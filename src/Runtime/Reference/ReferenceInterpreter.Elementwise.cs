using System;
using GraphSampling.Ir;

namespace GraphSampling.Runtime.Reference
{
    // Add, Subtract, Multiply, Divide (numpy broadcasting aligned at the last axis) and Log.
    public sealed partial class ReferenceInterpreter
    {
        /// <summary>
        /// Broadcast shape: axes aligned at the last; on each axis the dims agree or one of them is 1. A batched operand
        /// keeps its batch at axis 0 of the result, so it must have the result's full rank, and its batch axis never
        /// broadcasts: the other operand has 1 there, lacks the axis, or is batched with the same capacity.
        /// </summary>
        private StaticType InferBroadcast(IrNode node)
        {
            StaticType[] t = Inputs(node, 2, 2);
            StaticType x = t[0], y = t[1];
            RequireFloat(node, x, "x");
            RequireFloat(node, y, "y");
            int rank = Math.Max(x.Rank, y.Rank);
            var dims = new int[rank];
            for (int a = 0; a < rank; a++)
            {
                int ax = a - (rank - x.Rank), ay = a - (rank - y.Rank);
                int dx = ax >= 0 ? x.Dims[ax] : 1, dy = ay >= 0 ? y.Dims[ay] : 1;
                if (dx == dy || dy == 1) dims[a] = dx;
                else if (dx == 1) dims[a] = dy;
                else throw Invalid(node, "shapes " + x + " and " + y + " do not broadcast (axis " + a + ": " + dx + " vs " + dy + ").");
            }
            CheckBatchBroadcast(node, x, y, rank);
            CheckBatchBroadcast(node, y, x, rank);
            return new StaticType(DType.Float32, dims, x.Batched || y.Batched);
        }

        private static void CheckBatchBroadcast(IrNode node, StaticType batched, StaticType other, int rank)
        {
            if (!batched.Batched) return;
            if (batched.Rank != rank) throw Invalid(node, "batched operand " + batched + " would not keep its batch at axis 0 of the result (the other operand is " + other + ").");
            if (other.Rank != rank) return;
            if (other.Batched)
            {
                if (other.Dims[0] != batched.Dims[0]) throw Invalid(node, "batched operands " + batched + " and " + other + " have different capacities.");
            }
            else if (other.Dims[0] != 1)
            {
                throw Invalid(node, "the batch axis of " + batched + " cannot broadcast against " + other + " (the non-batched operand needs 1 there).");
            }
        }

        private RefTensor ForwardBroadcast(IrNode node, RunState s)
        {
            RefTensor x = s.Value(node.Inputs[0]), y = s.Value(node.Inputs[1]);
            int[] shape = _types[node.Id][0].Live(s.Batch);
            int[] mx = ShapeMath.BroadcastMap(x.Shape, shape), my = ShapeMath.BroadcastMap(y.Shape, shape);
            double[] xv = x.F, yv = y.F;
            var output = new double[mx.Length];
            for (int i = 0; i < output.Length; i++)
            {
                double a = xv[mx[i]], b = yv[my[i]];
                output[i] = node.Kind switch
                {
                    OpKind.Add => a + b,
                    OpKind.Subtract => a - b,
                    OpKind.Divide => a / b,
                    _ => a * b,
                };
            }
            return new RefTensor(shape, output);
        }

        /// <summary>Elementwise partials, each summed back onto the operand element it was broadcast from.</summary>
        private void BackwardBroadcast(IrNode node, RunState s, double[] g)
        {
            RefTensor x = s.Value(node.Inputs[0]), y = s.Value(node.Inputs[1]);
            int[] shape = s.Values[node.Id][0].Shape;
            int[] mx = ShapeMath.BroadcastMap(x.Shape, shape), my = ShapeMath.BroadcastMap(y.Shape, shape);
            double[] xv = x.F, yv = y.F;
            double[] dx = s.Grad(node.Inputs[0]);
            double[] dy = s.Grad(node.Inputs[1]);
            for (int i = 0; i < g.Length; i++)
            {
                switch (node.Kind)
                {
                    case OpKind.Add:
                        dx[mx[i]] += g[i];
                        dy[my[i]] += g[i];
                        break;
                    case OpKind.Subtract:
                        dx[mx[i]] += g[i];
                        dy[my[i]] -= g[i];
                        break;
                    case OpKind.Divide:
                        dx[mx[i]] += g[i] / yv[my[i]];
                        dy[my[i]] -= g[i] * xv[mx[i]] / (yv[my[i]] * yv[my[i]]);
                        break;
                    default:
                        dx[mx[i]] += g[i] * yv[my[i]];
                        dy[my[i]] += g[i] * xv[mx[i]];
                        break;
                }
            }
        }

        private StaticType InferLog(IrNode node)
        {
            StaticType x = Inputs(node, 1, 1)[0];
            RequireFloat(node, x, "x");
            return x;
        }

        private static RefTensor ForwardLog(IrNode node, RunState s)
        {
            RefTensor x = s.Value(node.Inputs[0]);
            double[] xv = x.F;
            var output = new double[xv.Length];
            for (int i = 0; i < xv.Length; i++) output[i] = Math.Log(xv[i]);
            return new RefTensor((int[])x.Shape.Clone(), output);
        }

        /// <summary>d log(x) = g / x.</summary>
        private static void BackwardLog(IrNode node, RunState s, double[] g)
        {
            double[] xv = s.Value(node.Inputs[0]).F;
            double[] dx = s.Grad(node.Inputs[0]);
            for (int i = 0; i < g.Length; i++) dx[i] += g[i] / xv[i];
        }
    }
}
