namespace GraphSampling.Numerics.Tests.Graphs;

/// <summary><see cref="ClippedBagOfWords"/>'s model scoring every class: the evaluation program that shares the
/// training program's tables.</summary>
[ComputationGraph]
public static partial class ClippedBagOfWordsScores
{
    public const int B = ClippedBagOfWords.B, W = ClippedBagOfWords.W, V = ClippedBagOfWords.V, D = ClippedBagOfWords.D, C = ClippedBagOfWords.C;

    static Tensor<float> Define(GraphBuilder g)
    {
        var tokens = g.Input<long>("tokens", B, W);
        var table = g.Parameter("table", V, D, shards: 3, partition: Partition.Mod);
        var output = g.Parameter("output", C, D);
        var sentence = g.ReduceSum(g.EmbeddingLookup(table, tokens, maxNorm: 0.5), axis: 1);
        return g.MatMul(sentence, output, transposeB: true);
    }
}

/// <summary>The same tables declared with another layout (Div instead of Mod): sharing must be refused.</summary>
[ComputationGraph]
public static partial class ClippedBagOfWordsDivScores
{
    public const int B = ClippedBagOfWords.B, W = ClippedBagOfWords.W, V = ClippedBagOfWords.V, D = ClippedBagOfWords.D, C = ClippedBagOfWords.C;

    static Tensor<float> Define(GraphBuilder g)
    {
        var tokens = g.Input<long>("tokens", B, W);
        var table = g.Parameter("table", V, D, shards: 3, partition: Partition.Div);
        var output = g.Parameter("output", C, D);
        var sentence = g.ReduceSum(g.EmbeddingLookup(table, tokens, maxNorm: 0.5), axis: 1);
        return g.MatMul(sentence, output, transposeB: true);
    }
}
