using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Runtime.Reference
{
    /// <summary>
    /// The test oracle: a scalar, double-precision evaluator of an <see cref="IrGraph"/> with its own forward pass and its
    /// own backward pass (a vector-Jacobian product per op, written from the op contracts in <see cref="OpKind"/> and
    /// shared/spec/tf-semantics.md). It derives every shape itself from node attributes and never calls the shared shape
    /// inference or autodiff code: its independence is the point.
    /// </summary>
    /// <remarks>
    /// Evaluates the user-facing ops, including Divide and the four sampled losses, which it computes directly from the
    /// spec rather than through the primitives the generator lowers them to (so it checks that lowering). Candidate
    /// samplers do not run here (feed their values with SampledValues), and the other backward-only kinds are what this
    /// class computes itself; both throw <see cref="NotSupportedException"/>. Everything is double, except what TF defines as
    /// float32 constants (the accidental-hit value −FLT_MAX, <see cref="AccidentalHitLogit"/>), which arrives as data.
    /// One file per op family holds the shape rule, forward and backward of each op.
    /// <para>Decisions where the contract is silent, so that a disagreement with generated code shows up as a test failure
    /// rather than passing unnoticed: a batched operand keeps its batch at axis 0 and its batch axis never broadcasts (the
    /// other operand has 1 there, lacks the axis, or is batched with the same capacity); a MatMul may contract over the
    /// batch axis only when it is the batch axis of both operands; TopK passes no gradient (x receives nothing through it);
    /// SoftmaxCrossEntropyWithLogits uses TF's logits gradient softmax − y, which is the true derivative only when each
    /// label row sums to 1; max-norm applies t·c / max(|t|, c) literally (no clamp of a negative c); TopK ranks NaN
    /// below every number; SparseToDense accepts batched indices (N = live rows) and gives a non-batched output.</para>
    /// </remarks>
    public sealed partial class ReferenceInterpreter
    {
        /// <summary>−FLT_MAX as a double (−3.4028234663852886e38): the logit TF adds for an accidental hit (spec 4, 14).</summary>
        public const double AccidentalHitLogit = -3.4028234663852886e38;

        private readonly IrGraph _graph;
        private readonly StaticType[][] _types;
        private readonly Dictionary<string, LeafInfo> _leaves = new Dictionary<string, LeafInfo>(StringComparer.Ordinal);

        /// <summary>Checks the graph and derives every value's declared shape.</summary>
        /// <exception cref="InvalidOperationException">A node's inputs or attributes are invalid; the message names it.</exception>
        /// <exception cref="NotSupportedException">The graph holds a sampler, composite-loss or backward-only node.</exception>
        public ReferenceInterpreter(IrGraph graph)
        {
            ArgumentNullException.ThrowIfNull(graph);
            _graph = graph;
            int n = graph.Nodes.Count;
            _types = new StaticType[n][];
            for (int i = 0; i < n; i++)
            {
                IrNode node = graph.Nodes[i];
                _types[i] = Infer(node);
                if (node.Kind == OpKind.Input || node.Kind == OpKind.Parameter) RegisterLeaf(node);
            }
            ValueRef o = graph.Output;
            if (o.Node < 0 || o.Node >= n || o.Output < 0 || o.Output >= _types[o.Node].Length)
            {
                throw new InvalidOperationException("The graph's output " + o + " is not a value of the graph.");
            }
        }

        /// <summary>The graph being evaluated.</summary>
        public IrGraph Graph => _graph;

        /// <summary>The declared shape of a value (batch capacity at axis 0 when batched), as this interpreter derives it.</summary>
        public int[] DeclaredShape(ValueRef v) => (int[])TypeOf(v).Dims.Clone();

        /// <summary>Whether axis 0 of a value is the batch.</summary>
        public bool IsBatched(ValueRef v) => TypeOf(v).Batched;

        /// <summary>
        /// Runs the graph forward with <paramref name="batch"/> live rows, and backward when
        /// <paramref name="outputGradient"/> (the upstream gradient of the output, row-major, live shape) is given.
        /// </summary>
        /// <exception cref="ArgumentException">A feed is missing, unknown, of the wrong dtype or the wrong length.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The batch is outside [0, capacity], or data indexes out of range
        /// (lookup ids, sparse labels, sparse indices).</exception>
        public ReferenceResult Run(ReferenceFeeds feeds, int batch, double[]? outputGradient = null)
        {
            ArgumentNullException.ThrowIfNull(feeds);
            if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch size cannot be negative.");
            foreach (var kv in _leaves)
            {
                StaticType t = _types[kv.Value.Node][0];
                if (t.Batched && batch > t.Dims[0])
                {
                    throw new ArgumentOutOfRangeException(nameof(batch), batch, "Batched input '" + kv.Key + "' has capacity " + t.Dims[0] + ".");
                }
            }
            foreach (string name in feeds.Names)
            {
                if (!_leaves.ContainsKey(name)) throw new ArgumentException("The graph has no Input or Parameter named '" + name + "'.", nameof(feeds));
            }

            var s = new RunState(_graph.Nodes.Count, batch, feeds);
            foreach (IrNode node in _graph.Nodes) s.Values[node.Id] = Forward(node, s);

            double[]?[]? grads = null;
            if (outputGradient is not null)
            {
                RefTensor output = s.Values[_graph.Output.Node][_graph.Output.Output];
                if (!output.IsFloat) throw new InvalidOperationException("The graph's output " + _graph.Output + " is int64 and cannot be differentiated.");
                if (outputGradient.Length != output.Size)
                {
                    throw new ArgumentException("The output gradient has " + outputGradient.Length + " elements; the output " + output.Shape.Format() + " has " + output.Size + ".", nameof(outputGradient));
                }
                if (_graph.Output.Output != 0) throw new InvalidOperationException("Internal error: only first outputs are differentiable.");
                s.Grads[_graph.Output.Node] = (double[])outputGradient.Clone();
                for (int id = _graph.Nodes.Count - 1; id >= 0; id--)
                {
                    double[]? g = s.Grads[id];
                    if (g is not null) Backward(_graph.Nodes[id], s, g);
                }
                grads = s.Grads;
            }

            var touched = new Dictionary<string, SortedSet<long>>(StringComparer.Ordinal);
            foreach (var kv in s.Touched) touched[LeafName(_graph.Nodes[kv.Key])] = kv.Value;
            return new ReferenceResult(s.Values, _graph.Output, _leaves, grads, touched);
        }

        // ---- Dispatch -------------------------------------------------------------------------------------------

        private StaticType[] Infer(IrNode node)
        {
            switch (node.Kind)
            {
                case OpKind.Input: return One(InferInput(node));
                case OpKind.Parameter: return One(InferParameter(node));
                case OpKind.EmbeddingLookup: return One(InferEmbeddingLookup(node));
                case OpKind.EmbeddingBag: return One(InferEmbeddingBag(node));
                case OpKind.MaskPadding: return One(InferMaskPadding(node));
                case OpKind.LabelWeights: return One(InferLabelWeights(node));
                case OpKind.MatMul: return One(InferMatMul(node));
                case OpKind.BiasAdd: return One(InferBiasAdd(node));
                case OpKind.Add:
                case OpKind.Subtract:
                case OpKind.Multiply:
                case OpKind.Divide: return One(InferBroadcast(node));
                case OpKind.Constant: return One(InferConstant(node));
                case OpKind.Gather: return One(InferGather(node));
                case OpKind.SampledValues: return InferSampledValues(node);
                case OpKind.SampledSoftmaxLoss:
                case OpKind.SampledSparseSoftmaxLoss:
                case OpKind.NceLoss:
                case OpKind.RankSampledSoftmaxLoss: return One(InferSampledLoss(node));
                case OpKind.Log: return One(InferLog(node));
                case OpKind.Concat: return One(InferConcat(node));
                case OpKind.ReduceSum:
                case OpKind.ReduceLogSumExp: return One(InferReduce(node));
                case OpKind.SparseToDense: return One(InferSparseToDense(node));
                case OpKind.SoftmaxCrossEntropyWithLogits: return One(InferSoftmaxCrossEntropy(node));
                case OpKind.SparseSoftmaxCrossEntropyWithLogits: return One(InferSparseSoftmaxCrossEntropy(node));
                case OpKind.SigmoidCrossEntropyWithLogits: return One(InferSigmoidCrossEntropy(node));
                case OpKind.TopK: return InferTopK(node);
                case OpKind.Reshape: return One(InferReshape(node));
                case OpKind.StopGradient: return One(Inputs(node, 1, 1)[0]);
                default:
                    throw new NotSupportedException(Describe(node) + ": " + node.Kind + " is not an op the reference interpreter evaluates"
                        + " (samplers do not run here: feed their values; backward-only ops are computed by its own backward pass).");
            }
        }

        private RefTensor[] Forward(IrNode node, RunState s)
        {
            switch (node.Kind)
            {
                case OpKind.Input: return One(ForwardInput(node, s));
                case OpKind.Parameter: return One(ForwardParameter(node, s));
                case OpKind.EmbeddingLookup: return One(ForwardEmbeddingLookup(node, s));
                case OpKind.EmbeddingBag: return One(ForwardEmbeddingBag(node, s));
                case OpKind.MaskPadding: return One(ForwardMaskPadding(node, s));
                case OpKind.LabelWeights: return One(ForwardLabelWeights(node, s));
                case OpKind.MatMul: return One(ForwardMatMul(node, s));
                case OpKind.BiasAdd: return One(ForwardBiasAdd(node, s));
                case OpKind.Add:
                case OpKind.Subtract:
                case OpKind.Multiply:
                case OpKind.Divide: return One(ForwardBroadcast(node, s));
                case OpKind.Constant: return One(ForwardConstant(node, s));
                case OpKind.Gather: return One(ForwardGather(node, s));
                case OpKind.SampledValues: return ForwardSampledValues(node, s);
                case OpKind.SampledSoftmaxLoss:
                case OpKind.SampledSparseSoftmaxLoss:
                case OpKind.NceLoss:
                case OpKind.RankSampledSoftmaxLoss: return One(ForwardSampledLoss(node, s));
                case OpKind.Log: return One(ForwardLog(node, s));
                case OpKind.Concat: return One(ForwardConcat(node, s));
                case OpKind.ReduceSum: return One(ForwardReduceSum(node, s));
                case OpKind.ReduceLogSumExp: return One(ForwardReduceLogSumExp(node, s));
                case OpKind.SparseToDense: return One(ForwardSparseToDense(node, s));
                case OpKind.SoftmaxCrossEntropyWithLogits: return One(ForwardSoftmaxCrossEntropy(node, s));
                case OpKind.SparseSoftmaxCrossEntropyWithLogits: return One(ForwardSparseSoftmaxCrossEntropy(node, s));
                case OpKind.SigmoidCrossEntropyWithLogits: return One(ForwardSigmoidCrossEntropy(node, s));
                case OpKind.TopK: return ForwardTopK(node, s);
                case OpKind.Reshape: return One(ForwardReshape(node, s));
                case OpKind.StopGradient: return One(s.Value(node.Inputs[0]));   // values are never mutated, so sharing is safe
                default: throw new InvalidOperationException("Internal error: no forward for " + Describe(node) + ".");
            }
        }

        /// <summary>Adds the vector-Jacobian product of <paramref name="node"/> with its upstream gradient
        /// <paramref name="g"/> into the gradients of its float inputs.</summary>
        private void Backward(IrNode node, RunState s, double[] g)
        {
            switch (node.Kind)
            {
                case OpKind.Input:
                case OpKind.Parameter:
                case OpKind.TopK: // no gradient (OpKind doc): nothing flows to x
                case OpKind.StopGradient:
                case OpKind.Constant:
                case OpKind.SampledValues:
                case OpKind.LabelWeights:
                    return;
                case OpKind.MaskPadding: BackwardMaskPadding(node, s, g); return;
                case OpKind.Gather: BackwardGather(node, s, g); return;
                case OpKind.SampledSoftmaxLoss:
                case OpKind.SampledSparseSoftmaxLoss:
                case OpKind.NceLoss:
                case OpKind.RankSampledSoftmaxLoss: BackwardSampledLoss(node, s, g); return;
                case OpKind.EmbeddingLookup: BackwardEmbeddingLookup(node, s, g); return;
                case OpKind.EmbeddingBag: BackwardEmbeddingBag(node, s, g); return;
                case OpKind.MatMul: BackwardMatMul(node, s, g); return;
                case OpKind.BiasAdd: BackwardBiasAdd(node, s, g); return;
                case OpKind.Add:
                case OpKind.Subtract:
                case OpKind.Multiply:
                case OpKind.Divide: BackwardBroadcast(node, s, g); return;
                case OpKind.Log: BackwardLog(node, s, g); return;
                case OpKind.Concat: BackwardConcat(node, s, g); return;
                case OpKind.ReduceSum: BackwardReduceSum(node, s, g); return;
                case OpKind.ReduceLogSumExp: BackwardReduceLogSumExp(node, s, g); return;
                case OpKind.SparseToDense: BackwardSparseToDense(node, s, g); return;
                case OpKind.SoftmaxCrossEntropyWithLogits: BackwardSoftmaxCrossEntropy(node, s, g); return;
                case OpKind.SparseSoftmaxCrossEntropyWithLogits: BackwardSparseSoftmaxCrossEntropy(node, s, g); return;
                case OpKind.SigmoidCrossEntropyWithLogits: BackwardSigmoidCrossEntropy(node, s, g); return;
                case OpKind.Reshape: BackwardReshape(node, s, g); return;
                default: throw new InvalidOperationException("Internal error: no backward for " + Describe(node) + ".");
            }
        }

        private static T[] One<T>(T item) => new[] { item };

        // ---- Evaluation state -----------------------------------------------------------------------------------

        private sealed class RunState
        {
            public RunState(int nodes, int batch, ReferenceFeeds feeds)
            {
                Batch = batch;
                Feeds = feeds;
                Values = new RefTensor[nodes][];
                Grads = new double[nodes][];
            }

            public int Batch { get; }
            public ReferenceFeeds Feeds { get; }
            public RefTensor[][] Values { get; }

            /// <summary>Gradient of each node's first output (the only differentiable ones), allocated on first use.</summary>
            public double[]?[] Grads { get; }

            /// <summary>Ids whose rows receive a gradient (through EmbeddingLookup or a sampled loss), by Parameter node id.</summary>
            public Dictionary<int, SortedSet<long>> Touched { get; } = new Dictionary<int, SortedSet<long>>();

            public RefTensor Value(ValueRef v) => Values[v.Node][v.Output];

            /// <summary>The gradient buffer of a float value, zero-filled on first use; contributions are added into it.</summary>
            public double[] Grad(ValueRef v)
            {
                if (v.Output != 0) throw new InvalidOperationException("Internal error: gradient asked for a non-first output.");
                RefTensor t = Values[v.Node][0];
                if (!t.IsFloat) throw new InvalidOperationException("Internal error: gradient asked for an int64 value.");
                return Grads[v.Node] ??= new double[t.Size];
            }
        }

        // ---- Node helpers ---------------------------------------------------------------------------------------

        /// <summary>Renders a node for messages: <c>t7 'logits' (MatMul)</c>.</summary>
        private static string Describe(IrNode node) =>
            "t" + node.Id + (node.Name is null ? "" : " '" + node.Name + "'") + " (" + node.Kind + ")";

        private static InvalidOperationException Invalid(IrNode node, string message) =>
            new InvalidOperationException(Describe(node) + ": " + message);

        private StaticType TypeOf(ValueRef v)
        {
            if (v.Node < 0 || v.Node >= _types.Length || _types[v.Node] is null || v.Output < 0 || v.Output >= _types[v.Node].Length)
            {
                throw new ArgumentException("The graph has no value " + v + ".", nameof(v));
            }
            return _types[v.Node][v.Output];
        }

        /// <summary>Checks the input count and returns the declared types of the inputs.</summary>
        private StaticType[] Inputs(IrNode node, int min, int max)
        {
            int n = node.Inputs.Count;
            if (n < min || n > max)
            {
                string expected = min == max ? min.ToString(System.Globalization.CultureInfo.InvariantCulture) : min + ".." + (max == int.MaxValue ? "n" : max.ToString(System.Globalization.CultureInfo.InvariantCulture));
                throw Invalid(node, "expects " + expected + " inputs but has " + n + ".");
            }
            var types = new StaticType[n];
            for (int i = 0; i < n; i++)
            {
                ValueRef v = node.Inputs[i];
                if (v.Node < 0 || v.Node >= node.Id || v.Output < 0 || v.Output >= _types[v.Node].Length)
                {
                    throw Invalid(node, "input " + i + " refers to " + v + ", which is not a value defined before it.");
                }
                types[i] = _types[v.Node][v.Output];
            }
            return types;
        }

        private static void RequireFloat(IrNode node, StaticType t, string what)
        {
            if (t.DType != DType.Float32) throw Invalid(node, what + " must be float but is " + t + ".");
        }

        private static void RequireInt(IrNode node, StaticType t, string what)
        {
            if (t.DType != DType.Int64) throw Invalid(node, what + " must be int64 but is " + t + ".");
        }

        /// <summary>A possibly negative axis resolved against <paramref name="rank"/>.</summary>
        private static int ResolveAxis(IrNode node, long axis, int rank)
        {
            long a = axis < 0 ? axis + rank : axis;
            if (a < 0 || a >= rank) throw Invalid(node, "axis " + axis + " is outside [-" + rank + ", " + rank + ") for rank " + rank + ".");
            return (int)a;
        }

        /// <summary>The name a message should use for a value: the producing Input's or Parameter's name, else the node's.</summary>
        private string ValueName(ValueRef v)
        {
            IrNode p = _graph.Nodes[v.Node];
            if (p.Kind == OpKind.Input || p.Kind == OpKind.Parameter) return LeafName(p);
            return p.Name ?? "t" + p.Id;
        }

        private static string LeafName(IrNode node) => node.Attributes.Get("name").StringValue ?? "";

        // ---- Attributes -----------------------------------------------------------------------------------------

        private static OpAttribute Attr(IrNode node, string name, AttrKind kind)
        {
            OpAttribute a = node.Attributes.Find(name) ?? throw Invalid(node, "missing attribute '" + name + "'.");
            if (a.Kind != kind) throw Invalid(node, "attribute '" + name + "' must be " + kind + " but is " + a.Kind + ".");
            return a;
        }

        private static long AttrInt(IrNode node, string name) => Attr(node, name, AttrKind.Int).IntValue;

        private static bool AttrBool(IrNode node, string name) => Attr(node, name, AttrKind.Bool).IntValue != 0;

        private static double AttrDouble(IrNode node, string name) => Attr(node, name, AttrKind.Double).DoubleValue;

        private static string AttrString(IrNode node, string name) => Attr(node, name, AttrKind.String).StringValue ?? "";

        /// <summary>An int[] attribute used as dims: every entry in [0, int.MaxValue].</summary>
        private static int[] AttrDims(IrNode node, string name)
        {
            var v = Attr(node, name, AttrKind.IntArray).Ints;
            var dims = new int[v.Count];
            for (int i = 0; i < dims.Length; i++)
            {
                if (v[i] < 0 || v[i] > int.MaxValue) throw Invalid(node, "attribute '" + name + "' has dim " + v[i] + " at " + i + "; dims must be >= 0 (no -1 inference).");
                dims[i] = (int)v[i];
            }
            return dims;
        }
    }
}
