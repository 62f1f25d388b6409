using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Schema
{
    /// <summary>The lowerings of ops whose DSL call does not map one argument to one input or attribute.</summary>
    internal static class Lowerings
    {
        /// <summary>Each input by its argument name, each attribute by its spec: what most ops need.</summary>
        public static void Generic(OpSchema schema, OpCall call, List<ValueRef> inputs, List<OpAttribute> attrs)
        {
            foreach (string input in schema.Inputs) inputs.Add(call.Tensor(input));
            foreach (var a in schema.Attributes) attrs.Add(Read(call, a));
        }

        private static OpAttribute Read(OpCall call, AttrSpec a)
        {
            switch (a.Kind)
            {
                case AttrKind.Int: return OpAttribute.Int(a.Name, call.Int(a.Argument));
                case AttrKind.Double: return OpAttribute.Double(a.Name, call.Double(a.Argument));
                case AttrKind.Bool: return OpAttribute.Bool(a.Name, call.Bool(a.Argument));
                case AttrKind.String: return OpAttribute.String(a.Name, call.String(a.Argument));
                case AttrKind.IntArray: return OpAttribute.IntArray(a.Name, call.Ints(a.Argument));
                default: return OpAttribute.DoubleArray(a.Name, call.Doubles(a.Argument));
            }
        }

        /// <summary>params, ids, maxNorm; the padding switch only when on (older graphs keep their attributes).</summary>
        public static void EmbeddingLookup(OpCall call, List<ValueRef> inputs, List<OpAttribute> attrs)
        {
            inputs.Add(call.Tensor("params"));
            inputs.Add(call.Tensor("ids"));
            attrs.Add(OpAttribute.Double("maxNorm", call.Double("maxNorm")));
            if (call.Has("padding") && call.Bool("padding")) attrs.Add(OpAttribute.Bool("padding", true));
        }

        public static void Input(OpCall call, List<ValueRef> inputs, List<OpAttribute> attrs)
        {
            attrs.Add(OpAttribute.String("name", call.String("name")));
            if (call.Has("numTrue"))
            {
                // g.Labels(name, batch, numTrue): int64 [B, numTrue].
                attrs.Add(OpAttribute.Int("dtype", (int)DType.Int64));
                attrs.Add(OpAttribute.IntArray("dims", new[] { call.Int("batch"), call.Int("numTrue") }));
                attrs.Add(OpAttribute.Bool("batched", true));
                return;
            }
            attrs.Add(OpAttribute.Int("dtype", call.Int("dtype")));
            AddDeclaredShape(call, attrs);
        }

        public static void Parameter(OpCall call, List<ValueRef> inputs, List<OpAttribute> attrs)
        {
            attrs.Add(OpAttribute.String("name", call.String("name")));
            long dim = call.Int("dim");
            attrs.Add(OpAttribute.IntArray("dims", dim == 0 ? new[] { call.Int("rows") } : new[] { call.Int("rows"), dim }));
            attrs.Add(OpAttribute.Int("shards", call.Int("shards")));
            attrs.Add(OpAttribute.Int("partition", call.Int("partition")));
        }

        /// <summary>Constant(value | values, dims) is a float of fixed shape; Fill/Zeros/Ones&lt;T&gt;(batch, ...) are batched.</summary>
        public static void Constant(OpCall call, List<ValueRef> inputs, List<OpAttribute> attrs)
        {
            attrs.Add(OpAttribute.Int("dtype", call.Has("dtype") ? call.Int("dtype") : (int)DType.Float32));
            AddDeclaredShape(call, attrs);
            attrs.Add(OpAttribute.Double("value", call.Has("value") ? call.Double("value") : 0));
            attrs.Add(OpAttribute.DoubleArray("values", call.Has("values") ? call.Doubles("values") : new double[0]));
        }

        public static void Concat(OpCall call, List<ValueRef> inputs, List<OpAttribute> attrs)
        {
            var values = call.Get("values");
            if (values.Kind != ArgKind.TensorArray) throw new GraphDeclarationException(call.Kind + ": argument 'values' must be an array of tensors.", "values");
            inputs.AddRange(values.Tensors);
            attrs.Add(OpAttribute.Int("axis", call.Int("axis")));
        }

        public static void Sampler(OpCall call, List<ValueRef> inputs, List<OpAttribute> attrs)
        {
            inputs.Add(call.Tensor("trueClasses"));
            attrs.Add(OpAttribute.Int("numTrue", call.Int("numTrue")));
            attrs.Add(OpAttribute.Int("numSampled", call.Int("numSampled")));
            attrs.Add(OpAttribute.Bool("unique", call.Bool("unique")));
            attrs.Add(OpAttribute.Int("seed", call.Int("seed")));
            if (call.Kind != OpKind.AllCandidateSampler) attrs.Add(OpAttribute.Int("rangeMax", call.Int("rangeMax")));
            // Only when on, so graphs without ragged labels (and their snapshots) are unchanged.
            if (call.Has("raggedTrueClasses") && call.Bool("raggedTrueClasses")) attrs.Add(OpAttribute.Bool("raggedTrueClasses", true));
            if (call.Kind != OpKind.FixedUnigramCandidateSampler) return;
            attrs.Add(OpAttribute.String("vocabFile", call.String("vocabFile")));
            attrs.Add(OpAttribute.Double("distortion", call.Double("distortion")));
            attrs.Add(OpAttribute.Int("numReservedIds", call.Int("numReservedIds")));
            attrs.Add(OpAttribute.Int("numShards", call.Int("numShards")));
            attrs.Add(OpAttribute.Int("shard", call.Int("shard")));
            attrs.Add(OpAttribute.DoubleArray("unigrams", call.Doubles("unigrams")));
        }

        /// <summary>A composite loss stays one node until shape inference has checked it at its own arguments; then
        /// <c>CompositeLowering</c> replaces it by the primitives TF composes. Arguments a C# overload does not take are
        /// fixed here (sampled sparse softmax: one true class; TAPAS and sparse: log Q always subtracted).</summary>
        public static void CompositeLoss(OpCall call, List<ValueRef> inputs, List<OpAttribute> attrs)
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
            if (call.Has("raggedLabels") && call.Bool("raggedLabels")) attrs.Add(OpAttribute.Bool("raggedLabels", true));
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
    }
}
