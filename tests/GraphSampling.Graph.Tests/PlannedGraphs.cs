using System;
using GraphSampling.Autodiff;
using GraphSampling.Lowering;
using GraphSampling.Planning;

namespace GraphSampling.Graph.Tests;

/// <summary>Graphs taken through the whole pipeline to a plan (lowering, inference, autodiff, fusion, buffers), for the
/// tests of the Plan stage.</summary>
internal static class PlannedGraphs
{
    private const int B = 16, D = 8, C = 200;

    public static ProgramPlan Plan(Func<GraphBuilder, Tensor<float>> define)
    {
        var lowered = GraphLowering.Run(GraphBuilder.Record(define)).Lowered!;
        return ProgramPlan.Create(lowered, GradientRules.Differentiate(lowered));
    }

    /// <summary>Each loss family over a sharded table, a full softmax, and an elementwise zoo with a concatenation.</summary>
    public static readonly string[] Names = { "softmax", "nce-dense-inputs", "tapas", "sparse", "full", "zoo" };

    public static ProgramPlan Named(string name) => Plan(g =>
    {
        var x = g.Input<float>("x", B, D);
        var labels = g.Labels("labels", B, 2);
        var w = g.Parameter("w", C, D, shards: 3, partition: Partition.Mod);
        var b = g.Parameter("b", C);
        switch (name)
        {
            case "softmax": return g.SampledSoftmaxLoss(w, b, labels, x, 20, C, 2, seed: 3);
            case "nce-dense-inputs": return g.NceLoss(w, b, labels, g.MatMul(x, g.Parameter("proj", D, D)), 20, C, 2);
            case "tapas": return g.RankSampledSoftmaxLoss(w, b, labels, x, 40, 10, C, 2, null, 0.5, true);
            case "sparse": return g.SampledSparseSoftmaxLoss(w, b, g.Labels("label", B), x, 20, C);
            case "full": return g.ReduceLogSumExp(g.BiasAdd(g.MatMul(x, w, transposeB: true), b), axis: 1);
            default:
                var v = g.Parameter("v", D);
                var y = g.Input<float>("y", B, 1);
                var a = x * v + y;
                var e = g.Log(g.Input<float>("positive", B, D)) - a * x;
                return g.ReduceSum(g.Concat([a, e / g.Constant(2.0)], axis: 1), axis: 1);
        }
    });
}
