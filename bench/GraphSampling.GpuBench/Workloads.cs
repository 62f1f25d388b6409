using GraphSampling;

namespace GraphSampling.GpuBench;

// The step workloads at tiny shapes (Quick*) for --quick on the CPU accelerator. The full-size graphs are the CPU step
// benchmark's own (bench/GraphSampling.Benchmarks/Steps/Workloads.cs, compiled into this project too). The generator
// runs here as an analyzer with the GPU runtime referenced, so each graph gets a CpuProgram and, where every op has a
// device step, a GpuProgram.

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
