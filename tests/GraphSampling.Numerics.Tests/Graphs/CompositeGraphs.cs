using GraphSampling;

namespace GraphSampling.Numerics.Tests.Graphs;

// The four sampled losses as one call each, with sampled values fed through g.SampledValues (spec 13's setting: S, Qt
// and Qs are data). Attributes are compile-time constants, so each combination the tests need is its own graph.

/// <summary>Spec 13 R1: T = 1, K = 3; sampled softmax with accidental hits removed (TF's default).</summary>
[ComputationGraph]
public static partial class SpecSoftmaxT1
{
    public const int B = 2, D = 3, C = 5, T = 1, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        var loss = g.SampledSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, sampledValues: values);
        return loss;
    }
}

/// <summary>Spec 13 R1 with accidental hits kept.</summary>
[ComputationGraph]
public static partial class SpecSoftmaxT1Hits
{
    public const int B = 2, D = 3, C = 5, T = 1, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        return g.SampledSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, sampledValues: values, removeAccidentalHits: false);
    }
}

/// <summary>Spec 13 R2: T = 2 soft labels, Mod-sharded table (2 shards), hits removed.</summary>
[ComputationGraph]
public static partial class SpecSoftmaxT2
{
    public const int B = 2, D = 3, C = 5, T = 2, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 2, partition: Partition.Mod);
        var biases = g.Parameter("biases", C, shards: 2, partition: Partition.Mod);
        return g.SampledSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, numTrue: T, sampledValues: values);
    }
}

/// <summary>Spec 13 R2 with hits kept.</summary>
[ComputationGraph]
public static partial class SpecSoftmaxT2Hits
{
    public const int B = 2, D = 3, C = 5, T = 2, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        return g.SampledSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, numTrue: T, sampledValues: values, removeAccidentalHits: false);
    }
}

/// <summary>Spec 13 R1 NCE (TF's default keeps accidental hits).</summary>
[ComputationGraph]
public static partial class SpecNceT1
{
    public const int B = 2, D = 3, C = 5, T = 1, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 2);
        var biases = g.Parameter("biases", C, shards: 2);
        return g.NceLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, sampledValues: values);
    }
}

/// <summary>Spec 13 R1 NCE with accidental hits removed ("sampled logistic").</summary>
[ComputationGraph]
public static partial class SpecNceT1NoHits
{
    public const int B = 2, D = 3, C = 5, T = 1, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        return g.NceLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, sampledValues: values, removeAccidentalHits: true);
    }
}

/// <summary>Spec 13 R2 NCE: two true classes (label 1/2 each).</summary>
[ComputationGraph]
public static partial class SpecNceT2
{
    public const int B = 2, D = 3, C = 5, T = 2, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        return g.NceLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, numTrue: T, sampledValues: values);
    }
}

/// <summary>Spec 13 R2 NCE with accidental hits removed.</summary>
[ComputationGraph]
public static partial class SpecNceT2NoHits
{
    public const int B = 2, D = 3, C = 5, T = 2, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        return g.NceLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, numTrue: T, sampledValues: values, removeAccidentalHits: true);
    }
}

/// <summary>Spec 8: the sampled sparse softmax equals R1's sampled softmax (hits removed, TF's default).</summary>
[ComputationGraph]
public static partial class SpecSparseT1
{
    public const int B = 2, D = 3, C = 5, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, 1), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3, partition: Partition.Mod);
        var biases = g.Parameter("biases", C, shards: 3, partition: Partition.Mod);
        return g.SampledSparseSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, sampledValues: values);
    }
}

/// <summary>Spec 13 R3: TAPAS with K = 4 fed candidates, R = 2, τ = 0.5, Div, hits removed.</summary>
[ComputationGraph]
public static partial class SpecTapas
{
    public const int B = 2, D = 3, C = 5, T = 1, K = 4, R = 2;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 2, partition: Partition.Div);
        var biases = g.Parameter("biases", C, shards: 2, partition: Partition.Div);
        return g.RankSampledSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numResampled: R, numClasses: C, numTrue: T,
            sampledValues: values, resamplingTemperature: 0.5, removeAccidentalHits: true);
    }
}
