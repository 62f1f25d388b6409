using System;
using System.Collections.Generic;
using GraphSampling.Ir;
using GraphSampling.Naming;
using GraphSampling.Shapes;

namespace GraphSampling.Lowering
{
    /// <summary>
    /// Replaces each composite loss by the primitives TensorFlow composes for it (spec 5-9), after shape inference has
    /// checked the composite at its own arguments. The output is an ordinary graph: a hand-written primitive graph that
    /// makes the same calls in the same order is equal to it node for node, and so gets the same generated code.
    /// docs/losses/ lists the primitive form of each loss; CompositeLoweringTests pins it.
    /// </summary>
    public static class CompositeLowering
    {
        /// <summary>Whether a kind is a composite that this class lowers.</summary>
        public static bool IsComposite(OpKind kind) => GraphSampling.Schema.OpSchemas.TryGet(kind, out var s) && s.IsComposite;

        /// <summary>Whether the graph holds any composite.</summary>
        public static bool HasComposites(IrGraph graph)
        {
            foreach (var node in graph.Nodes)
            {
                if (IsComposite(node.Kind)) return true;
            }
            return false;
        }

        /// <summary>The graph with every composite lowered; a graph without composites is returned as it is.</summary>
        public static IrGraph Lower(TypedGraph typed)
        {
            if (!typed.Succeeded) throw new InvalidOperationException("Only a graph without shape errors can be lowered.");
            var graph = typed.Graph;
            if (!HasComposites(graph)) return graph;
            var b = new IrGraphBuilder();
            var map = new Dictionary<ValueRef, ValueRef>();
            // Lowered nodes are named after the user's variable ("loss_logits", sampler "lossSampler"), else the op; the
            // program names its default sampler's property from the same prefix (ProgramNames).
            var prefixes = ProgramNames.CompositePrefixes(graph);
            foreach (var node in graph.Nodes)
            {
                if (IsComposite(node.Kind))
                {
                    map[new ValueRef(node.Id)] = new Expansion(b, typed, node, map, prefixes[node.Id]).Lower();
                    continue;
                }
                var inputs = new ValueRef[node.Inputs.Count];
                for (int i = 0; i < inputs.Length; i++) inputs[i] = map[node.Inputs[i]];
                var added = b.Add(node.Kind, inputs, node.Attributes, node.Name);
                for (int o = 0; o < typed.OutputCount(node.Id); o++) map[new ValueRef(node.Id, o)] = new ValueRef(added.Node, o);
            }
            return b.Build(graph, v => map[v]);
        }

        /// <summary>One composite's primitives, appended in TF's order.</summary>
        private sealed class Expansion
        {
            private readonly IrGraphBuilder _b;
            private readonly IrNode _node;
            private readonly string _prefix;
            private readonly ValueRef _weights, _biases, _labels, _inputs;
            private readonly int _batch, _numTrue;
            private readonly bool _ragged;

            public Expansion(IrGraphBuilder b, TypedGraph typed, IrNode node, Dictionary<ValueRef, ValueRef> map, string prefix)
            {
                _b = b;
                _node = node;
                _prefix = prefix;
                _weights = map[node.Inputs[0]];
                _biases = map[node.Inputs[1]];
                _labels = map[node.Inputs[2]];
                _inputs = map[node.Inputs[3]];
                _batch = typed.TypeOf(node.Inputs[3]).Shape[0];
                _numTrue = (int)node.Attributes.Int("numTrue");
                _ragged = node.Attributes.Flag("raggedLabels");
                Dim = typed.TypeOf(node.Inputs[3]).Shape[1];
                if (node.Attributes.Bool("hasSampledValues"))
                {
                    Sampled = map[node.Inputs[4]];
                    TrueCounts = map[node.Inputs[5]];
                    SampledCounts = map[node.Inputs[6]];
                }
            }

            private int Dim { get; }
            private ValueRef Sampled { get; set; }
            private ValueRef TrueCounts { get; set; }
            private ValueRef SampledCounts { get; set; }
            private OpAttributes A => _node.Attributes;

            public ValueRef Lower()
            {
                int k = (int)A.Int("numSampled");
                if (!A.Bool("hasSampledValues")) DefaultSampler(k);
                // _compute_sampled_logits wraps the sampled values in stop_gradient (spec 5, step 2).
                TrueCounts = Op(OpKind.StopGradient, "trueExpectedCount", TrueCounts);
                SampledCounts = Op(OpKind.StopGradient, "sampledExpectedCount", SampledCounts);
                if (_node.Kind == OpKind.RankSampledSoftmaxLoss)
                {
                    k = (int)A.Int("numResampled");
                    Resample(k);
                }
                var logits = SampledLogits(k);
                switch (_node.Kind)
                {
                    case OpKind.NceLoss:
                    {
                        var perColumn = Op(OpKind.SigmoidCrossEntropyWithLogits, "columnLosses", SoftLabels(k), logits);
                        return _b.Add(OpKind.ReduceSum, new[] { perColumn }, OpAttributes.Of(OpAttribute.Int("axis", 1), OpAttribute.Bool("keepDims", false)), _node.Name);
                    }
                    case OpKind.SampledSparseSoftmaxLoss:
                    {
                        // The true logit is always column 0 (spec 8).
                        var zeros = Constant("labels", DType.Int64, 0, _batch);
                        return _b.Add(OpKind.SparseSoftmaxCrossEntropyWithLogits, new[] { zeros, logits }, OpAttributes.None, _node.Name);
                    }
                    default:
                        return _b.Add(OpKind.SoftmaxCrossEntropyWithLogits, new[] { SoftLabels(k), logits }, OpAttributes.None, _node.Name);
                }
            }

            /// <summary>Without sampled values, TF draws them: log-uniform unique (spec 5), learned unigram unique for TAPAS
            /// (spec 9), over numClasses, seeded by the loss's seed.</summary>
            private void DefaultSampler(int k)
            {
                var kind = _node.Kind == OpKind.RankSampledSoftmaxLoss ? OpKind.LearnedUnigramCandidateSampler : OpKind.LogUniformCandidateSampler;
                var attrs = new List<OpAttribute>
                {
                    OpAttribute.Int("numTrue", _numTrue), OpAttribute.Int("numSampled", k), OpAttribute.Bool("unique", true),
                    OpAttribute.Int("seed", A.Int("seed")), OpAttribute.Int("rangeMax", A.Int("numClasses")),
                };
                if (_ragged) attrs.Add(OpAttribute.Bool("raggedTrueClasses", true));
                var sampler = _b.Add(kind, new[] { _labels }, OpAttributes.Of(attrs.ToArray()), ProgramNames.DefaultSamplerName(_prefix));
                Sampled = sampler;
                TrueCounts = new ValueRef(sampler.Node, 1);
                SampledCounts = new ValueRef(sampler.Node, 2);
            }

            /// <summary>TAPAS's first pass (spec 9): score_k = LSE over the batch of (W[S_k]·x/τ) + b[S_k]/τ, keep the
            /// numResampled best. The selection carries no gradient (TopK), so only the second pass is differentiated.</summary>
            private void Resample(int r)
            {
                var tau = Constant("temperature", DType.Float32, A.Double("resamplingTemperature"));
                var scaled = Op(OpKind.Divide, "scaledInputs", _inputs, tau);
                var candidateWeights = Op(OpKind.EmbeddingLookup, "candidateWeights", MaxNorm(), _weights, Sampled);
                var candidateLogits = Op(OpKind.MatMul, "candidateLogits", Transposes(false, true), scaled, candidateWeights);
                var overBatch = Op(OpKind.ReduceLogSumExp, "candidateLse", OpAttributes.Of(OpAttribute.Int("axis", 0), OpAttribute.Bool("keepDims", false)), candidateLogits);
                var candidateBiases = Op(OpKind.EmbeddingLookup, "candidateBiases", MaxNorm(), _biases, Sampled);
                var scores = Op(OpKind.Add, "scores", overBatch, Op(OpKind.Divide, "scaledBiases", candidateBiases, tau));
                var kept = Op(OpKind.TopK, "kept", OpAttributes.Of(OpAttribute.Int("k", r)), scores);
                var keptPositions = new ValueRef(kept.Node, 1);
                // Qt is unchanged: the log-Q correction still refers to the first sampler (spec 9, step 3).
                Sampled = Op(OpKind.Gather, "resampled", Axis0(), Sampled, keptPositions);
                SampledCounts = Op(OpKind.Gather, "resampledExpectedCount", Axis0(), SampledCounts, keptPositions);
            }

            /// <summary>_compute_sampled_logits (spec 5): [true | sampled] logits, mask before log Q. With ragged labels the
            /// true lookups give a padding label a zero row (no table row is read, none gets a gradient) and its logit is
            /// filled with -FLT_MAX last, so it drops out of every softmax and sigmoid term.</summary>
            private ValueRef SampledLogits(int k)
            {
                var rowInputs = _b.Add(OpKind.Reshape, new[] { _inputs }, OpAttributes.Of(OpAttribute.IntArray("dims", new long[] { _batch, 1, Dim })), _prefix + "_rowInputs");
                var trueWeights = Op(OpKind.EmbeddingLookup, "trueWeights", TrueLookup(), _weights, _labels);
                var dots = Op(OpKind.Multiply, "trueDots", rowInputs, trueWeights);
                var trueSums = Op(OpKind.ReduceSum, "trueSums", OpAttributes.Of(OpAttribute.Int("axis", 2), OpAttribute.Bool("keepDims", false)), dots);
                var trueBiases = Op(OpKind.EmbeddingLookup, "trueBiases", TrueLookup(), _biases, _labels);
                var trueLogits = Op(OpKind.Add, "trueLogits", trueSums, trueBiases);
                var sampledWeights = Op(OpKind.EmbeddingLookup, "sampledWeights", MaxNorm(), _weights, Sampled);
                var products = Op(OpKind.MatMul, "sampledProducts", Transposes(false, true), _inputs, sampledWeights);
                var sampledBiases = Op(OpKind.EmbeddingLookup, "sampledBiases", MaxNorm(), _biases, Sampled);
                var sampledLogits = Op(OpKind.BiasAdd, "sampledLogits", products, sampledBiases);
                if (A.Bool("removeAccidentalHits"))
                {
                    var mask = Op(OpKind.ComputeAccidentalHits, "hits", OpAttributes.Of(OpAttribute.Int("numTrue", _numTrue)), _labels, Sampled);
                    sampledLogits = Op(OpKind.Add, "maskedLogits", sampledLogits, mask);
                }
                if (A.Bool("subtractLogQ"))
                {
                    trueLogits = Op(OpKind.Subtract, "trueLogitsQ", trueLogits, Op(OpKind.Log, "logTrueExpectedCount", TrueCounts));
                    sampledLogits = Op(OpKind.Subtract, "sampledLogitsQ", sampledLogits, Op(OpKind.Log, "logSampledExpectedCount", SampledCounts));
                }
                if (_ragged) trueLogits = Op(OpKind.MaskPadding, "trueLogitsPadded", OpAttributes.Of(OpAttribute.Double("fill", -float.MaxValue)), _labels, trueLogits);
                return Op(OpKind.Concat, "logits", Axis(1), trueLogits, sampledLogits);
            }

            /// <summary>The true classes' lookups: -1 is padding (a zero row) when the labels are ragged.</summary>
            private OpAttributes TrueLookup() =>
                _ragged ? OpAttributes.Of(OpAttribute.Double("maxNorm", double.NaN), OpAttribute.Bool("padding", true)) : MaxNorm();

            /// <summary>TF's labels: 1/numTrue on the true columns, 0 on the sampled ones (spec 5, step 8). The 1/T is a
            /// float division, as TF computes it in the logits' dtype. Ragged labels: 1/T_i over each row's T_i real labels.</summary>
            private ValueRef SoftLabels(int k)
            {
                var trueLabels = _ragged ? Op(OpKind.LabelWeights, "trueLabels", _labels) : Constant("trueLabels", DType.Float32, 1f / _numTrue, _batch, _numTrue);
                var sampledLabels = Constant("sampledLabels", DType.Float32, 0, _batch, k);
                return Op(OpKind.Concat, "labels", Axis(1), trueLabels, sampledLabels);
            }

            private ValueRef Constant(string role, DType dtype, double value, params int[] batchAndDims)
            {
                var dims = new long[batchAndDims.Length];
                for (int i = 0; i < dims.Length; i++) dims[i] = batchAndDims[i];
                return _b.Add(OpKind.Constant, new ValueRef[0], OpAttributes.Of(
                    OpAttribute.Int("dtype", (int)dtype), OpAttribute.IntArray("dims", dims), OpAttribute.Bool("batched", dims.Length > 0),
                    OpAttribute.Double("value", value), OpAttribute.DoubleArray("values", new double[0])), _prefix + "_" + role);
            }

            private ValueRef Op(OpKind kind, string role, params ValueRef[] inputs) => Op(kind, role, OpAttributes.None, inputs);

            private ValueRef Op(OpKind kind, string role, OpAttributes attrs, params ValueRef[] inputs) => _b.Add(kind, inputs, attrs, _prefix + "_" + role);

            private static OpAttributes MaxNorm() => OpAttributes.Of(OpAttribute.Double("maxNorm", double.NaN));
            private static OpAttributes Transposes(bool a, bool b) => OpAttributes.Of(OpAttribute.Bool("transposeA", a), OpAttribute.Bool("transposeB", b));
            private static OpAttributes Axis(int axis) => OpAttributes.Of(OpAttribute.Int("axis", axis));
            private static OpAttributes Axis0() => Axis(0);
        }
    }
}
