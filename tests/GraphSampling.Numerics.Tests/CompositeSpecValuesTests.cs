using System;
using GraphSampling.Numerics.Tests.Graphs;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>
/// The worked values of shared/spec/tf-semantics.md section 13 (R1, R2, R3) through the one-call composite losses, the
/// sampled values fed through g.SampledValues as in the spec's setting. Tolerance as in <see cref="SpecValuesTests"/>:
/// 1e-6 relative plus 1e-6 absolute (the spec's numbers are double results for decimal inputs; the programs compute in
/// float32 from the rounded inputs).
/// </summary>
public sealed class CompositeSpecValuesTests
{
    private static readonly float[] X = SpecData.X;
    private static readonly float[] W = SpecData.W;
    private static readonly float[] Bias = SpecData.Bias;
    private const double Rel = 1e-6, Abs = 1e-6;

    // R1: T = 1, labels [[1],[2]], S = [1,3,4], counts with num_tries = 3 (p·K).
    private static readonly long[] R1Labels = { 1, 2 };
    private static readonly long[] R1Sampled = { 1, 3, 4 };
    private static readonly float[] R1TrueCounts = { 0.678883135f, 0.481675267f };
    private static readonly float[] R1SampledCounts = { 0.678883135f, 0.373616368f, 0.305266798f };

    // R2: T = 2, labels [[1,2],[4,0]], S = [1,3,4], num_tries = 4.
    private static readonly long[] R2Labels = { 1, 2, 4, 0 };
    private static readonly float[] R2TrueCounts = { 0.641653657f, 0.503451228f, 0.349004358f, 0.858662009f };
    private static readonly float[] R2SampledCounts = { 0.641653657f, 0.412581474f, 0.349004358f };

    [Fact]
    public void R1_SampledSoftmaxLoss_HitsRemoved_MatchesSpec()
    {
        var p = new SpecSoftmaxT1.CpuProgram();
        Load(p.Weights, p.Biases);
        var loss = new float[2];
        p.ForwardBackward(2, X, R1Labels, R1Sampled, R1TrueCounts, R1SampledCounts, loss);
        Close.Check(new[] { 1.685265064, 1.305817127 }, loss, "loss", Rel, Abs);
        Close.Check(new[] { 0.220873984, -0.462696722, -0.184797302, -0.468167079, -0.039329276, -0.042213828 }, p.InputsGradient, "dinputs", Rel, Abs);
        Close.Check(new[] { 0, 0, 0, -0.037536130, 0.162920944, -0.299286842, -0.291619579, 0, 0.364524474, 0.119508735, -0.085650222, 0.032620804, 0.209646974, -0.077270721, -0.097858435 }, Dense(p.WeightsGradient), "dweights", Rel, Abs);
        Close.Check(new[] { 0, -0.704793863, -0.729048947, 0.619960171, 0.813882640 }, Dense(p.BiasesGradient), "dbiases", Rel, Abs);
        // The sparse gradients hold exactly the labels' and the candidates' rows.
        Assert.Equal(new long[] { 1, 2, 3, 4 }, p.WeightsGradient.Ids.ToArray());
    }

    [Fact]
    public void R1_SampledSoftmaxLoss_HitsKept_MatchesSpec()
    {
        var p = new SpecSoftmaxT1Hits.CpuProgram();
        Load(p.Weights, p.Biases);
        var loss = new float[2];
        p.ForwardBackward(2, X, R1Labels, R1Sampled, R1TrueCounts, R1SampledCounts, loss);
        Close.Check(new[] { 1.855341434, 1.305817127 }, loss, "loss", Rel, Abs);
        Close.Check(new[] { 0.186329394, -0.390331165, -0.155895088, -0.468167079, -0.039329276, -0.042213828 }, p.InputsGradient, "dinputs", Rel, Abs);
        Close.Check(new[] { 0, 0, 0, -0.024795749, 0.137440182, -0.261065700, -0.291619579, 0, 0.364524474, 0.112810907, -0.072254567, 0.012527320, 0.203604421, -0.065185616, -0.115986093 }, Dense(p.WeightsGradient), "dweights", Rel, Abs);
        Close.Check(new[] { 0, -0.577390057, -0.729048947, 0.552981892, 0.753457112 }, Dense(p.BiasesGradient), "dbiases", Rel, Abs);
    }

    [Fact]
    public void R1_NceLoss_MatchesSpec()
    {
        var kept = new SpecNceT1.CpuProgram();
        Load(kept.Weights, kept.Biases);
        var loss = new float[2];
        kept.ForwardBackward(2, X, R1Labels, R1Sampled, R1TrueCounts, R1SampledCounts, loss);
        Close.Check(new[] { 4.109246254, 3.971718550 }, loss, "nce loss", Rel, Abs);
        Close.Check(new[] { -0.078401254, -0.014601287, -0.200201743, -0.341262940, 0.200346308, -0.186620559 }, kept.InputsGradient, "nce dinputs", Rel, Abs);
        Close.Check(new[] { 0, 0, 0, 0.232953162, -0.026572592, -0.234724695, -0.099859606, 0, 0.124824508, 0.347176333, -0.150221429, -0.114749881, 0.403480893, -0.146273394, -0.193520154 }, Dense(kept.WeightsGradient), "nce dweights", Rel, Abs);
        Close.Check(new[] { 0, 0.682030126, -0.249649016, 1.431271191, 1.557227459 }, Dense(kept.BiasesGradient), "nce dbiases", Rel, Abs);

        var removed = new SpecNceT1NoHits.CpuProgram();
        Load(removed.Weights, removed.Biases);
        removed.ForwardBackward(2, X, R1Labels, R1Sampled, R1TrueCounts, R1SampledCounts, loss);
        Close.Check(new[] { 3.273540974, 3.971718550 }, loss, "nce loss (hits removed)", Rel, Abs);
        Close.Check(new[] { 0.091528190, -0.297817027, -0.256844891, -0.341262940, 0.200346308, -0.186620559 }, removed.InputsGradient, "nce dinputs (hits removed)", Rel, Abs);
        Close.Check(new[] { 0, 0, 0, 0.176310014, 0.086713704, -0.404654139, -0.099859606, 0, 0.124824508, 0.347176333, -0.150221429, -0.114749881, 0.403480893, -0.146273394, -0.193520154 }, Dense(removed.WeightsGradient), "nce dweights (hits removed)", Rel, Abs);
        Close.Check(new[] { 0, 0.115598646, -0.249649016, 1.431271191, 1.557227459 }, Dense(removed.BiasesGradient), "nce dbiases (hits removed)", Rel, Abs);
    }

    [Fact]
    public void R1_SampledSparseSoftmaxLoss_EqualsTheSampledSoftmaxValues()
    {
        // Spec 8: the same values as sampled_softmax_loss with T = 1; here over a 3-shard Mod table.
        var p = new SpecSparseT1.CpuProgram();
        Load(p.Weights, p.Biases);
        var loss = new float[2];
        p.ForwardBackward(2, X, R1Labels, R1Sampled, R1TrueCounts, R1SampledCounts, loss);
        Close.Check(new[] { 1.685265064, 1.305817127 }, loss, "loss", Rel, Abs);
        Close.Check(new[] { 0.220873984, -0.462696722, -0.184797302, -0.468167079, -0.039329276, -0.042213828 }, p.InputsGradient, "dinputs", Rel, Abs);
        Close.Check(new[] { 0, 0, 0, -0.037536130, 0.162920944, -0.299286842, -0.291619579, 0, 0.364524474, 0.119508735, -0.085650222, 0.032620804, 0.209646974, -0.077270721, -0.097858435 }, Dense(p.WeightsGradient), "dweights", Rel, Abs);
        Close.Check(new[] { 0, -0.704793863, -0.729048947, 0.619960171, 0.813882640 }, Dense(p.BiasesGradient), "dbiases", Rel, Abs);
    }

    [Fact]
    public void R2_SampledSoftmaxLoss_TwoTrueClasses_MatchesSpec()
    {
        var kept = new SpecSoftmaxT2Hits.CpuProgram();
        Load(kept.Weights, kept.Biases);
        var loss = new float[2];
        kept.ForwardBackward(2, X, R2Labels, R1Sampled, R2TrueCounts, R2SampledCounts, loss);
        Close.Check(new[] { 1.786991596, 1.797531128 }, loss, "loss", Rel, Abs);
        Close.Check(new[] { -0.130055184, -0.208119038, -0.023725182, -0.121474303, 0.079913580, -0.206980351 }, kept.InputsGradient, "dinputs", Rel, Abs);
        Close.Check(new[] { -0.166758871, 0, 0.208448589, 0.019142932, 0.043840723, -0.117090202, -0.030025442, 0.060050884, -0.090076325, 0.089115930, -0.055515359, 0.006575226, 0.088525451, -0.048376248, -0.007857288 }, Dense(kept.WeightsGradient), "dweights", Rel, Abs);
        Close.Check(new[] { -0.416897178, -0.116545380, -0.300254418, 0.430972421, 0.402724556 }, Dense(kept.BiasesGradient), "dbiases", Rel, Abs);

        var removed = new SpecSoftmaxT2.CpuProgram();   // Mod-sharded table
        Load(removed.Weights, removed.Biases);
        removed.ForwardBackward(2, X, R2Labels, R1Sampled, R2TrueCounts, R2SampledCounts, loss);
        Close.Check(new[] { 1.635705709, 1.396424055 }, loss, "loss (hits removed)", Rel, Abs);
        Close.Check(new[] { -0.077798810, -0.266610382, -0.052099601, -0.144408312, 0.020653667, -0.062381829 }, removed.InputsGradient, "dinputs (hits removed)", Rel, Abs);
        Close.Check(new[] { -0.150355131, 0, 0.187943914, 0.027660027, 0.067334133, -0.177660066, -0.026763010, 0.053526021, -0.080289031, 0.123928472, -0.064582646, -0.017672468, 0.025529642, -0.056277508, 0.087677651 }, Dense(removed.WeightsGradient), "dweights (hits removed)", Rel, Abs);
        Close.Check(new[] { -0.375887829, -0.183352929, -0.267630105, 0.552006102, 0.274864761 }, Dense(removed.BiasesGradient), "dbiases (hits removed)", Rel, Abs);
    }

    [Fact]
    public void R2_NceLoss_TwoTrueClasses_MatchesSpec()
    {
        var kept = new SpecNceT2.CpuProgram();
        Load(kept.Weights, kept.Biases);
        var loss = new float[2];
        kept.ForwardBackward(2, X, R2Labels, R1Sampled, R2TrueCounts, R2SampledCounts, loss);
        Close.Check(new[] { 4.858920097, 5.160904408 }, loss, "nce loss", Rel, Abs);
        Close.Check(new[] { -0.138390498, 0.281245193, -0.169461021, -0.177053095, 0.350655564, -0.408899315 }, kept.InputsGradient, "nce dinputs", Rel, Abs);
        Close.Check(new[] { 0.004237356, 0, -0.005296695, 0.291280907, -0.132090925, -0.083407918, 0.016290535, -0.032581069, 0.048871604, 0.336493828, -0.146420717, -0.109473261, 0.515031504, -0.140852163, -0.344478533 }, Dense(kept.WeightsGradient), "nce dweights", Rel, Abs);
        Close.Check(new[] { 0.010593390, 1.223543236, 0.162905346, 1.390312258, 1.815774372 }, Dense(kept.BiasesGradient), "nce dbiases", Rel, Abs);

        var removed = new SpecNceT2NoHits.CpuProgram();
        Load(removed.Weights, removed.Biases);
        removed.ForwardBackward(2, X, R2Labels, R1Sampled, R2TrueCounts, R2SampledCounts, loss);
        Close.Check(new[] { 3.990878344, 3.522260189 }, loss, "nce loss (hits removed)", Rel, Abs);
        Close.Check(new[] { 0.035677696, -0.008868463, -0.227483752, -0.217340934, 0.108928531, 0.074554752 }, removed.InputsGradient, "nce dinputs (hits removed)", Rel, Abs);
        Close.Check(new[] { 0.004237356, 0, -0.005296695, 0.233258176, -0.016045463, -0.257476111, 0.016290535, -0.032581069, 0.048871604, 0.336493828, -0.146420717, -0.109473261, 0.192728793, -0.140852163, 0.058399856 }, Dense(removed.WeightsGradient), "nce dweights (hits removed)", Rel, Abs);
        Close.Check(new[] { 0.010593390, 0.643315924, 0.162905346, 1.390312258, 1.010017594 }, Dense(removed.BiasesGradient), "nce dbiases (hits removed)", Rel, Abs);
    }

    [Fact]
    public void R3_RankSampledSoftmaxLoss_MatchesSpec()
    {
        // S = [0,1,3,4]; log-uniform expected counts for range 5 with num_tries = K = 4: p·4 in float32 (spec 3.3).
        long[] sampled = { 0, 1, 3, 4 };
        var qs = new float[4];
        for (int i = 0; i < 4; i++) qs[i] = LogUniformP(sampled[i]) * 4f;
        var qt = new[] { LogUniformP(2) * 4f, LogUniformP(2) * 4f };
        var p = new SpecTapas.CpuProgram();
        Load(p.Weights, p.Biases);
        var loss = new float[2];
        p.ForwardBackward(2, X, new long[] { 2, 2 }, sampled, qt, qs, loss);
        Close.Check(new[] { 1.037252699, 1.041936538 }, loss, "loss", Rel, Abs);
        Close.Check(new[] { -0.328648421, -0.005887225, -0.082117879, -0.342386321, 0.028483707, -0.168293637 }, p.InputsGradient, "dinputs", Rel, Abs);
        Close.Check(new[] { 0.266709312, 0, -1.292802070, 0, 1.026092759 }, Dense(p.BiasesGradient), "dbiases", Rel, Abs);
        // Scores keep positions {3, 0} (classes 4 and 0): the sparse gradients hold the label 2 and the kept classes only.
        Assert.Equal(new long[] { 0, 2, 4 }, p.WeightsGradient.Ids.ToArray());
        Assert.Equal(new long[] { 0, 2, 4 }, p.BiasesGradient.Ids.ToArray());
    }

    /// <summary>Spec 3.5: log((v+2)/(v+1)) / log(range+1) in double, then float32.</summary>
    private static float LogUniformP(long v) => (float)(Math.Log((v + 2.0) / (v + 1.0)) / Math.Log(6.0));

    private static void Load(Runtime.Buffers.ParameterTable weights, Runtime.Buffers.ParameterTable biases)
    {
        weights.CopyFromIdOrder(W);
        biases.CopyFromIdOrder(Bias);
    }

    private static float[] Dense(Runtime.Buffers.SparseRowGradient g)
    {
        var d = new float[g.TableRows * g.Width];
        g.CopyToDense(d);
        return d;
    }
}
