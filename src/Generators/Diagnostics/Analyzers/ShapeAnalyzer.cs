using System.Collections.Immutable;
using System.Linq;
using GraphSampling.Generators.Emit;
using GraphSampling.Ir;
using GraphSampling.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GraphSampling.Generators.Diagnostics.Analyzers
{
    /// <summary>
    /// Shape, dtype, attribute and backend rules (GS2xxx, GS3xxx, GS4xxx): lowers a well-formed Define with the same code
    /// as the generator, runs the shared shape inference, and reports each error at the argument it names.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ShapeAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.DimensionMismatch, DiagnosticDescriptors.RankMismatch, DiagnosticDescriptors.DTypeMismatch,
            DiagnosticDescriptors.InvalidAttribute, DiagnosticDescriptors.BatchDimension, DiagnosticDescriptors.NotAParameter,
            DiagnosticDescriptors.SamplingRange, DiagnosticDescriptors.UnsupportedOnCpu);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            GraphClassAnalysis.Register(context, Analyze);
        }

        private static void Analyze(SyntaxNodeAnalysisContext c, ClassDeclarationSyntax declaration, INamedTypeSymbol type)
        {
            if (!GraphClassAnalysis.DeclaresDefine(declaration)) return;
            var parsed = GraphGenerator.Parse(type, c.SemanticModel, c.CancellationToken);
            if (parsed.Errors.Count > 0) return;   // GraphDeclarationAnalyzer reports those
            IrGraph graph;
            try
            {
                graph = GraphGenerator.Lower(parsed.Spec);
            }
            catch (GraphDeclarationException e)
            {
                c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidAttribute, declaration.Identifier.GetLocation(), e.Message));
                return;
            }
            var typed = ShapeInference.Infer(graph);
            foreach (var error in typed.Errors)
            {
                c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ForId(error.Id), LocationOf(parsed, error.Node, error.Argument), error.Message));
            }
            if (!typed.Succeeded) return;
            var unsupported = CpuEmitter.FirstUnsupported(graph);
            if (unsupported != null)
            {
                c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsupportedOnCpu, parsed.OpLocations[unsupported.Id],
                    unsupported.Kind + " is declared but the CPU backend does not generate it yet, so no CpuProgram is emitted for '" + type.Name + "'"));
            }
        }

        /// <summary>The argument's syntax when the op has it, else the whole call (defaults, operators), else the return.</summary>
        private static Location LocationOf(ParsedGraph parsed, int node, string argument)
        {
            if (node >= parsed.OpLocations.Count) return parsed.ReturnLocation ?? Location.None;
            if (argument == "return") return parsed.ReturnLocation ?? parsed.OpLocations[node];
            return parsed.ArgumentLocations[node].TryGetValue(argument, out var location) ? location : parsed.OpLocations[node];
        }
    }
}
