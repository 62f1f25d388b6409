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
using Microsoft.CodeAnalysis.Operations;

namespace GraphSampling.CodeFixes
{
    /// <summary>
    /// The fixes that set one argument of the op call the diagnostic points into, with the value the shape rule computed
    /// (the diagnostic's FixArgument/FixValue): GS2001 "numTrue disagrees with the labels" sets numTrue to the labels'
    /// width, GS2001 on a MatMul that a flip would fix sets transposeB, and GS3001 (unique sampling of more than the
    /// range) lowers numSampled to the range or, as a second choice, samples with replacement (unique: false). An argument
    /// left at its default is added as a named argument.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SetArgumentCodeFix)), Shared]
    public sealed class SetArgumentCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticKeys.DimensionMismatch, DiagnosticKeys.SamplingRange);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root == null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                var call = CallOf(root, diagnostic.Location.SourceSpan);
                if (call == null) continue;
                if (diagnostic.Properties.TryGetValue(DiagnosticKeys.FixArgument, out var argument) && argument != null
                    && diagnostic.Properties.TryGetValue(DiagnosticKeys.FixValue, out var value) && value != null)
                {
                    string title = diagnostic.Id == DiagnosticKeys.SamplingRange ? "Sample " + value + " (the whole range)" : "Set " + argument + ": " + value;
                    Register(context, diagnostic, call, argument, value, title);
                }
                // Only a sampler call has 'unique' (GS3001 also covers losses and computed ids, where it would do nothing).
                if (diagnostic.Id == DiagnosticKeys.SamplingRange && model != null && HasParameter(model, call, "unique", context.CancellationToken))
                {
                    Register(context, diagnostic, call, "unique", "false", "Sample with replacement (unique: false)");
                }
            }
        }

        /// <summary>The op call a diagnostic is about: the call whose argument it marks (even when that argument is a call
        /// itself), else the innermost call around it.</summary>
        private static InvocationExpressionSyntax? CallOf(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
        {
            var node = root.FindNode(span, getInnermostNodeForTie: true);
            var argument = node.AncestorsAndSelf().OfType<ArgumentSyntax>().FirstOrDefault(a => a.Span == span);
            if (argument?.Parent?.Parent is InvocationExpressionSyntax owner) return owner;
            return node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        }

        private static void Register(CodeFixContext context, Diagnostic diagnostic, InvocationExpressionSyntax call, string parameter, string value, string title) =>
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => SetArgument(context.Document, call, parameter, value, ct), equivalenceKey: nameof(SetArgumentCodeFix) + "." + parameter),
                diagnostic);

        /// <summary>Sets <paramref name="parameter"/> of the call to <paramref name="value"/>: rewrites the argument bound to
        /// it (positional or named), or appends <c>parameter: value</c> when the call leaves it at its default. The document
        /// is unchanged when the method has no such parameter.</summary>
        internal static async Task<Document> SetArgument(Document document, InvocationExpressionSyntax call, string parameter, string value, CancellationToken ct)
        {
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root == null || model == null) return document;
            var expression = SyntaxFactory.ParseExpression(value);
            if (model.GetOperation(call, ct) is IInvocationOperation invocation)
            {
                var bound = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameter);
                if (bound == null) return document;
                if (bound.ArgumentKind != ArgumentKind.DefaultValue && bound.Syntax is ArgumentSyntax written)
                {
                    return document.WithSyntaxRoot(root.ReplaceNode(written.Expression, expression.WithTriviaFrom(written.Expression)));
                }
            }
            else if (!HasParameter(model, call, parameter, ct))
            {
                return document;
            }
            var added = SyntaxFactory.Argument(SyntaxFactory.NameColon(parameter), default, expression);
            return document.WithSyntaxRoot(root.ReplaceNode(call, call.WithArgumentList(call.ArgumentList.AddArguments(added))));
        }

        private static bool HasParameter(SemanticModel model, InvocationExpressionSyntax call, string parameter, CancellationToken ct)
        {
            var info = model.GetSymbolInfo(call, ct);
            var methods = info.Symbol != null ? new[] { info.Symbol } : info.CandidateSymbols.ToArray();
            return methods.OfType<IMethodSymbol>().Any(m => m.Parameters.Any(p => p.Name == parameter));
        }
    }
}
