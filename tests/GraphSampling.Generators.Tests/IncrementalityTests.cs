using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GraphSampling.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace GraphSampling.Generators.Tests
{
    /// <summary>
    /// The pipeline must stop at the first equal value: edits that do not change the graph must not re-emit, and a changed
    /// dimension must. Checked on every tracked step (Parse, Lower, Infer, Autodiff, Plan, Emit) of a second driver run.
    /// </summary>
    public sealed class IncrementalityTests
    {
        private static readonly string Source = GeneratorSnapshotTests.BagOfWords;

        private static (GeneratorDriver Driver, CSharpCompilation Compilation, SyntaxTree Tree) FirstRun(string source)
        {
            var compilation = GeneratorHarness.CreateCompilation(source);
            var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
            var result = driver.GetRunResult().Results.Single();
            Assert.Null(result.Exception);
            Assert.Equal(2, result.GeneratedSources.Length);
            foreach (string step in Stages) AssertReasons(result, step, IncrementalStepRunReason.New);
            return (driver, compilation, compilation.SyntaxTrees.Single());
        }

        private static readonly string[] Stages = { TrackingNames.Parse, TrackingNames.Lower, TrackingNames.Infer, TrackingNames.Autodiff, TrackingNames.Plan, TrackingNames.Emit };

        /// <summary>The steps after Parse, which a spec-preserving edit must not run again.</summary>
        private static readonly string[] AfterParse = { TrackingNames.Lower, TrackingNames.Infer, TrackingNames.Autodiff, TrackingNames.Plan, TrackingNames.Emit };

        private static GeneratorRunResult Rerun(ref GeneratorDriver driver, Compilation compilation)
        {
            driver = driver.RunGenerators(compilation);
            var result = driver.GetRunResult().Results.Single();
            Assert.Null(result.Exception);
            return result;
        }

        private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), "no tracked step '" + step + "'");
            return result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
        }

        private static void AssertReasons(GeneratorRunResult result, string step, params IncrementalStepRunReason[] allowed)
        {
            var reasons = Reasons(result, step);
            Assert.NotEmpty(reasons);
            Assert.True(reasons.All(r => allowed.Contains(r)),
                "step '" + step + "' outputs were [" + string.Join(", ", reasons) + "], expected only [" + string.Join(", ", allowed) + "]");
        }

        private static Dictionary<string, string> Texts(GeneratorRunResult result) =>
            result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

        private static SyntaxTree Reparse(SyntaxTree tree, string text) => tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text));

        [Fact]
        public void Comment_only_edit_leaves_Parse_unchanged_and_Emit_cached()
        {
            var (driver, compilation, tree) = FirstRun(Source);
            var before = Texts(driver.GetRunResult().Results.Single());
            string edited = Source.Replace("// float [B, 32]", "// float [B, 32]: one vector per sentence");
            Assert.NotEqual(Source, edited);
            var result = Rerun(ref driver, compilation.ReplaceSyntaxTree(tree, Reparse(tree, edited)));

            // The edited tree is parsed again, so Parse runs, but its spec equals the old one; no later step runs at all.
            AssertReasons(result, TrackingNames.Parse, IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached);
            foreach (string step in AfterParse) AssertReasons(result, step, IncrementalStepRunReason.Cached);
            Assert.Equal(before, Texts(result));
        }

        [Fact]
        public void Whitespace_and_comment_edit_inside_Define_keeps_the_spec()
        {
            var (driver, compilation, tree) = FirstRun(Source);
            string edited = Source.Replace("var words = g.EmbeddingLookup(embeddings, tokens);", "var words   =   g.EmbeddingLookup( /* table */ embeddings,\n tokens );");
            Assert.NotEqual(Source, edited);
            var result = Rerun(ref driver, compilation.ReplaceSyntaxTree(tree, Reparse(tree, edited)));
            AssertReasons(result, TrackingNames.Parse, IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached);
            AssertReasons(result, TrackingNames.Emit, IncrementalStepRunReason.Cached);
        }

        [Fact]
        public void Adding_an_unrelated_file_keeps_every_step_cached()
        {
            var (driver, compilation, _) = FirstRun(Source);
            var before = Texts(driver.GetRunResult().Results.Single());
            var unrelated = CSharpSyntaxTree.ParseText("namespace Other { public static class Helper { public static int Twice(int x) => 2 * x; } }", GeneratorHarness.ParseOptions, "Other.cs", cancellationToken: TestContext.Current.CancellationToken);
            var added = compilation.AddSyntaxTrees(unrelated);
            var result = Rerun(ref driver, added);
            // A new compilation re-runs ForAttributeWithMetadataName's semantic transform (Roslyn cannot know the new file
            // does not change what the graph binds to), so Parse may be Unchanged rather than Cached; what matters is that
            // its value is equal, so Emit does not run.
            AssertReasons(result, TrackingNames.Parse, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
            AssertReasons(result, TrackingNames.Emit, IncrementalStepRunReason.Cached);
            Assert.Equal(before, Texts(result));

            // Then editing that file: still nothing to do for the graph.
            var edited = Reparse(unrelated, "namespace Other { public static class Helper { public static int Thrice(int x) => 3 * x; } }");
            result = Rerun(ref driver, added.ReplaceSyntaxTree(unrelated, edited));
            AssertReasons(result, TrackingNames.Parse, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
            AssertReasons(result, TrackingNames.Emit, IncrementalStepRunReason.Cached);
            Assert.Equal(before, Texts(result));
        }

        [Fact]
        public void Changing_a_dimension_constant_modifies_Parse_and_Emit_and_the_generated_text()
        {
            var (driver, compilation, tree) = FirstRun(Source);
            var before = Texts(driver.GetRunResult().Results.Single());
            string edited = Source.Replace("Dim = 32", "Dim = 48");
            Assert.NotEqual(Source, edited);
            var result = Rerun(ref driver, compilation.ReplaceSyntaxTree(tree, Reparse(tree, edited)));
            foreach (string step in Stages) AssertReasons(result, step, IncrementalStepRunReason.Modified);
            var after = Texts(result);
            Assert.Equal(before.Keys.OrderBy(k => k, System.StringComparer.Ordinal), after.Keys.OrderBy(k => k, System.StringComparer.Ordinal));
            string cpu = "Samples.BagOfWordsClassifier.Cpu.g.cs";
            Assert.NotEqual(before[cpu], after[cpu]);
            Assert.Contains("[2000, 32]", before[cpu]);
            Assert.Contains("[2000, 48]", after[cpu]);
            Assert.DoesNotContain("[2000, 32]", after[cpu]);
        }

        [Fact]
        public void Renaming_a_variable_reemits_with_the_new_name_though_the_ir_is_equal()
        {
            var (driver, compilation, tree) = FirstRun(Source);
            string edited = Source.Replace("var sentence = g.ReduceSum(words, axis: 1);", "var bag = g.ReduceSum(words, axis: 1);")
                .Replace("g.MatMul(sentence, weights", "g.MatMul(bag, weights");
            Assert.NotEqual(Source, edited);
            var result = Rerun(ref driver, compilation.ReplaceSyntaxTree(tree, Reparse(tree, edited)));
            AssertReasons(result, TrackingNames.Parse, IncrementalStepRunReason.Modified);
            AssertReasons(result, TrackingNames.Emit, IncrementalStepRunReason.Modified);
            string cpu = Texts(result)["Samples.BagOfWordsClassifier.Cpu.g.cs"];
            Assert.Contains("_bag", cpu);
            Assert.DoesNotContain("_sentence", cpu);
        }

        [Fact]
        public void Toggling_unsafe_reemits_but_keeps_the_spec()
        {
            var (driver, compilation, _) = FirstRun(Source);
            var result = Rerun(ref driver, compilation.WithOptions(compilation.Options.WithAllowUnsafe(true)));
            AssertReasons(result, TrackingNames.Parse, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
            foreach (string step in new[] { TrackingNames.Lower, TrackingNames.Infer, TrackingNames.Autodiff, TrackingNames.Plan })
            {
                AssertReasons(result, step, IncrementalStepRunReason.Cached);
            }
            AssertReasons(result, TrackingNames.Emit, IncrementalStepRunReason.Modified);
            Assert.Contains("SkipLocalsInit", Texts(result)["Samples.BagOfWordsClassifier.Cpu.g.cs"]);
        }

        [Fact]
        public void Running_twice_on_a_cloned_compilation_keeps_every_tracked_step_equal_and_cached()
        {
            var (driver, compilation, _) = FirstRun(Source);
            var first = driver.GetRunResult().Results.Single();
            var second = Rerun(ref driver, compilation.Clone());
            foreach (string step in Stages)
            {
                AssertReasons(second, step, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
                var a = first.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToImmutableArray();
                var b = second.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToImmutableArray();
                Assert.Equal(a.Length, b.Length);
                for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i]);
            }
            // Every step the driver tracked, not only ours, produced nothing new.
            foreach (var step in second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
            {
                Assert.True(step.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, "output step ran again: " + step.Reason);
            }
            Assert.Equal(Texts(first), Texts(second));
        }
    }
}
