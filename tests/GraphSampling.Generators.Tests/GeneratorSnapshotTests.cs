using System.Linq;
using GraphSampling.Generators.Tests.Harness;
using Xunit;

namespace GraphSampling.Generators.Tests
{
    /// <summary>
    /// Runs the real generator over a catalogue of graphs and pins every generated file under
    /// snapshots/Generators/GeneratorSnapshotTests/&lt;Test&gt;/. The sources are also used by the other suites.
    /// </summary>
    public sealed class GeneratorSnapshotTests
    {
        /// <summary>The sample's bag-of-words classifier: a 2-shard Mod embedding table, sum over words, a linear layer.</summary>
        public const string BagOfWords = """
            using GraphSampling;

            namespace Samples;

            [ComputationGraph]
            public static partial class BagOfWordsClassifier
            {
                public const int Batch = 64, Words = 6, Vocabulary = 2_000, Dim = 32, Classes = 10;

                static Tensor<float> Define(GraphBuilder g)
                {
                    var tokens = g.Input<long>("tokens", Batch, Words);                    // int64 [B, 6]
                    var labels = g.Input<long>("labels", Batch);                           // int64 [B]
                    var embeddings = g.Parameter("embeddings", Vocabulary, Dim, shards: 2, partition: Partition.Mod);
                    var weights = g.Parameter("weights", Classes, Dim);                    // float [10, 32]
                    var biases = g.Parameter("biases", Classes);                           // float [10]
                    var words = g.EmbeddingLookup(embeddings, tokens);                     // float [B, 6, 32]
                    var sentence = g.ReduceSum(words, axis: 1);                            // float [B, 32]
                    var logits = g.BiasAdd(g.MatMul(sentence, weights, transposeB: true), biases);  // float [B, 10]
                    return g.SparseSoftmaxCrossEntropyWithLogits(labels, logits);          // float [B]
                }
            }
            """;

        /// <summary>A dense softmax classifier over all classes with one-hot float labels.</summary>
        public const string FullSoftmax = """
            using GraphSampling;

            namespace Samples;

            [ComputationGraph]
            public static partial class FullSoftmaxClassifier
            {
                public const int Batch = 32, Features = 16, Classes = 5;

                static Tensor<float> Define(GraphBuilder g)
                {
                    var features = g.Input<float>("features", Batch, Features);   // float [B, 16]
                    var onehot = g.Input<float>("onehot", Batch, Classes);         // float [B, 5], one-hot
                    var weights = g.Parameter("weights", Features, Classes);      // float [16, 5]
                    var biases = g.Parameter("biases", Classes);                  // float [5]
                    var logits = g.BiasAdd(g.MatMul(features, weights), biases);  // float [B, 5]
                    return g.SoftmaxCrossEntropyWithLogits(onehot, logits);       // float [B]
                }
            }
            """;

        /// <summary>An embedding bag over -1-padded ids with trainable per-id weights, into a classifier.</summary>
        public const string EmbeddingBag = """
            using GraphSampling;

            namespace Samples;

            [ComputationGraph]
            public static partial class TagBagClassifier
            {
                public const int Batch = 32, MaxTags = 12, Tags = 5_000, Dim = 16, Classes = 8;

                static Tensor<float> Define(GraphBuilder g)
                {
                    var tags = g.Input<long>("tags", Batch, MaxTags);            // each row's tags, then -1
                    var tagWeights = g.Input<float>("tagWeights", Batch, MaxTags);
                    var labels = g.Input<long>("labels", Batch);
                    var embeddings = g.Parameter("embeddings", Tags, Dim, shards: 2, partition: Partition.Mod);
                    var classes = g.Parameter("classes", Classes, Dim);
                    var bag = g.EmbeddingLookupSparse(embeddings, tags, tagWeights, Combiner.Sqrtn);
                    return g.SparseSoftmaxCrossEntropyWithLogits(labels, g.MatMul(bag, classes, transposeB: true));
                }
            }
            """;

        /// <summary>Ragged labels: up to four liked items per user, -1 padded, with TF's default sampler (it takes the
        /// padding), padded true lookups, the padded logits masked and 1/T_i targets per row.</summary>
        public const string RaggedLabels = """
            using GraphSampling;

            namespace Samples;

            [ComputationGraph]
            public static partial class RaggedLikes
            {
                public const int Batch = 16, MaxLikes = 4, Items = 2_000, Dim = 8, Negatives = 32;

                static Tensor<float> Define(GraphBuilder g)
                {
                    var user = g.Input<float>("user", Batch, Dim);
                    var likes = g.Labels("likes", Batch, numTrue: MaxLikes);     // each row's items, then -1
                    var items = g.Parameter("items", Items, Dim);
                    var itemBiases = g.Parameter("itemBiases", Items);
                    return g.SampledSoftmaxLoss(items, itemBiases, likes, user, numSampled: Negatives, numClasses: Items, numTrue: MaxLikes, seed: 3, raggedLabels: true);
                }
            }
            """;

        /// <summary>Several outputs: the loss (differentiated), the logits and the two best classes, each its own span.</summary>
        public const string SeveralOutputs = """
            using GraphSampling;

            namespace Samples;

            [ComputationGraph]
            public static partial class ScoredClassifier
            {
                public const int Batch = 32, Features = 16, Classes = 5;

                static (Tensor<float> Loss, Tensor<float> Logits, Tensor<long> Best) Define(GraphBuilder g)
                {
                    var features = g.Input<float>("features", Batch, Features);
                    var labels = g.Input<long>("labels", Batch);
                    var weights = g.Parameter("weights", Features, Classes);
                    var logits = g.MatMul(features, weights);
                    var loss = g.SparseSoftmaxCrossEntropyWithLogits(labels, logits);
                    return (loss, logits, g.TopK(logits, 2).Indices);
                }
            }
            """;

        /// <summary>
        /// TF's sampled_softmax_loss written out in primitives: the sampled ids come from outside (a side input) with their
        /// expected counts; the class table is Div-sharded unevenly (7 rows over 3 shards: 3, 2, 2).
        /// </summary>
        public const string SampledSoftmaxPrimitives = """
            using GraphSampling;

            namespace Samples.Sampling
            {
                [ComputationGraph]
                public static partial class SampledSoftmaxByHand
                {
                    public const int Batch = 8, Dim = 4, Classes = 7, Shards = 3, NumSampled = 3;

                    static Tensor<float> Define(GraphBuilder g)
                    {
                        var inputs = g.Input<float>("inputs", Batch, Dim);                    // float [B, 4]
                        var labels = g.Labels("labels", Batch, numTrue: 1);                   // int64 [B, 1]
                        var sampled = g.SideInput<long>("sampled", NumSampled);               // int64 [3]
                        var trueExpected = g.Input<float>("trueExpected", Batch, 1);          // Qt float [B, 1]
                        var sampledExpected = g.SideInput<float>("sampledExpected", NumSampled); // Qs float [3]
                        var targets = g.Input<float>("targets", Batch, 1 + NumSampled);       // [1, 0, 0, 0] per row
                        var weights = g.Parameter("weights", Classes, Dim, shards: Shards, partition: Partition.Div);
                        var biases = g.Parameter("biases", Classes);

                        // True logits: row-wise dot of each input with its label's row, plus the label's bias, minus log Qt.
                        var trueW = g.EmbeddingLookup(weights, labels);                       // [B, 1, 4]
                        var trueB = g.EmbeddingLookup(biases, labels);                        // [B, 1]
                        var rows = g.Reshape(inputs, [Batch, 1, Dim]);                        // [B, 1, 4]
                        var dots = g.ReduceSum(g.Multiply(rows, trueW), axis: 2);             // [B, 1]
                        var trueLogits = g.Subtract(dots + trueB, g.Log(trueExpected));       // [B, 1]

                        // Sampled logits: inputs x sampled rows^T, plus their biases, minus log Qs.
                        var sampledW = g.EmbeddingLookup(weights, sampled);                   // [3, 4]
                        var sampledB = g.EmbeddingLookup(biases, sampled);                    // [3]
                        var sampledLogits = g.Subtract(
                            g.BiasAdd(g.MatMul(inputs, sampledW, transposeB: true), sampledB),
                            g.Log(sampledExpected));                                          // [B, 3]

                        var logits = g.Concat([trueLogits, sampledLogits], axis: 1);          // [B, 4]
                        return g.SoftmaxCrossEntropyWithLogits(targets, logits);              // [B]
                    }
                }
            }
            """;

        /// <summary>
        /// An NCE-like skip-gram graph: a max-norm clipped input embedding, one true and K sampled output rows, sigmoid
        /// cross-entropy per logit, columns weighted by a SparseToDense vector, summed per row.
        /// </summary>
        public const string NceLike = """
            using GraphSampling;

            [ComputationGraph]
            public static partial class SkipGramNceByHand
            {
                public const int Batch = 16, Dim = 8, Vocab = 50, NumSampled = 4;

                static Tensor<float> Define(GraphBuilder g)
                {
                    var centers = g.Input<long>("centers", Batch);                          // int64 [B]
                    var contexts = g.Labels("contexts", Batch, numTrue: 1);                 // int64 [B, 1]
                    var sampled = g.SideInput<long>("sampled", NumSampled);                 // int64 [4]
                    var targets = g.Input<float>("targets", Batch, 1 + NumSampled);         // 1 then 0s
                    var reweighted = g.SideInput<long>("reweighted", 2);                    // columns to reweight
                    var columnWeights = g.SideInput<float>("columnWeights", 2);             // their weights
                    var inEmb = g.Parameter("inputEmbeddings", Vocab, Dim);
                    var outW = g.Parameter("outputWeights", Vocab, Dim, shards: 2, partition: Partition.Mod);
                    var outB = g.Parameter("outputBiases", Vocab);

                    var h = g.EmbeddingLookup(inEmb, centers, maxNorm: 1.0);                // [B, 8], rows clipped to norm 1
                    var trueW = g.EmbeddingLookup(outW, contexts);                          // [B, 1, 8]
                    var trueB = g.EmbeddingLookup(outB, contexts);                          // [B, 1]
                    var trueLogits = g.ReduceSum(g.Reshape(h, [Batch, 1, Dim]) * trueW, axis: 2) + trueB;   // [B, 1]
                    var sampledW = g.EmbeddingLookup(outW, sampled);                        // [4, 8]
                    var sampledB = g.EmbeddingLookup(outB, sampled);                        // [4]
                    var sampledLogits = g.BiasAdd(g.MatMul(h, sampledW, transposeB: true), sampledB);       // [B, 4]
                    var logits = g.Concat(new[] { trueLogits, sampledLogits }, axis: 1);    // [B, 5]
                    var perLogit = g.SigmoidCrossEntropyWithLogits(targets, logits);        // [B, 5]
                    var weighting = g.SparseToDense(reweighted, [1 + NumSampled], columnWeights, defaultValue: 1.0);  // [5]
                    return g.ReduceSum(perLogit * weighting, axis: 1);                      // [B]
                }
            }
            """;

        /// <summary>Sampled softmax with the candidates drawn in the graph (log-uniform, unique) and the accidental-hit mask
        /// from ComputeAccidentalHits; sampled values and soft labels are stop-gradient data, as in TF.</summary>
        public const string SampledSoftmaxWithSampler = """
            using GraphSampling;

            namespace Samples;

            [ComputationGraph]
            public static partial class LanguageModelHead
            {
                public const int Batch = 32, Dim = 16, Vocabulary = 1_000, NumSampled = 20;

                static Tensor<float> Define(GraphBuilder g)
                {
                    var hidden = g.Input<float>("hidden", Batch, Dim);
                    var nextWord = g.Labels("nextWord", Batch, numTrue: 1);
                    var softLabels = g.StopGradient(g.Input<float>("softLabels", Batch, 1 + NumSampled));
                    var weights = g.Parameter("weights", Vocabulary, Dim, shards: 3, partition: Partition.Div);
                    var biases = g.Parameter("biases", Vocabulary, shards: 3, partition: Partition.Div);
                    var sampled = g.LogUniformCandidateSampler(nextWord, numTrue: 1, numSampled: NumSampled, unique: true, rangeMax: Vocabulary, seed: 5);
                    var hits = g.ComputeAccidentalHits(nextWord, sampled.SampledCandidates, numTrue: 1);
                    var trueLogits = g.ReduceSum(g.Reshape(hidden, [Batch, 1, Dim]) * g.EmbeddingLookup(weights, nextWord), axis: 2) + g.EmbeddingLookup(biases, nextWord);
                    var sampledLogits = g.BiasAdd(g.MatMul(hidden, g.EmbeddingLookup(weights, sampled.SampledCandidates), transposeB: true), g.EmbeddingLookup(biases, sampled.SampledCandidates)) + hits;
                    var logits = g.Concat([trueLogits - g.Log(sampled.TrueExpectedCount), sampledLogits - g.Log(sampled.SampledExpectedCount)], axis: 1);
                    return g.SoftmaxCrossEntropyWithLogits(softLabels, logits);
                }
            }
            """;

        /// <summary>The language-model head of <see cref="SampledSoftmaxWithSampler"/> as one composite call with TF's
        /// default sampler (log-uniform unique, exposed as the program's LossSampler).</summary>
        public const string SampledSoftmaxComposite = """
            using GraphSampling;

            namespace Samples;

            [ComputationGraph]
            public static partial class LanguageModelLoss
            {
                public const int Batch = 32, Dim = 16, Vocabulary = 1_000, NumSampled = 20;

                static Tensor<float> Define(GraphBuilder g)
                {
                    var hidden = g.Input<float>("hidden", Batch, Dim);
                    var nextWord = g.Labels("nextWord", Batch, numTrue: 1);
                    var weights = g.Parameter("weights", Vocabulary, Dim, shards: 3, partition: Partition.Div);
                    var biases = g.Parameter("biases", Vocabulary, shards: 3, partition: Partition.Div);
                    var loss = g.SampledSoftmaxLoss(weights, biases, nextWord, hidden, NumSampled, Vocabulary, seed: 5);
                    return loss;
                }
            }
            """;

        /// <summary>word2vec NCE with fed sampled values (the user's own sampler) and two true classes per row.</summary>
        public const string NceComposite = """
            using GraphSampling;

            namespace Samples;

            [ComputationGraph]
            public static partial class SkipGram
            {
                public const int Batch = 16, Dim = 8, Vocabulary = 500, NumSampled = 12;

                static Tensor<float> Define(GraphBuilder g)
                {
                    var centers = g.Input<long>("centers", Batch);
                    var contexts = g.Labels("contexts", Batch, numTrue: 2);
                    var inputEmbeddings = g.Parameter("inputEmbeddings", Vocabulary, Dim);
                    var weights = g.Parameter("weights", Vocabulary, Dim, shards: 2, partition: Partition.Mod);
                    var biases = g.Parameter("biases", Vocabulary, shards: 2, partition: Partition.Mod);
                    var negatives = g.SampledValues(g.SideInput<long>("negatives", NumSampled),
                        g.Input<float>("trueExpected", Batch, 2), g.SideInput<float>("negativeExpected", NumSampled));
                    var inputs = g.EmbeddingLookup(inputEmbeddings, centers);
                    var nce = g.NceLoss(weights, biases, contexts, inputs, NumSampled, Vocabulary, numTrue: 2, sampledValues: negatives);
                    return nce;
                }
            }
            """;

        /// <summary>The sampled sparse softmax with an in-graph unigram sampler passed as its sampled values.</summary>
        public const string SparseComposite = """
            using GraphSampling;

            namespace Samples;

            [ComputationGraph]
            public static partial class SparseHead
            {
                public const int Batch = 8, Dim = 4, Classes = 6, NumSampled = 3;

                static Tensor<float> Define(GraphBuilder g)
                {
                    var x = g.Input<float>("x", Batch, Dim);
                    var labels = g.Labels("labels", Batch);
                    var weights = g.Parameter("weights", Classes, Dim);
                    var biases = g.Parameter("biases", Classes);
                    var sampled = g.FixedUnigramCandidateSampler(labels, numTrue: 1, numSampled: NumSampled, unique: true, rangeMax: Classes,
                        unigrams: [5, 1, 3, 1, 0.5, 2], seed: 4);
                    var loss = g.SampledSparseSoftmaxLoss(weights, biases, labels, x, NumSampled, Classes, sampledValues: sampled);
                    return loss;
                }
            }
            """;

        /// <summary>TAPAS with its default learned-unigram sampler.</summary>
        public const string TapasComposite = """
            using GraphSampling;

            namespace Samples;

            [ComputationGraph]
            public static partial class Recommender
            {
                public const int Batch = 16, Dim = 8, Items = 2_000, NumSampled = 64, NumResampled = 16;

                static Tensor<float> Define(GraphBuilder g)
                {
                    var user = g.Input<float>("user", Batch, Dim);
                    var item = g.Labels("item", Batch);
                    var weights = g.Parameter("weights", Items, Dim, shards: 2);
                    var biases = g.Parameter("biases", Items, shards: 2);
                    var tapas = g.RankSampledSoftmaxLoss(weights, biases, item, user, NumSampled, NumResampled, Items, numTrue: 1,
                        sampledValues: null, resamplingTemperature: 0.5, removeAccidentalHits: true, seed: 3);
                    return tapas;
                }
            }
            """;

        [Fact]
        public void SampledSoftmaxLossComposite() => Verify(SampledSoftmaxComposite, nameof(SampledSoftmaxLossComposite),
            "Samples.LanguageModelLoss.Cpu.g.cs", "Samples.LanguageModelLoss.Graph.g.cs");

        [Fact]
        public void NceLossComposite() => Verify(NceComposite, nameof(NceLossComposite), "Samples.SkipGram.Cpu.g.cs", "Samples.SkipGram.Graph.g.cs");

        [Fact]
        public void SampledSparseSoftmaxLossComposite() => Verify(SparseComposite, nameof(SampledSparseSoftmaxLossComposite),
            "Samples.SparseHead.Cpu.g.cs", "Samples.SparseHead.Graph.g.cs");

        [Fact]
        public void RankSampledSoftmaxLossComposite() => Verify(TapasComposite, nameof(RankSampledSoftmaxLossComposite),
            "Samples.Recommender.Cpu.g.cs", "Samples.Recommender.Graph.g.cs");

        [Fact]
        public void SampledSoftmaxWithInGraphSampler() => Verify(SampledSoftmaxWithSampler, nameof(SampledSoftmaxWithInGraphSampler),
            "Samples.LanguageModelHead.Cpu.g.cs", "Samples.LanguageModelHead.Graph.g.cs");

        [Fact]
        public void BagOfWordsClassifier() => Verify(BagOfWords, nameof(BagOfWordsClassifier),
            "Samples.BagOfWordsClassifier.Cpu.g.cs", "Samples.BagOfWordsClassifier.Graph.g.cs");

        [Fact]
        public void FullSoftmaxClassifier() => Verify(FullSoftmax, nameof(FullSoftmaxClassifier),
            "Samples.FullSoftmaxClassifier.Cpu.g.cs", "Samples.FullSoftmaxClassifier.Graph.g.cs");

        [Fact]
        public void SampledSoftmaxWithPrimitives() => Verify(SampledSoftmaxPrimitives, nameof(SampledSoftmaxWithPrimitives),
            "Samples.Sampling.SampledSoftmaxByHand.Cpu.g.cs", "Samples.Sampling.SampledSoftmaxByHand.Graph.g.cs");

        [Fact]
        public void NceLikeSkipGram() => Verify(NceLike, nameof(NceLikeSkipGram),
            "SkipGramNceByHand.Cpu.g.cs", "SkipGramNceByHand.Graph.g.cs");

        [Fact]
        public void EmbeddingBagClassifier() => Verify(EmbeddingBag, nameof(EmbeddingBagClassifier),
            "Samples.TagBagClassifier.Cpu.g.cs", "Samples.TagBagClassifier.Graph.g.cs");

        [Fact]
        public void RaggedLabelsSampledSoftmax() => Verify(RaggedLabels, nameof(RaggedLabelsSampledSoftmax),
            "Samples.RaggedLikes.Cpu.g.cs", "Samples.RaggedLikes.Graph.g.cs");

        [Fact]
        public void SeveralOutputsClassifier() => Verify(SeveralOutputs, nameof(SeveralOutputsClassifier),
            "Samples.ScoredClassifier.Cpu.g.cs", "Samples.ScoredClassifier.Graph.g.cs");

        /// <summary>[SkipLocalsInit] appears only when the compilation allows unsafe code.</summary>
        [Fact]
        public void BagOfWordsClassifierUnsafe() => Verify(BagOfWords, nameof(BagOfWordsClassifierUnsafe),
            "Samples.BagOfWordsClassifier.Cpu.g.cs", "Samples.BagOfWordsClassifier.Graph.g.cs", allowUnsafe: true);

        private static void Verify(string source, string testName, string cpuHint, string graphHint, bool allowUnsafe = false)
        {
            var run = GeneratorHarness.Run(source, allowUnsafe);
            // Both files, named {FullyQualifiedMetadataName}.{Backend}.g.cs (STYLE 3), before any text comparison.
            Assert.Equal(new[] { cpuHint, graphHint }, run.Files.Select(f => f.HintName));
            SnapshotAssert.Match(run.Files, nameof(GeneratorSnapshotTests), testName);
        }
    }
}
