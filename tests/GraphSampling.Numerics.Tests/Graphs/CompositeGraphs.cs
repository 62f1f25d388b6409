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

// ---- Reference comparisons: B = 6, D = 4, C = 11 (uneven over 3 shards), fed values --------------------------------

/// <summary>Sampled softmax, T = 3, K = 5, 3 Mod shards, hits removed, log Q.</summary>
[ComputationGraph]
public static partial class RefSoftmaxT3Mod
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

/// <summary>Sampled softmax, T = 1, K = 5, 3 Div shards, hits kept, no log Q ("negative sampling" users).</summary>
[ComputationGraph]
public static partial class RefSoftmaxNoLogQ
{
    public const int B = 6, D = 4, C = 11, T = 1, K = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3);
        var biases = g.Parameter("biases", C, shards: 3);
        return g.SampledSoftmaxLoss(weights, biases, labels, inputs, K, C, T, values, removeAccidentalHits: false, subtractLogQ: false);
    }
}

/// <summary>NCE, T = 3, K = 6, 3 Div shards, hits removed, log Q.</summary>
[ComputationGraph]
public static partial class RefNceT3
{
    public const int B = 6, D = 4, C = 11, T = 3, K = 6;

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

/// <summary>NCE, T = 1, K = 6, one shard, hits kept, no log Q.</summary>
[ComputationGraph]
public static partial class RefNceNoLogQ
{
    public const int B = 6, D = 4, C = 11, T = 1, K = 6;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        return g.NceLoss(weights, biases, labels, inputs, K, C, T, values, subtractLogQ: false);
    }
}

/// <summary>Sampled sparse softmax, K = 5, 3 Mod shards, hits removed.</summary>
[ComputationGraph]
public static partial class RefSparse
{
    public const int B = 6, D = 4, C = 11, T = 1, K = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3, partition: Partition.Mod);
        var biases = g.Parameter("biases", C, shards: 3, partition: Partition.Mod);
        var loss = g.SampledSparseSoftmaxLoss(weights, biases, labels, inputs, K, C, values);
        return loss;
    }
}

/// <summary>TAPAS, T = 2, K = 7 resampled to 3, τ = 0.7, 3 Div shards, hits removed.</summary>
[ComputationGraph]
public static partial class RefTapasT2
{
    public const int B = 6, D = 4, C = 11, T = 2, K = 7, R = 3;

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

/// <summary>TAPAS, T = 1, K = 7 resampled to 4, τ = 2.5, 3 Mod shards, hits kept.</summary>
[ComputationGraph]
public static partial class RefTapasMod
{
    public const int B = 6, D = 4, C = 11, T = 1, K = 7, R = 4;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3, partition: Partition.Mod);
        var biases = g.Parameter("biases", C, shards: 3, partition: Partition.Mod);
        return g.RankSampledSoftmaxLoss(weights, biases, labels, inputs, K, R, C, T, values, resamplingTemperature: 2.5, removeAccidentalHits: false);
    }
}

// ---- Hand-written twins: TF's composition with primitives, in the documented order (docs/losses/) ----------------

/// <summary><see cref="RefSoftmaxT3Mod"/> written with primitives.</summary>
[ComputationGraph]
public static partial class HandSoftmaxT3Mod
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
        var trueWeights = g.EmbeddingLookup(weights, labels);
        var trueSums = g.ReduceSum(rowInputs * trueWeights, axis: 2);
        var trueLogits = trueSums + g.EmbeddingLookup(biases, labels);
        var sampledWeights = g.EmbeddingLookup(weights, values.SampledCandidates);
        var products = g.MatMul(inputs, sampledWeights, transposeB: true);
        var sampledLogits = g.BiasAdd(products, g.EmbeddingLookup(biases, values.SampledCandidates));
        var masked = sampledLogits + g.ComputeAccidentalHits(labels, values.SampledCandidates, numTrue: T);
        var trueLogitsQ = trueLogits - g.Log(trueCounts);
        var sampledLogitsQ = masked - g.Log(sampledCounts);
        var logits = g.Concat([trueLogitsQ, sampledLogitsQ], axis: 1);
        var softLabels = g.Concat([g.Fill<float>(B, 1f / T, T), g.Fill<float>(B, 0, K)], axis: 1);
        return g.SoftmaxCrossEntropyWithLogits(softLabels, logits);
    }
}

/// <summary><see cref="RefNceT3"/> written with primitives.</summary>
[ComputationGraph]
public static partial class HandNceT3
{
    public const int B = 6, D = 4, C = 11, T = 3, K = 6;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3);
        var biases = g.Parameter("biases", C, shards: 3);
        var trueCounts = g.StopGradient(values.TrueExpectedCount);
        var sampledCounts = g.StopGradient(values.SampledExpectedCount);
        var rowInputs = g.Reshape(inputs, [B, 1, D]);
        var trueWeights = g.EmbeddingLookup(weights, labels);
        var trueSums = g.ReduceSum(rowInputs * trueWeights, axis: 2);
        var trueLogits = trueSums + g.EmbeddingLookup(biases, labels);
        var sampledWeights = g.EmbeddingLookup(weights, values.SampledCandidates);
        var products = g.MatMul(inputs, sampledWeights, transposeB: true);
        var sampledLogits = g.BiasAdd(products, g.EmbeddingLookup(biases, values.SampledCandidates));
        var masked = sampledLogits + g.ComputeAccidentalHits(labels, values.SampledCandidates, numTrue: T);
        var trueLogitsQ = trueLogits - g.Log(trueCounts);
        var sampledLogitsQ = masked - g.Log(sampledCounts);
        var logits = g.Concat([trueLogitsQ, sampledLogitsQ], axis: 1);
        var softLabels = g.Concat([g.Fill<float>(B, 1f / T, T), g.Fill<float>(B, 0, K)], axis: 1);
        return g.ReduceSum(g.SigmoidCrossEntropyWithLogits(softLabels, logits), axis: 1);
    }
}

/// <summary><see cref="RefSparse"/> written with primitives.</summary>
[ComputationGraph]
public static partial class HandSparse
{
    public const int B = 6, D = 4, C = 11, T = 1, K = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3, partition: Partition.Mod);
        var biases = g.Parameter("biases", C, shards: 3, partition: Partition.Mod);
        var trueCounts = g.StopGradient(values.TrueExpectedCount);
        var sampledCounts = g.StopGradient(values.SampledExpectedCount);
        var rowInputs = g.Reshape(inputs, [B, 1, D]);
        var trueWeights = g.EmbeddingLookup(weights, labels);
        var trueSums = g.ReduceSum(rowInputs * trueWeights, axis: 2);
        var trueLogits = trueSums + g.EmbeddingLookup(biases, labels);
        var sampledWeights = g.EmbeddingLookup(weights, values.SampledCandidates);
        var products = g.MatMul(inputs, sampledWeights, transposeB: true);
        var sampledLogits = g.BiasAdd(products, g.EmbeddingLookup(biases, values.SampledCandidates));
        var masked = sampledLogits + g.ComputeAccidentalHits(labels, values.SampledCandidates, numTrue: T);
        var trueLogitsQ = trueLogits - g.Log(trueCounts);
        var sampledLogitsQ = masked - g.Log(sampledCounts);
        var logits = g.Concat([trueLogitsQ, sampledLogitsQ], axis: 1);
        return g.SparseSoftmaxCrossEntropyWithLogits(g.Zeros<long>(B), logits);
    }
}

/// <summary><see cref="RefTapasT2"/> written with primitives.</summary>
[ComputationGraph]
public static partial class HandTapasT2
{
    public const int B = 6, D = 4, C = 11, T = 2, K = 7, R = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D, shards: 3);
        var biases = g.Parameter("biases", C, shards: 3);
        var trueCounts = g.StopGradient(values.TrueExpectedCount);
        var sampledCounts = g.StopGradient(values.SampledExpectedCount);
        // First pass: score each candidate, keep the best R (no gradient through the choice).
        var tau = g.Constant(0.7);
        var scaled = inputs / tau;
        var candidateWeights = g.EmbeddingLookup(weights, values.SampledCandidates);
        var candidateLogits = g.MatMul(scaled, candidateWeights, transposeB: true);
        var overBatch = g.ReduceLogSumExp(candidateLogits, axis: 0);
        var candidateBiases = g.EmbeddingLookup(biases, values.SampledCandidates);
        var scores = overBatch + candidateBiases / tau;
        var kept = g.TopK(scores, R);
        var resampled = g.Gather(values.SampledCandidates, kept.Indices);
        var resampledCounts = g.Gather(sampledCounts, kept.Indices);
        // Second pass: a sampled softmax over the kept candidates.
        var rowInputs = g.Reshape(inputs, [B, 1, D]);
        var trueWeights = g.EmbeddingLookup(weights, labels);
        var trueSums = g.ReduceSum(rowInputs * trueWeights, axis: 2);
        var trueLogits = trueSums + g.EmbeddingLookup(biases, labels);
        var sampledWeights = g.EmbeddingLookup(weights, resampled);
        var products = g.MatMul(inputs, sampledWeights, transposeB: true);
        var sampledLogits = g.BiasAdd(products, g.EmbeddingLookup(biases, resampled));
        var masked = sampledLogits + g.ComputeAccidentalHits(labels, resampled, numTrue: T);
        var trueLogitsQ = trueLogits - g.Log(trueCounts);
        var sampledLogitsQ = masked - g.Log(resampledCounts);
        var logits = g.Concat([trueLogitsQ, sampledLogitsQ], axis: 1);
        var softLabels = g.Concat([g.Fill<float>(B, 1f / T, T), g.Fill<float>(B, 0, R)], axis: 1);
        return g.SoftmaxCrossEntropyWithLogits(softLabels, logits);
    }
}

// ---- The default samplers (no sampledValues) ----------------------------------------------------------------------

/// <summary>Sampled softmax with TF's default sampler: log-uniform unique over C, seeded by the loss's seed.</summary>
[ComputationGraph]
public static partial class DefaultSamplerSoftmax
{
    public const int B = 4, D = 3, C = 50, T = 2, K = 8;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        var loss = g.SampledSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, numTrue: T, seed: 5);
        return loss;
    }
}

/// <summary><see cref="DefaultSamplerSoftmax"/> fed the sampled values the default sampler draws.</summary>
[ComputationGraph]
public static partial class FedSamplerSoftmax
{
    public const int B = 4, D = 3, C = 50, T = 2, K = 8;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        return g.SampledSoftmaxLoss(weights, biases, labels, inputs, numSampled: K, numClasses: C, numTrue: T, sampledValues: values);
    }
}

/// <summary>TAPAS with TF's default sampler: learned unigram unique (stateful), seeded by the loss's seed.</summary>
[ComputationGraph]
public static partial class DefaultSamplerTapas
{
    public const int B = 4, D = 3, C = 50, T = 1, K = 8, R = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        var tapas = g.RankSampledSoftmaxLoss(weights, biases, labels, inputs, K, R, C, T, null, resamplingTemperature: 1.0, removeAccidentalHits: true, seed: 2);
        return tapas;
    }
}

/// <summary><see cref="DefaultSamplerTapas"/> fed the sampled values.</summary>
[ComputationGraph]
public static partial class FedSamplerTapas
{
    public const int B = 4, D = 3, C = 50, T = 1, K = 8, R = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: T);
        var values = g.SampledValues(g.SideInput<long>("sampled", K), g.Input<float>("trueCounts", B, T), g.SideInput<float>("sampledCounts", K));
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        return g.RankSampledSoftmaxLoss(weights, biases, labels, inputs, K, R, C, T, values, resamplingTemperature: 1.0, removeAccidentalHits: true);
    }
}

/// <summary>Sampled softmax whose sampled expected counts are computed in the graph (fed raw values times 0.5).</summary>
[ComputationGraph]
public static partial class ComputedCounts
{
    public const int B = 4, D = 3, C = 10, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var inputs = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B);
        var sampled = g.SideInput<long>("sampled", K);
        var trueCounts = g.Input<float>("trueCounts", B, 1);
        var sampledExpectedCount = g.SideInput<float>("raw", K) * g.Constant(0.5);
        var values = g.SampledValues(sampled, trueCounts, sampledExpectedCount);
        var weights = g.Parameter("weights", C, D);
        var biases = g.Parameter("biases", C);
        return g.SampledSoftmaxLoss(weights, biases, labels, inputs, K, C, sampledValues: values);
    }
}
