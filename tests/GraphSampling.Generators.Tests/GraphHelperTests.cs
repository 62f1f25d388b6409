using System;
using System.Linq;
using GraphSampling.Generators.FrontEnd;
using GraphSampling.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace GraphSampling.Generators.Tests
{
    /// <summary>
    /// Graph helpers: a static method that takes the GraphBuilder (in the graph class, or in a static class of the same
    /// compilation, also as an extension method, also in another file) is read in place of its call, so a helper written
    /// once builds the same IR as the ops written out; messages about code inside a helper point into it and name the
    /// call. (Numerics: GeneratedVsReferenceTests.A_graph_written_with_helpers_MatchesReference.)
    /// </summary>
    public sealed class GraphHelperTests
    {
        private const string WithHelpers = """
            using GraphSampling;

            [ComputationGraph]
            public static partial class G
            {
                const int Batch = 8;

                static Tensor<float> Dense(GraphBuilder g, Tensor<float> x, string name, int inputs, int units)
                {
                    var w = g.Parameter(name, inputs, units);
                    return g.MatMul(x, w);
                }

                static Tensor<float> Define(GraphBuilder g)
                {
                    var x = g.Input<float>("x", Batch, 4);
                    var h1 = Dense(g, x, "w1", 4, 6);
                    var h2 = g.Scaled(Dense(g, h1, "w2", 6, 3));
                    return g.ReduceSum(h2, axis: 1);
                }
            }

            public static class Helpers
            {
                public static Tensor<float> Scaled(this GraphBuilder g, Tensor<float> t) => t * t;
            }
            """;

        private const string WrittenOut = """
            using GraphSampling;

            [ComputationGraph]
            public static partial class G
            {
                const int Batch = 8;

                static Tensor<float> Define(GraphBuilder g)
                {
                    var x = g.Input<float>("x", Batch, 4);
                    var w1 = g.Parameter("w1", 4, 6);
                    var h1 = g.MatMul(x, w1);
                    var w2 = g.Parameter("w2", 6, 3);
                    var h = g.MatMul(h1, w2);
                    var h2 = h * h;
                    return g.ReduceSum(h2, axis: 1);
                }
            }
            """;

        /// <summary>The lowered IR of graph G (as object: the IR types exist in two referenced assemblies), with its node
        /// names and kinds.</summary>
        private static (object Graph, string[] Names, string[] Kinds) Lowered(params string[] sources)
        {
            var compilation = GeneratorHarness.CreateCompilation(sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, GeneratorHarness.ParseOptions, "File" + i + ".cs", cancellationToken: TestContext.Current.CancellationToken)).ToArray());
            GeneratorHarness.AssertNoErrors(compilation, "the test source");
            foreach (var tree in compilation.SyntaxTrees)
            {
                var model = compilation.GetSemanticModel(tree);
                foreach (var declaration in tree.GetRoot(TestContext.Current.CancellationToken).DescendantNodes().OfType<ClassDeclarationSyntax>())
                {
                    if (model.GetDeclaredSymbol(declaration, TestContext.Current.CancellationToken) is not INamedTypeSymbol type || type.Name != "G") continue;
                    if (!declaration.Members.OfType<MethodDeclarationSyntax>().Any(m => m.Identifier.Text == "Define")) continue;
                    var parsed = GraphFrontEnd.Parse(type, model, TestContext.Current.CancellationToken);
                    Assert.Empty(parsed.Errors);
                    var graph = GraphFrontEnd.Lower(parsed.Spec);
                    return (graph, graph.Nodes.Select(n => n.Name ?? "").ToArray(), graph.Nodes.Select(n => n.Kind.ToString()).ToArray());
                }
            }
            throw new InvalidOperationException("no graph G");
        }

        [Fact]
        public void A_helper_builds_the_same_graph_as_its_ops_written_out()
        {
            var helpers = Lowered(WithHelpers);
            Assert.Equal(Lowered(WrittenOut).Graph, helpers.Graph);   // IR equality: kinds, inputs, attributes (not names)
            // The helper's locals are named after the call they serve (readable generated code, distinct per call).
            Assert.Contains("h1_w", helpers.Names);
            var run = GeneratorHarness.Run(WithHelpers);   // and the program compiles
            string cpu = run.Files.Single(f => f.HintName == "G.Cpu.g.cs").Text;
            Assert.Contains(" W1 { get; }", cpu);
            Assert.Contains(" W2 { get; }", cpu);
        }

        [Fact]
        public void Calls_without_a_variable_name_their_nodes_apart_and_generic_helpers_bind()
        {
            // Two calls of a helper that names a sampler, neither assigned to a variable: distinct names, no GS1006.
            var run = GeneratorHarness.Run("""
                using GraphSampling;

                [ComputationGraph]
                public static partial class G
                {
                    static Tensor<float> _Negatives(GraphBuilder g, Tensor<long> labels, long seed)
                    {
                        var s = g.UniformCandidateSampler(labels, numTrue: 1, numSampled: 5, unique: true, rangeMax: 100, seed: seed);
                        return g.ReduceSum(s.TrueExpectedCount, axis: 1);
                    }

                    static Tensor<T> Same<T>(GraphBuilder g, Tensor<T> t) where T : unmanaged => t;

                    static Tensor<float> Define(GraphBuilder g)
                    {
                        var labels = g.Labels("labels", 8);
                        var x = Same(g, g.Input<float>("x", 8, 4));
                        return g.ReduceSum(x, axis: 1) + _Negatives(g, labels, 1) + _Negatives(g, labels, 2);
                    }
                }
                """);
            string cpu = run.Files.Single(f => f.HintName == "G.Cpu.g.cs").Text;
            Assert.Contains(" Negatives1_sSampler { get; }", cpu);
            Assert.Contains(" Negatives2_sSampler { get; }", cpu);
        }

        [Fact]
        public void A_constant_beyond_long_is_GS2004_not_an_analyzer_crash()
        {
            string markup = """
                using GraphSampling;

                [ComputationGraph]
                public static partial class G
                {
                    static Tensor<float> Seeded(GraphBuilder g, Tensor<long> labels, ulong seed) =>
                        g.ReduceSum(g.UniformCandidateSampler(labels, numTrue: 1, numSampled: 5, unique: true, rangeMax: 100, seed: (long)seed).TrueExpectedCount, axis: 1);

                    static Tensor<float> Define(GraphBuilder g) => Seeded(g, g.Labels("labels", 8), {|GS2004:ulong.MaxValue|});
                }
                """;
            AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken);   // asserts no analyzer threw
            var run = GeneratorHarness.Run(AnalyzerHarness.ParseMarkup(markup).Source, expectDiagnostics: true);
            Assert.Empty(run.Diagnostics);
        }

        [Fact]
        public void A_helper_in_another_file_is_read_too()
        {
            string graph = """
                using GraphSampling;

                [ComputationGraph]
                public static partial class G
                {
                    static Tensor<float> Define(GraphBuilder g) => g.ReduceSum(Layers.Square(g, g.Input<float>("x", 8, 4)), axis: 1);
                }
                """;
            string helpers = """
                using GraphSampling;

                public static class Layers
                {
                    public static Tensor<float> Square(GraphBuilder g, Tensor<float> t) => t * t;
                }
                """;
            var lowered = Lowered(graph, helpers);
            Assert.Contains("Multiply", lowered.Kinds);
            var compilation = GeneratorHarness.CreateCompilation(new[] { CSharpSyntaxTree.ParseText(graph, GeneratorHarness.ParseOptions, "Graph.cs", cancellationToken: TestContext.Current.CancellationToken), CSharpSyntaxTree.ParseText(helpers, GeneratorHarness.ParseOptions, "Layers.cs", cancellationToken: TestContext.Current.CancellationToken) });
            GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics, TestContext.Current.CancellationToken);
            Assert.Empty(diagnostics);
            GeneratorHarness.AssertNoErrors(output, "the output compilation");
            Assert.Contains(output.SyntaxTrees, t => t.FilePath.EndsWith("G.Cpu.g.cs", StringComparison.Ordinal));
        }

        [Fact]
        public void Editing_a_helper_in_another_file_regenerates_the_graph_that_calls_it()
        {
            string graph = """
                using GraphSampling;

                [ComputationGraph]
                public static partial class G
                {
                    static Tensor<float> Define(GraphBuilder g) => g.ReduceSum(Layers.Combine(g, g.Input<float>("x", 8, 4)), axis: 1);
                }
                """;
            string Helpers(string op) => "using GraphSampling;\npublic static class Layers\n{\n    public static Tensor<float> Combine(GraphBuilder g, Tensor<float> t) => t " + op + " t;\n}\n";
            var ct = TestContext.Current.CancellationToken;
            var helperTree = CSharpSyntaxTree.ParseText(Helpers("*"), GeneratorHarness.ParseOptions, "Layers.cs", cancellationToken: ct);
            var compilation = GeneratorHarness.CreateCompilation(new[] { CSharpSyntaxTree.ParseText(graph, GeneratorHarness.ParseOptions, "Graph.cs", cancellationToken: ct), helperTree });
            var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, ct);
            string Cpu(GeneratorDriver d) => d.GetRunResult().Results.SelectMany(r => r.GeneratedSources).Single(f => f.HintName == "G.Cpu.g.cs").SourceText.ToString();
            Assert.Contains("Multiply(", Cpu(driver));
            var edited = compilation.ReplaceSyntaxTree(helperTree, CSharpSyntaxTree.ParseText(Helpers("+"), GeneratorHarness.ParseOptions, "Layers.cs", cancellationToken: ct));
            driver = driver.RunGenerators(edited, ct);
            Assert.Contains("Add(", Cpu(driver));
            Assert.DoesNotContain("Multiply(", Cpu(driver));
        }

        [Fact]
        public void A_shape_error_inside_a_helper_points_into_it_and_names_the_call()
        {
            string markup = """
                using GraphSampling;

                [ComputationGraph]
                public static partial class G
                {
                    static Tensor<float> Dense(GraphBuilder g, Tensor<float> x, string name, int inputs, int units)
                    {
                        var w = g.Parameter(name, inputs, units);
                        return g.MatMul(x, {|GS2001:w|});
                    }

                    static Tensor<float> Define(GraphBuilder g)
                    {
                        var x = g.Input<float>("x", 8, 4);
                        var h1 = Dense(g, x, "w1", 4, 6);
                        var h2 = Dense(g, h1, "w2", 5, 3);
                        return g.ReduceSum(h2, axis: 1);
                    }
                }
                """;
            var d = Assert.Single(AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken));
            Assert.Contains("(in the helper 'Dense', called at Graph.cs line 16)", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }

        [Fact]
        public void A_helper_follows_Defines_rules_and_a_recursive_one_is_refused()
        {
            string statement = """
                using GraphSampling;

                [ComputationGraph]
                public static partial class G
                {
                    static Tensor<float> Twice(GraphBuilder g, Tensor<float> t)
                    {
                        {|GS1005:System.Console.WriteLine("building")|};
                        return t + t;
                    }

                    static Tensor<float> Define(GraphBuilder g) => g.ReduceSum(Twice(g, g.Input<float>("x", 8, 4)), axis: 1);
                }
                """;
            var d = Assert.Single(AnalyzerHarness.Verify(statement, TestContext.Current.CancellationToken));
            Assert.Contains("(in the helper 'Twice', called at Graph.cs line 12)", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));

            string recursive = """
                using GraphSampling;

                [ComputationGraph]
                public static partial class G
                {
                    static Tensor<float> Forever(GraphBuilder g, Tensor<float> t) => {|GS1003:Forever(g, t)|};

                    static Tensor<float> Define(GraphBuilder g) => g.ReduceSum(Forever(g, g.Input<float>("x", 8, 4)), axis: 1);
                }
                """;
            var r = Assert.Single(AnalyzerHarness.Verify(recursive, TestContext.Current.CancellationToken));
            Assert.Contains("recursive", r.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            var run = GeneratorHarness.Run(AnalyzerHarness.ParseMarkup(recursive).Source, expectDiagnostics: true);
            Assert.Empty(run.Diagnostics);
            Assert.DoesNotContain(run.Files, f => f.HintName.EndsWith(".Cpu.g.cs", StringComparison.Ordinal));
        }
    }
}
