using System.Collections.Generic;
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
            foreach (string line in Schedule.Lines(plan)) yield return Escape(line);
            yield return "</code>";
            if (plan.Graph.ExtraOutputs.Count > 0)
            {
                yield return "<para>Outputs: " + Escape(string.Join(", ", System.Linq.Enumerable.Select(plan.Graph.AllOutputs, o => o.Name + " = " + o.Value + " " + plan.TypeOf(o.Value))))
                    + " (ForwardBackward differentiates " + plan.Graph.OutputName + ").</para>";
            }
            yield return "<para>Workspace: " + plan.FloatWorkspace + " floats, " + plan.LongWorkspace + " longs, allocated once per program (values share"
                + " space when their lifetimes do not overlap; " + plan.UnsharedFloatWorkspace + " floats and " + plan.UnsharedLongWorkspace + " longs without reuse).</para>";
            yield return "</remarks>";
        }

        /// <summary>"t5 logits = MatMul(x [B=128, 64], W [1000, 64]) → [B=128, 1000]" (one line, whatever the names).</summary>
        public static string Describe(ProgramPlan plan, IrNode node) => Schedule.Describe(plan, node);

        private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
