using System;
using System.Linq;
using GraphSampling.Generators.Tests.Harness;
using Xunit;

namespace GraphSampling.Generators.Tests
{
    /// <summary>
    /// A graph whose values or workspace exceed what one array can index is GS2004 naming the value and the limit, with
    /// no program generated (it used to compile to C# errors in the generated file, or throw OverflowException at
    /// construction).
    /// </summary>
    public sealed class SizeLimitTests
    {
        public static TheoryData<string, string, string> TooLarge => new TheoryData<string, string, string>
        {
            { "256 x 10M logits", """
                var h = g.Input<float>("h", 256, 4);
                var w = g.Parameter("w", 10000000, 4);
                var {|GS2004:logits|} = g.MatMul(h, w, transposeB: true);
                return g.ReduceSum(logits, axis: 1);
                """, "'logits' [B=256, 10000000] would hold 2,560,000,000 elements" },
            { "batch int.MaxValue", """
                var x = g.Input<float>("x", {|GS2004:int.MaxValue|}, 2);
                return g.ReduceSum(x, axis: 1);
                """, "'x' [B=2147483647, 2] would hold 4,294,967,294 elements" },
            { "a 65536 x 65536 input", """
                var x = g.Input<float>("x", {|GS2004:65536|}, 65536);
                return g.ReduceSum(x, axis: 1);
                """, "would hold 4,294,967,296 elements" },
            { "a 20M x 128 table", """
                var ids = g.Input<long>("ids", 4, 1);
                var w = g.Parameter("w", {|GS2004:20000000|}, 128);
                return g.ReduceSum(g.ReduceSum(g.EmbeddingLookup(w, ids), axis: 2), axis: 1);
                """, "'w' [20000000, 128] would hold 2,560,000,000 elements" },
            { "a workspace over the limit", """
                var x = g.Input<float>("x", 1, 1);
                var a = g.Parameter("a", 1200000000, 1);
                var b = g.Parameter("b", 1200000000, 1);
                var first = g.MatMul(x, a, transposeB: true);
                var second = g.MatMul(x, b, transposeB: true);
                return {|GS2004:g.ReduceSum(first, axis: 1) + g.ReduceSum(second, axis: 1)|};
                """, "workspace would need" },
        };

        [Theory]
        [MemberData(nameof(TooLarge))]
        public void A_value_or_workspace_beyond_one_array_is_GS2004_and_generates_no_program(string what, string body, string message)
        {
            string markup = AnalyzerTests.Graph(body, "");
            var d = Assert.Single(AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken), x => x.Id == "GS2004");
            string text = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains(message, text);
            Assert.Contains("2,147,483,591", text);
            var run = GeneratorHarness.Run(AnalyzerHarness.ParseMarkup(markup).Source, expectDiagnostics: true);
            Assert.True(run.Diagnostics.IsEmpty, what + ": " + GeneratorHarness.Render(run.Diagnostics));
            Assert.DoesNotContain(run.Files, f => f.HintName.EndsWith(".Cpu.g.cs", StringComparison.Ordinal));
            Assert.DoesNotContain(run.Output.GetDiagnostics(TestContext.Current.CancellationToken), x => x.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        }
    }
}
