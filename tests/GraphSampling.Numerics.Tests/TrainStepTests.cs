using System;
using GraphSampling.Numerics.Tests.Graphs;
using GraphSampling.Runtime.Optimizers;
using GraphSampling.Tests.Shared;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>A program's ApplyGradients: one optimizer step over every parameter (sparse and dense), the same as the
/// step written by hand, and, after ForwardBackward, a training step that allocates nothing once warm.</summary>
public sealed class TrainStepTests
{
    private const int B = ClippedBagOfWords.B, W = ClippedBagOfWords.W;

    private static (ClippedBagOfWords.CpuProgram Program, long[] Tokens, long[] Labels) Program(int seed)
    {
        var p = new ClippedBagOfWords.CpuProgram();
        var rng = new Random(seed);
        p.Table.CopyFromIdOrder(Close.Random(rng, ClippedBagOfWords.V * ClippedBagOfWords.D));
        p.Output.CopyFromIdOrder(Close.Random(rng, ClippedBagOfWords.C * ClippedBagOfWords.D));
        return (p, Close.Ids(rng, B * W, ClippedBagOfWords.V), Close.Ids(rng, B, ClippedBagOfWords.C));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.05f)]   // small enough that the clip applies
    public void ApplyGradients_is_the_step_written_by_hand_for_every_parameter(float clip)
    {
        var (a, tokens, labels) = Program(3);
        var (b, _, _) = Program(3);
        var byProgram = new Adam(0.05f) { ClipGlobalNorm = clip, WeightDecay = 0.01f };
        var byHand = new Adam(0.05f) { ClipGlobalNorm = clip, WeightDecay = 0.01f };
        var loss = new float[B];
        for (int step = 0; step < 3; step++)
        {
            a.ForwardBackward(B, tokens, labels, loss);
            a.ApplyGradients(byProgram);
            b.ForwardBackward(B, tokens, labels, loss);
            byHand.BeginStep(Optimizer.SquaredNorm(b.TableGradient) + Optimizer.SquaredNorm(b.OutputGradient));
            byHand.Update(b.Table, b.TableGradient);   // sparse: the rows the batch's tokens touched
            byHand.Update(b.Output, b.OutputGradient); // dense
            byHand.EndStep();
        }
        Assert.Equal(Close.Dense(b.Table), Close.Dense(a.Table));
        Assert.Equal(Close.Dense(b.Output), Close.Dense(a.Output));
        Assert.Equal(3, byProgram.Steps);
        if (clip > 0) Assert.True(byProgram.LastGlobalNorm > clip, "the clip was active");
    }

    [Fact]
    public void A_warm_training_step_allocates_nothing_and_lowers_the_loss()
    {
        var (p, tokens, labels) = Program(5);
        var optimizer = new LazyAdam(0.05f) { ClipGlobalNorm = 5f };
        var loss = new float[B];
        p.ForwardBackward(B, tokens, labels, loss);
        double first = 0;
        foreach (float l in loss) first += l;
        Assert.Equal(0, Allocations.AfterWarmUp(() =>
        {
            p.ForwardBackward(B, tokens, labels, loss);
            p.ApplyGradients(optimizer);
        }));
        double last = 0;
        foreach (float l in loss) last += l;
        Assert.True(last < first, "loss " + first + " -> " + last);
    }
}
