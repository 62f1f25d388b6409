using GraphSampling;

namespace GraphSampling.Numerics.Tests.Graphs;

/// <summary>Full softmax over all classes (spec 12): logits = x W^T + b, soft-label cross-entropy.</summary>
[ComputationGraph]
public static partial class FullSoftmax
{
    public const int B = 5, D = 4, C = 6;

    static Tensor<float> Define(GraphBuilder g)
    {
        var x = g.Input<float>("x", B, D);
        var labels = g.Input<float>("labels", B, C);
        var w = g.Parameter("w", C, D);
        var b = g.Parameter("b", C);
        var logits = g.BiasAdd(g.MatMul(x, w, transposeB: true), b);
        return g.SoftmaxCrossEntropyWithLogits(labels, logits);
    }
}

/// <summary>Full softmax with class-id labels (spec 12 / R4): sparse softmax cross-entropy over x W^T + b.</summary>
[ComputationGraph]
public static partial class FullSparseSoftmax
{
    public const int B = 2, D = 3, C = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var x = g.Input<float>("x", B, D);
        var labels = g.Input<long>("labels", B);
        var w = g.Parameter("w", C, D);
        var b = g.Parameter("b", C);
        var logits = g.BiasAdd(g.MatMul(x, w, transposeB: true), b);
        return g.SparseSoftmaxCrossEntropyWithLogits(labels, logits);
    }
}

/// <summary>Full sigmoid evaluation (spec 12 / R4): one-hot labels, sigmoid cross-entropy summed per row.</summary>
[ComputationGraph]
public static partial class FullSigmoid
{
    public const int B = 2, D = 3, C = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var x = g.Input<float>("x", B, D);
        var labels = g.Input<float>("labels", B, C);
        var w = g.Parameter("w", C, D);
        var b = g.Parameter("b", C);
        var logits = g.BiasAdd(g.MatMul(x, w, transposeB: true), b);
        return g.ReduceSum(g.SigmoidCrossEntropyWithLogits(labels, logits), axis: 1);
    }
}

/// <summary>
/// TF's sampled softmax written with primitives (spec 5-6), sampled values fed as data: T true classes per row,
/// K sampled ids shared by the batch, log-Q correction, the accidental-hit mask as an input, and the class table
/// Div-sharded over uneven shards (5 rows on 2 shards: [3, 2]).
/// </summary>
[ComputationGraph]
public static partial class SampledSoftmaxT1
{
    public const int B = 2, D = 3, C = 5, T = 1, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var sampled = g.SideInput<long>("sampled", K);
        // Sampled values and labels are data to the loss, as in TF: no gradient is computed for them.
        var trueCounts = g.StopGradient(g.Input<float>("trueCounts", B, T));
        var sampledCounts = g.StopGradient(g.SideInput<float>("sampledCounts", K));
        var mask = g.StopGradient(g.Input<float>("mask", B, K));
        var softLabels = g.StopGradient(g.Input<float>("softLabels", B, T + K));
        var weights = g.Parameter("weights", C, D, shards: 2, partition: Partition.Div);
        var biases = g.Parameter("biases", C, shards: 2, partition: Partition.Div);

        var trueW = g.EmbeddingLookup(weights, labels);                          // [B, T, D]
        var trueB = g.EmbeddingLookup(biases, labels);                           // [B, T]
        var rowInputs = g.Reshape(inputs, [B, 1, D]);
        var trueLogits = g.ReduceSum(rowInputs * trueW, axis: 2) + trueB;        // [B, T]
        var sampledW = g.EmbeddingLookup(weights, sampled);                      // [K, D]
        var sampledB = g.EmbeddingLookup(biases, sampled);                       // [K]
        var sampledLogits = g.BiasAdd(g.MatMul(inputs, sampledW, transposeB: true), sampledB) + mask;
        var logits = g.Concat([trueLogits - g.Log(trueCounts), sampledLogits - g.Log(sampledCounts)], axis: 1);
        return g.SoftmaxCrossEntropyWithLogits(softLabels, logits);
    }
}

/// <summary>As <see cref="SampledSoftmaxT1"/> with two true classes per row (spec 13 R2), Mod-sharded table.</summary>
[ComputationGraph]
public static partial class SampledSoftmaxT2
{
    public const int B = 2, D = 3, C = 5, T = 2, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var sampled = g.SideInput<long>("sampled", K);
        var trueCounts = g.Input<float>("trueCounts", B, T);
        var sampledCounts = g.SideInput<float>("sampledCounts", K);
        var mask = g.Input<float>("mask", B, K);
        var softLabels = g.Input<float>("softLabels", B, T + K);
        var weights = g.Parameter("weights", C, D, shards: 2, partition: Partition.Mod);
        var biases = g.Parameter("biases", C, shards: 2, partition: Partition.Mod);

        var trueW = g.EmbeddingLookup(weights, labels);
        var trueB = g.EmbeddingLookup(biases, labels);
        var trueLogits = g.ReduceSum(g.Reshape(inputs, [B, 1, D]) * trueW, axis: 2) + trueB;
        var sampledW = g.EmbeddingLookup(weights, sampled);
        var sampledB = g.EmbeddingLookup(biases, sampled);
        var sampledLogits = g.BiasAdd(g.MatMul(inputs, sampledW, transposeB: true), sampledB) + mask;
        var logits = g.Concat([trueLogits - g.Log(trueCounts), sampledLogits - g.Log(sampledCounts)], axis: -1);
        return g.SoftmaxCrossEntropyWithLogits(softLabels, logits);
    }
}

/// <summary>TF's nce_loss written with primitives (spec 7): sigmoid cross-entropy over [true | sampled] logits, summed.</summary>
[ComputationGraph]
public static partial class NceT1
{
    public const int B = 2, D = 3, C = 5, T = 1, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var sampled = g.SideInput<long>("sampled", K);
        var trueCounts = g.Input<float>("trueCounts", B, T);
        var sampledCounts = g.SideInput<float>("sampledCounts", K);
        var mask = g.Input<float>("mask", B, K);
        var softLabels = g.Input<float>("softLabels", B, T + K);
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);

        var trueLogits = g.ReduceSum(g.Reshape(inputs, [B, 1, D]) * g.EmbeddingLookup(weights, labels), axis: 2) + g.EmbeddingLookup(biases, labels);
        var sampledLogits = g.BiasAdd(g.MatMul(inputs, g.EmbeddingLookup(weights, sampled), transposeB: true), g.EmbeddingLookup(biases, sampled)) + mask;
        var logits = g.Concat([trueLogits - g.Log(trueCounts), sampledLogits - g.Log(sampledCounts)], axis: 1);
        return g.ReduceSum(g.SigmoidCrossEntropyWithLogits(softLabels, logits), axis: 1);
    }
}
