using GraphSampling.Ir;

namespace GraphSampling.Autodiff
{
    /// <summary>What a gradient rule sees: the node, the gradient of its output, and which inputs need a gradient.</summary>
    internal readonly struct Vjp
    {
        private readonly bool[] _needs;

        public Vjp(GradientRules.Builder builder, IrNode node, ValueRef g, bool[] needs)
        {
            B = builder;
            Node = node;
            G = g;
            _needs = needs;
        }

        public GradientRules.Builder B { get; }
        public IrNode Node { get; }
        /// <summary>The gradient of the node's (first) output.</summary>
        public ValueRef G { get; }
        public ValueRef X(int i) => Node.Inputs[i];
        public OpAttributes A => Node.Attributes;

        /// <summary>Whether input i is a float value on a path from a trainable leaf (so its gradient is wanted).</summary>
        public bool Needs(int i) => _needs[Node.Inputs[i].Node] && B.TypeOf(Node.Inputs[i]).DType == DType.Float32;

        /// <summary>Each gradient is named after the value it is the gradient of: d_logits holds d(loss)/d(logits).</summary>
        public string D(int i) => "d_" + B.NameOf(Node.Inputs[i]);

        public ValueRef Add(OpKind kind, OpAttributes attrs, string name, params ValueRef[] inputs) => B.Add(kind, inputs, attrs, name);
        public void Accumulate(int input, ValueRef gradient) => B.Accumulate(Node.Inputs[input], gradient);
    }

    /// <summary>One vector-Jacobian product per op family; the op schemas (Schema/OpSchemas.cs) name the rule of each kind.</summary>
    public static partial class GradientRules
    {
        internal static void EmbeddingLookup(Vjp v)
        {
            var rows = v.Add(OpKind.EmbeddingRowsGrad, OpAttributes.Of(OpAttribute.Double("maxNorm", v.A.Double("maxNorm"))),
                "d_" + v.B.NameOf(new ValueRef(v.Node.Id)) + "_rows", v.G, v.X(0), v.X(1));
            v.B.AccumulateRows(v.X(0).Node, v.X(1), rows);
        }

        /// <summary>Padded positions took the fill, not x: their gradient is 0, the others pass through.</summary>
        internal static void MaskPadding(Vjp v)
        {
            if (!v.Needs(1)) return;
            v.Accumulate(1, v.Add(OpKind.MaskPadding, OpAttributes.Of(OpAttribute.Double("fill", 0)), v.D(1) + "_masked", v.X(0), v.G));
        }

        internal static void EmbeddingBag(Vjp v)
        {
            var rows = v.Add(OpKind.EmbeddingBagRowsGrad, OpAttributes.Of(OpAttribute.Int("combiner", v.A.Int("combiner"))),
                "d_" + v.B.NameOf(new ValueRef(v.Node.Id)) + "_rows", v.G, v.X(1), v.X(2));
            v.B.AccumulateRows(v.X(0).Node, v.X(1), rows);
            if (v.Needs(2))
            {
                v.Accumulate(2, v.Add(OpKind.EmbeddingBagWeightsGrad, OpAttributes.Of(OpAttribute.Int("combiner", v.A.Int("combiner"))),
                    v.D(2), v.G, v.X(0), v.X(1), v.X(2), new ValueRef(v.Node.Id)));
            }
        }

        internal static void MatMul(Vjp v)
        {
            bool ta = v.A.Bool("transposeA"), tb = v.A.Bool("transposeB");
            // y = op(a) op(b): da = g op(b)^T (transposed back when a was), db = op(a)^T g (likewise).
            if (v.Needs(0)) v.Accumulate(0, ta ? MatMul(v.B, v.X(1), v.G, tb, true, v.D(0)) : MatMul(v.B, v.G, v.X(1), false, !tb, v.D(0)));
            if (v.Needs(1)) v.Accumulate(1, tb ? MatMul(v.B, v.G, v.X(0), true, ta, v.D(1)) : MatMul(v.B, v.X(0), v.G, !ta, false, v.D(1)));
        }

        internal static void BiasAdd(Vjp v)
        {
            if (v.Needs(0)) v.Accumulate(0, v.G);
            if (v.Needs(1)) v.Accumulate(1, ReduceTo(v, v.G, 1));
        }

        internal static void Add(Vjp v)
        {
            if (v.Needs(0)) v.Accumulate(0, ReduceTo(v, v.G, 0));
            if (v.Needs(1)) v.Accumulate(1, ReduceTo(v, v.G, 1));
        }

        internal static void Subtract(Vjp v)
        {
            if (v.Needs(0)) v.Accumulate(0, ReduceTo(v, v.G, 0));
            if (v.Needs(1)) v.Accumulate(1, ReduceTo(v, v.Add(OpKind.Negate, OpAttributes.None, v.D(1), v.G), 1));
        }

        internal static void Multiply(Vjp v)
        {
            if (v.Needs(0)) v.Accumulate(0, ReduceTo(v, v.Add(OpKind.Multiply, OpAttributes.None, v.D(0), v.G, v.X(1)), 0));
            if (v.Needs(1)) v.Accumulate(1, ReduceTo(v, v.Add(OpKind.Multiply, OpAttributes.None, v.D(1), v.G, v.X(0)), 1));
        }

        /// <summary>TF's RealDiv gradient: dx = g / y, dy = g * ((-x / y) / y), each summed back over broadcast axes.</summary>
        internal static void Divide(Vjp v)
        {
            if (v.Needs(0)) v.Accumulate(0, ReduceTo(v, v.Add(OpKind.Divide, OpAttributes.None, v.D(0), v.G, v.X(1)), 0));
            if (v.Needs(1))
            {
                var negX = v.Add(OpKind.Negate, OpAttributes.None, v.D(1), v.X(0));
                var q = v.Add(OpKind.Divide, OpAttributes.None, v.D(1), v.Add(OpKind.Divide, OpAttributes.None, v.D(1), negX, v.X(1)), v.X(1));
                v.Accumulate(1, ReduceTo(v, v.Add(OpKind.Multiply, OpAttributes.None, v.D(1), v.G, q), 1));
            }
        }

        internal static void Gather(Vjp v)
        {
            if (!v.Needs(0)) return;
            var p = v.B.TypeOf(v.X(0)).Shape;
            int axis = (int)v.A.Int("axis");
            if (axis < 0) axis += p.Rank;
            v.Accumulate(0, v.Add(OpKind.GatherGrad, OpAttributes.Of(
                OpAttribute.Int("axis", axis), OpAttribute.IntArray("dims", ToLong(p.Dims)), OpAttribute.Bool("batched", p.Batched)), v.D(0), v.G, v.X(1)));
        }

        internal static void Log(Vjp v) => v.Accumulate(0, v.Add(OpKind.Divide, OpAttributes.None, v.D(0), v.G, v.X(0)));

        internal static void Concat(Vjp v)
        {
            var shape = v.B.TypeOf(new ValueRef(v.Node.Id)).Shape;
            int axis = (int)v.A.Int("axis");
            if (axis < 0) axis += shape.Rank;
            int begin = 0;
            for (int i = 0; i < v.Node.Inputs.Count; i++)
            {
                int size = v.B.TypeOf(v.X(i)).Shape[axis];
                if (v.Needs(i))
                {
                    v.Accumulate(i, v.Add(OpKind.Slice, OpAttributes.Of(OpAttribute.Int("axis", axis), OpAttribute.Int("begin", begin), OpAttribute.Int("size", size)), v.D(i), v.G));
                }
                begin += size;
            }
        }

        internal static void ReduceSum(Vjp v)
        {
            var s = v.B.TypeOf(v.X(0)).Shape;
            int axis = (int)v.A.Int("axis");
            if (axis < 0) axis += s.Rank;
            v.Accumulate(0, v.Add(OpKind.BroadcastAlongAxis, OpAttributes.Of(
                OpAttribute.Int("axis", axis), OpAttribute.IntArray("dims", ToLong(s.Dims)), OpAttribute.Bool("batched", s.Batched)), v.D(0), v.G));
        }

        internal static void ReduceLogSumExp(Vjp v)
        {
            var s = v.B.TypeOf(v.X(0)).Shape;
            int axis = (int)v.A.Int("axis");
            if (axis < 0) axis += s.Rank;
            v.Accumulate(0, v.Add(OpKind.ReduceLogSumExpGrad, OpAttributes.Of(OpAttribute.Int("axis", axis)), v.D(0), v.G, v.X(0), new ValueRef(v.Node.Id)));
        }

        internal static void Reshape(Vjp v) =>
            v.Accumulate(0, v.Add(OpKind.Reshape, OpAttributes.Of(OpAttribute.IntArray("dims", ToLong(v.B.TypeOf(v.X(0)).Shape.Dims))), v.D(0), v.G));

        internal static void SparseToDense(Vjp v)
        {
            if (!v.Needs(1)) return;
            v.Accumulate(1, v.Add(OpKind.SparseToDenseGrad, OpAttributes.Of(
                OpAttribute.IntArray("outputShape", v.A.Ints("outputShape").ToArray()), OpAttribute.Bool("validateIndices", v.A.Bool("validateIndices")),
                OpAttribute.Bool("scalarValues", v.B.TypeOf(v.X(1)).Shape.Rank == 0)), v.D(1), v.G, v.X(0)));
        }

        /// <summary>Softmax and sigmoid cross-entropy: gradients to labels and to logits (spec 10).</summary>
        internal static void CrossEntropy(Vjp v)
        {
            var kind = v.Node.Kind == OpKind.SoftmaxCrossEntropyWithLogits ? OpKind.SoftmaxCrossEntropyGrad : OpKind.SigmoidCrossEntropyGrad;
            if (v.Needs(0)) v.Accumulate(0, v.Add(kind, OpAttributes.Of(OpAttribute.String("wrt", "labels")), v.D(0), v.G, v.X(0), v.X(1)));
            if (v.Needs(1)) v.Accumulate(1, v.Add(kind, OpAttributes.Of(OpAttribute.String("wrt", "logits")), v.D(1), v.G, v.X(0), v.X(1)));
        }

        internal static void SparseSoftmaxCrossEntropy(Vjp v)
        {
            if (v.Needs(1)) v.Accumulate(1, v.Add(OpKind.SparseSoftmaxCrossEntropyGrad, OpAttributes.None, v.D(1), v.G, v.X(0), v.X(1)));
        }

        private static ValueRef MatMul(Builder b, ValueRef a, ValueRef c, bool ta, bool tb, string name) =>
            b.Add(OpKind.MatMul, new[] { a, c }, OpAttributes.Of(OpAttribute.Bool("transposeA", ta), OpAttribute.Bool("transposeB", tb)), name);

        /// <summary>Sums a broadcast gradient back to input i's shape; a no-op when the shapes already agree. The gradient
        /// always has the shape of the broadcasting node's output, so no backward type is needed.</summary>
        private static ValueRef ReduceTo(Vjp v, ValueRef g, int input)
        {
            var target = v.B.TypeOf(v.X(input)).Shape;
            if (v.B.TypeOf(new ValueRef(v.Node.Id)).Shape.Equals(target)) return g;
            return v.Add(OpKind.ReduceToShape, OpAttributes.Of(OpAttribute.IntArray("dims", ToLong(target.Dims)), OpAttribute.Bool("batched", target.Batched)), v.D(input), g);
        }
    }
}
