using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using GraphSampling.Generators.Models;
using GraphSampling.Ir;
using Microsoft.CodeAnalysis;

namespace GraphSampling.Generators.FrontEnd
{
    /// <summary>
    /// Parse and Lower, shared by the generator and the analyzers. A graph is parsed once per compilation: the results are
    /// cached by (compilation, class symbol, syntax tree), which is safe because within one compilation the same tree and
    /// symbol always parse to the same spec (a cache keyed by syntax alone is not: a constant in another file can change
    /// the result for the same tree).
    /// </summary>
    internal static class GraphFrontEnd
    {
        private static readonly ConditionalWeakTable<Compilation, Parses> Cache = new ConditionalWeakTable<Compilation, Parses>();

        /// <summary>The parses of one compilation, and how often one was reused (the tests check both analyzers share).</summary>
        internal sealed class Parses
        {
            public readonly ConcurrentDictionary<Key, ParsedGraph> Graphs = new ConcurrentDictionary<Key, ParsedGraph>(KeyComparer.Instance);
            public int Reused;
        }

        /// <summary>Stage 1 for one declaration of a [ComputationGraph] class (the one in <paramref name="model"/>'s tree).</summary>
        public static ParsedGraph Parse(INamedTypeSymbol type, SemanticModel model, CancellationToken ct)
        {
            var parses = Cache.GetValue(model.Compilation, _ => new Parses());
            var key = new Key(type, model.SyntaxTree);
            if (parses.Graphs.TryGetValue(key, out var parsed))
            {
                Interlocked.Increment(ref parses.Reused);
                return parsed;
            }
            parsed = GraphParser.Parse(type, model, ct);
            return parses.Graphs.GetOrAdd(key, parsed);
        }

        /// <summary>
        /// The generator's Parse step for one attributed declaration. A class with [ComputationGraph] on several partial
        /// parts is parsed once, for the first attributed part (null for the others), so its files are added once. An
        /// exception is the generator's bug: it becomes a spec carrying the failure, which GS0001 reports (an exception
        /// escaping here would be CS8785, and the user would see nothing useful).
        /// </summary>
        public static GraphDeclarationSpec? ParseForGenerator(SyntaxNode declaration, INamedTypeSymbol type, SemanticModel model, CancellationToken ct)
        {
            try
            {
                if (!IsFirstAttributedPart(declaration, type, ct)) return null;
                return Parse(type, model, ct).Spec;
            }
            catch (System.OperationCanceledException)
            {
                throw;
            }
            catch (System.Exception e)
            {
                return new GraphDeclarationSpec(null, EquatableArray<TypeDeclarationSpec>.Empty, GraphParser.HintNameOf(type),
                    EquatableArray<OpSpec>.Empty, -1, 0, HasErrors: true, Failure: e.GetType().Name + ": " + e.Message);
            }
        }

        private static bool IsFirstAttributedPart(SyntaxNode declaration, INamedTypeSymbol type, CancellationToken ct)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(ct);
                if (syntax is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax t && t.AttributeLists.Count > 0 && HasGraphAttribute(t, type))
                {
                    return syntax == declaration;
                }
            }
            return true;
        }

        /// <summary>Whether this part of <paramref name="type"/> carries [ComputationGraph] (by its attribute's syntax).</summary>
        private static bool HasGraphAttribute(Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax part, INamedTypeSymbol type)
        {
            foreach (var attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != GraphGenerator.AttributeName) continue;
                var syntax = attribute.ApplicationSyntaxReference;
                if (syntax != null && syntax.SyntaxTree == part.SyntaxTree && part.Span.Contains(syntax.Span)) return true;
            }
            return false;
        }

        /// <summary>What the cache holds for a compilation (for tests).</summary>
        internal static Parses? CachedFor(Compilation compilation) => Cache.TryGetValue(compilation, out var p) ? p : null;

        /// <summary>Stage 2: spec to IR, through the same lowering the runtime recorder uses.</summary>
        public static IrGraph Lower(GraphDeclarationSpec spec)
        {
            var builder = new IrGraphBuilder();
            foreach (var op in spec.Ops)
            {
                var call = new OpCall(op.Kind, op.ResultName);
                foreach (var arg in op.Args) call.With(arg.Name, arg.Value);
                OpLowering.Lower(builder, call);
            }
            var outputs = new List<NamedOutput> { new NamedOutput(spec.OutputName, new ValueRef(spec.OutputOp, spec.OutputIndex)) };
            foreach (var extra in spec.ExtraOutputs) outputs.Add(new NamedOutput(extra.Name, new ValueRef(extra.Op, extra.Index)));
            return builder.Build(outputs);
        }

        internal readonly struct Key
        {
            public Key(INamedTypeSymbol type, SyntaxTree tree)
            {
                Type = type;
                Tree = tree;
            }

            public INamedTypeSymbol Type { get; }
            public SyntaxTree Tree { get; }
        }

        private sealed class KeyComparer : IEqualityComparer<Key>
        {
            public static readonly KeyComparer Instance = new KeyComparer();

            public bool Equals(Key x, Key y) => ReferenceEquals(x.Tree, y.Tree) && SymbolEqualityComparer.Default.Equals(x.Type, y.Type);

            public int GetHashCode(Key k) => SymbolEqualityComparer.Default.GetHashCode(k.Type) * 31 + RuntimeHelpers.GetHashCode(k.Tree);
        }
    }
}
