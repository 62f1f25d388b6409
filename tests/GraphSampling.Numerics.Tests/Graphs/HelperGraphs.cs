using GraphSampling;

namespace GraphSampling.Numerics.Tests.Graphs;

/// <summary>A two-layer classifier written with graph helpers: one in the graph class, called with its own names, and an
/// extension helper in a static class. The generator reads each helper in place of its call; the runtime recorder runs
/// the same C#; the reference interpreter checks the generated program against the recorded graph.</summary>
[ComputationGraph]
public static partial class HelperLayers
{
    public const int B = 6, D = 5, H = 6, C = 3;

    static Tensor<float> Dense(GraphBuilder g, Tensor<float> x, string weights, string bias, int inputs, int units)
    {
        var w = g.Parameter(weights, inputs, units);
        var b = g.Parameter(bias, units);
        return g.BiasAdd(g.MatMul(x, w), b);
    }

    static Tensor<float> Define(GraphBuilder g)
    {
        var x = g.Input<float>("x", B, D);
        var labels = g.Input<long>("labels", B);
        var hidden = Dense(g, x, "w1", "b1", D, H);
        var logits = g.Linear(hidden * hidden, "w2", "b2", H, C);
        return g.SparseSoftmaxCrossEntropyWithLogits(labels, logits);
    }
}

/// <summary>Graph helpers a project shares between graphs.</summary>
public static class LayerHelpers
{
    public static Tensor<float> Linear(this GraphBuilder g, Tensor<float> x, string weights, string bias, int inputs, int units) =>
        g.BiasAdd(g.MatMul(x, g.Parameter(weights, inputs, units)), g.Parameter(bias, units));
}
