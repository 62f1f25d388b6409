using System.Collections.Generic;
using System.Linq;
using GraphSampling.Ir;

namespace GraphSampling.Planning
{
    /// <summary>What a node's place in the schedule runs. Every backend walks the nodes in order and asks this.</summary>
    public enum StepKind
    {
        /// <summary>One kernel for the node (its own runtime call).</summary>
        Kernel = 0,
        /// <summary>The root of a <see cref="FusedGroup"/>: one pass computes the whole group.</summary>
        Fused = 1,
        /// <summary>An intermediate of a fused group (or a mask the group applies): nothing runs here.</summary>
        FusedAway = 2,
        /// <summary>Moves nothing: an alias (reshape, a row gradient without clipping), a view of rows inside another
        /// value, or a concatenation whose inputs were written into their columns by their producers.</summary>
        NoCopy = 3,
        /// <summary>A constant, filled once when the program is built.</summary>
        Constant = 4,
        /// <summary>An input the caller feeds, or a parameter the program owns.</summary>
        Leaf = 5,
        /// <summary>A loss gradient a training call computes in its loss's pass (<see cref="ProgramPlan.LossComputing"/>).</summary>
        WithLoss = 6,
    }

    /// <summary>The schedule as a reader sees it: one line per node that runs, fused groups with their members and
    /// operands, and what moves no data. The generated remarks print these lines; tests compare them.</summary>
    public static class Schedule
    {
        public static StepKind StepOf(ProgramPlan plan, int node)
        {
            var n = plan.Graph[node];
            if (plan.FusedInto(node) >= 0) return StepKind.FusedAway;
            if (plan.IsReadFromTable(node)) return StepKind.NoCopy;
            if (plan.GroupAt(node) != null) return StepKind.Fused;
            if (plan.LossComputing(node) >= 0) return StepKind.WithLoss;
            if (n.Kind == OpKind.Input || n.Kind == OpKind.Parameter) return StepKind.Leaf;
            var slot = plan.SlotOf(new ValueRef(node));
            if (plan.IsConstant(node) && slot.Kind != BufferKind.Alias) return StepKind.Constant;
            if (slot.Kind == BufferKind.Alias || IsView(plan, new ValueRef(node)) || (n.Kind == OpKind.Concat && plan.IsWrittenInPlace(node))) return StepKind.NoCopy;
            return StepKind.Kernel;
        }

        /// <summary>Whether a value's rows lie inside another value's buffer (through any aliases).</summary>
        public static bool IsView(ProgramPlan plan, ValueRef v)
        {
            while (plan.SlotOf(v).Kind == BufferKind.Alias) v = plan.SlotOf(v).AliasOf;
            return plan.SlotOf(v).Kind == BufferKind.View;
        }

        /// <summary>The schedule's lines: "○" a kernel, "●" a fused kernel (its members follow, indented), "·" no copy,
        /// "◇" a constant. Leaves are left out (the graph's signature lists them).</summary>
        public static IEnumerable<string> Lines(ProgramPlan plan)
        {
            for (int id = 0; id < plan.Graph.Nodes.Count; id++)
            {
                if (id == plan.ForwardCount) yield return "backward:";
                var node = plan.Graph[id];
                switch (StepOf(plan, id))
                {
                    case StepKind.Leaf:
                    case StepKind.FusedAway:
                        continue;
                    case StepKind.Fused:
                        var group = plan.GroupAt(id)!;
                        yield return "● t" + id + " fused, one pass over " + plan.TypeOf(new ValueRef(id)) + ": " + Expression(plan, group) + OperandList(plan, group) + Placement(plan, id);
                        foreach (int member in group.Nodes) yield return "    " + Describe(plan, plan.Graph[member]);
                        continue;
                    case StepKind.NoCopy when plan.IsReadFromTable(id):
                        yield return "· " + Describe(plan, node) + " (no copy: its MatMuls read the rows from " + plan.NameOf(node.Inputs[0]) + ")";
                        continue;
                    case StepKind.NoCopy:
                        yield return "· " + Describe(plan, node) + " (no copy)";
                        continue;
                    case StepKind.Constant:
                        yield return "◇ " + Describe(plan, node) + " (filled once)";
                        continue;
                    case StepKind.WithLoss:
                        yield return "· " + Describe(plan, node) + " (computed in t" + plan.LossComputing(id) + "'s pass)";
                        continue;
                    default:
                        yield return "○ " + Describe(plan, node) + Placement(plan, id) + LossNotes(plan, id);
                        continue;
                }
            }
        }

        /// <summary>"t5 logits = MatMul(x [B=128, 64], W [1000, 64]) → [B=128, 1000]".</summary>
        public static string Describe(ProgramPlan plan, IrNode node)
        {
            string name = "t" + node.Id + (node.Name != null ? " " + node.Name : "");
            string inputs = string.Join(", ", node.Inputs.Select(i => plan.NameOf(i) + " " + plan.TypeOf(i).Shape));
            string attrs = string.Join(", ", node.Attributes.Items.Where(a => a.Name != "name" && a.Name != "internal").Select(a => a.ToString()));
            string args = inputs.Length > 0 && attrs.Length > 0 ? inputs + "; " + attrs : inputs + attrs;
            if (node.Kind == OpKind.Input || node.Kind == OpKind.Parameter) args = node.Attributes.String("name");
            return OneLine(name + " = " + node.Kind + "(" + args + ") → " + plan.TypeOf(new ValueRef(node.Id)));
        }

        /// <summary>The group's arithmetic over its operands a..d, e.g. "((a + b) − log(c))".</summary>
        public static string Expression(ProgramPlan plan, FusedGroup group)
        {
            string text = Text(group.Expression);
            return group.Hits.Count > 0 ? text + ", then accidental hits set to −FLT_MAX" : text;
        }

        private static string Text(FusedExpression e)
        {
            if (e.IsOperand) return ((char)('a' + e.Operand)).ToString();
            switch (e.Op)
            {
                case FusedOp.Log: return "log(" + Text(e.Args[0]) + ")";
                case FusedOp.Negate: return "−" + Text(e.Args[0]);
                case FusedOp.Add: return "(" + Text(e.Args[0]) + " + " + Text(e.Args[1]) + ")";
                case FusedOp.Subtract: return "(" + Text(e.Args[0]) + " − " + Text(e.Args[1]) + ")";
                case FusedOp.Multiply: return "(" + Text(e.Args[0]) + " · " + Text(e.Args[1]) + ")";
                default: return "(" + Text(e.Args[0]) + " / " + Text(e.Args[1]) + ")";
            }
        }

        private static string OperandList(ProgramPlan plan, FusedGroup group)
        {
            var parts = new List<string>();
            for (int i = 0; i < group.Operands.Count; i++)
            {
                var o = group.Operands[i];
                parts.Add((char)('a' + i) + " = " + plan.NameOf(o.Value) + " (" + o.Layout.ToString().ToLowerInvariant() + ")");
            }
            return "; " + string.Join(", ", parts);
        }

        /// <summary>Where a step writes when it is not its own block: its columns of a concatenation.</summary>
        private static string Placement(ProgramPlan plan, int node)
        {
            var slot = plan.SlotOf(new ValueRef(node));
            if (slot.Kind != BufferKind.View) return "";
            long width = plan.TypeOf(new ValueRef(node)).Shape[plan.TypeOf(new ValueRef(node)).Shape.Rank - 1];
            return "; written into columns " + slot.Offset + ".." + (slot.Offset + width - 1) + " of t" + slot.AliasOf.Node;
        }

        private static string LossNotes(ProgramPlan plan, int node)
        {
            string notes = plan.SharesLabelRow(node) ? "; labels read as one shared row" : "";
            int sparse = plan.RowGradientTaking(node);
            if (sparse >= 0) notes += "; each row added straight into its id's slot of t" + sparse + (plan.RowGradientChecksIds(node) ? " when the fed ids are distinct" : " (no copy)");
            int gradient = plan.GradientComputedWith(node);
            return gradient >= 0 ? notes + "; a training call computes its logits gradient t" + gradient + " in the same pass" : notes;
        }

        /// <summary>User strings (names) reach comments: keep them on one line so they cannot end the comment.</summary>
        private static string OneLine(string s)
        {
            var chars = s.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                char c = chars[i];
                if (c == '\r' || c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029') chars[i] = ' ';
            }
            return new string(chars);
        }
    }
}
