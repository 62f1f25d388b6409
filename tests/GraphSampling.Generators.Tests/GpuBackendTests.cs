using System.Linq;
using GraphSampling.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GraphSampling.Generators.Tests
{
    /// <summary>
    /// The GPU backend's file: written only when the compilation references GraphSampling.Runtime.Gpu and every op of the
    /// graph is marked for the GPU, pinned by snapshots under snapshots/Generators/GpuBackendTests/, and never a change to
    /// the CPU file. The incremental pipeline re-runs only Emit when the reference comes or goes.
    /// </summary>
    public sealed class GpuBackendTests
    {
        private const string GpuSuffix = ".Gpu.g.cs";

        [Fact]
        public void FullSoftmaxClassifier() => Verify(GeneratorSnapshotTests.FullSoftmax, nameof(FullSoftmaxClassifier), "Samples.FullSoftmaxClassifier");

        [Fact]
        public void BagOfWordsClassifier() => Verify(GeneratorSnapshotTests.BagOfWords, nameof(BagOfWordsClassifier), "Samples.BagOfWordsClassifier");

        [Fact]
        public void SampledSoftmaxLossComposite() => Verify(GeneratorSnapshotTests.SampledSoftmaxComposite, nameof(SampledSoftmaxLossComposite), "Samples.LanguageModelLoss");

        [Fact]
        public void NceLossComposite() => Verify(NceWithSampler, nameof(NceLossComposite), "Samples.SkipGramNce");

        [Fact]
        public void NceWithFedSampledValues() => Verify(GeneratorSnapshotTests.NceComposite, nameof(NceWithFedSampledValues), "Samples.SkipGram");

        /// <summary>word2vec skip-gram NCE with the composite's default (log-uniform unique) sampler, two true classes.</summary>
        internal const string NceWithSampler = """
            using GraphSampling;

            namespace Samples;

            [ComputationGraph]
            public static partial class SkipGramNce
            {
                public const int Batch = 16, Dim = 8, Vocabulary = 500, NumSampled = 12;

                static Tensor<float> Define(GraphBuilder g)
                {
                    var centers = g.Input<long>("centers", Batch);
                    var contexts = g.Labels("contexts", Batch, numTrue: 2);
                    var inputEmbeddings = g.Parameter("inputEmbeddings", Vocabulary, Dim);
                    var weights = g.Parameter("weights", Vocabulary, Dim, shards: 2, partition: Partition.Mod);
                    var biases = g.Parameter("biases", Vocabulary, shards: 2, partition: Partition.Mod);
                    var inputs = g.EmbeddingLookup(inputEmbeddings, centers);
                    var nce = g.NceLoss(weights, biases, contexts, inputs, NumSampled, Vocabulary, numTrue: 2, seed: 9);
                    return nce;
                }
            }
            """;

        internal const string Tapas = """
            using GraphSampling;

            namespace Samples;

            [ComputationGraph]
            public static partial class TapasLoss
            {
                public const int Batch = 8, Dim = 6, Classes = 300, NumSampled = 40, NumResampled = 10;

                static Tensor<float> Define(GraphBuilder g)
                {
                    var x = g.Input<float>("x", Batch, Dim);
                    var labels = g.Labels("labels", Batch, numTrue: 1);
                    var weights = g.Parameter("weights", Classes, Dim);
                    var biases = g.Parameter("biases", Classes);
                    var loss = g.RankSampledSoftmaxLoss(weights, biases, labels, x, NumSampled, NumResampled, Classes, 1, null, 1.0, true, seed: 2);
                    return loss;
                }
            }
            """;

        [Fact]
        public void Without_the_gpu_runtime_reference_there_is_no_gpu_file()
        {
            var run = GeneratorHarness.Run(GeneratorSnapshotTests.FullSoftmax);
            Assert.DoesNotContain(run.Files, f => f.HintName.EndsWith(GpuSuffix, System.StringComparison.Ordinal));
        }

        [Fact]
        public void A_graph_with_an_op_the_gpu_does_not_generate_gets_only_the_cpu_file()
        {
            // TAPAS: its learned-unigram sampler, Divide, TopK and Gather are not marked for the GPU.
            var withGpu = GeneratorHarness.Run(Tapas, gpu: true);
            var without = GeneratorHarness.Run(Tapas);
            Assert.DoesNotContain(withGpu.Files, f => f.HintName.EndsWith(GpuSuffix, System.StringComparison.Ordinal));
            Assert.Equal(without.Files, withGpu.Files);
        }

        [Fact]
        public void The_sampled_softmax_written_from_primitives_gets_a_gpu_file_but_not_with_ragged_true_classes()
        {
            // Sampler, accidental hits in the fused group, log-Q, the logits concat: every kind is marked for the GPU.
            var run = GeneratorHarness.Run(GeneratorSnapshotTests.SampledSoftmaxWithSampler, gpu: true);
            Assert.Contains(run.Files, f => f.HintName == "Samples.LanguageModelHead" + GpuSuffix);
            Assert.Equal(GeneratorHarness.Run(GeneratorSnapshotTests.SampledSoftmaxWithSampler).Files, run.Files.Where(f => !f.HintName.EndsWith(GpuSuffix, System.StringComparison.Ordinal)));

            // A sampler with ragged true classes (padding labels) has no device version: GpuBackend.Declines.
            string ragged = GeneratorSnapshotTests.SampledSoftmaxWithSampler.Replace("rangeMax: Vocabulary, seed: 5)", "rangeMax: Vocabulary, seed: 5, raggedTrueClasses: true)", System.StringComparison.Ordinal);
            Assert.NotEqual(GeneratorSnapshotTests.SampledSoftmaxWithSampler, ragged);
            var declined = GeneratorHarness.Run(ragged, gpu: true);
            Assert.Contains(declined.Files, f => f.HintName == "Samples.LanguageModelHead.Cpu.g.cs");
            Assert.DoesNotContain(declined.Files, f => f.HintName.EndsWith(GpuSuffix, System.StringComparison.Ordinal));
        }

        [Fact]
        public void Adding_the_gpu_reference_reruns_only_Emit_and_adds_the_file()
        {
            var compilation = GeneratorHarness.CreateCompilation(GeneratorSnapshotTests.FullSoftmax);
            var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
            Assert.Equal(2, driver.GetRunResult().Results.Single().GeneratedSources.Length);

            var withGpu = compilation.WithReferences(References.WithGpu);
            driver = driver.RunGenerators(withGpu, TestContext.Current.CancellationToken);
            var result = driver.GetRunResult().Results.Single();
            Assert.Null(result.Exception);
            foreach (string step in new[] { TrackingNames.Parse, TrackingNames.Lower, TrackingNames.Infer, TrackingNames.Autodiff, TrackingNames.Plan })
            {
                Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, step + ": " + o.Reason));
            }
            Assert.All(result.TrackedSteps[TrackingNames.Emit].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
            Assert.Contains(result.GeneratedSources, s => s.HintName == "Samples.FullSoftmaxClassifier" + GpuSuffix);

            // A second run on an unchanged compilation with the reference keeps Emit cached.
            driver = driver.RunGenerators(withGpu.Clone(), TestContext.Current.CancellationToken);
            var again = driver.GetRunResult().Results.Single();
            Assert.All(again.TrackedSteps[TrackingNames.Emit].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        }

        private static void Verify(string source, string testName, string hint)
        {
            var run = GeneratorHarness.Run(source, gpu: true);
            Assert.Equal(new[] { hint + ".Cpu.g.cs", hint + GpuSuffix, hint + ".Graph.g.cs" }, run.Files.Select(f => f.HintName));
            // The CPU and Graph files are exactly those of a compilation without the GPU runtime.
            var cpuOnly = GeneratorHarness.Run(source);
            Assert.Equal(cpuOnly.Files, run.Files.Where(f => !f.HintName.EndsWith(GpuSuffix, System.StringComparison.Ordinal)));
            SnapshotAssert.Match(run.Files.Where(f => f.HintName.EndsWith(GpuSuffix, System.StringComparison.Ordinal)), nameof(GpuBackendTests), testName);
        }
    }
}
