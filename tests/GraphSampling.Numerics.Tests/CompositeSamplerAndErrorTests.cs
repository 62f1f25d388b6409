using GraphSampling.Tests.Shared;
using System;
using System.Linq;
using GraphSampling.Numerics.Tests.Graphs;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>
/// The composites' default samplers (TF's: log-uniform unique, learned unigram for TAPAS) are public properties of the
/// program whose last call can be read; their candidates are a pure function of (seed, step); a composite with its
/// sampler equals the same composite fed the sampler's values. And bad run-time input is rejected before anything runs.
/// </summary>
public sealed class CompositeSamplerAndErrorTests
{
    private const int B = DefaultSamplerSoftmax.B, D = DefaultSamplerSoftmax.D, C = DefaultSamplerSoftmax.C;

    private static readonly float[] Inputs = Close.Random(new Random(1), B * D);
    private static readonly float[] Weights = Close.Random(new Random(2), C * D, 0.5);
    private static readonly float[] Biases = Close.Random(new Random(3), C, 0.5);

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(1000)]
    public void DefaultSampler_IsTfsLogUniformSampler_AndItsLastCallIsReadable(long step)
    {
        var labels = new long[] { 0, 1, 2, 3, 4, 5, 49, 7 };
        var p = new DefaultSamplerSoftmax.CpuProgram { Step = step };
        p.Weights.CopyFromIdOrder(Weights);
        p.Biases.CopyFromIdOrder(Biases);
        var loss = new float[B];
        p.ForwardBackward(B, Inputs, labels, loss);
        Assert.Equal(step + 1, p.Step);

        // TF's seeds for an op seed with no graph seed: (87654321, op seed) (spec 3.9); unique over numClasses.
        var expected = new LogUniformSampler(C, unique: true, seed: 87654321, stream: 5);
        var s = new long[DefaultSamplerSoftmax.K];
        var qt = new float[B * DefaultSamplerSoftmax.T];
        var qs = new float[DefaultSamplerSoftmax.K];
        int tries = expected.SampleCandidates(step, labels, DefaultSamplerSoftmax.T, s, qt, qs);
        var sampler = p.LossSampler;
        Assert.Equal(s, sampler.LastCandidates.ToArray());
        Assert.Equal(qt, sampler.LastTrueExpectedCounts.ToArray());
        Assert.Equal(qs, sampler.LastSampledExpectedCounts.ToArray());
        Assert.Equal(tries, sampler.LastNumTries);
        Assert.Equal(step, sampler.LastStep);

        // The same loss fed those sampled values: bit for bit.
        var fed = new FedSamplerSoftmax.CpuProgram();
        fed.Weights.CopyFromIdOrder(Weights);
        fed.Biases.CopyFromIdOrder(Biases);
        var fedLoss = new float[B];
        fed.ForwardBackward(B, Inputs, labels, s, qt, qs, fedLoss);
        Assert.Equal(fedLoss, loss);
        Assert.Equal(fed.InputsGradient.ToArray(), p.InputsGradient.ToArray());
        Assert.Equal(fed.WeightsGradient.Rows.ToArray(), p.WeightsGradient.Rows.ToArray());
    }

    [Fact]
    public void DefaultSamplerCandidates_AreAPureFunctionOfSeedAndStep()
    {
        var labels = new long[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var a = new DefaultSamplerSoftmax.CpuProgram();
        var b = new DefaultSamplerSoftmax.CpuProgram();
        var loss = new float[B];
        var seen = new System.Collections.Generic.List<long[]>();
        for (long step = 0; step < 4; step++)
        {
            a.Forward(B, Inputs, labels, loss);
            b.Step = step;
            b.Forward(B, Inputs, labels, loss);
            Assert.Equal(a.LossSampler.LastCandidates.ToArray(), b.LossSampler.LastCandidates.ToArray());
            seen.Add(a.LossSampler.LastCandidates.ToArray());
        }
        // Replaying step 1 gives step 1's candidates again; different steps draw different sets.
        b.Step = 1;
        b.Forward(B, Inputs, labels, loss);
        Assert.Equal(seen[1], b.LossSampler.LastCandidates.ToArray());
        Assert.NotEqual(seen[0], seen[1]);
    }

    [Fact]
    public void TapasDefaultSampler_IsTheLearnedUnigram_WhichCountsTheLabels()
    {
        var labels = new long[] { 3, 3, 9, 40 };
        var p = new DefaultSamplerTapas.CpuProgram();
        p.Weights.CopyFromIdOrder(Weights);
        p.Biases.CopyFromIdOrder(Biases);
        var expected = new LearnedUnigramSampler(C, unique: true, seed: 87654321, stream: 2);
        var fed = new FedSamplerTapas.CpuProgram();
        fed.Weights.CopyFromIdOrder(Weights);
        fed.Biases.CopyFromIdOrder(Biases);
        var loss = new float[B];
        var fedLoss = new float[B];
        for (long step = 0; step < 3; step++)
        {
            var s = new long[DefaultSamplerTapas.K];
            var qt = new float[B];
            var qs = new float[DefaultSamplerTapas.K];
            int tries = expected.SampleCandidates(step, labels, 1, s, qt, qs);
            p.ForwardBackward(B, Inputs, labels, loss);
            Assert.Equal(s, p.TapasSampler.LastCandidates.ToArray());
            Assert.Equal(tries, p.TapasSampler.LastNumTries);
            fed.ForwardBackward(B, Inputs, labels, s, qt, qs, fedLoss);
            Assert.Equal(fedLoss, loss);
        }
        // Counts start at 1; class 3 was a label twice per call, for three calls.
        Assert.Equal(7, p.TapasSampler.GetCount(3));
        // Only the labels' rows and the kept classes' rows carry gradient (R = 3 kept of K = 8): the same rows as the
        // fed twin's, all among labels and candidates, and at most R of them not labels.
        var ids = p.WeightsGradient.Ids.ToArray();
        Assert.Equal(fed.WeightsGradient.Ids.ToArray(), ids);
        var candidates = new System.Collections.Generic.HashSet<long>(p.TapasSampler.LastCandidates.ToArray());
        Assert.All(ids, id => Assert.True(Array.IndexOf(labels, id) >= 0 || candidates.Contains(id), id + " is neither a label nor a candidate"));
        Assert.InRange(ids.Count(id => Array.IndexOf(labels, id) < 0), 1, DefaultSamplerTapas.R);
    }

    [Fact]
    public void InGraphSamplers_ReportTheirNumTriesToo()
    {
        var labels = new long[] { 1, 2 };
        var p = new SampledSoftmaxWithSampler.CpuProgram();
        p.Forward(2, new float[6], labels, new float[] { 1, 0, 0, 0, 1, 0, 0, 0 }, new float[2]);
        var expected = new LogUniformSampler(5, unique: true, seed: 87654321, stream: 3);
        int tries = expected.SampleCandidates(0, labels, 1, new long[3], new float[2], new float[3]);
        Assert.Equal(tries, p.SampledSampler.LastNumTries);
        Assert.True(tries >= 3);
    }

    [Fact]
    public void WarmCompositePrograms_AllocateNothing_AtFullAndSmallerBatches()
    {
        // The default-sampler programs (sampler, last-call record, constants) and a fed TAPAS program (top-k, gathers,
        // log-sum-exp over the batch through the pooled scratch).
        var softmax = new DefaultSamplerSoftmax.CpuProgram();
        var tapas = new DefaultSamplerTapas.CpuProgram();
        var fed = new FedSamplerTapas.CpuProgram();
        var labels2 = new long[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var labels1 = new long[] { 1, 2, 3, 4 };
        var s = new long[] { 0, 1, 2, 3, 10, 20, 30, 40 };
        var qt = new float[] { 0.5f, 0.5f, 0.5f, 0.5f };
        var qs = new float[] { 0.9f, 0.8f, 0.7f, 0.6f, 0.2f, 0.1f, 0.1f, 0.05f };
        var loss = new float[B];
        void Steps()
        {
            softmax.ForwardBackward(B, Inputs, labels2, loss);
            softmax.ForwardBackward(2, Inputs.AsSpan(0, 2 * D), labels2.AsSpan(0, 4), loss.AsSpan(0, 2));
            tapas.ForwardBackward(B, Inputs, labels1, loss);
            fed.ForwardBackward(3, Inputs.AsSpan(0, 3 * D), labels1.AsSpan(0, 3), s, qt.AsSpan(0, 3), qs, loss.AsSpan(0, 3));
            fed.Forward(B, Inputs, labels1, s, qt, qs, loss);
        }
        Assert.Equal(0, Allocations.AfterWarmUp(Steps));
    }

    // ---- Bad run-time input: a clear exception, nothing written, Step unchanged --------------------------------

    private static (FedSamplerSoftmax.CpuProgram P, float[] Loss, float[] Grad) Primed()
    {
        var p = new FedSamplerSoftmax.CpuProgram();
        p.Weights.CopyFromIdOrder(Weights);
        p.Biases.CopyFromIdOrder(Biases);
        var loss = new float[B];
        p.ForwardBackward(B, Inputs, Labels, Sampled, TrueCounts, SampledCounts, loss);
        loss.AsSpan().Fill(-7f);
        return (p, loss, p.InputsGradient.ToArray());
    }

    private static readonly long[] Labels = { 1, 2, 3, 4, 5, 6, 7, 8 };
    private static readonly long[] Sampled = { 0, 1, 2, 3, 10, 20, 30, 40 };
    private static readonly float[] TrueCounts = { 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f };
    private static readonly float[] SampledCounts = { 0.9f, 0.8f, 0.7f, 0.6f, 0.2f, 0.1f, 0.1f, 0.05f };

    [Fact]
    public void FedSampledIdOutsideTheClasses_IsRejectedBeforeAnythingRuns()
    {
        var (p, loss, grad) = Primed();
        var weightRows = p.WeightsGradient.Rows.ToArray();
        var bad = (long[])Sampled.Clone();
        bad[5] = C;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.ForwardBackward(B, Inputs, Labels, bad, TrueCounts, SampledCounts, loss));
        Assert.Equal("sampled", e.ParamName);
        Assert.Contains("sampled[5] = 50", e.Message);
        Assert.Contains("[0, 50)", e.Message);
        Assert.All(loss, v => Assert.Equal(-7f, v));
        Assert.Equal(grad, p.InputsGradient.ToArray());
        Assert.Equal(weightRows, p.WeightsGradient.Rows.ToArray());
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.5f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void FedExpectedCountThatIsNotFinitePositive_IsRejected(float bad)
    {
        var (p, loss, grad) = Primed();
        var qs = (float[])SampledCounts.Clone();
        qs[3] = bad;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.ForwardBackward(B, Inputs, Labels, Sampled, TrueCounts, qs, loss));
        Assert.Equal("sampledCounts", e.ParamName);
        Assert.Contains("sampledCounts[3]", e.Message);
        var qt = (float[])TrueCounts.Clone();
        qt[6] = bad;
        e = Assert.Throws<ArgumentOutOfRangeException>(() => p.ForwardBackward(B, Inputs, Labels, Sampled, qt, SampledCounts, loss));
        Assert.Equal("trueCounts", e.ParamName);
        Assert.Contains("row 3, column 0", e.Message);
        Assert.All(loss, v => Assert.Equal(-7f, v));
        Assert.Equal(grad, p.InputsGradient.ToArray());
    }

    [Fact]
    public void FedIdsJoinedByConcat_AreCheckedBeforeTheSamplerRuns()
    {
        var p = new ConcatIds.CpuProgram();
        var first = new long[ConcatIds.B * 2];
        var second = new long[ConcatIds.B * 3];
        var labels = new long[ConcatIds.B];
        var output = new float[ConcatIds.B];
        p.Forward(ConcatIds.B, first, second, labels, output);
        second[4] = ConcatIds.V;   // row 1, column 1 of the second input
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.Forward(ConcatIds.B, first, second, labels, output));
        Assert.Equal("second", e.ParamName);
        Assert.Contains("second[row 1, column 1]", e.Message);
        Assert.Equal(1, p.Step);
        Assert.Equal(ConcatIds.V + ConcatIds.B, p.LearnedSampler.TotalCount);   // only the first call counted its labels
    }

    [Fact]
    public void ComputedExpectedCounts_AreCheckedWhereTheyAreMade_AndUnloggedCountsNotAtAll()
    {
        var p = new ComputedCounts.CpuProgram();
        var loss = new float[ComputedCounts.B];
        var x = new float[ComputedCounts.B * ComputedCounts.D];
        var labels = new long[] { 0, 1, 2, 3 };
        var sampled = new long[] { 4, 5, 6 };
        var qt = new float[] { 0.5f, 0.5f, 0.5f, 0.5f };
        p.Forward(ComputedCounts.B, x, labels, sampled, qt, new float[] { 1, 2, 3 }, loss);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.Forward(ComputedCounts.B, x, labels, sampled, qt, new float[] { 1, 0, 3 }, loss));
        Assert.Contains("sampledExpectedCount", e.Message + e.ParamName);

        // Without log Q the counts are never used, so no check rejects them (TF ignores them too).
        var noLogQ = new RefSoftmaxNoLogQ.CpuProgram();
        var l = new float[RefSoftmaxNoLogQ.B];
        noLogQ.Forward(RefSoftmaxNoLogQ.B, new float[RefSoftmaxNoLogQ.B * RefSoftmaxNoLogQ.D], new long[RefSoftmaxNoLogQ.B], new long[RefSoftmaxNoLogQ.K],
            new float[RefSoftmaxNoLogQ.B], new float[RefSoftmaxNoLogQ.K], l);
        Assert.All(l, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void LabelOutsideTheClasses_IsRejected_AndTheSamplerAndStepStayPut()
    {
        var p = new DefaultSamplerSoftmax.CpuProgram { Step = 9 };
        var loss = new float[B];
        var labels = (long[])Labels.Clone();
        labels[5] = -1;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.ForwardBackward(B, Inputs, labels, loss));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("row 2, column 1", e.Message);
        Assert.Equal(9, p.Step);
        Assert.Equal(-1, p.LossSampler.LastStep);

        var tapas = new DefaultSamplerTapas.CpuProgram();
        var tapasLabels = new long[] { 1, 2, 3, 50 };
        Assert.Throws<ArgumentOutOfRangeException>(() => tapas.ForwardBackward(B, Inputs, tapasLabels, loss));
        Assert.Equal(0, tapas.Step);
        Assert.Equal(C, tapas.TapasSampler.TotalCount);   // the learned counts did not change
    }
}
