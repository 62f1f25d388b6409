using System;
using System.Globalization;
using System.Linq;
using GraphSampling.Generators.Emit;
using GraphSampling.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace GraphSampling.Generators.Tests
{
    /// <summary>
    /// The one literal formatter: the compiler reads back exactly the value written (checked by compiling the literals
    /// and reading their constant values), negatives and extremes included; values a type cannot hold are refused, and
    /// the attributes that would produce them are GS2004 at the argument. A negative seed compiles to TF's stream (the modulo itself: Graph.Tests, TfSeedsTests).
    /// </summary>
    public sealed class LiteralTests
    {
        private static object? ConstantOf(string type, string literal)
        {
            var tree = CSharpSyntaxTree.ParseText("static class C { const " + type + " V = " + literal + "; }");
            var compilation = CSharpCompilation.Create("L", new[] { tree }, References.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            GeneratorHarness.AssertNoErrors(compilation, literal);
            var declarator = tree.GetRoot(TestContext.Current.CancellationToken).DescendantNodes().OfType<VariableDeclaratorSyntax>().Single();
            return compilation.GetSemanticModel(tree).GetConstantValue(declarator.Initializer!.Value, TestContext.Current.CancellationToken).Value;
        }

        [Theory]
        [InlineData(0.0)]
        [InlineData(1.0)]
        [InlineData(-5.0)]
        [InlineData(0.1)]
        [InlineData(1.0000001)]
        [InlineData(16777217.0)]          // rounds to 16777216 as a float
        [InlineData(3.4028234663852886e38)]
        [InlineData(-3.4028234663852886e38)]
        [InlineData(1.401298464324817e-45)]
        [InlineData(1e-46)]               // underflows to 0 in float, as the cast does
        [InlineData(123456.789e-20)]
        public void Float_literals_round_trip(double value)
        {
            string literal = CSharpNames.Float(value);
            var read = (float)ConstantOf("float", literal)!;
            Assert.Equal(BitConverter.SingleToInt32Bits((float)value), BitConverter.SingleToInt32Bits(read));
        }

        [Fact]
        public void Non_finite_floats_are_named_and_values_beyond_float_are_refused()
        {
            Assert.Equal("float.NaN", CSharpNames.Float(double.NaN));
            Assert.Equal("float.PositiveInfinity", CSharpNames.Float(double.PositiveInfinity));
            Assert.Equal("float.NegativeInfinity", CSharpNames.Float(double.NegativeInfinity));
            Assert.True(float.IsNegativeInfinity((float)ConstantOf("float", CSharpNames.Float(double.NegativeInfinity))!));
            Assert.True(float.IsNegative((float)ConstantOf("float", CSharpNames.Float(-0.0))!));   // negative zero survives
            Assert.Throws<InvalidOperationException>(() => CSharpNames.Float(1e300));
            Assert.Throws<InvalidOperationException>(() => CSharpNames.Float(-3.5e38));
        }

        [Theory]
        [InlineData(0L)]
        [InlineData(-5L)]
        [InlineData(long.MaxValue)]
        [InlineData(long.MinValue)]
        [InlineData(long.MinValue + 1)]
        public void Long_literals_round_trip(long value) => Assert.Equal(value, Convert.ToInt64(ConstantOf("long", CSharpNames.Long(value)), CultureInfo.InvariantCulture));

        [Theory]
        [InlineData(0L)]
        [InlineData(-5L)]
        [InlineData((long)int.MaxValue)]
        [InlineData((long)int.MinValue)]
        public void Int_literals_round_trip(long value) => Assert.Equal((int)value, (int)ConstantOf("int", CSharpNames.Int(value))!);

        [Fact]
        public void Int_refuses_what_an_int_cannot_hold_and_ulong_reaches_its_maximum()
        {
            Assert.Throws<InvalidOperationException>(() => CSharpNames.Int((long)int.MaxValue + 1));
            Assert.Equal(ulong.MaxValue, (ulong)ConstantOf("ulong", CSharpNames.ULong(ulong.MaxValue))!);
        }

        [Theory]
        [InlineData("-5", "2147483642UL")]
        [InlineData("long.MinValue", "2147483645UL")]
        public void A_negative_seed_compiles_to_TFs_stream(string seed, string stream)
        {
            var run = GeneratorHarness.Run(AnalyzerTests.Graph($$"""
                var labels = g.Labels("labels", Batch);
                var x = g.Input<float>("x", Batch, 4);
                var s = g.UniformCandidateSampler(labels, numTrue: 1, numSampled: 5, unique: true, rangeMax: 100, seed: {{seed}});
                return g.ReduceSum(x, axis: 1) + g.ReduceSum(s.TrueExpectedCount, axis: 1);
                """));
            Assert.Contains("87654321UL, " + stream + ")", run.Files.Single(f => f.HintName == "G.Cpu.g.cs").Text);
        }

        public static TheoryData<string, string> FloatAttributes => new TheoryData<string, string>
        {
            { "a unigram beyond float", "var s = g.FixedUnigramCandidateSampler(labels, 1, 2, true, 3, {|GS2004:unigrams: [1.0, 1e300, 2.0]|});" },
            { "unigrams whose float total overflows", "var s = g.FixedUnigramCandidateSampler(labels, 1, 2, true, 2, {|GS2004:unigrams: [3e38, 3e38]|});" },
            { "a negative unigram", "var s = g.FixedUnigramCandidateSampler(labels, 1, 2, true, 2, {|GS2004:unigrams: [1.0, -1.0]|});" },
            { "a distortion beyond float", "var s = g.FixedUnigramCandidateSampler(labels, 1, 2, true, 2, {|GS2004:distortion: 1e300|}, unigrams: [1.0, 2.0]);" },
            { "unigrams that do not fill rangeMax", "var s = g.FixedUnigramCandidateSampler(labels, 1, 2, true, {|GS2004:5|}, unigrams: [1.0, 2.0]);" },
            { "both a file and unigrams", "var s = g.FixedUnigramCandidateSampler(labels, 1, 2, true, 2, vocabFile: \"v.txt\", {|GS2004:unigrams: [1.0, 2.0]|});" },
            { "a shard outside numShards", "var s = g.FixedUnigramCandidateSampler(labels, 1, 1, true, 1, numShards: 2, {|GS2004:shard: 2|}, unigrams: [1.0, 2.0]);" },
        };

        [Theory]
        [MemberData(nameof(FloatAttributes))]
        public void An_attribute_the_program_could_not_hold_is_GS2004_at_it(string what, string sampler)
        {
            string markup = AnalyzerTests.Graph("var labels = g.Labels(\"labels\", Batch);\nvar x = g.Input<float>(\"x\", Batch, 4);\n" + sampler
                + "\nreturn g.ReduceSum(x, axis: 1) + g.ReduceSum(s.TrueExpectedCount, axis: 1);");
            Assert.Single(AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken), d => d.Id == "GS2004");
            var run = GeneratorHarness.Run(AnalyzerHarness.ParseMarkup(markup).Source, expectDiagnostics: true);
            Assert.True(run.Diagnostics.IsEmpty, what + ": " + GeneratorHarness.Render(run.Diagnostics));
            Assert.DoesNotContain(run.Files, f => f.HintName.EndsWith(".Cpu.g.cs", StringComparison.Ordinal));
        }

        [Fact]
        public void Unique_fixed_unigram_sampling_of_more_than_its_non_zero_classes_is_GS3001()
        {
            // Found at declaration, so the call can never fail in the middle (after other samplers have drawn).
            string markup = AnalyzerTests.Graph("""
                var labels = g.Labels("labels", Batch);
                var x = g.Input<float>("x", Batch, 4);
                var s = g.FixedUnigramCandidateSampler(labels, 1, {|GS3001:3|}, true, 4, unigrams: [1.0, 0.0, 2.0, 0.0]);
                return g.ReduceSum(x, axis: 1) + g.ReduceSum(s.TrueExpectedCount, axis: 1);
                """);
            Assert.Single(AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken), d => d.Id == "GS3001");
        }

        [Fact]
        public void A_max_norm_beyond_float_is_GS2004()
        {
            string markup = AnalyzerTests.Graph("""
                var ids = g.Input<long>("ids", Batch, 2);
                var w = g.Parameter("w", 10, 3);
                return g.ReduceSum(g.ReduceSum(g.EmbeddingLookup(w, ids, {|GS2004:maxNorm: 1e300|}), axis: 2), axis: 1);
                """);
            Assert.Single(AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken), d => d.Id == "GS2004");
        }
    }
}
