using System;
using System.Linq;
using GraphSampling.Ir;
using GraphSampling.Numerics.Tests.Graphs;
using GraphSampling.Tests.Shared;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>A Define returning a tuple (issue 8, item 2): one span per output, named by the tuple's elements; the first
/// is differentiated, the others are only computed.</summary>
public sealed class SeveralOutputsTests
{
    private const int B = LossLogitsAndBest.B, D = LossLogitsAndBest.D, C = LossLogitsAndBest.C, K = LossLogitsAndBest.K;

    [Fact]
    public void The_recorded_graph_has_the_named_outputs_in_order()
    {
        var graph = LossLogitsAndBest.RecordGraph();
        Assert.Equal(new[] { "loss", "logits", "best" }, graph.AllOutputs.Select(o => o.Name));
        Assert.Equal(2, graph.ExtraOutputs.Count);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(3)]   // a partial batch: each span holds that batch's live rows
    public void Every_output_and_the_gradient_match_the_reference(int batch)
    {
        var graph = LossLogitsAndBest.RecordGraph();
        var c = new ReferenceCase(graph, seed: batch);
        var p = new LossLogitsAndBest.CpuProgram();
        c.Table(p.W);
        var x = c.Floats("x", batch * D);
        var labels = c.Ids("labels", batch, C);
        var expected = c.Run(batch, Enumerable.Repeat(1f, batch).ToArray());

        var loss = new float[batch];
        var logits = new float[batch * C];
        var best = new long[batch * K];
        p.ForwardBackward(batch, x, labels, loss, logits, best);
        Close.Loss(expected.Output, loss, "loss");
        Close.Loss(expected.Value(graph.ExtraOutputs[0].Value), logits, "logits");
        Assert.Equal(expected.IntValue(graph.ExtraOutputs[1].Value), best);
        ReferenceCase.DenseGradient(expected, "w", p.WGradient);

        // Forward writes the same outputs and leaves the gradient.
        var gradient = p.WGradient.ToArray();
        var loss2 = new float[batch];
        var logits2 = new float[batch * C];
        var best2 = new long[batch * K];
        p.Forward(batch, x, labels, loss2, logits2, best2);
        Assert.Equal(loss, loss2);
        Assert.Equal(logits, logits2);
        Assert.Equal(best, best2);
        Assert.Equal(gradient, p.WGradient.ToArray());
    }

    [Fact]
    public void Each_output_span_is_checked_by_its_name_before_anything_runs()
    {
        var p = new LossLogitsAndBest.CpuProgram();
        var x = new float[B * D];
        var labels = new long[B];
        var e = Assert.Throws<ArgumentException>(() => p.Forward(B, x, labels, new float[B], new float[B * C - 1], new long[B * K]));
        Assert.Equal("logits", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => p.ForwardBackward(B, x, labels, new float[B], new float[B * C], new long[1]));
        Assert.Equal("best", e.ParamName);
    }

    [Fact]
    public void A_warm_call_with_several_outputs_allocates_nothing()
    {
        var p = new LossLogitsAndBest.CpuProgram();
        p.W.InitializeUniform(1f, seed: 2);
        var x = new float[B * D];
        var labels = new long[B];
        var loss = new float[B];
        var logits = new float[B * C];
        var best = new long[B * K];
        Assert.Equal(0, Allocations.AfterWarmUp(() => p.ForwardBackward(B, x, labels, loss, logits, best)));
    }
}
