using GraphSampling.Generators.Models;
using GraphSampling.Ir;

namespace GraphSampling.Generators.Emit
{
    /// <summary>Writes {Graph}.Graph.g.cs: the runtime recorder entry, so tests and tools can get the graph's IR (for the
    /// reference interpreter) without reflection.</summary>
    internal static class GraphEmitter
    {
        public static string Emit(GraphHeader spec, IrGraph declared, string version)
        {
            var w = new IndentedTextWriter();
            GeneratedFile.Write(w, spec, version, new string[0], new string[0], () =>
            {
                w.Line("/// <summary>Runs Define with a recording GraphBuilder and returns the graph's IR (for the reference interpreter and tools).</summary>");
                w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"GraphSampling.Generators\", \"" + version + "\")]");
                if (declared.ExtraOutputs.Count == 0)
                {
                    w.Line("internal static global::GraphSampling.Ir.IrGraph RecordGraph() => global::GraphSampling.GraphBuilder.Record(Define);");
                }
                else
                {
                    // A tuple of outputs: the recorder gets them boxed, with Define's element names.
                    string names = string.Join(", ", System.Linq.Enumerable.Select(declared.AllOutputs, o => CSharpNames.StringLiteral(o.Name)));
                    w.Line("internal static global::GraphSampling.Ir.IrGraph RecordGraph() => global::GraphSampling.GraphBuilder.Record(g => Define(g), " + names + ");");
                }
            });
            return w.ToString();
        }
    }
}
