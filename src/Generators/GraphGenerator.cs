using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using GraphSampling.Generators.Diagnostics;

namespace GraphSampling.Generators
{
    /// <summary>
    /// Turns each [ComputationGraph] class into generated programs. Stage 1 (Parse) extracts an equatable spec from the
    /// Define method; stage 2 (Emit) lowers it to IR, infers shapes, differentiates, plans and writes the source, all in
    /// Roslyn-free code shared with the analyzers and the runtime. Users see errors from the analyzers, which run the
    /// same front end with source locations; a graph with errors generates nothing.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class GraphGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var specs = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    AttributeName,
                    static (node, _) => node is ClassDeclarationSyntax,
                    static (ctx, ct) => Parse((INamedTypeSymbol)ctx.TargetSymbol, ctx.SemanticModel, ct).Spec)
                .WithTrackingName(TrackingNames.Parse);

            // Only the one fact the emitter needs from the compilation, so edits elsewhere do not re-run emission.
            var allowUnsafe = context.CompilationProvider
                .Select(static (c, _) => c.Options is Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions o && o.AllowUnsafe);

            var outputs = specs
                .Combine(allowUnsafe)
                .Select(static (pair, ct) => Build(pair.Left, pair.Right, ct))
                .WithTrackingName(TrackingNames.Emit);

            context.RegisterSourceOutput(outputs, static (spc, output) =>
            {
                if (output.Failure != null)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratorFailed, Location.None, output.HintName, output.Failure));
                    return;
                }
                if (output.GraphSource != null) spc.AddSource(output.HintName + ".Graph.g.cs", SourceText.From(output.GraphSource, System.Text.Encoding.UTF8));
                if (output.CpuSource != null) spc.AddSource(output.HintName + ".Cpu.g.cs", SourceText.From(output.CpuSource, System.Text.Encoding.UTF8));
            });
        }

        internal static string Version
        {
            get
            {
                var v = typeof(GraphGenerator).Assembly.GetName().Version ?? new Version(0, 0, 0);
                return v.Major + "." + v.Minor + "." + v.Build;
            }
        }
    }
}
