using GraphSampling.Ir;

namespace GraphSampling.Autodiff
{
    public static partial class GradientRules
    {
        private static void ApplyRule(Builder b, IrNode node, ValueRef g, bool[] needs)
        {
            var x = node.Inputs;
            // Each gradient is named after the value it is the gradient of: d_logits holds d(loss)/d(logits).
            string D(int i) => "d_" + b.NameOf(x[i]);
            bool Needs(int i) => needs[x[i].Node] && b.TypeOf(x[i]).DType == DType.Float32;
            switch (node.Kind)
            {
                case OpKind.EmbeddingLookup:
                {
                    var rows = b.Add(OpKind.EmbeddingRowsGrad, new[] { g, x[0], x[1] }, OpAttributes.Of(OpAttribute.Double("maxNorm", node.Attributes.Double("maxNorm"))), "d_" + b.NameOf(new ValueRef(node.Id)) + "_rows");
                    b.AccumulateRows(x[0].Node, x[1], rows);
                    break;
                }

                case OpKind.MatMul:
                {
                    bool ta = node.Attributes.Bool("transposeA"), tb = node.Attributes.Bool("transposeB");
                    // y = op(a) op(b): da = g op(b)^T (transposed back when a was), db = op(a)^T g (likewise).
                    if (Needs(0))
                    {
                        var da = ta ? MatMul(b, x[1], g, tb, true, D(0)) : MatMul(b, g, x[1], false, !tb, D(0));
                        b.Accumulate(x[0], da);
                    }
                    if (Needs(1))
                    {
                        var db = tb ? MatMul(b, g, x[0], true, ta, D(1)) : MatMul(b, x[0], g, !ta, false, D(1));
                        b.Accumulate(x[1], db);
                    }
                    break;
                }

                case OpKind.BiasAdd:
                    if (Needs(0)) b.Accumulate(x[0], g);
                    if (Needs(1)) b.Accumulate(x[1], ReduceTo(b, node, g, x[1], D(1)));
                    break;

                case OpKind.Add:
                    if (Needs(0)) b.Accumulate(x[0], ReduceTo(b, node, g, x[0], D(0)));
                    if (Needs(1)) b.Accumulate(x[1], ReduceTo(b, node, g, x[1], D(1)));
                    break;

                case OpKind.Subtract:
                    if (Needs(0)) b.Accumulate(x[0], ReduceTo(b, node, g, x[0], D(0)));
                    if (Needs(1)) b.Accumulate(x[1], ReduceTo(b, node, b.Add(OpKind.Negate, new[] { g }, OpAttributes.None, D(1)), x[1], D(1)));
                    break;

                case OpKind.Multiply:
                    if (Needs(0)) b.Accumulate(x[0], ReduceTo(b, node, b.Add(OpKind.Multiply, new[] { g, x[1] }, OpAttributes.None, D(0)), x[0], D(0)));
                    if (Needs(1)) b.Accumulate(x[1], ReduceTo(b, node, b.Add(OpKind.Multiply, new[] { g, x[0] }, OpAttributes.None, D(1)), x[1], D(1)));
                    break;

                case OpKind.Divide:
                    // TF's RealDiv gradient: dx = g / y, dy = g * ((-x / y) / y), each summed back over broadcast axes.
                    if (Needs(0)) b.Accumulate(x[0], ReduceTo(b, node, b.Add(OpKind.Divide, new[] { g, x[1] }, OpAttributes.None, D(0)), x[0], D(0)));
                    if (Needs(1))
                    {
                        var negX = b.Add(OpKind.Negate, new[] { x[0] }, OpAttributes.None, D(1));
                        var q = b.Add(OpKind.Divide, new[] { b.Add(OpKind.Divide, new[] { negX, x[1] }, OpAttributes.None, D(1)), x[1] }, OpAttributes.None, D(1));
                        b.Accumulate(x[1], ReduceTo(b, node, b.Add(OpKind.Multiply, new[] { g, q }, OpAttributes.None, D(1)), x[1], D(1)));
                    }
                    break;

                case OpKind.Gather:
                    if (Needs(0))
                    {
                        var p = b.TypeOf(x[0]).Shape;
                        int axis = (int)node.Attributes.Int("axis");
                        if (axis < 0) axis += p.Rank;
                        b.Accumulate(x[0], b.Add(OpKind.GatherGrad, new[] { g, x[1] }, OpAttributes.Of(
                            OpAttribute.Int("axis", axis), OpAttribute.IntArray("dims", ToLong(p.Dims)), OpAttribute.Bool("batched", p.Batched)), D(0)));
                    }
                    break;

                case OpKind.Log:
                    b.Accumulate(x[0], b.Add(OpKind.Divide, new[] { g, x[0] }, OpAttributes.None, D(0)));
                    break;

                case OpKind.Concat:
                {
                    var shape = b.TypeOf(new ValueRef(node.Id)).Shape;
                    int axis = (int)node.Attributes.Int("axis");
                    if (axis < 0) axis += shape.Rank;
                    int begin = 0;
                    for (int i = 0; i < x.Count; i++)
                    {
                        int size = b.TypeOf(x[i]).Shape[axis];
                        if (Needs(i))
                        {
                            b.Accumulate(x[i], b.Add(OpKind.Slice, new[] { g }, OpAttributes.Of(
                                OpAttribute.Int("axis", axis), OpAttribute.Int("begin", begin), OpAttribute.Int("size", size)), D(i)));
                        }
                        begin += size;
                    }
                    break;
                }

                case OpKind.ReduceSum:
                {
                    var s = b.TypeOf(x[0]).Shape;
                    int axis = (int)node.Attributes.Int("axis");
                    if (axis < 0) axis += s.Rank;
                    b.Accumulate(x[0], b.Add(OpKind.BroadcastAlongAxis, new[] { g }, OpAttributes.Of(
                        OpAttribute.Int("axis", axis), OpAttribute.IntArray("dims", ToLong(s.Dims)), OpAttribute.Bool("batched", s.Batched)), D(0)));
                    break;
                }

                case OpKind.ReduceLogSumExp:
                {
                    var s = b.TypeOf(x[0]).Shape;
                    int axis = (int)node.Attributes.Int("axis");
                    if (axis < 0) axis += s.Rank;
                    b.Accumulate(x[0], b.Add(OpKind.ReduceLogSumExpGrad, new[] { g, x[0], new ValueRef(node.Id) }, OpAttributes.Of(OpAttribute.Int("axis", axis)), D(0)));
                    break;
                }

                case OpKind.Reshape:
                    b.Accumulate(x[0], b.Add(OpKind.Reshape, new[] { g }, OpAttributes.Of(OpAttribute.IntArray("dims", ToLong(b.TypeOf(x[0]).Shape.Dims))), D(0)));
                    break;

                case OpKind.SparseToDense:
                    if (Needs(1))
                    {
                        var a = node.Attributes;
                        b.Accumulate(x[1], b.Add(OpKind.SparseToDenseGrad, new[] { g, x[0] }, OpAttributes.Of(
                            OpAttribute.IntArray("outputShape", a.Ints("outputShape").ToArray()), OpAttribute.Bool("validateIndices", a.Bool("validateIndices")),
                            OpAttribute.Bool("scalarValues", b.TypeOf(x[1]).Shape.Rank == 0)), D(1)));
                    }
                    break;

                case OpKind.SoftmaxCrossEntropyWithLogits:
                case OpKind.SigmoidCrossEntropyWithLogits:
                {
                    var kind = node.Kind == OpKind.SoftmaxCrossEntropyWithLogits ? OpKind.SoftmaxCrossEntropyGrad : OpKind.SigmoidCrossEntropyGrad;
                    if (Needs(0)) b.Accumulate(x[0], b.Add(kind, new[] { g, x[0], x[1] }, OpAttributes.Of(OpAttribute.String("wrt", "labels")), D(0)));
                    if (Needs(1)) b.Accumulate(x[1], b.Add(kind, new[] { g, x[0], x[1] }, OpAttributes.Of(OpAttribute.String("wrt", "logits")), D(1)));
                    break;
                }

                case OpKind.SparseSoftmaxCrossEntropyWithLogits:
                    if (Needs(1)) b.Accumulate(x[1], b.Add(OpKind.SparseSoftmaxCrossEntropyGrad, new[] { g, x[0], x[1] }, OpAttributes.None, D(1)));
                    break;

                default:
                    throw new System.NotSupportedException(node.Kind + " has no gradient rule yet; it cannot be trained through.");
            }
        }

        private static ValueRef MatMul(Builder b, ValueRef a, ValueRef c, bool ta, bool tb, string name) =>
            b.Add(OpKind.MatMul, new[] { a, c }, OpAttributes.Of(OpAttribute.Bool("transposeA", ta), OpAttribute.Bool("transposeB", tb)), name);

        /// <summary>Sums a broadcast gradient back to the operand's shape; a no-op when the shapes already agree. The
        /// gradient always has the shape of the broadcasting node's output, so no backward type is needed.</summary>
        private static ValueRef ReduceTo(Builder b, IrNode node, ValueRef g, ValueRef operand, string name)
        {
            var target = b.TypeOf(operand).Shape;
            if (b.TypeOf(new ValueRef(node.Id)).Shape.Equals(target)) return g;
            return b.Add(OpKind.ReduceToShape, new[] { g }, OpAttributes.Of(
                OpAttribute.IntArray("dims", ToLong(target.Dims)), OpAttribute.Bool("batched", target.Batched)), name);
        }
    }
}
