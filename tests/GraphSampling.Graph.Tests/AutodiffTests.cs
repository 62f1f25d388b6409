using System.Linq;
using GraphSampling.Autodiff;
using GraphSampling.Ir;
using GraphSampling.Shapes;
using Xunit;

namespace GraphSampling.Graph.Tests;

/// <summary>The gradient graph: which targets get gradients, of which kind, and that every gradient has its source's shape.</summary>
public sealed class AutodiffTests
{
    private static GradientGraph Differentiate(System.Func<GraphBuilder, Tensor<float>> define)
    {
        var typed = ShapeInference.Infer(GraphBuilder.Record(define));
        Assert.True(typed.Succeeded, string.Join("\n", typed.Errors));
        return GradientRules.Differentiate(typed);
    }

    [Fact]
    public void LookupOnlyTable_GetsASparseGradient_DenseUseGetsADenseOne()
    {
        var grads = Differentiate(g =>
        {
            var emb = g.Parameter("emb", 100, 8);
            var w = g.Parameter("w", 5, 8);
            var h = g.ReduceSum(g.EmbeddingLookup(emb, g.Input<long>("ids", 4, 3)), axis: 1);
            return g.SparseSoftmaxCrossEntropyWithLogits(g.Input<long>("labels", 4), g.MatMul(h, w, transposeB: true));
        });
        var emb = grads.Targets.Single(t => t.Name == "emb");
        var w = grads.Targets.Single(t => t.Name == "w");
        Assert.True(emb.Sparse);
        Assert.Equal(OpKind.SparseRowGradient, grads.Graph[emb.Gradient.Node].Kind);
        Assert.False(w.Sparse);
        Assert.Equal("float[5, 8]", grads.Typed.TypeOf(w.Gradient).ToString());
        Assert.DoesNotContain(grads.Targets, t => t.Name == "ids" || t.Name == "labels");
    }

    [Fact]
    public void EveryGradient_HasItsSourcesShape()
    {
        var grads = Differentiate(g =>
        {
            var x = g.Input<float>("x", 6, 3);
            var v = g.Parameter("v", 3);
            var y = g.Input<float>("y", 6, 1);
            var c = g.Concat([x * v + y, g.Log(x * x + y)], axis: 1);
            return g.ReduceLogSumExp(g.Reshape(c, [6, 2, 3]), axis: 1) is var r ? g.ReduceSum(r, axis: -1) : default;
        });
        foreach (var t in grads.Targets)
        {
            Assert.Equal(grads.Typed.TypeOf(t.Source).Shape, grads.Typed.TypeOf(t.Gradient).Shape);
        }
        Assert.Equal(new[] { "v", "x", "y" }, grads.Targets.Select(t => t.Name).OrderBy(n => n, System.StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void TopK_StopsTheGradient()
    {
        var grads = Differentiate(g => g.ReduceSum(g.TopK(g.Input<float>("x", 4, 6), 2).Values, axis: 1));
        Assert.Empty(grads.Targets);
    }
}
