using GraphSampling;

namespace GraphSampling.Numerics.Tests.Graphs;

/// <summary>
/// <see cref="SampledSoftmaxT1"/> with the candidates drawn inside the graph: a log-uniform unique sampler and the
/// accidental-hit mask from ComputeAccidentalHits. Fed the same sampled values, the two graphs must agree exactly.
/// </summary>
[ComputationGraph]
public static partial class SampledSoftmaxWithSampler
{
    public const int B = 2, D = 3, C = 5, T = 1, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var softLabels = g.StopGradient(g.Input<float>("softLabels", B, T + K));
        var weights = g.Parameter("weights", C, D, shards: 2, partition: Partition.Div);
        var biases = g.Parameter("biases", C, shards: 2, partition: Partition.Div);
        var sampled = g.LogUniformCandidateSampler(labels, numTrue: T, numSampled: K, unique: true, rangeMax: C, seed: 3);
        var mask = g.ComputeAccidentalHits(labels, sampled.SampledCandidates, numTrue: T);

        var trueW = g.EmbeddingLookup(weights, labels);
        var trueB = g.EmbeddingLookup(biases, labels);
        var trueLogits = g.ReduceSum(g.Reshape(inputs, [B, 1, D]) * trueW, axis: 2) + trueB;
        var sampledW = g.EmbeddingLookup(weights, sampled.SampledCandidates);
        var sampledB = g.EmbeddingLookup(biases, sampled.SampledCandidates);
        var sampledLogits = g.BiasAdd(g.MatMul(inputs, sampledW, transposeB: true), sampledB) + mask;
        var logits = g.Concat([trueLogits - g.Log(sampled.TrueExpectedCount), sampledLogits - g.Log(sampled.SampledExpectedCount)], axis: 1);
        return g.SoftmaxCrossEntropyWithLogits(softLabels, logits);
    }
}

/// <summary>Every sampler kind in one graph; the output sums their true-class expected counts per row.</summary>
[ComputationGraph]
public static partial class EverySampler
{
    public const int B = 2, C = 5, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var labels = g.Labels("labels", B);
        var uniform = g.UniformCandidateSampler(labels, numTrue: 1, numSampled: K, unique: true, rangeMax: C, seed: 11);
        var learned = g.LearnedUnigramCandidateSampler(labels, numTrue: 1, numSampled: K, unique: true, rangeMax: C, seed: 12);
        var fixedUnigram = g.FixedUnigramCandidateSampler(labels, numTrue: 1, numSampled: K, unique: true, rangeMax: C,
            unigrams: [5.0, 1.0, 3.0, 1.0, 0.5], seed: 13);
        var all = g.AllCandidateSampler(labels, numTrue: 1, numSampled: C, unique: true);
        var counts = g.Concat([uniform.TrueExpectedCount, learned.TrueExpectedCount, fixedUnigram.TrueExpectedCount, all.TrueExpectedCount], axis: 1);
        return g.ReduceSum(counts, axis: 1);
    }
}
