using GraphSampling;

namespace TrainClassifier;

/// <summary>
/// A bag-of-words classifier: each example is <see cref="Words"/> token ids; their embeddings are summed and a linear
/// layer scores <see cref="Classes"/> classes, trained with softmax cross-entropy. The embedding table gets a sparse
/// gradient (only the rows a batch touches); the output layer gets dense ones.
/// </summary>
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
