using System;
using GraphSampling.Ir;
using Xunit;

namespace GraphSampling.Graph.Tests;

/// <summary>The runtime recorder builds the IR that the generator's lowering builds (the same OpLowering).</summary>
public sealed class RecorderTests
{
    [Fact]
    public void Record_NumbersNodesInCallOrder_WithDefaultsAsAttributes()
    {
        var graph = GraphBuilder.Record(g =>
        {
            var x = g.Input<float>("x", 4, 3);
            var w = g.Parameter("w", 7, 3, shards: 2, partition: Partition.Mod);
            return g.ReduceSum(g.MatMul(x, w, transposeB: true), axis: 1);
        });
        Assert.Equal(4, graph.Nodes.Count);
        Assert.Equal(OpKind.MatMul, graph[2].Kind);
        Assert.False(graph[2].Attributes.Bool("transposeA"));
        Assert.True(graph[2].Attributes.Bool("transposeB"));
        Assert.Equal(2, graph[1].Attributes.Int("shards"));
        Assert.Equal((long)Partition.Mod, graph[1].Attributes.Int("partition"));
        Assert.Equal(new ValueRef(3), graph.Output);
    }

    [Fact]
    public void TensorsFromAnotherGraph_AreRejected()
    {
        Tensor<float> foreign = default;
        GraphBuilder.Record(g => foreign = g.Input<float>("x", 2, 2));
        Assert.Throws<ArgumentException>(() => GraphBuilder.Record(g => g.Log(foreign)));
    }

    [Fact]
    public void NodesReadOnlyEarlierNodes()
    {
        var b = new IrGraphBuilder();
        Assert.Throws<ArgumentException>(() => new IrGraph(EquatableArray.Create(new IrNode(0, OpKind.Log, EquatableArray.Create(new ValueRef(0)), OpAttributes.None, null)), new ValueRef(0)));
        Assert.Equal(0, b.Count);
    }
}
