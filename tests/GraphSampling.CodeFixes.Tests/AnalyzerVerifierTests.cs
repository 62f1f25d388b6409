using System.Threading.Tasks;
using GraphSampling.Generators.Diagnostics.Analyzers;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace GraphSampling.CodeFixes.Tests
{
    /// <summary>The analyzers through the official testing framework (the same rules GraphSampling.Generators.Tests checks
    /// with its own harness): each diagnostic exactly at the markup, nothing on a valid graph, compiler errors included in
    /// the check.</summary>
    public sealed class AnalyzerVerifierTests
    {
        private static Task Verify<TAnalyzer>(string markup) where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new() =>
            new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = markup }.With().RunAsync(TestContext.Current.CancellationToken);

        private static string Graph(string body) => "using GraphSampling;\n\n[ComputationGraph]\npublic static partial class G\n{\n    const int Batch = 8;\n\n    static Tensor<float> Define(GraphBuilder g)\n    {\n" + body + "\n    }\n}\n";

        [Fact]
        public Task A_valid_sampled_softmax_graph_has_no_diagnostic() => Verify<ShapeAnalyzer>(Graph("""
                var labels = g.Labels("labels", Batch, numTrue: 2);
                var x = g.Input<float>("x", Batch, 4);
                var w = g.Parameter("w", 100, 4);
                var b = g.Parameter("b", 100);
                return g.SampledSoftmaxLoss(w, b, labels, x, numSampled: 5, numClasses: 100, numTrue: 2);
            """));

        [Fact]
        public Task GS2001_at_the_MatMul_operand() => Verify<ShapeAnalyzer>(Graph("""
                var h = g.Input<float>("h", Batch, 128);
                var w = g.Parameter("w", 256, 10);
                return g.ReduceSum(g.MatMul(h, {|GS2001:w|}), axis: 1);
            """));

        [Fact]
        public Task GS1006_at_the_colliding_name() => Verify<ShapeAnalyzer>(Graph("""
                var x = g.Input<float>("x", Batch, 4);
                var w = g.Parameter("w", 4, 3);
                var wg = g.Parameter({|GS1006:"wGradient"|}, 3);
                return g.ReduceSum(g.BiasAdd(g.MatMul(x, w), wg), axis: 1);
            """));

        [Fact]
        public Task GS2004_at_a_value_beyond_one_array() => Verify<ShapeAnalyzer>(Graph("""
                var x = g.Input<float>("x", {|GS2004:65536|}, 65536);
                return g.ReduceSum(x, axis: 1);
            """));

        [Fact]
        public Task GS1001_at_a_generic_graph_class() => Verify<GraphDeclarationAnalyzer>("""
            using GraphSampling;

            [ComputationGraph]
            public static partial class {|GS1001:G|}<T>
            {
                static Tensor<float> Define(GraphBuilder g) => g.ReduceSum(g.Input<float>("x", 8, 3), axis: 1);
            }
            """);

        [Fact]
        public Task GS1004_without_GS1005_beside_it() => Verify<GraphDeclarationAnalyzer>(Graph("""
                var k = 2;
                var x = g.Input<float>("x", Batch, 5);
                return g.TopK(x, {|GS1004:k|}).Values;
            """));
    }
}
