using GraphSampling;

namespace TrainClassifier;

/// <summary>
/// A bag-of-words classifier over many classes, trained with TF's sampled softmax: each example is <see cref="Words"/>
/// token ids whose embeddings are summed; the loss scores the true class against <see cref="NumSampled"/> classes drawn
/// by TF's default sampler (log-uniform, which suits class ids sorted by frequency). Every table gets a sparse gradient:
/// only the rows of the batch's tokens, labels and sampled classes.
/// </summary>
[ComputationGraph]
public static partial class SampledSoftmaxClassifier
{
    public const int Batch = 128, Words = 8, Vocabulary = 10_000, Dim = 32, Classes = 2_000, NumSampled = 100;

    static Tensor<float> Define(GraphBuilder g)
    {
        var tokens = g.Input<long>("tokens", Batch, Words);                     // int64 [B, 8]
        var labels = g.Labels("labels", Batch);                                 // int64 [B, 1]
        var embeddings = g.Parameter("embeddings", Vocabulary, Dim, shards: 2, partition: Partition.Mod);
        var weights = g.Parameter("weights", Classes, Dim, shards: 2);          // the class table, Div-sharded as in TF2
        var biases = g.Parameter("biases", Classes, shards: 2);
        var sentence = g.ReduceSum(g.EmbeddingLookup(embeddings, tokens), axis: 1);   // float [B, 32]
        var loss = g.SampledSoftmaxLoss(weights, biases, labels, sentence, NumSampled, Classes, seed: 1);
        return loss;                                                            // float [B], per example
    }
}

/// <summary>The same model's sentence representation X [B, 32], for evaluation over every class: built on the training
/// program's embeddings (shared, not copied), scored against its class table by a FullEvaluator.</summary>
[ComputationGraph]
public static partial class SentenceEncoder
{
    public const int Batch = SampledSoftmaxClassifier.Batch, Words = SampledSoftmaxClassifier.Words,
        Vocabulary = SampledSoftmaxClassifier.Vocabulary, Dim = SampledSoftmaxClassifier.Dim;

    static Tensor<float> Define(GraphBuilder g)
    {
        var tokens = g.Input<long>("tokens", Batch, Words);
        var embeddings = g.Parameter("embeddings", Vocabulary, Dim, shards: 2, partition: Partition.Mod);
        return g.ReduceSum(g.EmbeddingLookup(embeddings, tokens), axis: 1);
    }
}
