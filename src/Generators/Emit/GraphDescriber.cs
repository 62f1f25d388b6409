using System.Collections.Generic;
using System.Linq;
using GraphSampling.Ir;
using GraphSampling.Planning;

namespace GraphSampling.Generators.Emit
{
    /// <summary>Human-readable descriptions of the schedule: the remarks block on the graph class and the one-line
    /// comment above each step.</summary>
    internal static class GraphDescriber
    {
        public static IEnumerable<string> Describe(ProgramPlan plan)
        {
            yield return "<remarks>";
            yield return "<para>CPU schedule (GraphSampling), batch up to " + plan.MaxBatch + ":</para>";
            yield return "<code>";
            for (int id = 0; id < plan.Graph.Nodes.Count; id++)
            {
                if (id == plan.ForwardCount) yield return "backward:";
                var node = plan.Graph[id];
                if (node.Kind == OpKind.Input || node.Kind == OpKind.Parameter) continue;
                yield return "○ " + Escape(Describe(plan, node));
            }
            yield return "</code>";
            yield return "<para>Workspace: " + plan.FloatWorkspace + " floats, " + plan.LongWorkspace + " longs, allocated once per program (values share"
                + " space when their lifetimes do not overlap; " + plan.UnsharedFloatWorkspace + " floats and " + plan.UnsharedLongWorkspace + " longs without reuse).</para>";
            yield return "</remarks>";
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

        /// <summary>User strings (file names) reach comments: keep them on one line so they cannot end the comment.</summary>
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

        private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
