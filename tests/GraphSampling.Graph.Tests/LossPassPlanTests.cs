using System.Linq;
using GraphSampling.Ir;
using GraphSampling.Planning;
using Xunit;

namespace GraphSampling.Graph.Tests;

/// <summary>The cross-entropy loss and its logits gradient in one pass: planned only when the upstream gradient is the
/// seed (the loss is the output), and the constant labels of the sampled losses read as one shared row.</summary>
public sealed class LossPassPlanTests
{
    private const int B = 6, D = 4, C = 11;

    [Fact]
    public void SampledSoftmaxLoss_ComputesItsLogitsGradientInTheLossPass_WithSharedLabels()
    {
        var plan = PlannedGraphs.Plan(g => g.SampledSoftmaxLoss(g.Parameter("w", C, D), g.Parameter("b", C), g.Labels("labels", B, 2), g.Input<float>("x", B, D), 5, C, 2, seed: 1));
        var loss = plan.Graph.Nodes.Single(n => n.Kind == OpKind.SoftmaxCrossEntropyWithLogits);
        var grad = plan.Graph.Nodes.Single(n => n.Kind == OpKind.SoftmaxCrossEntropyGrad && n.Attributes.String("wrt") == "logits");
        Assert.Equal(grad.Id, plan.GradientComputedWith(loss.Id));
        Assert.Equal(loss.Id, plan.LossComputing(grad.Id));
        Assert.Equal(StepKind.WithLoss, Schedule.StepOf(plan, grad.Id));
        Assert.True(plan.HasGradientsInForward);
        Assert.True(plan.SharesLabelRow(loss.Id));
        Assert.True(plan.SharesLabelRow(grad.Id));
    }

    [Fact]
    public void FullSparseSoftmax_ComputesItsGradientInTheLossPass()
    {
        var plan = PlannedGraphs.Plan(g => g.SparseSoftmaxCrossEntropyWithLogits(g.Input<long>("labels", B), g.BiasAdd(g.MatMul(g.Input<float>("x", B, D), g.Parameter("w", C, D), transposeB: true), g.Parameter("b", C))));
        var loss = plan.Graph.Nodes.Single(n => n.Kind == OpKind.SparseSoftmaxCrossEntropyWithLogits);
        Assert.True(plan.GradientComputedWith(loss.Id) >= 0);
    }

    [Fact]
    public void ALossThatIsNotTheOutput_KeepsItsGradientInTheBackwardPass()
    {
        // The upstream gradient of the loss comes from the Multiply's rule: it does not exist before the backward pass.
        var plan = PlannedGraphs.Plan(g => g.SampledSoftmaxLoss(g.Parameter("w", C, D), g.Parameter("b", C), g.Labels("labels", B), g.Input<float>("x", B, D), 5, C, seed: 1) * g.Constant(2.0));
        var loss = plan.Graph.Nodes.Single(n => n.Kind == OpKind.SoftmaxCrossEntropyWithLogits);
        Assert.Equal(-1, plan.GradientComputedWith(loss.Id));
        Assert.False(plan.HasGradientsInForward);
        Assert.True(plan.SharesLabelRow(loss.Id));
    }

    [Fact]
    public void FedLabels_AreReadRowByRow()
    {
        var plan = PlannedGraphs.Plan(g => g.SoftmaxCrossEntropyWithLogits(g.StopGradient(g.Input<float>("targets", B, C)), g.MatMul(g.Input<float>("x", B, D), g.Parameter("w", C, D), transposeB: true)));
        var loss = plan.Graph.Nodes.Single(n => n.Kind == OpKind.SoftmaxCrossEntropyWithLogits);
        Assert.False(plan.SharesLabelRow(loss.Id));
        Assert.True(plan.GradientComputedWith(loss.Id) >= 0);
    }
}
