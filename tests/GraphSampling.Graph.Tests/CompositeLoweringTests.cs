using System;
using System.Linq;
using GraphSampling.Ir;
using GraphSampling.Lowering;
using GraphSampling.Shapes;
using Xunit;

namespace GraphSampling.Graph.Tests;

/// <summary>
/// Each composite loss lowers to exactly the primitive graph a user would write from TF's composition (the form
/// docs/losses/ documents): the two IRs are equal node for node, so both get the same generated code.
/// </summary>
public sealed class CompositeLoweringTests
{
    private const int B = 6, D = 4, C = 11;

    /// <summary>One configuration of a composite: which loss, how many true and sampled classes, which options.</summary>
    public sealed record Case(OpKind Loss, int T, int K, bool Fed, bool Hits, bool LogQ, int Shards, Partition Partition, int R = 0, double Tau = 0.7, long Seed = 0)
    {
        public override string ToString() => Loss + " T" + T + " K" + K + (Fed ? " fed" : " sampler") + (Hits ? " hits" : "") + (LogQ ? " logQ" : "") + " " + Shards + Partition;
    }

    public static TheoryData<Case> Cases => new()
    {
        new Case(OpKind.SampledSoftmaxLoss, 1, 5, Fed: true, Hits: true, LogQ: true, 1, Partition.Div),
        new Case(OpKind.SampledSoftmaxLoss, 3, 5, Fed: true, Hits: false, LogQ: true, 3, Partition.Mod),
        new Case(OpKind.SampledSoftmaxLoss, 2, 4, Fed: true, Hits: true, LogQ: false, 3, Partition.Div),
        new Case(OpKind.SampledSoftmaxLoss, 1, 5, Fed: false, Hits: true, LogQ: true, 1, Partition.Div, Seed: 9),
        new Case(OpKind.NceLoss, 1, 5, Fed: true, Hits: false, LogQ: true, 1, Partition.Div),
        new Case(OpKind.NceLoss, 3, 6, Fed: true, Hits: true, LogQ: false, 3, Partition.Mod),
        new Case(OpKind.NceLoss, 2, 5, Fed: false, Hits: false, LogQ: true, 3, Partition.Div, Seed: 4),
        new Case(OpKind.SampledSparseSoftmaxLoss, 1, 5, Fed: true, Hits: true, LogQ: true, 3, Partition.Mod),
        new Case(OpKind.SampledSparseSoftmaxLoss, 1, 5, Fed: false, Hits: false, LogQ: true, 1, Partition.Div),
        new Case(OpKind.RankSampledSoftmaxLoss, 1, 7, Fed: true, Hits: true, LogQ: true, 3, Partition.Div, R: 3),
        new Case(OpKind.RankSampledSoftmaxLoss, 2, 7, Fed: false, Hits: false, LogQ: true, 3, Partition.Mod, R: 4, Tau: 2.5, Seed: 3),
    };

    [Theory, MemberData(nameof(Cases))]
    public void Composite_LowersToTheHandWrittenPrimitives(Case c)
    {
        var composite = GraphBuilder.Record(g => Composite(g, c));
        var typed = ShapeInference.Infer(composite);
        Assert.True(typed.Succeeded, string.Join("; ", typed.Errors));
        var lowered = CompositeLowering.Lower(typed);
        var hand = GraphBuilder.Record(g => HandWritten(g, c));
        Assert.True(lowered.Equals(hand), "lowered:\n" + lowered + "\n\nhand-written:\n" + hand);
        Assert.False(CompositeLowering.HasComposites(lowered));
        Assert.True(ShapeInference.Infer(lowered).Succeeded);
    }

    [Fact]
    public void DefaultSamplers_AreTfs_AndNamedAfterTheLoss()
    {
        // Spec 5: log-uniform unique over numClasses; spec 9 (TAPAS): learned unigram unique.
        var softmax = Lower(GraphBuilder.Record(g => Composite(g, new Case(OpKind.SampledSoftmaxLoss, 2, 5, false, true, true, 1, Partition.Div, Seed: 12))));
        var sampler = Assert.Single(softmax.Nodes, n => n.Kind == OpKind.LogUniformCandidateSampler);
        Assert.True(sampler.Attributes.Bool("unique"));
        Assert.Equal(C, sampler.Attributes.Int("rangeMax"));
        Assert.Equal(12, sampler.Attributes.Int("seed"));
        Assert.Equal(2, sampler.Attributes.Int("numTrue"));
        Assert.Equal("sampledSoftmaxSampler", sampler.Name);

        var tapas = Lower(GraphBuilder.Record(g => Composite(g, new Case(OpKind.RankSampledSoftmaxLoss, 1, 7, false, true, true, 1, Partition.Div, R: 3))));
        Assert.Single(tapas.Nodes, n => n.Kind == OpKind.LearnedUnigramCandidateSampler && n.Attributes.Bool("unique") && n.Attributes.Int("numSampled") == 7);
    }

    [Fact]
    public void TwoUnnamedLossesOfOneKind_GetDistinctSamplerNames()
    {
        var graph = Lower(GraphBuilder.Record(g =>
        {
            var x = g.Input<float>("x", B, D);
            var labels = g.Labels("labels", B);
            var w = g.Parameter("w", C, D);
            var b = g.Parameter("b", C);
            return g.SampledSoftmaxLoss(w, b, labels, x, 4, C, seed: 1) + g.SampledSoftmaxLoss(w, b, labels, x, 4, C, seed: 2);
        }));
        var names = graph.Nodes.Where(n => n.Kind == OpKind.LogUniformCandidateSampler).Select(n => n.Name).ToArray();
        Assert.Equal(2, names.Distinct().Count());
    }

    [Fact]
    public void WithoutAVariable_LoweredNodesAreNamedAfterTheOp()
    {
        var graph = Lower(GraphBuilder.Record(g =>
        {
            var x = g.Input<float>("x", B, D);
            var labels = g.Labels("labels", B);
            var w = g.Parameter("w", C, D);
            var b = g.Parameter("b", C);
            return g.NceLoss(w, b, labels, x, 4, C);
        }));
        // The recorder has no variable names; the prefix falls back to the op ("nce" for NceLoss).
        Assert.Contains(graph.Nodes, n => n.Name == "nceSampler");
        Assert.Contains(graph.Nodes, n => n.Name == "nce_logits");
    }

    private static IrGraph Lower(IrGraph graph)
    {
        var typed = ShapeInference.Infer(graph);
        Assert.True(typed.Succeeded, string.Join("; ", typed.Errors));
        return CompositeLowering.Lower(typed);
    }

    private static (Tensor<float> X, Tensor<long> Labels, Tensor<float> W, Tensor<float> Bias, SampledValues? Values) Leaves(GraphBuilder g, Case c)
    {
        var x = g.Input<float>("inputs", B, D);
        var labels = g.Labels("labels", B, numTrue: c.T);
        var w = g.Parameter("weights", C, D, shards: c.Shards, partition: c.Partition);
        var bias = g.Parameter("biases", C, shards: c.Shards, partition: c.Partition);
        SampledValues? values = c.Fed ? g.SampledValues(g.SideInput<long>("sampled", c.K), g.Input<float>("trueCounts", B, c.T), g.SideInput<float>("sampledCounts", c.K)) : null;
        return (x, labels, w, bias, values);
    }

    internal static Tensor<float> Composite(GraphBuilder g, Case c)
    {
        var (x, labels, w, bias, values) = Leaves(g, c);
        switch (c.Loss)
        {
            case OpKind.SampledSoftmaxLoss:
                return g.SampledSoftmaxLoss(w, bias, labels, x, c.K, C, c.T, values, c.Hits, c.Seed, c.LogQ);
            case OpKind.NceLoss:
                return g.NceLoss(w, bias, labels, x, c.K, C, c.T, values, c.Hits, c.Seed, c.LogQ);
            case OpKind.SampledSparseSoftmaxLoss:
                return g.SampledSparseSoftmaxLoss(w, bias, labels, x, c.K, C, values, c.Hits, c.Seed);
            default:
                return g.RankSampledSoftmaxLoss(w, bias, labels, x, c.K, c.R, C, c.T, values, c.Tau, c.Hits, c.Seed);
        }
    }

    /// <summary>TF's composition written with primitives, in the order docs/losses/ gives it.</summary>
    internal static Tensor<float> HandWritten(GraphBuilder g, Case c)
    {
        var (x, labels, w, bias, fed) = Leaves(g, c);
        var values = fed ?? (c.Loss == OpKind.RankSampledSoftmaxLoss
            ? g.LearnedUnigramCandidateSampler(labels, c.T, c.K, unique: true, rangeMax: C, seed: c.Seed)
            : g.LogUniformCandidateSampler(labels, c.T, c.K, unique: true, rangeMax: C, seed: c.Seed));
        // _compute_sampled_logits: the sampled values are stop-gradient data.
        var sampled = values.SampledCandidates;
        var trueCounts = g.StopGradient(values.TrueExpectedCount);
        var sampledCounts = g.StopGradient(values.SampledExpectedCount);
        int k = c.K;
        if (c.Loss == OpKind.RankSampledSoftmaxLoss)
        {
            // TAPAS's first pass: LSE over the batch of W[S]·x/τ, plus b[S]/τ; keep the best R.
            var tau = g.Constant(c.Tau);
            var scaled = x / tau;
            var candidateWeights = g.EmbeddingLookup(w, sampled);
            var candidateLogits = g.MatMul(scaled, candidateWeights, transposeB: true);
            var overBatch = g.ReduceLogSumExp(candidateLogits, axis: 0);
            var candidateBiases = g.EmbeddingLookup(bias, sampled);
            var scores = overBatch + candidateBiases / tau;
            var kept = g.TopK(scores, c.R);
            sampled = g.Gather(sampled, kept.Indices);
            sampledCounts = g.Gather(sampledCounts, kept.Indices);
            k = c.R;
        }
        var rowInputs = g.Reshape(x, [B, 1, D]);
        var trueWeights = g.EmbeddingLookup(w, labels);
        var trueSums = g.ReduceSum(rowInputs * trueWeights, axis: 2);
        var trueLogits = trueSums + g.EmbeddingLookup(bias, labels);
        var sampledWeights = g.EmbeddingLookup(w, sampled);
        var products = g.MatMul(x, sampledWeights, transposeB: true);
        var sampledLogits = g.BiasAdd(products, g.EmbeddingLookup(bias, sampled));
        if (c.Hits) sampledLogits = sampledLogits + g.ComputeAccidentalHits(labels, sampled, c.T);
        if (c.LogQ)
        {
            trueLogits = trueLogits - g.Log(trueCounts);
            sampledLogits = sampledLogits - g.Log(sampledCounts);
        }
        var logits = g.Concat([trueLogits, sampledLogits], axis: 1);
        switch (c.Loss)
        {
            case OpKind.NceLoss:
                return g.ReduceSum(g.SigmoidCrossEntropyWithLogits(SoftLabels(g, c.T, k), logits), axis: 1);
            case OpKind.SampledSparseSoftmaxLoss:
                return g.SparseSoftmaxCrossEntropyWithLogits(g.Zeros<long>(B), logits);
            default:
                return g.SoftmaxCrossEntropyWithLogits(SoftLabels(g, c.T, k), logits);
        }
    }

    /// <summary>TF's labels: 1/T (a float division) on the true columns, 0 on the sampled ones.</summary>
    private static Tensor<float> SoftLabels(GraphBuilder g, int t, int k) => g.Concat([g.Fill<float>(B, 1f / t, t), g.Fill<float>(B, 0, k)], axis: 1);
}
