using GraphSampling.Ir;

namespace GraphSampling.Runtime.Tests.Reference
{
    /// <summary>Builds IR graphs for the reference tests with the attribute names of the OpKind contract.</summary>
    internal sealed class TestGraph
    {
        private readonly IrGraphBuilder _b = new IrGraphBuilder();

        public IrGraph Build(ValueRef output) => _b.Build(output);

        public ValueRef Op(OpKind kind, ValueRef[] inputs, string? name, params OpAttribute[] attributes) =>
            _b.Add(kind, inputs, OpAttributes.Of(attributes), name);

        public ValueRef Input(string name, DType dtype, bool batched, params long[] dims) =>
            Op(OpKind.Input, new ValueRef[0], name,
                OpAttribute.String("name", name), OpAttribute.Int("dtype", (int)dtype),
                OpAttribute.IntArray("dims", dims), OpAttribute.Bool("batched", batched));

        public ValueRef Float(string name, bool batched, params long[] dims) => Input(name, DType.Float32, batched, dims);

        public ValueRef Int(string name, bool batched, params long[] dims) => Input(name, DType.Int64, batched, dims);

        public ValueRef Parameter(string name, long[] dims, int shards = 1, Partition partition = Partition.Div) =>
            Op(OpKind.Parameter, new ValueRef[0], name,
                OpAttribute.String("name", name), OpAttribute.IntArray("dims", dims),
                OpAttribute.Int("shards", shards), OpAttribute.Int("partition", (int)partition));

        public ValueRef Lookup(ValueRef parameter, ValueRef ids, double maxNorm = double.NaN, string? name = null) =>
            Op(OpKind.EmbeddingLookup, new[] { parameter, ids }, name, OpAttribute.Double("maxNorm", maxNorm));

        public ValueRef MatMul(ValueRef a, ValueRef b, bool transposeA = false, bool transposeB = false, string? name = null) =>
            Op(OpKind.MatMul, new[] { a, b }, name, OpAttribute.Bool("transposeA", transposeA), OpAttribute.Bool("transposeB", transposeB));

        public ValueRef BiasAdd(ValueRef value, ValueRef bias, string? name = null) => Op(OpKind.BiasAdd, new[] { value, bias }, name);

        public ValueRef Add(ValueRef x, ValueRef y, string? name = null) => Op(OpKind.Add, new[] { x, y }, name);

        public ValueRef Subtract(ValueRef x, ValueRef y, string? name = null) => Op(OpKind.Subtract, new[] { x, y }, name);

        public ValueRef Multiply(ValueRef x, ValueRef y, string? name = null) => Op(OpKind.Multiply, new[] { x, y }, name);

        public ValueRef Log(ValueRef x, string? name = null) => Op(OpKind.Log, new[] { x }, name);

        public ValueRef Concat(long axis, params ValueRef[] inputs) => Op(OpKind.Concat, inputs, null, OpAttribute.Int("axis", axis));

        public ValueRef ReduceSum(ValueRef x, long axis, bool keepDims = false, string? name = null) =>
            Op(OpKind.ReduceSum, new[] { x }, name, OpAttribute.Int("axis", axis), OpAttribute.Bool("keepDims", keepDims));

        public ValueRef ReduceLogSumExp(ValueRef x, long axis, bool keepDims = false, string? name = null) =>
            Op(OpKind.ReduceLogSumExp, new[] { x }, name, OpAttribute.Int("axis", axis), OpAttribute.Bool("keepDims", keepDims));

        public ValueRef SparseToDense(ValueRef indices, ValueRef values, long[] outputShape, double defaultValue, bool validateIndices, string? name = null) =>
            Op(OpKind.SparseToDense, new[] { indices, values }, name,
                OpAttribute.IntArray("outputShape", outputShape), OpAttribute.Double("defaultValue", defaultValue),
                OpAttribute.Bool("validateIndices", validateIndices));

        public ValueRef SoftmaxCrossEntropy(ValueRef labels, ValueRef logits, string? name = null) =>
            Op(OpKind.SoftmaxCrossEntropyWithLogits, new[] { labels, logits }, name);

        public ValueRef SparseSoftmaxCrossEntropy(ValueRef labels, ValueRef logits, string? name = null) =>
            Op(OpKind.SparseSoftmaxCrossEntropyWithLogits, new[] { labels, logits }, name);

        public ValueRef SigmoidCrossEntropy(ValueRef labels, ValueRef logits, string? name = null) =>
            Op(OpKind.SigmoidCrossEntropyWithLogits, new[] { labels, logits }, name);

        /// <summary>TopK: (values, indices).</summary>
        public (ValueRef Values, ValueRef Indices) TopK(ValueRef x, long k, string? name = null)
        {
            ValueRef v = Op(OpKind.TopK, new[] { x }, name, OpAttribute.Int("k", k));
            return (v, new ValueRef(v.Node, 1));
        }

        public ValueRef Divide(ValueRef x, ValueRef y, string? name = null) => Op(OpKind.Divide, new[] { x, y }, name);

        public ValueRef Gather(ValueRef parameters, ValueRef indices, long axis, string? name = null) =>
            Op(OpKind.Gather, new[] { parameters, indices }, name, OpAttribute.Int("axis", axis));

        public ValueRef Constant(double value, bool batched, params long[] dims) =>
            Op(OpKind.Constant, new ValueRef[0], null, OpAttribute.Int("dtype", (int)DType.Float32), OpAttribute.IntArray("dims", dims),
                OpAttribute.Bool("batched", batched), OpAttribute.Double("value", value), OpAttribute.DoubleArray("values", new double[0]));

        /// <summary>SampledValues over fed S, Qt, Qs: (S, Qt, Qs) outputs.</summary>
        public ValueRef SampledValues(ValueRef s, ValueRef qt, ValueRef qs) => Op(OpKind.SampledValues, new[] { s, qt, qs }, "values");

        /// <summary>A composite sampled loss with fed values (the reference runs no sampler).</summary>
        public ValueRef SampledLoss(OpKind kind, ValueRef w, ValueRef b, ValueRef labels, ValueRef x, ValueRef values, long numSampled, long numClasses,
            long numTrue, bool removeHits, bool subtractLogQ, long numResampled = 0, double temperature = 1.0)
        {
            var attrs = new System.Collections.Generic.List<OpAttribute>
            {
                OpAttribute.Bool("hasSampledValues", true), OpAttribute.Int("numSampled", numSampled), OpAttribute.Int("numClasses", numClasses),
                OpAttribute.Int("numTrue", numTrue), OpAttribute.Bool("removeAccidentalHits", removeHits), OpAttribute.Int("seed", 0),
                OpAttribute.Bool("subtractLogQ", subtractLogQ),
            };
            if (kind == OpKind.RankSampledSoftmaxLoss)
            {
                attrs.Add(OpAttribute.Int("numResampled", numResampled));
                attrs.Add(OpAttribute.Double("resamplingTemperature", temperature));
            }
            return Op(kind, new[] { w, b, labels, x, values, new ValueRef(values.Node, 1), new ValueRef(values.Node, 2) }, "loss", attrs.ToArray());
        }

        public ValueRef Reshape(ValueRef x, params long[] dims) => Op(OpKind.Reshape, new[] { x }, null, OpAttribute.IntArray("dims", dims));
    }
}
