using GraphSampling;

namespace GraphSampling.Numerics.Tests.Graphs;

// Ragged labels (numTrue a maximum, -1 padding) for each sampled loss that takes several labels, with sampled values
// fed (so the reference, which runs no sampler, is an oracle), plus the TF graphs with one and two labels per row that
// a ragged row must equal, a primitives version, and graphs with the default samplers.

/// <summary>Sampled softmax, up to T = 3 labels per row, K = 5, 3 Mod shards, hits removed.</summary>
[ComputationGraph]
public static partial class RaggedSoftmax
{
    public const int B = 6, D = 4, C = 11, T = 3, K = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3, partition: Partition.Mod);
        var biases = g.Parameter("biases", C, shards: 3, partition: Partition.Mod);
        var loss = g.SampledSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, numTrue: T, sampledValues: values, raggedLabels: true);
        return loss;
    }
}

/// <summary>TF's sampled softmax with one label per row: what a ragged row with one real label must give.</summary>
[ComputationGraph]
public static partial class TfSoftmaxT1
{
    public const int B = 6, D = 4, C = 11, T = 1, K = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3, partition: Partition.Mod);
        var biases = g.Parameter("biases", C, shards: 3, partition: Partition.Mod);
        var loss = g.SampledSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, numTrue: T, sampledValues: values);
        return loss;
    }
}

/// <summary>TF's sampled softmax with two labels per row.</summary>
[ComputationGraph]
public static partial class TfSoftmaxT2
{
    public const int B = 6, D = 4, C = 11, T = 2, K = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3, partition: Partition.Mod);
        var biases = g.Parameter("biases", C, shards: 3, partition: Partition.Mod);
        var loss = g.SampledSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, numTrue: T, sampledValues: values);
        return loss;
    }
}

/// <summary>TF's sampled softmax with three labels per row (a ragged batch with no padding must equal it).</summary>
[ComputationGraph]
public static partial class TfSoftmaxT3
{
    public const int B = 6, D = 4, C = 11, T = 3, K = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3, partition: Partition.Mod);
        var biases = g.Parameter("biases", C, shards: 3, partition: Partition.Mod);
        var loss = g.SampledSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, numTrue: T, sampledValues: values);
        return loss;
    }
}

/// <summary>NCE, up to T = 3 labels per row, K = 6, 3 Div shards, hits removed.</summary>
[ComputationGraph]
public static partial class RaggedNce
{
    public const int B = 6, D = 4, C = 11, T = 3, K = 6;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3);
        var biases = g.Parameter("biases", C, shards: 3);
        var loss = g.NceLoss(weights, biases, labels, inputs, K, C, T, values, removeAccidentalHits: true, raggedLabels: true);
        return loss;
    }
}

/// <summary>TF's NCE with one label per row.</summary>
[ComputationGraph]
public static partial class TfNceT1
{
    public const int B = 6, D = 4, C = 11, T = 1, K = 6;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3);
        var biases = g.Parameter("biases", C, shards: 3);
        var loss = g.NceLoss(weights, biases, labels, inputs, K, C, T, values, removeAccidentalHits: true);
        return loss;
    }
}

/// <summary>TF's NCE with two labels per row.</summary>
[ComputationGraph]
public static partial class TfNceT2
{
    public const int B = 6, D = 4, C = 11, T = 2, K = 6;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3);
        var biases = g.Parameter("biases", C, shards: 3);
        var loss = g.NceLoss(weights, biases, labels, inputs, K, C, T, values, removeAccidentalHits: true);
        return loss;
    }
}

/// <summary>TAPAS, up to T = 2 labels per row, K = 7 resampled to 3, hits removed.</summary>
[ComputationGraph]
public static partial class RaggedTapas
{
    public const int B = 6, D = 4, C = 11, T = 2, K = 7, R = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3);
        var biases = g.Parameter("biases", C, shards: 3);
        var loss = g.RankSampledSoftmaxLoss(weights, biases, labels, inputs, K, R, C, T, values, resamplingTemperature: 0.7, removeAccidentalHits: true, raggedLabels: true);
        return loss;
    }
}

/// <summary>TF's TAPAS with one label per row.</summary>
[ComputationGraph]
public static partial class TfTapasT1
{
    public const int B = 6, D = 4, C = 11, T = 1, K = 7, R = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3);
        var biases = g.Parameter("biases", C, shards: 3);
        var loss = g.RankSampledSoftmaxLoss(weights, biases, labels, inputs, K, R, C, T, values, resamplingTemperature: 0.7, removeAccidentalHits: true);
        return loss;
    }
}

/// <summary><see cref="RaggedSoftmax"/> written with primitives.</summary>
[ComputationGraph]
public static partial class HandRaggedSoftmax
{
    public const int B = 6, D = 4, C = 11, T = 3, K = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3, partition: Partition.Mod);
        var biases = g.Parameter("biases", C, shards: 3, partition: Partition.Mod);
        var trueCounts = g.StopGradient(values.TrueExpectedCount);
        var sampledCounts = g.StopGradient(values.SampledExpectedCount);
        var rowInputs = g.Reshape(inputs, [B, 1, D]);
        var trueWeights = g.EmbeddingLookup(weights, labels, padding: true);
        var trueSums = g.ReduceSum(rowInputs * trueWeights, axis: 2);
        var trueLogits = trueSums + g.EmbeddingLookup(biases, labels, padding: true);
        var sampledWeights = g.EmbeddingLookup(weights, values.SampledCandidates);
        var products = g.MatMul(inputs, sampledWeights, transposeB: true);
        var sampledLogits = g.BiasAdd(products, g.EmbeddingLookup(biases, values.SampledCandidates));
        var masked = sampledLogits + g.ComputeAccidentalHits(labels, values.SampledCandidates, numTrue: T);
        var trueLogitsQ = trueLogits - g.Log(trueCounts);
        var sampledLogitsQ = masked - g.Log(sampledCounts);
        var padded = g.MaskPadding(labels, trueLogitsQ, fill: -float.MaxValue);
        var logits = g.Concat([padded, sampledLogitsQ], axis: 1);
        var softLabels = g.Concat([g.LabelWeights(labels), g.Fill<float>(B, 0, K)], axis: 1);
        return g.SoftmaxCrossEntropyWithLogits(softLabels, logits);
    }
}

/// <summary>Sampled softmax with TF's default sampler (log-uniform, unique) over ragged labels.</summary>
[ComputationGraph]
public static partial class RaggedDefaultSampler
{
    public const int B = 4, D = 4, C = 50, T = 3, K = 6;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        var loss = g.SampledSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, numTrue: T, seed: 9, raggedLabels: true);
        return loss;
    }
}

/// <summary><see cref="RaggedDefaultSampler"/> without ragged labels: the same sampler, seed and candidates.</summary>
[ComputationGraph]
public static partial class DenseDefaultSampler
{
    public const int B = 4, D = 4, C = 50, T = 3, K = 6;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        var loss = g.SampledSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, numTrue: T, seed: 9);
        return loss;
    }
}

/// <summary>TAPAS with its default learned-unigram sampler over ragged labels: padding is not counted.</summary>
[ComputationGraph]
public static partial class RaggedLearnedUnigram
{
    public const int B = 4, D = 4, C = 50, T = 3, K = 8, R = 4;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        var loss = g.RankSampledSoftmaxLoss(weights, biases, labels, inputs, K, R, C, T, null, resamplingTemperature: 1.0, removeAccidentalHits: true, seed: 4, raggedLabels: true);
        return loss;
    }
}
