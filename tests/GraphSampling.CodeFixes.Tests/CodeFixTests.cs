using System.Threading.Tasks;
using GraphSampling.Generators.Diagnostics.Analyzers;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace GraphSampling.CodeFixes.Tests
{
    /// <summary>
    /// Each code fix on the diagnostic a user hits most, through the official testing framework: the markup marks where
    /// the analyzer reports, the fix is applied, and the fixed code must have no diagnostic left (so a fix that does not
    /// resolve its diagnostic fails here).
    /// </summary>
    public sealed class CodeFixTests
    {
        private static string Graph(string body, string members = "const int Batch = 8;") => $$"""
            using GraphSampling;

            [ComputationGraph]
            public static partial class G
            {
                {{members}}

                static Tensor<float> Define(GraphBuilder g)
                {
            {{body}}
                }
            }
            """;

        private static Task Fix<TAnalyzer, TFix>(string markup, string fixedCode, int action = 0)
            where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
            where TFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
        {
            var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier> { TestCode = markup, FixedCode = fixedCode, CodeActionIndex = action }.With();
            return test.RunAsync(TestContext.Current.CancellationToken);
        }

        // ---- GS1001 -------------------------------------------------------------------------------------------------

        private const string Body = """
                static Tensor<float> Define(GraphBuilder g)
                {
                    var x = g.Input<float>("x", 8, 3);
                    return g.ReduceSum(x, axis: 1);
                }
            """;

        [Fact]
        public Task GS1001_a_class_that_is_neither_static_nor_partial_becomes_static_partial() => Fix<GraphDeclarationAnalyzer, MakeStaticPartialCodeFix>(
            "using GraphSampling;\n\n[ComputationGraph]\npublic class {|GS1001:G|}\n{\n" + Body + "\n}\n",
            "using GraphSampling;\n\n[ComputationGraph]\npublic static partial class G\n{\n" + Body + "\n}\n");

        [Fact]
        public Task GS1001_a_partial_class_that_is_not_static_gets_static_before_partial() => Fix<GraphDeclarationAnalyzer, MakeStaticPartialCodeFix>(
            "using GraphSampling;\n\n[ComputationGraph]\npublic partial class {|GS1001:G|}\n{\n" + Body + "\n}\n",
            "using GraphSampling;\n\n[ComputationGraph]\npublic static partial class G\n{\n" + Body + "\n}\n");

        [Fact]
        public Task GS1001_a_container_that_is_not_partial_becomes_partial() => Fix<GraphDeclarationAnalyzer, MakeStaticPartialCodeFix>(
            "using GraphSampling;\n\npublic class {|GS1001:Models|}\n{\n[ComputationGraph]\npublic static partial class G\n{\n" + Body + "\n}\n}\n",
            "using GraphSampling;\n\npublic partial class Models\n{\n[ComputationGraph]\npublic static partial class G\n{\n" + Body + "\n}\n}\n");

        // ---- GS1004 -------------------------------------------------------------------------------------------------

        [Fact]
        public Task GS1004_a_local_with_a_constant_value_becomes_const() => Fix<GraphDeclarationAnalyzer, IntroduceConstCodeFix>(
            Graph("""
                    var k = 2;
                    var x = g.Input<float>("x", Batch, 5);
                    return g.TopK(x, {|GS1004:k|}).Values;
            """),
            Graph("""
                    const int k = 2;
                    var x = g.Input<float>("x", Batch, 5);
                    return g.TopK(x, k).Values;
            """));

        [Fact]
        public Task GS1004_a_static_field_with_a_constant_value_becomes_const() => Fix<GraphDeclarationAnalyzer, IntroduceConstCodeFix>(
            Graph("""
                    var x = g.Input<float>("x", {|GS1004:Rows|}, 5);
                    return g.ReduceSum(x, axis: 1);
            """, "static int Rows = 8;"),
            Graph("""
                    var x = g.Input<float>("x", Rows, 5);
                    return g.ReduceSum(x, axis: 1);
            """, "const int Rows = 8;"));

        [Fact]
        public async Task GS1004_a_field_written_elsewhere_gets_no_fix()
        {
            // 'Rows' is assigned in Reset(): declaring it const would not compile, so no fix is offered.
            string source = Graph("""
                    var x = g.Input<float>("x", {|GS1004:Rows|}, 5);
                    return g.ReduceSum(x, axis: 1);
            """, "static int Rows = 8;\n    static void Reset() => Rows = 4;");
            var test = new CSharpCodeFixTest<GraphDeclarationAnalyzer, IntroduceConstCodeFix, DefaultVerifier> { TestCode = source, FixedCode = source }.With();
            await test.RunAsync(TestContext.Current.CancellationToken);
        }

        [Fact]
        public async Task GS1004_a_value_known_only_at_run_time_gets_no_fix()
        {
            string source = Graph("""
                    var x = g.Input<float>("x", Batch, 5);
                    return g.TopK(x, {|GS1004:System.Environment.ProcessorCount|}).Values;
            """);
            var test = new CSharpCodeFixTest<GraphDeclarationAnalyzer, IntroduceConstCodeFix, DefaultVerifier> { TestCode = source, FixedCode = source }.With();
            await test.RunAsync(TestContext.Current.CancellationToken);
        }

        // ---- numTrue that disagrees with the labels (GS2001) ----------------------------------------------------------

        [Fact]
        public Task A_samplers_numTrue_is_set_to_the_labels_width() => Fix<ShapeAnalyzer, SetArgumentCodeFix>(
            Graph("""
                    var labels = g.Labels("labels", Batch, numTrue: 2);
                    var x = g.Input<float>("x", Batch, 4);
                    var s = g.UniformCandidateSampler(labels, {|GS2001:numTrue: 1|}, numSampled: 5, unique: true, rangeMax: 100, seed: 1);
                    return g.ReduceSum(x, axis: 1) + g.ReduceSum(s.TrueExpectedCount, axis: 1);
            """),
            Graph("""
                    var labels = g.Labels("labels", Batch, numTrue: 2);
                    var x = g.Input<float>("x", Batch, 4);
                    var s = g.UniformCandidateSampler(labels, numTrue: 2, numSampled: 5, unique: true, rangeMax: 100, seed: 1);
                    return g.ReduceSum(x, axis: 1) + g.ReduceSum(s.TrueExpectedCount, axis: 1);
            """));

        [Fact]
        public Task A_losss_default_numTrue_is_added_with_the_labels_width() => Fix<ShapeAnalyzer, SetArgumentCodeFix>(
            Graph("""
                    var labels = g.Labels("labels", Batch, numTrue: 3);
                    var x = g.Input<float>("x", Batch, 4);
                    var w = g.Parameter("w", 100, 4);
                    var b = g.Parameter("b", 100);
                    return {|GS2001:g.SampledSoftmaxLoss(w, b, labels, x, numSampled: 5, numClasses: 100)|};
            """),
            Graph("""
                    var labels = g.Labels("labels", Batch, numTrue: 3);
                    var x = g.Input<float>("x", Batch, 4);
                    var w = g.Parameter("w", 100, 4);
                    var b = g.Parameter("b", 100);
                    return g.SampledSoftmaxLoss(w, b, labels, x, numSampled: 5, numClasses: 100, numTrue: 3);
            """));

        // ---- MatMul that transposeB fixes (GS2001) ------------------------------------------------------------------

        [Fact]
        public Task A_MatMul_against_a_class_table_gets_transposeB() => Fix<ShapeAnalyzer, SetArgumentCodeFix>(
            Graph("""
                    var h = g.Input<float>("h", Batch, 4);
                    var w = g.Parameter("w", 10, 4);
                    return g.ReduceSum(g.MatMul(h, {|GS2001:w|}), axis: 1);
            """),
            Graph("""
                    var h = g.Input<float>("h", Batch, 4);
                    var w = g.Parameter("w", 10, 4);
                    return g.ReduceSum(g.MatMul(h, w, transposeB: true), axis: 1);
            """));

        [Fact]
        public Task A_MatMul_with_a_wrong_transposeB_gets_it_flipped() => Fix<ShapeAnalyzer, SetArgumentCodeFix>(
            Graph("""
                    var h = g.Input<float>("h", Batch, 4);
                    var w = g.Parameter("w", 4, 10);
                    return g.ReduceSum(g.MatMul(h, {|GS2001:w|}, transposeB: true), axis: 1);
            """),
            Graph("""
                    var h = g.Input<float>("h", Batch, 4);
                    var w = g.Parameter("w", 4, 10);
                    return g.ReduceSum(g.MatMul(h, w, transposeB: false), axis: 1);
            """));

        // ---- GS3001 -------------------------------------------------------------------------------------------------

        private const string UniqueTooMany = """
                    var labels = g.Labels("labels", Batch);
                    var x = g.Input<float>("x", Batch, 4);
                    var s = g.UniformCandidateSampler(labels, numTrue: 1, {|GS3001:numSampled: 50|}, unique: true, rangeMax: 20, seed: 1);
                    return g.ReduceSum(x, axis: 1) + g.ReduceSum(s.TrueExpectedCount, axis: 1);
            """;

        [Fact]
        public Task GS3001_first_fix_samples_the_whole_range() => Fix<ShapeAnalyzer, SetArgumentCodeFix>(
            Graph(UniqueTooMany),
            Graph(UniqueTooMany.Replace("{|GS3001:numSampled: 50|}", "numSampled: 20")), action: 0);

        [Fact]
        public Task GS3001_second_fix_samples_with_replacement() => Fix<ShapeAnalyzer, SetArgumentCodeFix>(
            Graph(UniqueTooMany),
            Graph(UniqueTooMany.Replace("{|GS3001:numSampled: 50|}", "numSampled: 50").Replace("unique: true", "unique: false")), action: 1);

        // ---- The ids and property keys the fixes read are the analyzers' ----------------------------------------------

        [Fact]
        public void The_fixes_read_the_ids_and_keys_the_analyzers_write()
        {
            Assert.Equal(DiagnosticKeys.NotStaticPartial, GraphSampling.Generators.Diagnostics.DiagnosticDescriptors.NotStaticPartial.Id);
            Assert.Equal(DiagnosticKeys.NonConstantArgument, GraphSampling.Generators.Diagnostics.DiagnosticDescriptors.NonConstantArgument.Id);
            Assert.Equal(DiagnosticKeys.DimensionMismatch, GraphSampling.Generators.Diagnostics.DiagnosticDescriptors.DimensionMismatch.Id);
            Assert.Equal(DiagnosticKeys.SamplingRange, GraphSampling.Generators.Diagnostics.DiagnosticDescriptors.SamplingRange.Id);
            Assert.Equal(DiagnosticKeys.FixArgument, GraphSampling.Generators.Diagnostics.DiagnosticProperties.FixArgument);
            Assert.Equal(DiagnosticKeys.FixValue, GraphSampling.Generators.Diagnostics.DiagnosticProperties.FixValue);
        }
    }
}
