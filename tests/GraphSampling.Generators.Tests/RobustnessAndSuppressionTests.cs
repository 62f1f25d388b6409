using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GraphSampling.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace GraphSampling.Generators.Tests
{
    /// <summary>
    /// A graph with errors generates nothing (the analyzers report it); user-facing rules can be silenced with #pragma;
    /// half-typed source never makes the generator or the analyzers throw.
    /// </summary>
    public sealed class RobustnessAndSuppressionTests
    {
        // ---- Errors generate no source --------------------------------------------------------------------------

        public static TheoryData<string, string> BrokenGraphs => new TheoryData<string, string>
        {
            { "shape error", AnalyzerTests.Graph("""
                var h = g.Input<float>("h", Batch, 128);
                var w = g.Parameter("w", 256, 10);
                return g.ReduceSum(g.MatMul(h, w), axis: 1);
                """) },
            { "non-constant attribute", AnalyzerTests.Graph("""
                var x = g.Input<float>("x", Batch, 5);
                return g.TopK(x, System.Environment.ProcessorCount).Values;
                """) },
            { "unsupported statement", AnalyzerTests.Graph("""
                var x = g.Input<float>("x", Batch, 3);
                if (Batch > 4) { x = g.Log(x); }
                return g.ReduceSum(x, axis: 1);
                """) },
            { "invalid name", AnalyzerTests.Graph("""
                var x = g.Input<float>("bad name", Batch, 3);
                return g.ReduceSum(x, axis: 1);
                """) },
        };

        [Theory]
        [MemberData(nameof(BrokenGraphs))]
        public void A_graph_with_an_error_generates_no_source_and_no_generator_diagnostic(string what, string source)
        {
            var run = GeneratorHarness.Run(source, expectDiagnostics: true);
            Assert.True(run.Files.IsEmpty, what + ": generated " + string.Join(", ", run.Files.Select(f => f.HintName)));
            Assert.True(run.Diagnostics.IsEmpty, what + ": " + GeneratorHarness.Render(run.Diagnostics));
            // The analyzers, not the generator, tell the user.
            Assert.Contains(AnalyzerHarness.GetDiagnostics(source, TestContext.Current.CancellationToken), d => d.Severity == DiagnosticSeverity.Error);
        }

        [Fact]
        public void A_composite_loss_graph_gets_its_graph_file_and_its_cpu_program()
        {
            var run = GeneratorHarness.Run(AnalyzerTests.Graph("""
                var labels = g.Labels("labels", Batch, numTrue: 1);
                var x = g.Input<float>("x", Batch, 4);
                var w = g.Parameter("w", 100, 4);
                var b = g.Parameter("b", 100);
                return g.SampledSoftmaxLoss(w, b, labels, x, numSampled: 5, numClasses: 100);
                """));
            Assert.Equal(new[] { "G.Cpu.g.cs", "G.Graph.g.cs" }, run.Files.Select(f => f.HintName).OrderBy(n => n, StringComparer.Ordinal));
        }

        // ---- #pragma suppression --------------------------------------------------------------------------------

        [Fact]
        public void GS2001_is_silenced_by_pragma()
        {
            string source = AnalyzerTests.Graph("""
                var h = g.Input<float>("h", Batch, 128);
                var w = g.Parameter("w", 256, 10);
                #pragma warning disable GS2001
                var logits = g.MatMul(h, w);
                #pragma warning restore GS2001
                return g.ReduceSum(logits, axis: 1);
                """);
            // Without the pragma the same graph reports GS2001 (so the test cannot pass vacuously).
            Assert.Contains(AnalyzerHarness.GetDiagnostics(WithoutPragmas(source), TestContext.Current.CancellationToken), d => d.Id == "GS2001");
            AnalyzerHarness.Verify(source, TestContext.Current.CancellationToken);
        }

        [Fact]
        public void GS1004_is_silenced_by_pragma()
        {
            string source = AnalyzerTests.Graph("""
                var x = g.Input<float>("x", Batch, 5);
                #pragma warning disable GS1004
                var top = g.TopK(x, System.Environment.ProcessorCount);
                #pragma warning restore GS1004
                return top.Values;
                """);
            Assert.Contains(AnalyzerHarness.GetDiagnostics(WithoutPragmas(source), TestContext.Current.CancellationToken), d => d.Id == "GS1004");
            AnalyzerHarness.Verify(source, TestContext.Current.CancellationToken);
        }

        private static string WithoutPragmas(string source) =>
            string.Join("\n", source.Split('\n').Where(l => !l.TrimStart().StartsWith("#pragma", StringComparison.Ordinal)));

        // ---- Every prefix of a valid graph ----------------------------------------------------------------------

        public static TheoryData<string, string> PrefixSources => new TheoryData<string, string>
        {
            { nameof(GeneratorSnapshotTests.BagOfWords), GeneratorSnapshotTests.BagOfWords },
            { nameof(GeneratorSnapshotTests.SampledSoftmaxPrimitives), GeneratorSnapshotTests.SampledSoftmaxPrimitives },
        };

        [Theory]
        [MemberData(nameof(PrefixSources))]
        public async System.Threading.Tasks.Task Every_prefix_runs_the_generator_and_analyzers_without_throwing(string name, string source)
        {
            var ct = TestContext.Current.CancellationToken;
            var failures = new List<string>();
            int prefixes = 0;
            for (int length = 0; length <= source.Length; length += 7)
            {
                prefixes++;
                string prefix = source.Substring(0, length);
                var compilation = GeneratorHarness.CreateCompilation(prefix);

                GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out _, out var generatorDiagnostics, ct);
                // A generator that throws is reported by the driver as CS8785; our own catch reports GS0001.
                foreach (var d in generatorDiagnostics.Where(d => d.Id == "GS0001" || d.Id == "CS8785"))
                {
                    failures.Add("prefix " + length + ": " + d.Id + " " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
                }

                var exceptions = new List<Exception>();
                var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                    (e, _, _) => { lock (exceptions) exceptions.Add(e); }, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
                var analyzerDiagnostics = await compilation.WithAnalyzers(AnalyzerHarness.Analyzers, options).GetAnalyzerDiagnosticsAsync(ct);
                foreach (var e in exceptions) failures.Add("prefix " + length + ": analyzer threw " + e.GetType().Name + ": " + e.Message);
                foreach (var d in analyzerDiagnostics.Where(d => d.Id == "AD0001" || d.Id == "GS0001")) failures.Add("prefix " + length + ": " + d);
            }
            Assert.True(prefixes > 50, name + " is too short to be a useful test");
            Assert.True(failures.Count == 0, name + ":\n" + string.Join("\n", failures.Take(20)));
        }
    }
}
