using System;
using System.Collections.Generic;
using GraphSampling.Ir;
using GraphSampling.Shapes;

namespace GraphSampling.Planning
{
    /// <summary>How a fused group's operand lines up with the group's [rows, cols] output (rows: every axis but the last).</summary>
    public enum FusedLayout
    {
        /// <summary>The output's own shape.</summary>
        Full = 0,
        /// <summary>One value per column (shape [cols], or ones then cols): a bias.</summary>
        Row = 1,
        /// <summary>One value per row (the output's shape with 1 as the last axis).</summary>
        Column = 2,
        /// <summary>One value.</summary>
        Scalar = 3,
    }

    /// <summary>The elementwise ops a fused group computes.</summary>
    public enum FusedOp
    {
        Add,
        Subtract,
        Multiply,
        Divide,
        Log,
        Negate,
    }

    /// <summary>A fused group's expression: an op over sub-expressions, or an operand.</summary>
    public sealed class FusedExpression
    {
        private FusedExpression(FusedOp op, int operand, FusedExpression[] args, int node)
        {
            Op = op;
            Operand = operand;
            Args = args;
            Node = node;
        }

        public static FusedExpression OfOperand(int operand) => new FusedExpression(FusedOp.Add, operand, new FusedExpression[0], -1);
        public static FusedExpression OfOp(FusedOp op, int node, params FusedExpression[] args) => new FusedExpression(op, -1, args, node);

        /// <summary>The op (when <see cref="IsOperand"/> is false).</summary>
        public FusedOp Op { get; }
        /// <summary>The operand index (0..3) for a leaf, else -1.</summary>
        public int Operand { get; }
        public IReadOnlyList<FusedExpression> Args { get; }
        /// <summary>The IR node this op comes from (for the emitted comment), or -1 for an operand.</summary>
        public int Node { get; }
        public bool IsOperand => Operand >= 0;
    }

    public sealed class FusedOperandSpec
    {
        public FusedOperandSpec(ValueRef value, FusedLayout layout)
        {
            Value = value;
            Layout = layout;
        }

        public ValueRef Value { get; }
        public FusedLayout Layout { get; }
    }

    /// <summary>
    /// One kernel for a chain of elementwise ops over the same output shape (bias add, mask, log-Q subtraction, scaling):
    /// one pass instead of one per op, with the intermediate values never stored. Every backend consumes the same group.
    /// </summary>
    public sealed class FusedGroup
    {
        internal FusedGroup(int root)
        {
            Root = root;
            Nodes.Add(root);
        }

        /// <summary>The node whose value the group produces (it runs at that node's place in the schedule).</summary>
        public int Root { get; }

        /// <summary>The group's nodes in schedule order, the root last.</summary>
        public List<int> Nodes { get; } = new List<int>();

        public List<FusedOperandSpec> Operands { get; } = new List<FusedOperandSpec>();

        public FusedExpression Expression { get; internal set; } = FusedExpression.OfOperand(0);

        /// <summary>ComputeAccidentalHits nodes whose mask the group applies after its pass, instead of adding a stored
        /// [B, K] mask: each finite hit cell is set to −FLT_MAX, which is what adding −FLT_MAX and then subtracting a log
        /// count gives in float32 (spec 5, step 7) for logits below 2^103 in magnitude; a NaN or infinite cell stays as it
        /// is, as it would unfused.</summary>
        public List<int> Hits { get; } = new List<int>();
    }

    /// <summary>
    /// Finds the fused groups of a planned graph. A group grows from an elementwise node by absorbing each producer that
    /// is elementwise too, has the same output shape, and is read by nothing else (no other node, no backward rule, not the
    /// caller): its value then never needs to exist. Operands are the inputs from outside the group, at most four, each
    /// laid out as <see cref="FusedLayout"/> allows; a node whose operands fit no layout is left unfused.
    /// </summary>
    internal static class FusionPlanner
    {
        public const int MaxOperands = 4;

        public static List<FusedGroup> Plan(TypedGraph typed, Func<ValueRef, int> uses)
        {
            var graph = typed.Graph;
            var groupOf = new Dictionary<int, FusedGroup>();
            var groups = new List<FusedGroup>();
            foreach (var node in graph.Nodes)
            {
                if (!IsFusible(typed, node)) continue;
                var group = new FusedGroup(node.Id);
                if (!Build(typed, group, groupOf, uses, absorb: true) && !Build(typed, group, groupOf, uses, absorb: false)) continue;
                foreach (int member in group.Nodes)
                {
                    if (groupOf.TryGetValue(member, out var absorbed) && absorbed != group) groups.Remove(absorbed);
                    groupOf[member] = group;
                }
                groups.Add(group);
            }
            return groups;
        }

        private static bool IsFusible(TypedGraph typed, IrNode node)
        {
            if (FusedOpOf(node.Kind) == null) return false;
            var t = typed.TypeOf(node.Id);
            return t.DType == DType.Float32 && t.Shape.Rank >= 1;
        }

        /// <summary>The fused op an IR op computes: every op of the schema's elementwise category, and the backward Negate.
        /// Null for an op a group cannot hold.</summary>
        internal static FusedOp? FusedOpOf(OpKind kind)
        {
            switch (kind)
            {
                case OpKind.Add:
                case OpKind.BiasAdd: return FusedOp.Add;
                case OpKind.Subtract: return FusedOp.Subtract;
                case OpKind.Multiply: return FusedOp.Multiply;
                case OpKind.Divide: return FusedOp.Divide;
                case OpKind.Log: return FusedOp.Log;
                case OpKind.Negate: return FusedOp.Negate;
                default: return null;
            }
        }

        /// <summary>Fills the group's nodes, operands and expression (absorbing producers' groups, or not); false when the
        /// operands do not fit.</summary>
        private static bool Build(TypedGraph typed, FusedGroup group, Dictionary<int, FusedGroup> groupOf, Func<ValueRef, int> uses, bool absorb)
        {
            group.Nodes.Clear();
            group.Operands.Clear();
            group.Hits.Clear();
            var shape = typed.TypeOf(group.Root).Shape;
            var expression = Expand(typed, group, group.Root, shape, groupOf, uses, absorb);
            if (expression == null || group.Operands.Count > MaxOperands || group.Operands.Count == 0) return false;
            group.Nodes.Sort();
            group.Expression = expression;
            return true;
        }

        private static FusedExpression? Expand(TypedGraph typed, FusedGroup group, int id, Shape shape, Dictionary<int, FusedGroup> groupOf, Func<ValueRef, int> uses, bool absorb)
        {
            var graph = typed.Graph;
            var node = graph.Nodes[id];
            group.Nodes.Add(id);
            var args = new List<FusedExpression>();
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
                var producer = graph.Nodes[input.Node];
                // x + hits: the mask is applied after the pass (see FusedGroup.Hits) when what follows keeps −FLT_MAX.
                if (node.Kind == OpKind.Add && i == 1 && producer.Kind == OpKind.ComputeAccidentalHits && uses(input) == 1 && KeepsMaskedCells(graph, group.Root, id))
                {
                    group.Hits.Add(producer.Id);
                    return args[0];
                }
                // A producer already in a group (its own or one it was absorbed into) is re-expanded here when this node
                // is its only reader and it has the same shape.
                bool inside = absorb && input.Output == 0 && groupOf.ContainsKey(input.Node) && uses(input) == 1 && typed.TypeOf(input).Shape.Equals(shape);
                if (inside)
                {
                    var sub = Expand(typed, group, input.Node, shape, groupOf, uses, absorb);
                    if (sub == null) return null;
                    args.Add(sub);
                    continue;
                }
                var layout = LayoutOf(typed.TypeOf(input).Shape, shape);
                if (layout == null) return null;
                int index = group.Operands.FindIndex(o => o.Value.Equals(input));
                if (index < 0)
                {
                    index = group.Operands.Count;
                    group.Operands.Add(new FusedOperandSpec(input, layout.Value));
                }
                args.Add(FusedExpression.OfOperand(index));
            }
            var op = FusedOpOf(node.Kind)!.Value;
            return args.Count == 1 ? FusedExpression.OfOp(op, id, args[0]) : FusedExpression.OfOp(op, id, args[0], args[1]);
        }

        /// <summary>Whether what follows the masked Add up to the root is nothing, or one subtraction of a log (the sampled
        /// losses' x + mask − log Q). For a finite x and log count of magnitude below 2^103 (about 1e31), adding −FLT_MAX
        /// and then subtracting the log gives −FLT_MAX in float32, which is what the group writes; any other chain (a
        /// second mask, an arbitrary operand) keeps its stored mask.</summary>
        private static bool KeepsMaskedCells(IrGraph graph, int root, int maskedAdd)
        {
            if (maskedAdd == root) return true;
            var consumer = graph.Nodes[root];
            return consumer.Kind == OpKind.Subtract && consumer.Inputs[0].Node == maskedAdd && consumer.Inputs[0].Output == 0
                && graph.Nodes[consumer.Inputs[1].Node].Kind == OpKind.Log;
        }

        /// <summary>How an operand broadcasts against the output: numpy alignment at the last axis.</summary>
        internal static FusedLayout? LayoutOf(Shape operand, Shape output)
        {
            if (operand.Equals(output)) return FusedLayout.Full;
            int r = output.Rank;
            if (operand.Capacity == 1 && !operand.Batched) return FusedLayout.Scalar;
            if (operand.Rank > r) return null;
            // Row: [cols] (possibly with leading ones), shared by every row.
            bool row = !operand.Batched && operand.Rank >= 1 && operand[operand.Rank - 1] == output[r - 1];
            for (int i = 0; i < operand.Rank - 1 && row; i++) row = operand[i] == 1;
            if (row) return FusedLayout.Row;
            // Column: the output's shape with 1 as the last axis.
            if (operand.Rank == r && operand[r - 1] == 1 && operand.Batched == output.Batched)
            {
                for (int i = 0; i < r - 1; i++)
                {
                    if (operand[i] != output[i]) return null;
                }
                return FusedLayout.Column;
            }
            return null;
        }
    }
}
