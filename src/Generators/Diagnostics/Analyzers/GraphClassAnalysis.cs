using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GraphSampling.Generators.Diagnostics.Analyzers
{
    /// <summary>The set-up every GraphSampling analyzer shares: resolve the attribute once per compilation and call back
    /// for each declaration of a [ComputationGraph] class. (Each analyzer still configures generated-code analysis and
    /// concurrency in its own Initialize, where RS1025/RS1026 look for them.)</summary>
    internal static class GraphClassAnalysis
    {
        public static void Register(AnalysisContext context, Action<SyntaxNodeAnalysisContext, ClassDeclarationSyntax, INamedTypeSymbol> analyze)
        {
            context.RegisterCompilationStartAction(start =>
            {
                var attribute = start.Compilation.GetTypeByMetadataName(GraphGenerator.AttributeName);
                if (attribute == null) return;
                start.RegisterSyntaxNodeAction(c =>
                {
                    var declaration = (ClassDeclarationSyntax)c.Node;
                    if (c.SemanticModel.GetDeclaredSymbol(declaration, c.CancellationToken) is not INamedTypeSymbol type) return;
                    if (!type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute))) return;
                    analyze(c, declaration, type);
                }, SyntaxKind.ClassDeclaration);
            });
        }

        /// <summary>Whether this declaration (of possibly several partial ones) holds the Define method.</summary>
        public static bool DeclaresDefine(ClassDeclarationSyntax declaration) =>
            declaration.Members.OfType<MethodDeclarationSyntax>().Any(m => m.Identifier.Text == "Define");
    }
}
