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
    /// <summary>
    /// GS1004 (a shape or attribute that is not a compile-time constant): when the argument names a local or a static
    /// field whose initialiser is itself constant (<c>var k = 5;</c>, <c>static int Classes = 1000;</c>), declares it
    /// <c>const</c> instead, which is all the generator needs. Other expressions (a value known only at run time) get no
    /// fix: there is no constant to introduce.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(IntroduceConstCodeFix)), Shared]
    public sealed class IntroduceConstCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticKeys.NonConstantArgument);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root == null || model == null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                var expression = node is ArgumentSyntax argument ? argument.Expression : node as ExpressionSyntax;
                if (expression == null) continue;
                var symbol = model.GetSymbolInfo(expression, context.CancellationToken).Symbol;
                var declarator = symbol?.DeclaringSyntaxReferences.Select(r => r.GetSyntax(context.CancellationToken)).OfType<VariableDeclaratorSyntax>().FirstOrDefault();
                if (declarator?.Initializer == null || declarator.SyntaxTree != root.SyntaxTree) continue;
                if (!model.GetConstantValue(declarator.Initializer.Value, context.CancellationToken).HasValue) continue;
                if (declarator.Parent is not VariableDeclarationSyntax declaration || declaration.Variables.Count != 1) continue;
                var type = symbol is ILocalSymbol local ? local.Type : (symbol as IFieldSymbol)?.Type;
                if (type == null || !IsConstType(type)) continue;
                if (symbol is IFieldSymbol field && (!field.IsStatic || field.DeclaredAccessibility != Accessibility.Private && field.DeclaredAccessibility != Accessibility.Internal)) continue;
                // A const cannot be written: a value assigned anywhere after its declaration is not a constant to introduce.
                var scope = symbol is ILocalSymbol ? declarator.FirstAncestorOrSelf<MemberDeclarationSyntax>() : root;
                if (scope == null || IsWritten(scope, symbol!, model, context.CancellationToken)) continue;
                context.RegisterCodeFix(
                    CodeAction.Create("Declare '" + symbol!.Name + "' const", ct => MakeConst(context.Document, declaration, type, ct), equivalenceKey: nameof(IntroduceConstCodeFix)),
                    diagnostic);
            }
        }

        private static bool IsWritten(SyntaxNode scope, ISymbol symbol, SemanticModel model, CancellationToken ct)
        {
            foreach (var name in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (name.Identifier.Text != symbol.Name) continue;
                bool written = name.Parent switch
                {
                    AssignmentExpressionSyntax a => a.Left == name,
                    PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => name.Parent.IsKind(SyntaxKind.PreIncrementExpression) || name.Parent.IsKind(SyntaxKind.PreDecrementExpression)
                        || name.Parent.IsKind(SyntaxKind.PostIncrementExpression) || name.Parent.IsKind(SyntaxKind.PostDecrementExpression),
                    ArgumentSyntax arg => !arg.RefKindKeyword.IsKind(SyntaxKind.None),
                    _ => false,
                };
                if (written && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, ct).Symbol, symbol)) return true;
            }
            return false;
        }

        private static bool IsConstType(ITypeSymbol type) => type.SpecialType switch
        {
            SpecialType.System_Boolean or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Single
                or SpecialType.System_Double or SpecialType.System_String => true,
            _ => false,
        };

        private static async Task<Document> MakeConst(Document document, VariableDeclarationSyntax declaration, ITypeSymbol type, CancellationToken ct)
        {
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            if (root == null) return document;
            // 'var' cannot be const: spell the type. The keyword form (int, long, ...) reads as the user would write it.
            var typeSyntax = SyntaxFactory.ParseTypeName(type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)).WithTriviaFrom(declaration.Type);
            var newDeclaration = declaration.WithType(typeSyntax);
            SyntaxNode oldNode, newNode;
            switch (declaration.Parent)
            {
                case LocalDeclarationStatementSyntax statement:
                    oldNode = statement;
                    var leading = statement.GetLeadingTrivia();
                    newNode = statement.WithDeclaration(newDeclaration.WithType(typeSyntax.WithLeadingTrivia()))
                        .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.ConstKeyword).WithTrailingTrivia(SyntaxFactory.Space)))
                        .WithLeadingTrivia(leading);
                    break;
                case FieldDeclarationSyntax field:
                    oldNode = field;
                    // const implies static; readonly is not allowed with it.
                    var kept = field.Modifiers.Where(m => !m.IsKind(SyntaxKind.StaticKeyword) && !m.IsKind(SyntaxKind.ReadOnlyKeyword)).ToList();
                    var constToken = SyntaxFactory.Token(SyntaxKind.ConstKeyword).WithTrailingTrivia(SyntaxFactory.Space);
                    var modifiers = SyntaxFactory.TokenList(kept).Add(constToken);
                    var fieldLeading = field.GetLeadingTrivia();
                    newNode = field.WithModifiers(modifiers).WithDeclaration(newDeclaration.WithType(typeSyntax.WithLeadingTrivia())).WithLeadingTrivia(fieldLeading);
                    break;
                default:
                    return document;
            }
            return document.WithSyntaxRoot(root.ReplaceNode(oldNode, newNode));
        }
    }
}
