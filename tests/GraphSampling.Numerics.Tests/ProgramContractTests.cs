using GraphSampling.Tests.Shared;
using System;
using GraphSampling.Numerics.Tests.Graphs;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>What every generated program promises: no allocation after warm-up, and bad input rejected with a message
/// that names the argument, the row and the bound, before anything is written.</summary>
public sealed class ProgramContractTests
{
    [Fact]
    public void WarmForwardBackward_AllocatesNothing()
    {
        var p = new ClippedBagOfWords.CpuProgram();
        var rng = new Random(5);
        p.Table.CopyFromIdOrder(Close.Random(rng, ClippedBagOfWords.V * ClippedBagOfWords.D));
        var tokens = Close.Ids(rng, ClippedBagOfWords.B * ClippedBagOfWords.W, ClippedBagOfWords.V);
        var labels = Close.Ids(rng, ClippedBagOfWords.B, ClippedBagOfWords.C);
        var loss = new float[ClippedBagOfWords.B];
        var g = new float[ClippedBagOfWords.B];
        g.AsSpan().Fill(1f);
        Assert.Equal(0, Allocations.AfterWarmUp(() =>
        {
            p.ForwardBackward(ClippedBagOfWords.B, tokens, labels, loss);
            p.ForwardBackward(ClippedBagOfWords.B - 1, tokens.AsSpan(0, (ClippedBagOfWords.B - 1) * ClippedBagOfWords.W), labels.AsSpan(0, ClippedBagOfWords.B - 1), loss.AsSpan(0, ClippedBagOfWords.B - 1), g.AsSpan(0, ClippedBagOfWords.B - 1));
            p.Forward(ClippedBagOfWords.B, tokens, labels, loss);
        }));
    }

    [Fact]
    public void WarmSampledSoftmaxAndElementwisePrograms_AllocateNothing()
    {
        var zoo = new ElementwiseZoo.CpuProgram();
        var x = new float[ElementwiseZoo.B * ElementwiseZoo.N];
        var y = new float[ElementwiseZoo.B];
        var pos = new float[ElementwiseZoo.B * ElementwiseZoo.N];
        pos.AsSpan().Fill(1f);
        var output = new float[ElementwiseZoo.B];
        var sm = new SampledSoftmaxT2.CpuProgram();
        var inputs = new float[6];
        var labels = new long[] { 1, 2, 4, 0 };
        var sampled = new long[] { 1, 3, 4 };
        var qt = new float[] { 0.5f, 0.5f, 0.5f, 0.5f };
        var qs = new float[] { 0.5f, 0.5f, 0.5f };
        var mask = new float[6];
        var soft = new float[10];
        var loss = new float[2];
        Assert.Equal(0, Allocations.AfterWarmUp(() =>
        {
            zoo.ForwardBackward(ElementwiseZoo.B, x, y, pos, output);
            sm.ForwardBackward(2, inputs, labels, sampled, qt, qs, mask, soft, loss);
        }));
    }

    [Fact]
    public void IdOutsideTheTable_ThrowsNamingInputRowAndBound_AndWritesNothing()
    {
        var p = new ClippedBagOfWords.CpuProgram();
        var tokens = new long[ClippedBagOfWords.B * ClippedBagOfWords.W];
        var labels = new long[ClippedBagOfWords.B];
        var loss = new float[ClippedBagOfWords.B];
        p.ForwardBackward(ClippedBagOfWords.B, tokens, labels, loss);
        var gradientBefore = p.OutputGradient.ToArray();
        var idsBefore = p.TableGradient.Ids.ToArray();

        tokens[2 * ClippedBagOfWords.W + 1] = ClippedBagOfWords.V;   // row 2, column 1, one past the end
        loss.AsSpan().Fill(42f);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.ForwardBackward(ClippedBagOfWords.B, tokens, labels, loss));
        Assert.Equal("tokens", e.ParamName);
        Assert.Contains("row 2", e.Message);
        Assert.Contains("column 1", e.Message);
        Assert.Contains("[0, " + ClippedBagOfWords.V + ")", e.Message);
        Assert.All(loss, v => Assert.Equal(42f, v));
        Assert.Equal(gradientBefore, p.OutputGradient.ToArray());
        Assert.Equal(idsBefore, p.TableGradient.Ids.ToArray());

        tokens[2 * ClippedBagOfWords.W + 1] = -1;
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Forward(ClippedBagOfWords.B, tokens, labels, loss));
    }

    [Fact]
    public void LabelOutsideTheClasses_ThrowsNamingLabelsRowAndBound()
    {
        var p = new FullSparseSoftmax.CpuProgram();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.Forward(2, new float[6], new long[] { 0, 5 }, new float[2]));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("row 1", e.Message);
        Assert.Contains("[0, 5)", e.Message);
    }

    [Fact]
    public void WrongSpanLengths_AreRejectedBeforeAnythingIsWritten()
    {
        var p = new FullSoftmax.CpuProgram();
        var loss = new float[3];
        loss.AsSpan().Fill(7f);
        var x = new float[3 * FullSoftmax.D];
        var labels = new float[3 * FullSoftmax.C];
        var e = Assert.Throws<ArgumentException>(() => p.Forward(3, x.AsSpan(1), labels, loss));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("needs exactly " + 3 * FullSoftmax.D, e.Message);
        e = Assert.Throws<ArgumentException>(() => p.Forward(3, x, labels, loss.AsSpan(0, 2)));
        Assert.Equal("output", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => p.ForwardBackward(3, x, labels, loss, new float[2]));
        Assert.Equal("outputGradient", e.ParamName);
        Assert.All(loss, v => Assert.Equal(7f, v));
    }

    [Fact]
    public void BatchAboveCapacity_IsRejected()
    {
        var p = new FullSoftmax.CpuProgram();
        int b = FullSoftmax.B + 1;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.Forward(b, new float[b * FullSoftmax.D], new float[b * FullSoftmax.C], new float[b]));
        Assert.Equal("batch", e.ParamName);
        Assert.Contains("[0, " + FullSoftmax.B + "]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Forward(-1, default, default, default));
    }

    [Fact]
    public void NaNInAFloatInput_IsRejectedWhenChecksAreOn()
    {
        var p = new FullSoftmax.CpuProgram();
        var x = new float[FullSoftmax.D];
        x[2] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => p.Forward(1, x, new float[FullSoftmax.C], new float[1]));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("row 0, column 2", e.Message);
        p.CheckInputs = false;
        var loss = new float[1];
        p.Forward(1, x, new float[FullSoftmax.C], loss);
        Assert.True(float.IsNaN(loss[0]));
    }

    [Fact]
    public void EmptyBatch_RunsAndWritesNothing()
    {
        var p = new ClippedBagOfWords.CpuProgram();
        p.ForwardBackward(0, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty, Span<float>.Empty);
        Assert.Equal(0, p.TableGradient.Count);
    }

    [Fact]
    public void StopGradientInputs_GetNoGradientMembers()
    {
        var members = typeof(SampledSoftmaxT1.CpuProgram).GetProperties();
        Assert.Contains(members, m => m.Name == "InputsGradient");
        Assert.DoesNotContain(members, m => m.Name is "TrueCountsGradient" or "SampledCountsGradient" or "MaskGradient" or "SoftLabelsGradient");
        Assert.Contains(typeof(SampledSoftmaxT2.CpuProgram).GetProperties(), m => m.Name == "MaskGradient");
    }

    [Fact]
    public void RecordedGraph_PassesSharedShapeInference()
    {
        var typed = GraphSampling.Shapes.ShapeInference.Infer(SampledSoftmaxT1.RecordGraph());
        Assert.True(typed.Succeeded, string.Join("\n", typed.Errors));
        Assert.Equal("float[B=2]", typed.OutputType.ToString());
    }
}
