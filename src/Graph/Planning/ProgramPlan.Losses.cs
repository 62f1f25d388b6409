using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Planning
{
    public sealed partial class ProgramPlan
    {
        private readonly Dictionary<int, int> _gradientOfLoss = new Dictionary<int, int>();
        private readonly Dictionary<int, int> _lossOfGradient = new Dictionary<int, int>();
        private readonly HashSet<int> _sharedLabelRow = new HashSet<int>();

        /// <summary>The logits-gradient node a training call computes in the same pass as this (softmax) cross-entropy
        /// node, or -1.</summary>
        public int GradientComputedWith(int loss) => _gradientOfLoss.TryGetValue(loss, out int g) ? g : -1;

        /// <summary>The loss node whose pass computes this gradient node in a training call, or -1.</summary>
        public int LossComputing(int gradient) => _lossOfGradient.TryGetValue(gradient, out int l) ? l : -1;

        /// <summary>Whether a training call computes some loss gradient in the forward pass (the forward then has two forms).</summary>
        public bool HasGradientsInForward => _gradientOfLoss.Count > 0;

        /// <summary>Whether a (sparse or dense) cross-entropy node's labels are the same in every row: a constant such as
        /// the sampled losses' (1/T on the true columns, 0 on the sampled ones), read as one row.</summary>
        public bool SharesLabelRow(int node) => _sharedLabelRow.Contains(node);

        /// <summary>
        /// The softmax cross-entropy forward and its logits gradient in one pass. When the loss is what the upstream
        /// gradient is fed to (the graph's output: the gradient input of its rule is the seed, known before the forward
        /// pass), a training call computes both in the loss's step, and the gradient's own step does nothing. Each row of
        /// logits is then read from memory once instead of twice, and the logits need not outlive the forward pass.
        /// </summary>
        private void PlanLossPasses()
        {
            var graph = Graph;
            foreach (var node in graph.Nodes)
            {
                bool dense = node.Kind == OpKind.SoftmaxCrossEntropyWithLogits || node.Kind == OpKind.SoftmaxCrossEntropyGrad;
                if (dense && IsRowConstant(node.Inputs[node.Kind == OpKind.SoftmaxCrossEntropyGrad ? 1 : 0])) _sharedLabelRow.Add(node.Id);
            }
            if (Gradients == null) return;
            foreach (var grad in graph.Nodes)
            {
                if (grad.Id < ForwardCount || grad.Inputs.Count < 3 || !grad.Inputs[0].Equals(Gradients.Seed)) continue;
                OpKind lossKind;
                if (grad.Kind == OpKind.SoftmaxCrossEntropyGrad && grad.Attributes.String("wrt") == "logits") lossKind = OpKind.SoftmaxCrossEntropyWithLogits;
                else if (grad.Kind == OpKind.SparseSoftmaxCrossEntropyGrad) lossKind = OpKind.SparseSoftmaxCrossEntropyWithLogits;
                else continue;
                for (int id = 0; id < ForwardCount; id++)
                {
                    var loss = graph.Nodes[id];
                    if (loss.Kind != lossKind || !loss.Inputs[0].Equals(grad.Inputs[1]) || !loss.Inputs[1].Equals(grad.Inputs[2])) continue;
                    if (_gradientOfLoss.ContainsKey(id)) continue;
                    _gradientOfLoss[id] = grad.Id;
                    _lossOfGradient[grad.Id] = id;
                    break;
                }
            }
        }

        /// <summary>Whether every row of a constant is the same: one value everywhere, a batched constant's repeated row,
        /// or a concatenation along the last axis of such constants.</summary>
        private bool IsRowConstant(ValueRef v)
        {
            var node = Graph[v.Node];
            if (!IsConstant(node.Id)) return false;
            switch (node.Kind)
            {
                case OpKind.Constant:
                    return node.Attributes.Get("values").Doubles.Count == 0 || node.Attributes.Bool("batched");
                case OpKind.Concat:
                    var shape = Typed.TypeOf(v).Shape;
                    long axis = node.Attributes.Int("axis");
                    if (axis < 0) axis += shape.Rank;
                    if (axis != shape.Rank - 1) return false;
                    foreach (var input in node.Inputs)
                    {
                        if (!IsRowConstant(input)) return false;
                    }
                    return true;
                default:
                    return false;
            }
        }
    }
}
