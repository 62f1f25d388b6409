using GraphSampling;

namespace LanguageModel;

/// <summary>
/// A next-word model over <see cref="Vocabulary"/> words: the two previous words, each through its own embedding table
/// (so the model knows which word came last), summed into a context vector X [B, D]; the loss scores the next word
/// against <see cref="NumSampled"/> sampled words of the output table. One graph per loss and sampler the sample
/// offers; they share this helper and the names of their tables, so one checkpoint format and one evaluator serve all.
/// </summary>
public static class Lm
{
    public const int Batch = 256, Vocabulary = 100_000, Dim = 64, NumSampled = 256;

    /// <summary>X [B, D] from the previous word and the one before it.</summary>
    public static Tensor<float> Context(this GraphBuilder g, Tensor<long> previous, Tensor<long> beforePrevious)
    {
        var last = g.Parameter("lastWord", Vocabulary, Dim, shards: 2, partition: Partition.Mod);
        var before = g.Parameter("wordBefore", Vocabulary, Dim, shards: 2, partition: Partition.Mod);
        return g.ReduceSum(g.EmbeddingLookup(last, previous), axis: 1) + g.ReduceSum(g.EmbeddingLookup(before, beforePrevious), axis: 1);
    }
}

/// <summary>Sampled softmax with TF's default sampler (log-uniform, unique).</summary>
[ComputationGraph]
public static partial class SampledSoftmaxLm
{
    static Tensor<float> Define(GraphBuilder g)
    {
        var previous = g.Input<long>("previous", Lm.Batch, 1);
        var beforePrevious = g.Input<long>("beforePrevious", Lm.Batch, 1);
        var next = g.Labels("next", Lm.Batch);
        var weights = g.Parameter("weights", Lm.Vocabulary, Lm.Dim, shards: 2);
        var biases = g.Parameter("biases", Lm.Vocabulary, shards: 2);
        var loss = g.SampledSoftmaxLoss(weights, biases, next, g.Context(previous, beforePrevious), Lm.NumSampled, Lm.Vocabulary, seed: 1);
        return loss;
    }
}

/// <summary>Sampled softmax with a uniform sampler (log Q is then the same for every class).</summary>
[ComputationGraph]
public static partial class SampledSoftmaxUniformLm
{
    static Tensor<float> Define(GraphBuilder g)
    {
        var previous = g.Input<long>("previous", Lm.Batch, 1);
        var beforePrevious = g.Input<long>("beforePrevious", Lm.Batch, 1);
        var next = g.Labels("next", Lm.Batch);
        var weights = g.Parameter("weights", Lm.Vocabulary, Lm.Dim, shards: 2);
        var biases = g.Parameter("biases", Lm.Vocabulary, shards: 2);
        var sampled = g.UniformCandidateSampler(next, numTrue: 1, numSampled: Lm.NumSampled, unique: true, rangeMax: Lm.Vocabulary, seed: 1);
        return g.SampledSoftmaxLoss(weights, biases, next, g.Context(previous, beforePrevious), Lm.NumSampled, Lm.Vocabulary, sampledValues: sampled);
    }
}

/// <summary>Sampled softmax with a learned-unigram sampler (the counts of the labels seen so far; checkpointed).</summary>
[ComputationGraph]
public static partial class SampledSoftmaxLearnedLm
{
    static Tensor<float> Define(GraphBuilder g)
    {
        var previous = g.Input<long>("previous", Lm.Batch, 1);
        var beforePrevious = g.Input<long>("beforePrevious", Lm.Batch, 1);
        var next = g.Labels("next", Lm.Batch);
        var weights = g.Parameter("weights", Lm.Vocabulary, Lm.Dim, shards: 2);
        var biases = g.Parameter("biases", Lm.Vocabulary, shards: 2);
        var sampled = g.LearnedUnigramCandidateSampler(next, numTrue: 1, numSampled: Lm.NumSampled, unique: true, rangeMax: Lm.Vocabulary, seed: 1);
        return g.SampledSoftmaxLoss(weights, biases, next, g.Context(previous, beforePrevious), Lm.NumSampled, Lm.Vocabulary, sampledValues: sampled);
    }
}

/// <summary>NCE with TF's default sampler.</summary>
[ComputationGraph]
public static partial class NceLm
{
    static Tensor<float> Define(GraphBuilder g)
    {
        var previous = g.Input<long>("previous", Lm.Batch, 1);
        var beforePrevious = g.Input<long>("beforePrevious", Lm.Batch, 1);
        var next = g.Labels("next", Lm.Batch);
        var weights = g.Parameter("weights", Lm.Vocabulary, Lm.Dim, shards: 2);
        var biases = g.Parameter("biases", Lm.Vocabulary, shards: 2);
        var loss = g.NceLoss(weights, biases, next, g.Context(previous, beforePrevious), Lm.NumSampled, Lm.Vocabulary, seed: 1);
        return loss;
    }
}

/// <summary>TF contrib's sampled sparse softmax: sparse softmax cross-entropy of the true word against the sampled ones.</summary>
[ComputationGraph]
public static partial class SampledSparseSoftmaxLm
{
    static Tensor<float> Define(GraphBuilder g)
    {
        var previous = g.Input<long>("previous", Lm.Batch, 1);
        var beforePrevious = g.Input<long>("beforePrevious", Lm.Batch, 1);
        var next = g.Labels("next", Lm.Batch);
        var weights = g.Parameter("weights", Lm.Vocabulary, Lm.Dim, shards: 2);
        var biases = g.Parameter("biases", Lm.Vocabulary, shards: 2);
        var loss = g.SampledSparseSoftmaxLoss(weights, biases, next, g.Context(previous, beforePrevious), Lm.NumSampled, Lm.Vocabulary, seed: 1);
        return loss;
    }
}

/// <summary>The context vector alone, for evaluation over every word: shares the training program's two tables.</summary>
[ComputationGraph]
public static partial class LmContext
{
    static Tensor<float> Define(GraphBuilder g)
    {
        var previous = g.Input<long>("previous", Lm.Batch, 1);
        var beforePrevious = g.Input<long>("beforePrevious", Lm.Batch, 1);
        return g.Context(previous, beforePrevious);
    }
}
