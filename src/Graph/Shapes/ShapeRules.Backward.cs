using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    // Rules for the ops autodiff creates. Their inputs are well-formed by construction, so these only compute shapes.
    public static partial class ShapeInference
    {
        /// <summary>The shape of input 0 (AddN of same-shaped terms; EmbeddingRowsGrad: one row per id occurrence).</summary>
        internal static TensorType[]? SameAsFirst(RuleContext c) => new[] { c.In(0) };

        /// <summary>The shape of input 1 (ReduceLogSumExpGrad: the reduced input's shape).</summary>
        internal static TensorType[]? SameAsSecond(RuleContext c) => new[] { c.In(1) };

        /// <summary>The float shape the attributes state (dims, batched): the target of a reduction or a scatter.</summary>
        internal static TensorType[]? DeclaredShape(RuleContext c) =>
            new[] { Float(new Shape(EquatableArray.Create(ToInt32(c.Attrs.Ints("dims"))), c.Attrs.Find("batched") != null && c.Attrs.Bool("batched"))) };

        /// <summary>The shape of input 3 (EmbeddingBagWeightsGrad: the weights').</summary>
        internal static TensorType[]? FourthInput(RuleContext c) => new[] { c.In(3) };

        /// <summary>One gradient row per id slot of the bag: [B, L, D] from the ids [B, L] and the upstream [B, D].</summary>
        internal static TensorType[]? EmbeddingBagRowsGrad(RuleContext c) =>
            new[] { Float(Shape.Of(true, c.In(1).Shape[0], c.In(1).Shape[1], c.In(0).Shape[1])) };

        internal static TensorType[]? Slice(RuleContext c)
        {
            var dims = c.In(0).Shape.Dims.ToArray();
            dims[(int)c.Attrs.Int("axis")] = (int)c.Attrs.Int("size");
            return new[] { Float(new Shape(EquatableArray.Create(dims), c.In(0).Shape.Batched)) };
        }

        /// <summary>The gradient of a cross-entropy with respect to "labels" or "logits": that input's shape.</summary>
        internal static TensorType[]? CrossEntropyGrad(RuleContext c) =>
            new[] { c.Attrs.Find("wrt") != null && c.Attrs.String("wrt") == "labels" ? c.In(1) : c.In(2) };

        internal static TensorType[]? SparseToDenseGrad(RuleContext c) =>
            new[] { Float(c.Attrs.Bool("scalarValues") ? Shape.Scalar : Shape.Of(false, c.In(1).Shape[0])) };
    }
}
