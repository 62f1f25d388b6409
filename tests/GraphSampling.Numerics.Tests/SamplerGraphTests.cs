using System;
using GraphSampling.Numerics.Tests.Graphs;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>Sampler and accidental-hit ops generated for the CPU, checked against the runtime samplers (whose TF
/// semantics are tested in GraphSampling.Runtime.Tests) and against the same graph fed the sampled values.</summary>
public sealed class SamplerGraphTests
{
    private static readonly float[] X = { 0.1f, -0.2f, 0.3f, 0.4f, 0.0f, -0.5f };
    private static readonly float[] W = { 0.2f, -0.1f, 0.4f, -0.3f, 0.5f, 0.1f, 0.6f, 0.2f, -0.2f, -0.1f, -0.4f, 0.3f, 0.05f, 0.3f, -0.6f };
    private static readonly float[] Bias = { 0.01f, -0.02f, 0.03f, -0.04f, 0.05f };
    private static readonly float[] Soft = { 1f, 0, 0, 0, 1, 0, 0, 0 };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void SamplerInsideTheGraph_EqualsTheSameGraphFedTheSampledValues(long step)
    {
        var labels = new long[] { 1, 2 };
        var inside = new SampledSoftmaxWithSampler.CpuProgram { Step = step };
        inside.Weights.CopyFromIdOrder(W);
        inside.Biases.CopyFromIdOrder(Bias);
        var lossInside = new float[2];
        inside.ForwardBackward(2, X, labels, Soft, lossInside);
        Assert.Equal(step + 1, inside.Step);

        // TF's seeds for an op seed with no graph seed: (87654321, op seed) (spec 3.9).
        var sampler = new LogUniformSampler(5, unique: true, seed: 87654321, stream: 3);
        var s = new long[3];
        var qt = new float[2];
        var qs = new float[3];
        sampler.SampleCandidates(step, labels, 1, s, qt, qs);
        var mask = new float[6];
        AccidentalHits.AccidentalHitMask(labels, 1, s, mask);

        var fed = new SampledSoftmaxT1.CpuProgram();
        fed.Weights.CopyFromIdOrder(W);
        fed.Biases.CopyFromIdOrder(Bias);
        var lossFed = new float[2];
        fed.ForwardBackward(2, X, labels, s, qt, qs, mask, Soft, lossFed);

        Assert.Equal(lossFed, lossInside);
        Assert.Equal(fed.InputsGradient.ToArray(), inside.InputsGradient.ToArray());
        Assert.Equal(fed.WeightsGradient.Ids.ToArray(), inside.WeightsGradient.Ids.ToArray());
        Assert.Equal(fed.WeightsGradient.Rows.ToArray(), inside.WeightsGradient.Rows.ToArray());
        Assert.Equal(fed.BiasesGradient.Rows.ToArray(), inside.BiasesGradient.Rows.ToArray());
    }

    [Fact]
    public void Candidates_AreAPureFunctionOfTheStep()
    {
        var p = new SampledSoftmaxWithSampler.CpuProgram();
        p.Weights.CopyFromIdOrder(W);
        var labels = new long[] { 1, 2 };
        var first = new float[2];
        var again = new float[2];
        var other = new float[2];
        p.Step = 4;
        p.Forward(2, X, labels, Soft, first);
        p.Step = 4;
        p.Forward(2, X, labels, Soft, again);
        Assert.Equal(first, again);
        bool differs = false;
        for (long step = 5; step < 12 && !differs; step++)
        {
            p.Step = step;
            p.Forward(2, X, labels, Soft, other);
            differs = other[0] != first[0] || other[1] != first[1];
        }
        Assert.True(differs, "seven other steps all drew the same candidates as step 4");
    }

    [Fact]
    public void EverySamplerKind_MatchesItsRuntimeSampler()
    {
        var labels = new long[] { 1, 2 };
        var p = new EverySampler.CpuProgram();
        var output = new float[2];
        var uniform = new UniformSampler(5, true, 87654321, 11);
        var learned = new LearnedUnigramSampler(5, true, 87654321, 12);
        var fixedUnigram = new FixedUnigramSampler(5, true, 87654321, 13, unigrams: new[] { 5f, 1f, 3f, 1f, 0.5f });
        var all = new AllCandidateSampler(5, true, 87654321, 0);
        for (long step = 0; step < 3; step++)
        {
            p.Forward(2, labels, output);
            var expected = new double[2];
            foreach (CandidateSampler s in new CandidateSampler[] { uniform, learned, fixedUnigram, all })
            {
                int k = s is AllCandidateSampler ? 5 : 3;
                var qt = new float[2];
                s.SampleCandidates(step, labels, 1, new long[k], qt, new float[k]);
                expected[0] += qt[0];
                expected[1] += qt[1];
            }
            // The graph sums four float32 counts in float32; the expectation sums the same floats in double.
            Close.Check(expected, output, "summed true expected counts at step " + step, 1e-6, 0);
        }
        // The learned unigram saw the labels of three calls: 1 + 3 for each of classes 1 and 2.
        Assert.Equal(4, p.LearnedSampler.GetCount(1));
        Assert.Equal(4, p.LearnedSampler.GetCount(2));
        Assert.Equal(1, p.LearnedSampler.GetCount(0));
    }

    [Fact]
    public void TrueClassOutsideTheSamplerRange_IsRejectedBeforeSampling()
    {
        var p = new EverySampler.CpuProgram();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.Forward(2, new long[] { 0, 5 }, new float[2]));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("row 1", e.Message);
        Assert.Equal(0, p.Step);
        Assert.Equal(5, p.LearnedSampler.TotalCount);
    }
}
