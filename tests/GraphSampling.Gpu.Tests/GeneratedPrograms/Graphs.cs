using GraphSampling;

namespace GraphSampling.Gpu.Tests.GeneratedPrograms
{
    /// <summary>A dense two-layer classifier with one-hot labels: GEMMs (plain and transposed), a fused elementwise tree
    /// that needs a scratch slot ((h · 0.5) − (k · 2), both sides computed), a bias, softmax cross-entropy, and in the
    /// backward pass negation, multiplication, broadcast reductions and the labels' gradient.</summary>
    [ComputationGraph]
    public static partial class GpuDenseClassifier
    {
        public const int Batch = 6, Features = 5, Hidden = 4, Classes = 3;

        static Tensor<float> Define(GraphBuilder g)
        {
            var features = g.Input<float>("features", Batch, Features);
            var onehot = g.Input<float>("onehot", Batch, Classes);
            var w1 = g.Parameter("w1", Features, Hidden);
            var w3 = g.Parameter("w3", Features, Hidden);
            var w2 = g.Parameter("w2", Classes, Hidden);
            var b2 = g.Parameter("b2", Classes);
            var h = g.MatMul(features, w1);
            var k = g.MatMul(features, w3);
            var centred = g.Subtract(g.Multiply(h, g.Constant(0.5, 1)), g.Multiply(k, g.Constant(2.0, 1)));
            var logits = g.BiasAdd(g.MatMul(centred, w2, transposeB: true), b2);
            return g.SoftmaxCrossEntropyWithLogits(onehot, logits);
        }
    }

    /// <summary>A bag-of-words classifier with sparse labels: a 2-shard Mod embedding table read by a lookup (sparse row
    /// gradient), a sum over words, and a 2-shard Mod class table used densely (copied to id order).</summary>
    [ComputationGraph]
    public static partial class GpuBagOfWords
    {
        public const int Batch = 5, Words = 3, Vocabulary = 17, Dim = 4, Classes = 6;

        static Tensor<float> Define(GraphBuilder g)
        {
            var tokens = g.Input<long>("tokens", Batch, Words);
            var labels = g.Input<long>("labels", Batch);
            var embeddings = g.Parameter("embeddings", Vocabulary, Dim, shards: 2, partition: Partition.Mod);
            var weights = g.Parameter("weights", Classes, Dim, shards: 2, partition: Partition.Mod);
            var biases = g.Parameter("biases", Classes);
            var words = g.EmbeddingLookup(embeddings, tokens);
            var sentence = g.ReduceSum(words, axis: 1);
            var logits = g.BiasAdd(g.MatMul(sentence, weights, transposeB: true), biases);
            return g.SparseSoftmaxCrossEntropyWithLogits(labels, logits);
        }
    }

    /// <summary>Scores against a caller-chosen list of candidate classes: the candidates' rows (a 3-shard Div table) are
    /// read only by the two MatMuls (the logits and the input gradient), so the plan never stores them (the CPU's GEMM
    /// reads them in place) and the device gathers them into a slot of its own.</summary>
    [ComputationGraph]
    public static partial class GpuCandidateScorer
    {
        public const int Batch = 4, Dim = 5, Classes = 23, Candidates = 7;

        static Tensor<float> Define(GraphBuilder g)
        {
            var x = g.Input<float>("x", Batch, Dim);
            var candidates = g.SideInput<long>("candidates", Candidates);
            var labels = g.Input<long>("labels", Batch);   // positions in the candidate list
            var classes = g.Parameter("classes", Classes, Dim, shards: 3, partition: Partition.Div);
            var logits = g.MatMul(x, g.EmbeddingLookup(classes, candidates), transposeB: true);
            return g.SparseSoftmaxCrossEntropyWithLogits(labels, logits);
        }
    }

    /// <summary>TF's sampled softmax as one composite call (log-uniform unique sampler on the device, accidental hits in
    /// the fused group, log-Q subtraction, the logits written in place as a concat, the slice of the logits gradient),
    /// over a dense projection (a dense parameter gradient) and 2-shard Div class tables (sparse row gradients).</summary>
    [ComputationGraph]
    public static partial class GpuSampledSoftmax
    {
        public const int Batch = 4, Features = 3, Dim = 5, Vocabulary = 11, NumSampled = 6;

        static Tensor<float> Define(GraphBuilder g)
        {
            var features = g.Input<float>("features", Batch, Features);
            var labels = g.Labels("labels", Batch, numTrue: 1);
            var projection = g.Parameter("projection", Features, Dim);
            var weights = g.Parameter("weights", Vocabulary, Dim, shards: 2, partition: Partition.Div);
            var biases = g.Parameter("biases", Vocabulary, shards: 2, partition: Partition.Div);
            var hidden = g.MatMul(features, projection);
            var loss = g.SampledSoftmaxLoss(weights, biases, labels, hidden, NumSampled, Vocabulary, seed: 7);
            return loss;
        }
    }

    /// <summary>TF's NCE loss as one composite call (word2vec skip-gram): the default log-uniform unique sampler on the
    /// device, two true classes per row, sigmoid cross-entropy over [true | sampled] logits summed per row, over an input
    /// embedding lookup (a sparse gradient of a plain table) and 2-shard Mod output tables.</summary>
    [ComputationGraph]
    public static partial class GpuNce
    {
        public const int Batch = 4, Dim = 5, Vocabulary = 13, NumSampled = 6, NumTrue = 2;

        static Tensor<float> Define(GraphBuilder g)
        {
            var centers = g.Input<long>("centers", Batch);
            var contexts = g.Labels("contexts", Batch, numTrue: NumTrue);
            var embeddings = g.Parameter("embeddings", Vocabulary, Dim);
            var weights = g.Parameter("weights", Vocabulary, Dim, shards: 2, partition: Partition.Mod);
            var biases = g.Parameter("biases", Vocabulary, shards: 2, partition: Partition.Mod);
            var inputs = g.EmbeddingLookup(embeddings, centers);
            return g.NceLoss(weights, biases, contexts, inputs, NumSampled, Vocabulary, numTrue: NumTrue, seed: 3);
        }
    }

    /// <summary>NCE with the candidates fed (g.SampledValues of inputs, as the step benchmarks feed them): views of the
    /// inputs' device copies, the expected counts checked in _Validate on the host.</summary>
    [ComputationGraph]
    public static partial class GpuNceFed
    {
        public const int Batch = 4, Dim = 5, Vocabulary = 13, NumSampled = 6;

        static Tensor<float> Define(GraphBuilder g)
        {
            var inputs = g.Input<float>("inputs", Batch, Dim);
            var labels = g.Labels("labels", Batch, numTrue: 1);
            var sampled = g.SampledValues(g.SideInput<long>("sampled", NumSampled), g.Input<float>("trueCounts", Batch, 1), g.SideInput<float>("sampledCounts", NumSampled));
            var weights = g.Parameter("weights", Vocabulary, Dim);
            var biases = g.Parameter("biases", Vocabulary);
            return g.NceLoss(weights, biases, labels, inputs, NumSampled, Vocabulary, 1, sampled, removeAccidentalHits: true);
        }
    }
}
