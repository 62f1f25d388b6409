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
            DiagnosticDescriptors.NameCollision, DiagnosticDescriptors.InvalidAttribute);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            GraphClassAnalysis.Register(context, Analyze);
            context.RegisterCompilationStartAction(start =>
            {
                var attribute = start.Compilation.GetTypeByMetadataName(GraphGenerator.AttributeName);
                if (attribute == null) return;
                start.RegisterSyntaxNodeAction(c => AnalyzeContainer(c, attribute), SyntaxKind.ClassDeclaration, SyntaxKind.StructDeclaration,
                    SyntaxKind.RecordDeclaration, SyntaxKind.RecordStructDeclaration, SyntaxKind.InterfaceDeclaration);
            });
        }

        /// <summary>GS1001 at a type that holds a graph class (at any depth) but is not partial: the generator re-declares
        /// it. Reported from the container's own declaration, where its code fix applies.</summary>
        private static void AnalyzeContainer(SyntaxNodeAnalysisContext c, INamedTypeSymbol attribute)
        {
            var declaration = (TypeDeclarationSyntax)c.Node;
            if (GraphParser.IsPartial(declaration)) return;
            if (c.SemanticModel.GetDeclaredSymbol(declaration, c.CancellationToken) is not INamedTypeSymbol type) return;
            var graph = FirstGraphClassInside(type, attribute);
            if (graph == null) return;
            c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.WithHelp(DiagnosticDescriptors.NotStaticPartial, DiagnosticDescriptors.HelpFolder(c.Options.AnalyzerConfigOptionsProvider)), declaration.Identifier.GetLocation(),
                "'" + type.Name + "' contains the graph class '" + graph.Name + "', so it must be declared 'partial' too (the generator adds to it)"));
        }

        private static INamedTypeSymbol? FirstGraphClassInside(INamedTypeSymbol type, INamedTypeSymbol attribute)
        {
            foreach (var nested in type.GetTypeMembers())
            {
                if (nested.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute))) return nested;
                var deeper = FirstGraphClassInside(nested, attribute);
                if (deeper != null) return deeper;
            }
            return null;
        }

        private static void Analyze(SyntaxNodeAnalysisContext c, ClassDeclarationSyntax declaration, INamedTypeSymbol type)
        {
            // The class's own shape (static partial, partial containers) is checked by the parser with everything else.
            bool first = type.DeclaringSyntaxReferences[0].GetSyntax(c.CancellationToken) == declaration;
            if (!GraphClassAnalysis.DeclaresDefine(declaration) && !(first && type.GetMembers("Define").IsEmpty)) return;
            ParsedGraph parsed;
            try
            {
                parsed = GraphFrontEnd.Parse(type, c.SemanticModel, c.CancellationToken);
            }
            catch (System.Exception e) when (e is not System.OperationCanceledException)
            {
                return;   // the generator's bug: it reports GS0001 for this graph
            }
            foreach (var error in parsed.Errors)
            {
                if (error.IsSilent) continue;
                c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.WithHelp(DiagnosticDescriptors.ForId(error.Id), DiagnosticDescriptors.HelpFolder(c.Options.AnalyzerConfigOptionsProvider)), error.Location, error.Message));
            }
        }
    }
}
