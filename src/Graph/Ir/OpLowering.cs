using System.Collections.Generic;

namespace GraphSampling.Ir
{
    /// <summary>
    /// Turns one DSL call into IR nodes. The generator (from parsed C#) and the runtime recorder (from running Define)
    /// both call this, with arguments named as the C# parameters of <c>GraphBuilder</c>, so both build the same graph.
    /// Values are only collected here; their validity is checked by shape inference, which reports by argument name.
    /// </summary>
    public static class OpLowering
    {
        /// <summary>Appends the node(s) for <paramref name="call"/>; returns the node's first output.</summary>
        public static ValueRef Lower(IrGraphBuilder graph, OpCall call)
        {
            var attrs = new List<OpAttribute>();
            var inputs = new List<ValueRef>();
            switch (call.Kind)
            {
                case OpKind.Input:
                    attrs.Add(OpAttribute.String("name", call.String("name")));
                    if (call.Has("numTrue"))
                    {
                        // g.Labels(name, batch, numTrue): int64 [B, numTrue].
                        attrs.Add(OpAttribute.Int("dtype", (int)DType.Int64));
                        attrs.Add(OpAttribute.IntArray("dims", new[] { call.Int("batch"), call.Int("numTrue") }));
                        attrs.Add(OpAttribute.Bool("batched", true));
                    }
                    else
                    {
                        attrs.Add(OpAttribute.Int("dtype", call.Int("dtype")));
                        AddDeclaredShape(call, attrs);
                    }
                    break;

                case OpKind.Parameter:
                {
                    attrs.Add(OpAttribute.String("name", call.String("name")));
                    long dim = call.Int("dim");
                    attrs.Add(OpAttribute.IntArray("dims", dim == 0 ? new[] { call.Int("rows") } : new[] { call.Int("rows"), dim }));
                    attrs.Add(OpAttribute.Int("shards", call.Int("shards")));
                    attrs.Add(OpAttribute.Int("partition", call.Int("partition")));
                    break;
                }

                case OpKind.EmbeddingLookup:
                    inputs.Add(call.Tensor("params"));
                    inputs.Add(call.Tensor("ids"));
                    attrs.Add(OpAttribute.Double("maxNorm", call.Double("maxNorm")));
                    break;

                case OpKind.MatMul:
                    inputs.Add(call.Tensor("a"));
                    inputs.Add(call.Tensor("b"));
                    attrs.Add(OpAttribute.Bool("transposeA", call.Bool("transposeA")));
                    attrs.Add(OpAttribute.Bool("transposeB", call.Bool("transposeB")));
                    break;

                case OpKind.BiasAdd:
                    inputs.Add(call.Tensor("value"));
                    inputs.Add(call.Tensor("bias"));
                    break;

                case OpKind.Add:
                case OpKind.Subtract:
                case OpKind.Multiply:
                case OpKind.Divide:
                    inputs.Add(call.Tensor("x"));
                    inputs.Add(call.Tensor("y"));
                    break;

                case OpKind.Log:
                    inputs.Add(call.Tensor("x"));
                    break;

                case OpKind.StopGradient:
                    inputs.Add(call.Tensor("input"));
                    break;

                case OpKind.Constant:
                {
                    // Constant(value | values, dims) is a float of fixed shape; Fill<T>(batch, value, dims) is batched.
                    attrs.Add(OpAttribute.Int("dtype", call.Has("dtype") ? call.Int("dtype") : (int)DType.Float32));
                    AddDeclaredShape(call, attrs);
                    attrs.Add(OpAttribute.Double("value", call.Has("value") ? call.Double("value") : 0));
                    attrs.Add(OpAttribute.DoubleArray("values", call.Has("values") ? call.Doubles("values") : new double[0]));
                    break;
                }

                case OpKind.Gather:
                    inputs.Add(call.Tensor("params"));
                    inputs.Add(call.Tensor("indices"));
                    attrs.Add(OpAttribute.Int("axis", call.Int("axis")));
                    break;

                case OpKind.SampledValues:
                    inputs.Add(call.Tensor("sampledCandidates"));
                    inputs.Add(call.Tensor("trueExpectedCount"));
                    inputs.Add(call.Tensor("sampledExpectedCount"));
                    break;

                case OpKind.Concat:
                    inputs.AddRange(TensorList(call, "values"));
                    attrs.Add(OpAttribute.Int("axis", call.Int("axis")));
                    break;

                case OpKind.ReduceSum:
                case OpKind.ReduceLogSumExp:
                    inputs.Add(call.Tensor("input"));
                    attrs.Add(OpAttribute.Int("axis", call.Int("axis")));
                    attrs.Add(OpAttribute.Bool("keepDims", call.Bool("keepDims")));
                    break;

                case OpKind.Reshape:
                    inputs.Add(call.Tensor("tensor"));
                    attrs.Add(OpAttribute.IntArray("dims", call.Ints("shape")));
                    break;

                case OpKind.SparseToDense:
                    inputs.Add(call.Tensor("sparseIndices"));
                    inputs.Add(call.Tensor("sparseValues"));
                    attrs.Add(OpAttribute.IntArray("outputShape", call.Ints("outputShape")));
                    attrs.Add(OpAttribute.Double("defaultValue", call.Double("defaultValue")));
                    attrs.Add(OpAttribute.Bool("validateIndices", call.Bool("validateIndices")));
                    break;

                case OpKind.SoftmaxCrossEntropyWithLogits:
                case OpKind.SparseSoftmaxCrossEntropyWithLogits:
                case OpKind.SigmoidCrossEntropyWithLogits:
                    inputs.Add(call.Tensor("labels"));
                    inputs.Add(call.Tensor("logits"));
                    break;

                case OpKind.TopK:
                    inputs.Add(call.Tensor("input"));
                    attrs.Add(OpAttribute.Int("k", call.Int("k")));
                    break;

                case OpKind.UniformCandidateSampler:
                case OpKind.LogUniformCandidateSampler:
                case OpKind.LearnedUnigramCandidateSampler:
                case OpKind.FixedUnigramCandidateSampler:
                case OpKind.AllCandidateSampler:
                    inputs.Add(call.Tensor("trueClasses"));
                    attrs.Add(OpAttribute.Int("numTrue", call.Int("numTrue")));
                    attrs.Add(OpAttribute.Int("numSampled", call.Int("numSampled")));
                    attrs.Add(OpAttribute.Bool("unique", call.Bool("unique")));
                    attrs.Add(OpAttribute.Int("seed", call.Int("seed")));
                    if (call.Kind != OpKind.AllCandidateSampler) attrs.Add(OpAttribute.Int("rangeMax", call.Int("rangeMax")));
                    if (call.Kind == OpKind.FixedUnigramCandidateSampler)
                    {
                        attrs.Add(OpAttribute.String("vocabFile", call.String("vocabFile")));
                        attrs.Add(OpAttribute.Double("distortion", call.Double("distortion")));
                        attrs.Add(OpAttribute.Int("numReservedIds", call.Int("numReservedIds")));
                        attrs.Add(OpAttribute.Int("numShards", call.Int("numShards")));
                        attrs.Add(OpAttribute.Int("shard", call.Int("shard")));
                        var u = call.Get("unigrams");
                        attrs.Add(OpAttribute.DoubleArray("unigrams", u.Kind == ArgKind.DoubleArray ? u.Doubles.ToArray() : new double[0]));
                    }
                    break;

                case OpKind.ComputeAccidentalHits:
                    inputs.Add(call.Tensor("trueClasses"));
                    inputs.Add(call.Tensor("sampledCandidates"));
                    attrs.Add(OpAttribute.Int("numTrue", call.Int("numTrue")));
                    break;

                case OpKind.SampledSoftmaxLoss:
                case OpKind.SampledSparseSoftmaxLoss:
                case OpKind.NceLoss:
                case OpKind.RankSampledSoftmaxLoss:
                    LowerCompositeLoss(call, inputs, attrs);
                    break;

                default:
                    throw new GraphDeclarationException(call.Kind + " is not an op users declare.", "kind");
            }

            return graph.Add(call.Kind, inputs.ToArray(), OpAttributes.Of(attrs.ToArray()), call.ResultName);
        }

        /// <summary>A composite loss stays one node until shape inference has checked it at its own arguments; then
        /// <c>CompositeLowering</c> replaces it by the primitives TF composes. Arguments a C# overload does not take are
        /// fixed here (sampled sparse softmax: one true class; TAPAS and sparse: log Q always subtracted).</summary>
        private static void LowerCompositeLoss(OpCall call, List<ValueRef> inputs, List<OpAttribute> attrs)
        {
            inputs.Add(call.Tensor("weights"));
            inputs.Add(call.Tensor("biases"));
            inputs.Add(call.Tensor("labels"));
            inputs.Add(call.Tensor("inputs"));
            var sampled = call.Get("sampledValues");
            bool hasSampled = sampled.Kind == ArgKind.TensorArray;
            if (hasSampled) inputs.AddRange(sampled.Tensors);
            attrs.Add(OpAttribute.Bool("hasSampledValues", hasSampled));
            attrs.Add(OpAttribute.Int("numSampled", call.Int("numSampled")));
            attrs.Add(OpAttribute.Int("numClasses", call.Int("numClasses")));
            attrs.Add(OpAttribute.Int("numTrue", call.Kind == OpKind.SampledSparseSoftmaxLoss ? 1 : call.Int("numTrue")));
            attrs.Add(OpAttribute.Bool("removeAccidentalHits", call.Bool("removeAccidentalHits")));
            attrs.Add(OpAttribute.Int("seed", call.Int("seed")));
            bool logQ = call.Kind == OpKind.SampledSoftmaxLoss || call.Kind == OpKind.NceLoss ? call.Bool("subtractLogQ") : true;
            attrs.Add(OpAttribute.Bool("subtractLogQ", logQ));
            if (call.Kind == OpKind.RankSampledSoftmaxLoss)
            {
                attrs.Add(OpAttribute.Int("numResampled", call.Int("numResampled")));
                attrs.Add(OpAttribute.Double("resamplingTemperature", call.Double("resamplingTemperature")));
            }
        }

        /// <summary>An Input's or Constant's shape as the call states it: [batch, dims...] when a batch is given (batched),
        /// else dims.</summary>
        private static void AddDeclaredShape(OpCall call, List<OpAttribute> attrs)
        {
            var dims = new List<long>();
            bool batched = call.Has("batch");
            if (batched) dims.Add(call.Int("batch"));
            dims.AddRange(call.Ints("dims"));
            attrs.Add(OpAttribute.IntArray("dims", dims.ToArray()));
            attrs.Add(OpAttribute.Bool("batched", batched));
        }

        private static IEnumerable<ValueRef> TensorList(OpCall call, string name)
        {
            var v = call.Get(name);
            if (v.Kind != ArgKind.TensorArray) throw new GraphDeclarationException(call.Kind + ": argument '" + name + "' must be an array of tensors.", name);
            return v.Tensors;
        }
    }
}
