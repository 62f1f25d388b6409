using System;
using System.Linq;
using GraphSampling.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GraphSampling.Generators.Tests
{
    /// <summary>
    /// Where a graph class may live, and how its files are named: every container C# allows a nested class in works
    /// (generic, record, record struct, struct, interface), hint names are valid and unique per symbol, a class with the
    /// attribute on two parts is generated once, and a class or container the generator cannot add to is GS1001 at it,
    /// with nothing generated for it (no CS0260 in a generated file) and the other graphs unaffected.
    /// </summary>
    public sealed class DeclarationShapeTests
    {
        private const string Body = """
                const int Batch = 4;
                static Tensor<float> Define(GraphBuilder g)
                {
                    var x = g.Input<float>("x", Batch, 3);
                    var w = g.Parameter("w", 3, 2);
                    return g.ReduceSum(g.MatMul(x, w), axis: 1);
                }
            """;

        private static string Graph(string name = "G") => "[ComputationGraph]\npublic static partial class " + name + "\n{\n" + Body + "\n}\n";

        public static TheoryData<string, string> Containers => new TheoryData<string, string>
        {
            { "generic outer class", "public partial class O<T> where T : class\n{\n" + Graph() + "}" },
            { "two generic parameters", "public partial class O<TKey, TValue>\n{\n" + Graph() + "}" },
            { "record", "public partial record R(int A)\n{\n" + Graph() + "}" },
            { "record struct", "public partial record struct RS(int A)\n{\n" + Graph() + "}" },
            { "struct", "public partial struct S\n{\n" + Graph() + "}" },
            { "interface", "public partial interface I\n{\n" + Graph() + "}" },
            { "the same graph name in O and O<T>", "public partial class O\n{\n" + Graph() + "}\npublic partial class O<T>\n{\n" + Graph() + "}" },
            { "the same graph name in two namespaces", "namespace A\n{\n" + Graph() + "}\nnamespace B\n{\n" + Graph() + "}" },
            { "a keyword as the class name", Graph("@class") },
            { "a keyword as the container's name", "public partial class @event\n{\n" + Graph() + "}" },
            { "two graph classes whose names differ only in case", Graph("Model") + Graph("model") },
        };

        [Theory]
        [MemberData(nameof(Containers))]
        public void A_graph_in_any_container_compiles(string what, string declarations)
        {
            string source = "using GraphSampling;\n" + declarations;
            var run = GeneratorHarness.Run(source);   // asserts: no generator diagnostic, output compiles
            int graphs = declarations.Split("[ComputationGraph]").Length - 1;
            Assert.True(graphs * 2 == run.Files.Length, what + ": " + string.Join(", ", run.Files.Select(f => f.HintName)));
            Assert.Equal(run.Files.Length, run.Files.Select(f => f.HintName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.All(run.Files, f => Assert.Matches("^[A-Za-z0-9_.]+$", f.HintName));
            Assert.Empty(AnalyzerHarness.GetDiagnostics(source, TestContext.Current.CancellationToken));
        }

        [Fact]
        public void Define_in_another_partial_part_than_the_attribute_is_generated()
        {
            var ct = TestContext.Current.CancellationToken;
            var trees = new[]
            {
                Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("using GraphSampling;\n[ComputationGraph]\npublic static partial class G { }\n", GeneratorHarness.ParseOptions, "Attribute.cs", cancellationToken: ct),
                Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("using GraphSampling;\npublic static partial class G\n{\n" + Body + "\n}\n", GeneratorHarness.ParseOptions, "Define.cs", cancellationToken: ct),
            };
            var compilation = GeneratorHarness.CreateCompilation(trees);
            var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics, ct);
            Assert.True(diagnostics.IsEmpty, GeneratorHarness.Render(diagnostics));
            GeneratorHarness.AssertNoErrors(output, "the output compilation");
            Assert.Contains(driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources), f => f.HintName == "G.Cpu.g.cs");
        }

        [Fact]
        public void The_attribute_on_two_partial_parts_generates_once()
        {
            // The compiler reports the duplicate attribute (CS0579, the user's own error); the generator must not throw
            // on it (it used to add every file twice: CS8785) and generates the graph once.
            string source = "using GraphSampling;\n[ComputationGraph]\npublic static partial class G\n{\n" + Body + "\n}\n[ComputationGraph]\npublic static partial class G { }\n";
            var input = GeneratorHarness.CreateCompilation(source);
            Assert.Contains(input.GetDiagnostics(TestContext.Current.CancellationToken), d => d.Id == "CS0579");
            var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics, TestContext.Current.CancellationToken);
            Assert.True(diagnostics.IsEmpty, GeneratorHarness.Render(diagnostics));
            var files = driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources).Select(f => f.HintName).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[] { "G.Cpu.g.cs", "G.Graph.g.cs" }, files.ToArray());
            Assert.Equal(new[] { "CS0579" }, output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).ToArray());
        }

        public static TheoryData<string, string> Refused => new TheoryData<string, string>
        {
            { "a graph class that is not partial", "[ComputationGraph]\npublic static class {|GS1001:G|}\n{\n" + Body + "\n}" },
            { "a graph class that is not static", "[ComputationGraph]\npublic partial class {|GS1001:G|}\n{\n" + Body + "\n}" },
            { "a generic graph class", "[ComputationGraph]\npublic static partial class {|GS1001:G|}<T>\n{\n" + Body + "\n}" },
            { "a container that is not partial", "public class {|GS1001:O|}\n{\n" + Graph() + "}" },
            { "a file-local graph class", "[ComputationGraph]\nfile static partial class {|GS1001:G|}\n{\n" + Body + "\n}" },
            { "an outer container that is not partial", "public class {|GS1001:Outer|}\n{\npublic partial class O\n{\n" + Graph() + "}\n}" },
        };

        [Theory]
        [MemberData(nameof(Refused))]
        public void A_class_the_generator_cannot_add_to_is_GS1001_and_the_other_graphs_still_generate(string what, string declarations)
        {
            string markup = "using GraphSampling;\n" + declarations + "\n" + Graph("Other");
            var d = Assert.Single(AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken), x => x.Id == "GS1001");
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
            var run = GeneratorHarness.Run(AnalyzerHarness.ParseMarkup(markup).Source, expectDiagnostics: true);
            Assert.True(run.Diagnostics.IsEmpty, what + ": " + GeneratorHarness.Render(run.Diagnostics));
            Assert.Equal(new[] { "Other.Cpu.g.cs", "Other.Graph.g.cs" }, run.Files.Select(f => f.HintName).ToArray());
            // The only errors left are the user's own (CS0260 would point into a generated file).
            Assert.DoesNotContain(run.Output.GetDiagnostics(TestContext.Current.CancellationToken), x => x.Severity == DiagnosticSeverity.Error && x.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
        }

        [Fact]
        public void An_exception_while_parsing_becomes_GS0001_not_CS8785()
        {
            // A semantic model from another compilation makes the symbol walk throw inside Parse.
            var compilation = GeneratorHarness.CreateCompilation("using GraphSampling;\n" + Graph());
            var tree = compilation.SyntaxTrees.Single();
            var ct = TestContext.Current.CancellationToken;
            var declaration = tree.GetRoot(ct).DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>().Single();
            var type = (INamedTypeSymbol)compilation.GetSemanticModel(tree).GetDeclaredSymbol(declaration, ct)!;
            var spec = FrontEnd.GraphFrontEnd.ParseForGenerator(declaration, type, model: null!, ct);
            Assert.NotNull(spec);
            Assert.NotNull(spec!.Failure);
            var lowered = GraphGenerator.LowerStage(spec, ct);
            Assert.Equal(spec.Failure, lowered.Failure);
            var emitted = GraphGenerator.EmitStage(GraphGenerator.PlanStage(GraphGenerator.DifferentiateStage(GraphGenerator.InferStage(lowered, ct), ct), ct), false, ct);
            Assert.Equal(spec.Failure, emitted.Failure);   // reported as GS0001 by the source output
            Assert.Empty(emitted.Files);
        }
    }
}
