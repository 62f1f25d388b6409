using System.Globalization;
using System.Linq;
using GraphSampling.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GraphSampling.Generators.Tests
{
    /// <summary>
    /// GraphDeclarationAnalyzer (GS1xxx) and ShapeAnalyzer (GS2xxx-GS4xxx): each rule at the exact span named by the
    /// markup, zero diagnostics for valid graphs, and every message names what the user must look at.
    /// </summary>
    public sealed class AnalyzerTests
    {
        /// <summary>A graph class around a Define body.</summary>
        internal static string Graph(string body, string members = "public const int Batch = 8;") => $$"""
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

        private static Diagnostic Single(string markup, string id)
        {
            var diagnostics = AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken);
            return Assert.Single(diagnostics, d => d.Id == id);
        }

        private static string Message(Diagnostic d) => d.GetMessage(CultureInfo.InvariantCulture);

        // ---- Valid graphs: no diagnostics, one per op family ----------------------------------------------------

        public static TheoryData<string> ValidGraphs => new TheoryData<string>
        {
            GeneratorSnapshotTests.BagOfWords,                 // gather (Mod shards), reduce, matmul transposeB, bias, sparse softmax
            GeneratorSnapshotTests.FullSoftmax,                // dense softmax cross-entropy
            GeneratorSnapshotTests.SampledSoftmaxPrimitives,   // side inputs, Div shards, reshape, elementwise, log, concat
            GeneratorSnapshotTests.NceLike,                    // maxNorm, operators, sigmoid cross-entropy, sparse-to-dense
            Graph("""
                var x = g.Input<float>("x", Batch, 5);
                var lse = g.ReduceLogSumExp(x, axis: 1, keepDims: true);   // [B, 1]
                var top = g.TopK(x - lse, 2);                               // log-softmax, best 2
                return top.Values;
                """),
            Graph("""
                var a = g.Input<float>("a", Batch, 3);
                var w = g.Parameter("w", 4, 3);
                return g.MatMul(a, w, transposeB: true);                    // logits as the output, no loss
                """),
        };

        [Theory]
        [MemberData(nameof(ValidGraphs))]
        public void Valid_graph_has_no_diagnostics(string source) => AnalyzerHarness.Verify(source, TestContext.Current.CancellationToken);

        [Fact]
        public void Composite_loss_graphs_have_no_diagnostics()
        {
            // Each of the four losses with TF's defaults: they generate on the CPU (no GS4001 any more).
            foreach (string loss in new[]
            {
                "g.SampledSoftmaxLoss(w, b, labels, x, numSampled: 5, numClasses: 100)",
                "g.NceLoss(w, b, labels, x, numSampled: 5, numClasses: 100)",
                "g.SampledSparseSoftmaxLoss(w, b, labels, x, numSampled: 5, numClasses: 100)",
                "g.RankSampledSoftmaxLoss(w, b, labels, x, 8, 4, 100, 1, null, 1.0, true)",
            })
            {
                AnalyzerHarness.Verify(Graph("""
                    var labels = g.Labels("labels", Batch, numTrue: 1);
                    var x = g.Input<float>("x", Batch, 4);
                    var w = g.Parameter("w", 100, 4);
                    var b = g.Parameter("b", 100);
                    return
                    """ + " " + loss + ";"), TestContext.Current.CancellationToken);
            }
        }

        [Fact]
        public void GS4001_an_op_no_backend_generates_is_an_error_at_its_call()
        {
            // Every op of the catalogue generates on the CPU, so the rule is shown with an op kind outside the catalogue
            // (a [GraphOp] method a library could add before its backend support lands).
            var d = Single("""
                using GraphSampling;
                using GraphSampling.Ir;

                public static class FutureOps
                {
                    [GraphOp((OpKind)999)]
                    public static Tensor<float> Future(this GraphBuilder g, Tensor<float> x) => x;
                }

                [ComputationGraph]
                public static partial class G
                {
                    static Tensor<float> Define(GraphBuilder g)
                    {
                        var x = g.Input<float>("x", 8, 4);
                        return {|GS4001:g.Future(x)|};
                    }
                }
                """, "GS4001");
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
            Assert.Contains("999", Message(d));
            Assert.Contains("'G'", Message(d));
        }

        // ---- GS1xxx: declaration ---------------------------------------------------------------------------------

        [Fact]
        public void GS1001_class_not_static()
        {
            var d = Single("""
                using GraphSampling;
                [ComputationGraph]
                public partial class {|GS1001:NotStatic|}
                {
                    static Tensor<float> Define(GraphBuilder g) => g.Input<float>("x", 4);
                }
                """, "GS1001");
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
            Assert.Contains("static partial", Message(d));
        }

        [Fact]
        public void GS1001_class_not_partial()
        {
            Single("""
                using GraphSampling;
                [ComputationGraph]
                public static class {|GS1001:NotPartial|}
                {
                    static Tensor<float> Define(GraphBuilder g) => g.Input<float>("x", 4);
                }
                """, "GS1001");
        }

        [Fact]
        public void GS1002_no_Define()
        {
            var d = Single("""
                using GraphSampling;
                [ComputationGraph]
                public static partial class {|GS1002:Empty|}
                {
                }
                """, "GS1002");
            Assert.Contains("Define(GraphBuilder g)", Message(d));
        }

        [Fact]
        public void GS1002_Define_with_the_wrong_signature()
        {
            Single("""
                using GraphSampling;
                [ComputationGraph]
                public static partial class {|GS1002:Wrong|}
                {
                    static Tensor<float> Define(GraphBuilder g, int size) => g.Input<float>("x", size);
                }
                """, "GS1002");
        }

        [Fact]
        public void GS1003_if_statement_in_Define()
        {
            var d = Single(Graph("""
                var x = g.Input<float>("x", Batch, 3);
                {|GS1003:if (Batch > 4) { x = g.Log(x); }|}
                return g.ReduceSum(x, axis: 1);
                """), "GS1003");
            Assert.Contains("if (Batch > 4)", Message(d));
        }

        [Fact]
        public void GS1003_loop_in_Define()
        {
            Single(Graph("""
                var x = g.Input<float>("x", Batch, 3);
                {|GS1003:for (int i = 0; i < 2; i++) x = g.Log(x);|}
                return g.ReduceSum(x, axis: 1);
                """), "GS1003");
        }

        [Fact]
        public void GS1004_non_constant_expression_as_an_attribute()
        {
            var d = Single(Graph("""
                var x = g.Input<float>("x", Batch, 5);
                var top = g.TopK(x, {|GS1004:System.Environment.ProcessorCount|});
                return top.Values;
                """), "GS1004");
            Assert.Contains("'k'", Message(d));
            Assert.Contains("TopK", Message(d));
        }

        /// <summary>The brief's example: a non-constant local used as an attribute is reported where it is used, as GS1004
        /// (today the parser reports GS1005 "not a graph op" at the local's initialiser instead; see the report).</summary>
        [Fact]
        public void GS1004_non_constant_local_passed_as_k()
        {
            var d = Single(Graph("""
                var x = g.Input<float>("x", Batch, 5);
                int k = System.Environment.ProcessorCount;
                var top = g.TopK(x, {|GS1004:k|});
                return top.Values;
                """), "GS1004");
            Assert.Contains("'k'", Message(d));
        }

        [Fact]
        public void GS1004_non_const_local_passed_as_axis()
        {
            Single(Graph("""
                var x = g.Input<float>("x", Batch, 5);
                int axis = 1;
                return g.ReduceSum(x, {|GS1004:axis|});
                """), "GS1004");
        }

        [Fact]
        public void A_const_local_is_a_constant()
        {
            AnalyzerHarness.Verify(Graph("""
                var x = g.Input<float>("x", Batch, 5);
                const int Axis = 1;
                return g.ReduceSum(x, Axis);
                """), TestContext.Current.CancellationToken);
        }

        [Fact]
        public void GS1004_static_field_passed_as_axis()
        {
            var d = Single(Graph("""
                var x = g.Input<float>("x", Batch, 5);
                return g.ReduceSum(x, {|GS1004:axis: Axis|});
                """, "public const int Batch = 8; static int Axis = 1;"), "GS1004");
            Assert.Contains("'axis'", Message(d));
        }

        [Fact]
        public void GS1004_non_constant_element_of_a_shape()
        {
            Single(Graph("""
                var x = g.Input<float>("x", Batch, 6);
                var y = g.Reshape(x, [Batch, {|GS1004:Half|}, 2]);
                return g.ReduceSum(g.ReduceSum(y, axis: 2), axis: 1);
                """, "public const int Batch = 8; static readonly int Half = 3;"), "GS1004");
        }

        [Fact]
        public void GS1005_calling_a_method_that_is_not_a_graph_helper()
        {
            // Without the GraphBuilder parameter the generator cannot read it as a graph helper (GraphHelperTests).
            var d = Single(Graph("""
                var x = g.Input<float>("x", Batch, 3);
                var y = {|GS1005:Twice(x)|};
                return g.ReduceSum(y, axis: 1);
                """, "public const int Batch = 8; static Tensor<float> Twice(Tensor<float> t) => t + t;"), "GS1005");
            Assert.Contains("Twice(x)", Message(d));
            Assert.Contains("graph helpers", Message(d));
        }

        [Theory]
        [InlineData("a typo'd op", "var y = g.ReduceSumm(x, axis: 1);\nreturn y;", "CS1061")]
        [InlineData("a long tensor where float is expected", "var ids = g.Input<long>(\"ids\", Batch, 5);\nreturn g.ReduceSum(g.Log(ids), axis: 1);", "CS1503")]
        [InlineData("an unknown helper", "var y = Helper(g, x);\nreturn g.ReduceSum(y, axis: 1);", "CS0103")]
        public void GS1005_is_not_added_to_the_compilers_own_error(string what, string body, string compilerError)
        {
            string source = Graph("var x = g.Input<float>(\"x\", Batch, 5);\n" + body);
            var compiler = GeneratorHarness.CreateCompilation(source).GetDiagnostics(TestContext.Current.CancellationToken);
            Assert.Contains(compiler, d => d.Id == compilerError);
            var diagnostics = AnalyzerHarness.GetDiagnostics(source, TestContext.Current.CancellationToken, allowCompilerErrors: true);
            Assert.True(diagnostics.IsEmpty, what + ": " + string.Join("; ", diagnostics.Select(d => d.Id + " " + Message(d))));
            // And the generator emits no program for it (the build fails on the compiler's error alone).
            var run = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.CreateCompilation(source), TestContext.Current.CancellationToken).GetRunResult();
            Assert.DoesNotContain(run.Results.SelectMany(r => r.GeneratedSources), f => f.HintName.EndsWith(".Cpu.g.cs", System.StringComparison.Ordinal));
            Assert.Empty(run.Diagnostics);
        }

        [Fact]
        public void GS1005_a_statement_that_is_not_an_op()
        {
            Single(Graph("""
                var x = g.Input<float>("x", Batch, 3);
                {|GS1005:System.Console.WriteLine("building")|};
                return g.ReduceSum(x, axis: 1);
                """), "GS1005");
        }

        // ---- GS2xxx: shapes, dtypes, attributes -----------------------------------------------------------------

        [Fact]
        public void GS2001_MatMul_inner_dimension_mismatch_at_b_names_op_variables_and_shapes()
        {
            var d = Single(Graph("""
                var h = g.Input<float>("h", Batch, 128);
                var w = g.Parameter("w", 256, 10);
                var logits = g.MatMul(h, {|GS2001:w|});
                return g.ReduceSum(logits, axis: 1);
                """), "GS2001");
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
            string m = Message(d);
            Assert.Contains("MatMul", m);
            Assert.Contains("'logits'", m);
            Assert.Contains("'h'", m);
            Assert.Contains("'w'", m);
            Assert.Contains("[B=8, 128]", m);
            Assert.Contains("[256, 10]", m);
        }

        [Fact]
        public void GS2001_BiasAdd_length_mismatch_at_bias()
        {
            Single(Graph("""
                var x = g.Input<float>("x", Batch, 5);
                var b = g.Parameter("b", 6);
                return g.ReduceSum(g.BiasAdd(x, {|GS2001:b|}), axis: 1);
                """), "GS2001");
        }

        [Fact]
        public void GS2002_rank_3_tensor_into_MatMul()
        {
            var d = Single(Graph("""
                var x = g.Input<float>("x", Batch, 2, 3);
                var w = g.Parameter("w", 3, 4);
                return g.ReduceSum(g.MatMul({|GS2002:x|}, w), axis: 1);
                """), "GS2002");
            Assert.Contains("rank 2", Message(d));
            Assert.Contains("[B=8, 2, 3]", Message(d));
        }

        [Fact]
        public void GS2003_int64_tensor_where_float_is_expected()
        {
            var d = Single(Graph("""
                var ids = g.Input<long>("ids", Batch, 3);
                var sum = {|GS2003:ids|} + ids;
                var x = g.Input<float>("x", Batch, 3);
                return g.ReduceSum(x, axis: 1);
                """), "GS2003");
            Assert.Contains("'ids'", Message(d));
            Assert.Contains("float", Message(d));
        }

        [Fact]
        public void GS2003_tensor_of_an_unsupported_element_type()
        {
            Single(Graph("""
                var x = {|GS2003:g.Input<int>("x", Batch, 3)|};
                var y = g.Input<float>("y", Batch, 3);
                return g.ReduceSum(y, axis: 1);
                """), "GS2003");
        }

        [Theory]
        [InlineData("\"bad name\"")]
        [InlineData("\"bad\\\"name\"")]
        [InlineData("\"1st\"")]
        public void GS2004_input_name_that_is_not_an_identifier(string literal)
        {
            var d = Single(Graph("var x = g.Input<float>({|GS2004:" + literal + "|}, 4, 3);\nreturn g.ReduceSum(x, axis: 1);", ""), "GS2004");
            Assert.Contains("not a valid name", Message(d));
        }

        [Fact]
        public void GS2004_TopK_k_larger_than_the_row()
        {
            var d = Single(Graph("""
                var x = g.Input<float>("x", Batch, 5);
                return g.TopK(x, {|GS2004:k: 7|}).Values;
                """), "GS2004");
            Assert.Contains("[1, 5]", Message(d));
        }

        [Fact]
        public void GS2005_two_inputs_with_different_batches()
        {
            var d = Single(Graph("""
                var a = g.Input<float>("a", 8, 3);
                var b = g.Input<float>("b", {|GS2005:16|}, 3);
                return g.ReduceSum(a + b, axis: 1);
                """), "GS2005");
            Assert.Contains("16", Message(d));
            Assert.Contains("8", Message(d));
        }

        [Fact]
        public void GS2005_batch_would_become_a_column_of_a_product()
        {
            Single(Graph("""
                var h = g.Input<float>("h", Batch, 4);
                var w = g.Parameter("w", 10, 4);
                return g.ReduceSum(g.MatMul(w, {|GS2005:h|}, transposeB: true), axis: 1);
                """), "GS2005");
        }

        [Fact]
        public void GS2006_EmbeddingLookup_on_an_input_instead_of_a_Parameter()
        {
            var d = Single(Graph("""
                var table = g.SideInput<float>("table", 100, 4);
                var ids = g.Input<long>("ids", Batch);
                return g.ReduceSum(g.EmbeddingLookup({|GS2006:table|}, ids), axis: 1);
                """), "GS2006");
            Assert.Contains("'table'", Message(d));
            Assert.Contains("Parameter", Message(d));
        }

        /// <summary>EmbeddingLookupSparse: each error at the argument to change.</summary>
        [Theory]
        [InlineData("g.EmbeddingLookupSparse(table, ids, {|GS2001:g.Input<float>(\"w\", Batch, 5)|})", "GS2001", "one weight per id")]
        [InlineData("g.EmbeddingLookupSparse({|GS2006:g.SideInput<float>(\"t\", 100, 4)|}, ids, weights)", "GS2006", "Parameter")]
        [InlineData("g.EmbeddingLookupSparse(table, {|GS2002:g.Input<long>(\"flat\", Batch)|}, g.Input<float>(\"w\", Batch))", "GS2002", "[B, L]")]
        [InlineData("g.EmbeddingLookupSparse(table, ids, weights, {|GS2004:(Combiner)7|})", "GS2004", "combiner")]
        public void EmbeddingLookupSparse_errors_point_at_their_argument(string call, string id, string text)
        {
            var d = Single(Graph("var table = g.Parameter(\"table\", 100, 4);\nvar ids = g.Input<long>(\"ids\", Batch, 6);\nvar weights = g.Input<float>(\"weights\", Batch, 6);\nreturn g.ReduceSum(" + call + ", axis: 1);"), id);
            Assert.Contains(text, Message(d));
        }

        // ---- The composite losses: each error at the argument the user must change ------------------------------

        private const string LossLeaves = """
                var labels = g.Labels("labels", Batch, numTrue: 2);
                var x = g.Input<float>("x", Batch, 4);
                var w = g.Parameter("w", 100, 4);
                var b = g.Parameter("b", 100);
            """;

        [Fact]
        public void GS2001_numSampled_that_differs_from_the_fed_sampled_values()
        {
            var d = Single(Graph(LossLeaves + """
                var values = g.SampledValues(g.SideInput<long>("s", 6), g.Input<float>("qt", Batch, 2), g.SideInput<float>("qs", 6));
                return g.SampledSoftmaxLoss(w, b, labels, x, {|GS2001:numSampled: 5|}, numClasses: 100, numTrue: 2, sampledValues: values);
                """), "GS2001");
            Assert.Contains("6 candidates", Message(d));
        }

        [Fact]
        public void GS2001_numClasses_that_differs_from_the_weights()
        {
            Single(Graph(LossLeaves + """
                return g.NceLoss(w, b, labels, x, 5, {|GS2001:99|}, numTrue: 2);
                """), "GS2001");
        }

        [Fact]
        public void GS2001_numTrue_that_differs_from_the_labels()
        {
            var d = Single(Graph(LossLeaves + """
                return g.SampledSoftmaxLoss(w, b, labels, x, numSampled: 5, numClasses: 100, {|GS2001:numTrue: 3|});
                """), "GS2001");
            Assert.Contains("numTrue is 3", Message(d));
        }

        [Fact]
        public void GS2001_sampled_sparse_softmax_with_two_true_classes_is_at_labels()
        {
            Single(Graph(LossLeaves + """
                return g.SampledSparseSoftmaxLoss(w, b, {|GS2001:labels|}, x, numSampled: 5, numClasses: 100);
                """), "GS2001");
        }

        [Fact]
        public void GS3001_tapas_numResampled_not_below_numSampled()
        {
            var d = Single(Graph(LossLeaves + """
                return g.RankSampledSoftmaxLoss(w, b, labels, x, 16, {|GS3001:16|}, 100, 2, null, 0.5, true);
                """), "GS3001");
            Assert.Contains("must be less than numSampled", Message(d));
        }

        [Fact]
        public void GS2004_tapas_temperature_that_is_not_positive()
        {
            Single(Graph(LossLeaves + """
                return g.RankSampledSoftmaxLoss(w, b, labels, x, 16, 4, 100, 2, null, {|GS2004:resamplingTemperature: 0.0|}, true);
                """), "GS2004");
        }

        [Fact]
        public void GS2004_ragged_labels_with_a_sampler_that_refuses_padding()
        {
            var d = Single(Graph(LossLeaves + """
                var s = g.LogUniformCandidateSampler(labels, 2, 16, true, 100);
                return g.SampledSoftmaxLoss(w, b, labels, x, 16, 100, 2, s, {|GS2004:raggedLabels: true|});
                """), "GS2004");
            Assert.Contains("raggedTrueClasses", Message(d));
        }

        // ---- GS3xxx: graph semantics ----------------------------------------------------------------------------

        [Fact]
        public void GS3001_unique_sampling_of_more_than_the_range()
        {
            var d = Single(Graph("""
                var labels = g.Labels("labels", Batch);
                var table = g.Parameter("table", 10, 4);
                var s = g.UniformCandidateSampler(labels, numTrue: 1, {|GS3001:numSampled: 20|}, unique: true, rangeMax: 10);
                return g.ReduceSum(g.EmbeddingLookup(table, s.SampledCandidates), axis: 1);
                """), "GS3001");
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
            Assert.Contains("20", Message(d));
            Assert.Contains("10", Message(d));
        }

        [Fact]
        public void Non_unique_sampling_of_more_than_the_range_is_fine()
        {
            AnalyzerHarness.Verify(Graph("""
                var labels = g.Labels("labels", Batch);
                var table = g.Parameter("table", 10, 4);
                var s = g.UniformCandidateSampler(labels, numTrue: 1, numSampled: 20, unique: false, rangeMax: 10);
                return g.ReduceSum(g.EmbeddingLookup(table, s.SampledCandidates), axis: 1);
                """), TestContext.Current.CancellationToken);
        }

        // ---- The markup harness itself -------------------------------------------------------------------------

        [Fact]
        public void Markup_is_stripped_into_ids_and_spans_and_may_nest()
        {
            var (source, expected) = AnalyzerHarness.ParseMarkup("a{|GS1:b{|GS2:c|}|}d");
            Assert.Equal("abcd", source);
            Assert.Equal(new[] { new ExpectedDiagnostic("GS1", Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(1, 3)), new ExpectedDiagnostic("GS2", Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(2, 3)) }, expected);
        }

        [Fact]
        public void Verify_fails_when_the_span_or_the_id_differs()
        {
            string ok = Graph("""
                var h = g.Input<float>("h", Batch, 128);
                var w = g.Parameter("w", 256, 10);
                return g.ReduceSum(g.MatMul(h, {|GS2001:w|}), axis: 1);
                """);
            AnalyzerHarness.Verify(ok, TestContext.Current.CancellationToken);
            var e1 = Assert.ThrowsAny<System.Exception>(() => AnalyzerHarness.Verify(ok.Replace("{|GS2001:w|}", "{|GS2002:w|}"), TestContext.Current.CancellationToken));
            Assert.Contains("GS2001", e1.Message);
            var e2 = Assert.ThrowsAny<System.Exception>(() => AnalyzerHarness.Verify(ok.Replace("g.MatMul(h, {|GS2001:w|})", "{|GS2001:g.MatMul(h, w)|}"), TestContext.Current.CancellationToken));
            Assert.Contains("inner dimensions differ", e2.Message);
            Assert.ThrowsAny<System.Exception>(() => AnalyzerHarness.Verify(ok.Replace("{|GS2001:w|}", "w"), TestContext.Current.CancellationToken));
        }
    }
}
