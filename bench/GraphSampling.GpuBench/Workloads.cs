using GraphSampling;

namespace GraphSampling.GpuBench;

// The step workloads of shared/bench/WORKLOADS.md (the shapes of bench/GraphSampling.Benchmarks/Steps/Workloads.cs), one
// composite call each, with the candidates fed through g.SampledValues as the CPU step benchmark and the anchor do; and
// the same graphs at tiny shapes (Quick*) for --quick on the CPU accelerator. The generator runs here as an analyzer
// with the GPU runtime referenced, so each graph gets a CpuProgram and, where every op has a device step, a GpuProgram.

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

/// <summary>W2vNce at tiny shapes (--quick).</summary>
[ComputationGraph]
public static partial class QuickW2vNce
{
    public const int B = 16, D = 8, C = 500, K = 12, T = 1;

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
    public const int B = 256, D = 512, C = 800_000, K = 8192, T = 1;

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

/// <summary>LmSoftmax at tiny shapes (--quick).</summary>
[ComputationGraph]
public static partial class QuickLmSoftmax
{
    public const int B = 16, D = 16, C = 1000, K = 48, T = 1;

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
    public const int B = 512, D = 64, C = 1_000_000, K = 2048, T = 4;

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

/// <summary>RecSoftmax4 at tiny shapes (--quick).</summary>
[ComputationGraph]
public static partial class QuickRecSoftmax4
{
    public const int B = 16, D = 8, C = 1200, K = 32, T = 4;

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

/// <summary>tapas: rank-resampled softmax (TAPAS), B 128, D 256, C 100,000, S 4,096 resampled to 512, T 1, τ = 1 (CPU-only: no GpuProgram).</summary>
[ComputationGraph]
public static partial class Tapas
{
    public const int B = 128, D = 256, C = 100_000, K = 4096, R = 512, T = 1;

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

/// <summary>Tapas at tiny shapes (--quick).</summary>
[ComputationGraph]
public static partial class QuickTapas
{
    public const int B = 16, D = 12, C = 600, K = 40, R = 10, T = 1;

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
