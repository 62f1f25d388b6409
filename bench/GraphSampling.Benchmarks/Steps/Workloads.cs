using GraphSampling;

namespace GraphSampling.Benchmarks.Steps;

// The anchor's workloads (shared/bench/WORKLOADS.md) as one composite call each. The candidates are given (the anchor
// times its step with fixed candidates and the sampler on its own), so each graph feeds them through g.SampledValues;
// the accidental-hit mask and TF's labels are computed inside the step by the lowered loss.

/// <summary>w2v-nce: NCE, B 128, D 128, C 50,000, S 64, T 1.</summary>
[ComputationGraph]
public static partial class W2vNce
{
    public const int B = 128, D = 128, C = 50_000, K = 64, T = 1;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var sampled = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        return g.NceLoss(weights, biases, labels, inputs, K, C, T, sampled);
    }
}

/// <summary>lm-softmax: sampled softmax with accidental hits removed, B 256, D 512, C 800,000, S 8,192, T 1.</summary>
[ComputationGraph]
public static partial class LmSoftmax
{
    public const int B = 256, D = 512, C = 800_000, K = 8_192, T = 1;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var sampled = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        return g.SampledSoftmaxLoss(weights, biases, labels, inputs, K, C, T, sampled);
    }
}

/// <summary>rec-softmax4: sampled softmax with 4 true labels per row, B 512, D 64, C 1,000,000, S 2,048.</summary>
[ComputationGraph]
public static partial class RecSoftmax4
{
    public const int B = 512, D = 64, C = 1_000_000, K = 2_048, T = 4;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var sampled = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        return g.SampledSoftmaxLoss(weights, biases, labels, inputs, K, C, T, sampled);
    }
}

/// <summary>tapas: rank-resampled softmax (TAPAS), B 128, D 256, C 100,000, S 4,096 resampled to 512, T 1, τ = 1.</summary>
[ComputationGraph]
public static partial class Tapas
{
    public const int B = 128, D = 256, C = 100_000, K = 4_096, R = 512, T = 1;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var sampled = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        return g.RankSampledSoftmaxLoss(weights, biases, labels, inputs, K, R, C, T, sampled, resamplingTemperature: 1.0, removeAccidentalHits: true);
    }
}

/// <summary>lm-full: the full softmax at lm-softmax's shape (all 800,000 classes): the cost that sampling avoids.</summary>
[ComputationGraph]
public static partial class LmFullSoftmax
{
    public const int B = 256, D = 512, C = 800_000;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Input<long>("labels", B);
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        var logits = g.BiasAdd(g.MatMul(inputs, weights, transposeB: true), biases);
        return g.SparseSoftmaxCrossEntropyWithLogits(labels, logits);
    }
}
