using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    public static partial class ShapeInference
    {
        /// <summary>Rules for the ops autodiff creates. Their inputs are well-formed by construction, so these only
        /// compute shapes; a failure here is a bug in a gradient rule, reported as such.</summary>
        private static TensorType[]? Backward(RuleContext c)
        {
            var a = c.Attrs;
            switch (c.Node.Kind)
            {
                case OpKind.AddN:
                    return new[] { c.In(0) };
                case OpKind.ReduceToShape:
                case OpKind.BroadcastAlongAxis:
                case OpKind.GatherGrad:
                    return new[] { Float(new Shape(EquatableArray.Create(ToInt32(a.Ints("dims"))), a.Bool("batched"))) };
                case OpKind.ReduceLogSumExpGrad:
                    return new[] { c.In(1) };
                case OpKind.Slice:
                {
                    var dims = c.In(0).Shape.Dims.ToArray();
                    dims[(int)a.Int("axis")] = (int)a.Int("size");
                    return new[] { Float(new Shape(EquatableArray.Create(dims), c.In(0).Shape.Batched)) };
                }
                case OpKind.SoftmaxCrossEntropyGrad:
                case OpKind.SparseSoftmaxCrossEntropyGrad:
                case OpKind.SigmoidCrossEntropyGrad:
                    return new[] { a.Find("wrt") != null && a.String("wrt") == "labels" ? c.In(1) : c.In(2) };
                case OpKind.EmbeddingRowsGrad:
                    // The upstream's shape (ids.shape + row shape): one gradient row per id occurrence.
                    return new[] { c.In(0) };
                case OpKind.SparseRowGradient:
                case OpKind.ScatterAddRows:
                    return new[] { Float(new Shape(EquatableArray.Create(ToInt32(a.Ints("dims"))), false)) };
                case OpKind.SparseToDenseGrad:
                    return new[] { Float(a.Bool("scalarValues") ? Shape.Scalar : Shape.Of(false, c.In(1).Shape[0])) };
                default:
                    return c.Error(ShapeErrorIds.InvalidAttribute, "kind", c.Node.Kind + " has no shape rule.");
            }
        }
    }
}
