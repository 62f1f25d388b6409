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

/// <summary>A sampled-softmax classifier whose candidates come from a learned-unigram sampler (state that a checkpoint
/// must carry) over sharded tables: the model of the resume tests.</summary>
[ComputationGraph]
public static partial class LearnedSamplerClassifier
{
    public const int B = 4, W = 3, V = 13, D = 4, C = 17, K = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var tokens = g.Input<long>("tokens", B, W);
        var labels = g.Labels("labels", B);
        var embeddings = g.Parameter("embeddings", V, D, shards: 2, partition: Partition.Mod);
        var weights = g.Parameter("weights", C, D, shards: 3);
        var biases = g.Parameter("biases", C);
        var candidates = g.LearnedUnigramCandidateSampler(labels, numTrue: 1, numSampled: K, unique: true, rangeMax: C, seed: 5);
        var sentence = g.ReduceSum(g.EmbeddingLookup(embeddings, tokens), axis: 1);
        return g.SampledSoftmaxLoss(weights, biases, labels, sentence, K, C, sampledValues: candidates);
    }
}

/// <summary><see cref="LearnedSamplerClassifier"/> with its embeddings in three shards: its checkpoints do not fit.</summary>
[ComputationGraph]
public static partial class LearnedSamplerClassifierResharded
{
    public const int B = 4, W = 3, V = 13, D = 4, C = 17, K = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var tokens = g.Input<long>("tokens", B, W);
        var labels = g.Labels("labels", B);
        var embeddings = g.Parameter("embeddings", V, D, shards: 3, partition: Partition.Mod);
        var weights = g.Parameter("weights", C, D, shards: 3);
        var biases = g.Parameter("biases", C);
        var candidates = g.LearnedUnigramCandidateSampler(labels, numTrue: 1, numSampled: K, unique: true, rangeMax: C, seed: 5);
        var sentence = g.ReduceSum(g.EmbeddingLookup(embeddings, tokens), axis: 1);
        return g.SampledSoftmaxLoss(weights, biases, labels, sentence, K, C, sampledValues: candidates);
    }
}

/// <summary>Parameters named with a capital, so the constructor's argument and the property have one name ("W").</summary>
[ComputationGraph]
public static partial class CapitalisedParameters
{
    public const int B = 2, D = 3, C = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var x = g.Input<float>("x", B, D);
        var w = g.Parameter("W", C, D);
        var b = g.Parameter("B", C);
        return g.BiasAdd(g.MatMul(x, w, transposeB: true), b);
    }
}

/// <summary><see cref="ClippedBagOfWordsScores"/> with its own names for the same tables ("words", "classes"): a shared
/// table keeps the name it was made with, and checkpoints must key by this graph's names.</summary>
[ComputationGraph]
public static partial class RenamedScores
{
    public const int B = ClippedBagOfWords.B, W = ClippedBagOfWords.W, V = ClippedBagOfWords.V, D = ClippedBagOfWords.D, C = ClippedBagOfWords.C;

    static Tensor<float> Define(GraphBuilder g)
    {
        var tokens = g.Input<long>("tokens", B, W);
        var words = g.Parameter("words", V, D, shards: 3, partition: Partition.Mod);
        var classes = g.Parameter("classes", C, D);
        var sentence = g.ReduceSum(g.EmbeddingLookup(words, tokens, maxNorm: 0.5), axis: 1);
        return g.MatMul(sentence, classes, transposeB: true);
    }
}

/// <summary>Several outputs (issue 8, item 2): the loss (differentiated), the logits and the top-2 class ids, each with
/// its own span; only the loss has a gradient.</summary>
[ComputationGraph]
public static partial class LossLogitsAndBest
{
    public const int B = 4, D = 3, C = 6, K = 2;

    static (Tensor<float> Loss, Tensor<float> Logits, Tensor<long> Best) Define(GraphBuilder g)
    {
        var x = g.Input<float>("x", B, D);
        var labels = g.Input<long>("labels", B);
        var w = g.Parameter("w", C, D);
        var logits = g.MatMul(x, w, transposeB: true);
        var loss = g.SparseSoftmaxCrossEntropyWithLogits(labels, logits);
        var best = g.TopK(logits, K);
        return (loss, logits, best.Indices);
    }
}

/// <summary>Embedding bags over -1-padded ids (issue 8, item 5): the three combiners on one Mod-sharded table, summed,
/// into a classifier. Weights are data (no gradient).</summary>
[ComputationGraph]
public static partial class BagsOfIds
{
    public const int B = 5, L = 6, V = 13, D = 4, C = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var ids = g.Input<long>("ids", B, L);
        var weights = g.StopGradient(g.Input<float>("weights", B, L));
        var labels = g.Input<long>("labels", B);
        var table = g.Parameter("table", V, D, shards: 3, partition: Partition.Mod);
        var output = g.Parameter("output", C, D);
        var bags = g.EmbeddingLookupSparse(table, ids, weights, Combiner.Sum) + g.EmbeddingLookupSparse(table, ids, weights, Combiner.Mean)
            + g.EmbeddingLookupSparse(table, ids, weights, Combiner.Sqrtn);
        return g.SparseSoftmaxCrossEntropyWithLogits(labels, g.MatMul(bags, output, transposeB: true));
    }
}

/// <summary><see cref="BagsOfIds"/> with the weights an ordinary float input: the program gives their gradient too.</summary>
[ComputationGraph]
public static partial class BagsWithWeightGradients
{
    public const int B = BagsOfIds.B, L = BagsOfIds.L, V = BagsOfIds.V, D = BagsOfIds.D, C = BagsOfIds.C;

    static Tensor<float> Define(GraphBuilder g)
    {
        var ids = g.Input<long>("ids", B, L);
        var weights = g.Input<float>("weights", B, L);
        var labels = g.Input<long>("labels", B);
        var table = g.Parameter("table", V, D, shards: 3, partition: Partition.Mod);
        var output = g.Parameter("output", C, D);
        var bags = g.EmbeddingLookupSparse(table, ids, weights, Combiner.Sum) + g.EmbeddingLookupSparse(table, ids, weights, Combiner.Mean)
            + g.EmbeddingLookupSparse(table, ids, weights, Combiner.Sqrtn);
        return g.SparseSoftmaxCrossEntropyWithLogits(labels, g.MatMul(bags, output, transposeB: true));
    }
}

/// <summary>A table read through a bag and densely (its transpose scores the classes): the dense gradient gets the
/// bag's rows scatter-added, padding skipped.</summary>
[ComputationGraph]
public static partial class BagAndDenseRead
{
    public const int B = 5, L = 6, V = 13, D = 4;

    static Tensor<float> Define(GraphBuilder g)
    {
        var ids = g.Input<long>("ids", B, L);
        var weights = g.StopGradient(g.Input<float>("weights", B, L));
        var labels = g.Input<long>("labels", B);
        var table = g.Parameter("table", V, D, shards: 2);
        var bag = g.EmbeddingLookupSparse(table, ids, weights, Combiner.Mean);
        return g.SparseSoftmaxCrossEntropyWithLogits(labels, g.MatMul(bag, table, transposeB: true));
    }
}

/// <summary>A table read by a lookup (of the labels) and by a bag: one sparse gradient holding both kinds of rows.</summary>
[ComputationGraph]
public static partial class BagAndLookupOfOneTable
{
    public const int B = 5, L = 6, V = 13, D = 4;

    static Tensor<float> Define(GraphBuilder g)
    {
        var ids = g.Input<long>("ids", B, L);
        var weights = g.StopGradient(g.Input<float>("weights", B, L));
        var labels = g.Input<long>("labels", B, 1);
        var table = g.Parameter("table", V, D, shards: 3, partition: Partition.Mod);
        var bag = g.EmbeddingLookupSparse(table, ids, weights, Combiner.Sum);
        var target = g.Reshape(g.EmbeddingLookup(table, labels), [B, D]);
        return g.ReduceSum(bag * target, axis: 1);
    }
}

/// <summary>One ids input read by a bag and by a plain lookup: the lookup does not take padding, so -1 is refused.</summary>
[ComputationGraph]
public static partial class IdsSharedByBagAndLookup
{
    public const int B = 5, L = 6, V = 13, D = 4;

    static Tensor<float> Define(GraphBuilder g)
    {
        var ids = g.Input<long>("ids", B, L);
        var weights = g.StopGradient(g.Input<float>("weights", B, L));
        var table = g.Parameter("table", V, D);
        var other = g.Parameter("other", V, D);
        var bag = g.EmbeddingLookupSparse(table, ids, weights, Combiner.Sum);
        var rows = g.ReduceSum(g.EmbeddingLookup(other, ids), axis: 1);
        return g.ReduceSum(bag * rows, axis: 1);
    }
}
