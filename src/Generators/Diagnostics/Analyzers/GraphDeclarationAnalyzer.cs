using GraphSampling.Generators.FrontEnd;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GraphSampling.Generators.Diagnostics.Analyzers
{
    /// <summary>Declaration rules (GS1xxx): the class shape, the Define method, and what Define may contain.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class GraphDeclarationAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.NotStaticPartial, DiagnosticDescriptors.MissingDefine, DiagnosticDescriptors.UnsupportedStatement,
            DiagnosticDescriptors.NonConstantArgument, DiagnosticDescriptors.NotAnOp, DiagnosticDescriptors.DTypeMismatch,
            DiagnosticDescriptors.NameCollision);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            GraphClassAnalysis.Register(context, Analyze);
        }

        private static void Analyze(SyntaxNodeAnalysisContext c, ClassDeclarationSyntax declaration, INamedTypeSymbol type)
        {
            // The class's own shape (static partial, partial containers) is checked by the parser with everything else.
            bool first = type.DeclaringSyntaxReferences[0].GetSyntax(c.CancellationToken) == declaration;
            if (!GraphClassAnalysis.DeclaresDefine(declaration) && !(first && type.GetMembers("Define").IsEmpty)) return;
            var parsed = GraphFrontEnd.Parse(type, c.SemanticModel, c.CancellationToken);
            foreach (var error in parsed.Errors)
            {
                if (error.IsSilent) continue;
                c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ForId(error.Id), error.Location, error.Message));
            }
        }
    }
}
