using System.Linq;
using GraphSampling.Generators.FrontEnd;
using GraphSampling.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace GraphSampling.Generators.Tests
{
    /// <summary>The front end the generator and both analyzers share: one parse per graph and compilation.</summary>
    public sealed class FrontEndTests
    {
        private static (Compilation Compilation, INamedTypeSymbol Type, SyntaxTree Tree) Graph()
        {
            var compilation = GeneratorHarness.CreateCompilation(GeneratorSnapshotTests.BagOfWords);
            var tree = compilation.SyntaxTrees.Single();
            var declaration = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single();
            var type = (INamedTypeSymbol)compilation.GetSemanticModel(tree).GetDeclaredSymbol(declaration)!;
            return (compilation, type, tree);
        }

        [Fact]
        public void A_graph_is_parsed_once_per_compilation_however_many_semantic_models_ask()
        {
            var (compilation, type, tree) = Graph();
            var first = GraphFrontEnd.Parse(type, compilation.GetSemanticModel(tree), TestContext.Current.CancellationToken);
            var second = GraphFrontEnd.Parse(type, compilation.GetSemanticModel(tree), TestContext.Current.CancellationToken);
            Assert.Same(first, second);
            Assert.Equal(1, GraphFrontEnd.CachedFor(compilation)!.Reused);
            Assert.Single(GraphFrontEnd.CachedFor(compilation)!.Graphs);

            // Another compilation (even an equal clone) parses again: the cache never outlives its compilation.
            var clone = compilation.Clone();
            var third = GraphFrontEnd.Parse(type, clone.GetSemanticModel(clone.SyntaxTrees.Single()), TestContext.Current.CancellationToken);
            Assert.NotSame(first, third);
            Assert.Equal(first.Spec, third.Spec);
        }

        [Fact]
        public void Lower_turns_the_spec_into_one_node_per_call()
        {
            var (compilation, type, tree) = Graph();
            var parsed = GraphFrontEnd.Parse(type, compilation.GetSemanticModel(tree), TestContext.Current.CancellationToken);
            var lowered = GraphFrontEnd.Lower(parsed.Spec);
            Assert.Equal(10, lowered.Nodes.Count);   // five leaves, lookup, sum, matmul, bias, loss
            Assert.Equal("SparseSoftmaxCrossEntropyWithLogits", lowered[lowered.Output.Node].Kind.ToString());
        }
    }
}
