using GraphSampling.Ir;

namespace GraphSampling.Autodiff
{
    public static partial class GradientRules
    {
        private static void ApplyRule(Builder b, IrNode node, ValueRef g, bool[] needs)
        {
            var x = node.Inputs;
            string d = "d_" + (node.Name ?? "t" + node.Id);
            bool Needs(int i) => needs[x[i].Node] && b.TypeOf(x[i]).DType == DType.Float32;
            switch (node.Kind)
            {
                case OpKind.EmbeddingLookup:
                {
                    var rows = b.Add(OpKind.EmbeddingRowsGrad, new[] { g, x[0], x[1] }, OpAttributes.Of(OpAttribute.Double("maxNorm", node.Attributes.Double("maxNorm"))), d);
                    b.AccumulateRows(x[0].Node, x[1], rows);
                    break;
                }

                case OpKind.MatMul:
                {
                    bool ta = node.Attributes.Bool("transposeA"), tb = node.Attributes.Bool("transposeB");
                    // y = op(a) op(b): da = g op(b)^T (transposed back when a was), db = op(a)^T g (likewise).
                    if (Needs(0))
                    {
                        var da = ta ? MatMul(b, x[1], g, tb, true, d) : MatMul(b, g, x[1], false, !tb, d);
                        b.Accumulate(x[0], da);
                    }
                    if (Needs(1))
                    {
                        var db = tb ? MatMul(b, g, x[0], true, ta, d) : MatMul(b, x[0], g, !ta, false, d);
                        b.Accumulate(x[1], db);
                    }
                    break;
                }

                case OpKind.BiasAdd:
                    if (Needs(0)) b.Accumulate(x[0], g);
                    if (Needs(1)) b.Accumulate(x[1], ReduceTo(b, g, x[1], d));
                    break;

                case OpKind.Add:
                    if (Needs(0)) b.Accumulate(x[0], ReduceTo(b, g, x[0], d));
                    if (Needs(1)) b.Accumulate(x[1], ReduceTo(b, g, x[1], d));
                    break;

                case OpKind.Subtract:
                    if (Needs(0)) b.Accumulate(x[0], ReduceTo(b, g, x[0], d));
                    if (Needs(1)) b.Accumulate(x[1], ReduceTo(b, b.Add(OpKind.Negate, new[] { g }, OpAttributes.None, d), x[1], d));
                    break;

                case OpKind.Multiply:
                    if (Needs(0)) b.Accumulate(x[0], ReduceTo(b, b.Add(OpKind.Multiply, new[] { g, x[1] }, OpAttributes.None, d), x[0], d));
                    if (Needs(1)) b.Accumulate(x[1], ReduceTo(b, b.Add(OpKind.Multiply, new[] { g, x[0] }, OpAttributes.None, d), x[1], d));
                    break;

                case OpKind.Log:
                    b.Accumulate(x[0], b.Add(OpKind.Divide, new[] { g, x[0] }, OpAttributes.None, d));
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
                                OpAttribute.Int("axis", axis), OpAttribute.Int("begin", begin), OpAttribute.Int("size", size)), d));
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
                        OpAttribute.Int("axis", axis), OpAttribute.IntArray("dims", ToLong(s.Dims)), OpAttribute.Bool("batched", s.Batched)), d));
                    break;
                }

                case OpKind.ReduceLogSumExp:
                {
                    var s = b.TypeOf(x[0]).Shape;
                    int axis = (int)node.Attributes.Int("axis");
                    if (axis < 0) axis += s.Rank;
                    b.Accumulate(x[0], b.Add(OpKind.ReduceLogSumExpGrad, new[] { g, x[0], new ValueRef(node.Id) }, OpAttributes.Of(OpAttribute.Int("axis", axis)), d));
                    break;
                }

                case OpKind.Reshape:
                    b.Accumulate(x[0], b.Add(OpKind.Reshape, new[] { g }, OpAttributes.Of(OpAttribute.IntArray("dims", ToLong(b.TypeOf(x[0]).Shape.Dims))), d));
                    break;

                case OpKind.SparseToDense:
                    if (Needs(1))
                    {
                        var a = node.Attributes;
                        b.Accumulate(x[1], b.Add(OpKind.SparseToDenseGrad, new[] { g, x[0] }, OpAttributes.Of(
                            OpAttribute.IntArray("outputShape", a.Ints("outputShape").ToArray()), OpAttribute.Bool("validateIndices", a.Bool("validateIndices")),
                            OpAttribute.Bool("scalarValues", b.TypeOf(x[1]).Shape.Rank == 0)), d));
                    }
                    break;

                case OpKind.SoftmaxCrossEntropyWithLogits:
                case OpKind.SigmoidCrossEntropyWithLogits:
                {
                    var kind = node.Kind == OpKind.SoftmaxCrossEntropyWithLogits ? OpKind.SoftmaxCrossEntropyGrad : OpKind.SigmoidCrossEntropyGrad;
                    if (Needs(0)) b.Accumulate(x[0], b.Add(kind, new[] { g, x[0], x[1] }, OpAttributes.Of(OpAttribute.String("wrt", "labels")), d));
                    if (Needs(1)) b.Accumulate(x[1], b.Add(kind, new[] { g, x[0], x[1] }, OpAttributes.Of(OpAttribute.String("wrt", "logits")), d));
                    break;
                }

                case OpKind.SparseSoftmaxCrossEntropyWithLogits:
                    if (Needs(1)) b.Accumulate(x[1], b.Add(OpKind.SparseSoftmaxCrossEntropyGrad, new[] { g, x[0], x[1] }, OpAttributes.None, d));
                    break;

                default:
                    throw new System.NotSupportedException(node.Kind + " has no gradient rule yet; it cannot be trained through.");
            }
        }

        private static ValueRef MatMul(Builder b, ValueRef a, ValueRef c, bool ta, bool tb, string name) =>
            b.Add(OpKind.MatMul, new[] { a, c }, OpAttributes.Of(OpAttribute.Bool("transposeA", ta), OpAttribute.Bool("transposeB", tb)), name);

        /// <summary>Sums a broadcast gradient back to the operand's shape; a no-op when the shapes already agree.</summary>
        private static ValueRef ReduceTo(Builder b, ValueRef g, ValueRef operand, string name)
        {
            var target = b.TypeOf(operand).Shape;
            if (b.TypeOf(g).Shape.Equals(target)) return g;
            return b.Add(OpKind.ReduceToShape, new[] { g }, OpAttributes.Of(
                OpAttribute.IntArray("dims", ToLong(target.Dims)), OpAttribute.Bool("batched", target.Batched)), name);
        }
    }
}
