using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphSampling.CodeFixes
{
    /// <summary>GS1001: adds the missing <c>static</c> and <c>partial</c> to the graph class, or <c>partial</c> to a type
    /// around it (a generic graph class, also GS1001, has no automatic fix).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeStaticPartialCodeFix)), Shared]
    public sealed class MakeStaticPartialCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticKeys.NotStaticPartial);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root == null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                var type = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();
                if (type == null || type.Identifier.Span != diagnostic.Location.SourceSpan) continue;
                bool graphClass = type is ClassDeclarationSyntax && type.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString().EndsWith("ComputationGraph", System.StringComparison.Ordinal) || a.Name.ToString().EndsWith("ComputationGraphAttribute", System.StringComparison.Ordinal));
                bool needsStatic = graphClass && !type.Modifiers.Any(SyntaxKind.StaticKeyword);
                bool needsPartial = !type.Modifiers.Any(SyntaxKind.PartialKeyword);
                if (!needsStatic && !needsPartial) continue;
                string title = needsStatic && needsPartial ? "Make '" + type.Identifier.Text + "' static partial"
                    : needsStatic ? "Make '" + type.Identifier.Text + "' static" : "Make '" + type.Identifier.Text + "' partial";
                context.RegisterCodeFix(
                    CodeAction.Create(title, ct => Fix(context.Document, type, needsStatic, needsPartial, ct), equivalenceKey: nameof(MakeStaticPartialCodeFix)),
                    diagnostic);
            }
        }

        private static async Task<Document> Fix(Document document, TypeDeclarationSyntax type, bool addStatic, bool addPartial, CancellationToken ct)
        {
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            if (root == null) return document;
            var modifiers = type.Modifiers;
            // C# wants 'partial' last, right before the keyword; 'static' goes before it.
            if (addStatic)
            {
                int at = modifiers.IndexOf(SyntaxKind.PartialKeyword);
                var token = SyntaxFactory.Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(SyntaxFactory.Space);
                modifiers = at < 0 ? modifiers.Add(token) : modifiers.Insert(at, token);
            }
            if (addPartial) modifiers = modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space));
            TypeDeclarationSyntax updated;
            if (type.Modifiers.Count == 0)
            {
                // The keyword carried the leading trivia (indentation, comments); move it to the first modifier.
                var leading = type.Keyword.LeadingTrivia;
                modifiers = modifiers.Replace(modifiers[0], modifiers[0].WithLeadingTrivia(leading));
                updated = type.WithKeyword(type.Keyword.WithLeadingTrivia()).WithModifiers(modifiers);
            }
            else
            {
                updated = type.WithModifiers(modifiers);
            }
            return document.WithSyntaxRoot(root.ReplaceNode(type, updated));
        }
    }
}
