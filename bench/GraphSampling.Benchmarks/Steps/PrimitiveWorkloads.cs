using GraphSampling;

namespace GraphSampling.Benchmarks.Steps;

// The anchor's workloads written with primitives, as a user had to before the composite losses: the sampled values,
// the accidental-hit mask and the soft labels fed as data. Kept beside the composite versions (Workloads.cs) so that
// each composite step is timed against the primitive step it replaces, in the same run ("-primitives" workloads).

/// <summary>w2v-nce: NCE, B 128, D 128, C 50,000, S 64, T 1.</summary>
[ComputationGraph]
public static partial class W2vNcePrimitives
{
    public const int B = 128, D = 128, C = 50_000, K = 64, T = 1;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var sampled = g.SideInput<long>("sampled", K);
        var logTrueCounts = g.Log(g.StopGradient(g.Input<float>("trueCounts", B, T)));
        var logSampledCounts = g.Log(g.StopGradient(g.SideInput<float>("sampledCounts", K)));
        var targets = g.StopGradient(g.Input<float>("targets", B, T + K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        var trueLogits = g.ReduceSum(g.Reshape(inputs, [B, 1, D]) * g.EmbeddingLookup(weights, labels), axis: 2) + g.EmbeddingLookup(biases, labels);
        var sampledLogits = g.BiasAdd(g.MatMul(inputs, g.EmbeddingLookup(weights, sampled), transposeB: true), g.EmbeddingLookup(biases, sampled));
        var logits = g.Concat([trueLogits - logTrueCounts, sampledLogits - logSampledCounts], axis: 1);
        return g.ReduceSum(g.SigmoidCrossEntropyWithLogits(targets, logits), axis: 1);
    }
}

/// <summary>lm-softmax: sampled softmax with accidental hits removed, B 256, D 512, C 800,000, S 8,192, T 1.</summary>
[ComputationGraph]
public static partial class LmSoftmaxPrimitives
{
    public const int B = 256, D = 512, C = 800_000, K = 8_192, T = 1;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var sampled = g.SideInput<long>("sampled", K);
        var logTrueCounts = g.Log(g.StopGradient(g.Input<float>("trueCounts", B, T)));
        var logSampledCounts = g.Log(g.StopGradient(g.SideInput<float>("sampledCounts", K)));
        var hitMask = g.StopGradient(g.Input<float>("hitMask", B, K));
        var targets = g.StopGradient(g.Input<float>("targets", B, T + K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        var trueLogits = g.ReduceSum(g.Reshape(inputs, [B, 1, D]) * g.EmbeddingLookup(weights, labels), axis: 2) + g.EmbeddingLookup(biases, labels);
        var sampledLogits = g.BiasAdd(g.MatMul(inputs, g.EmbeddingLookup(weights, sampled), transposeB: true), g.EmbeddingLookup(biases, sampled)) + hitMask;
        var logits = g.Concat([trueLogits - logTrueCounts, sampledLogits - logSampledCounts], axis: 1);
        return g.SoftmaxCrossEntropyWithLogits(targets, logits);
    }
}

/// <summary>rec-softmax4: sampled softmax with 4 true labels per row, B 512, D 64, C 1,000,000, S 2,048.</summary>
[ComputationGraph]
public static partial class RecSoftmax4Primitives
{
    public const int B = 512, D = 64, C = 1_000_000, K = 2_048, T = 4;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var sampled = g.SideInput<long>("sampled", K);
        var logTrueCounts = g.Log(g.StopGradient(g.Input<float>("trueCounts", B, T)));
        var logSampledCounts = g.Log(g.StopGradient(g.SideInput<float>("sampledCounts", K)));
        var hitMask = g.StopGradient(g.Input<float>("hitMask", B, K));
        var targets = g.StopGradient(g.Input<float>("targets", B, T + K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        var trueLogits = g.ReduceSum(g.Reshape(inputs, [B, 1, D]) * g.EmbeddingLookup(weights, labels), axis: 2) + g.EmbeddingLookup(biases, labels);
        var sampledLogits = g.BiasAdd(g.MatMul(inputs, g.EmbeddingLookup(weights, sampled), transposeB: true), g.EmbeddingLookup(biases, sampled)) + hitMask;
        var logits = g.Concat([trueLogits - logTrueCounts, sampledLogits - logSampledCounts], axis: 1);
        return g.SoftmaxCrossEntropyWithLogits(targets, logits);
    }
}
