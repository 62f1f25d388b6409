using System;
using GraphSampling.Numerics.Tests.Graphs;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>
/// The worked values of shared/spec/tf-semantics.md section 13, through the generated CPU programs. The sampled values
/// (S, Qt, Qs and the accidental-hit mask) are fed as data, exactly as in the spec's R1/R2 setting.
/// </summary>
public sealed class SpecValuesTests
{
    // Spec 13 data: B = 2, D = 3, C = 5.
    private static readonly float[] X = SpecData.X;
    private static readonly float[] W = SpecData.W;
    private static readonly float[] Bias = SpecData.Bias;
    private const float FltMax = float.MaxValue;

    // The spec's numbers are double-precision results for these (decimal) inputs; the program computes in float32 from
    // the float-rounded inputs, so agreement is within float32 rounding of the inputs and the arithmetic: 1e-6 relative
    // plus 1e-6 absolute (inputs are O(1); their rounding alone moves results by ~1e-8 relative).
    private const double Rel = 1e-6, Abs = 1e-6;

    [Fact]
    public void R1_SampledSoftmax_MatchesSpec()
    {
        var (loss, dx, dw, db) = RunSampledSoftmaxT1(removeHits: false);
        Close.Check(new[] { 1.855341434, 1.305817127 }, loss, "loss", Rel, Abs);
        Close.Check(new[] { 0.186329394, -0.390331165, -0.155895088, -0.468167079, -0.039329276, -0.042213828 }, dx, "dinputs", Rel, Abs);
        Close.Check(new[] { 0, 0, 0, -0.024795749, 0.137440182, -0.261065700, -0.291619579, 0, 0.364524474, 0.112810907, -0.072254567, 0.012527320, 0.203604421, -0.065185616, -0.115986093 }, dw, "dweights", Rel, Abs);
        Close.Check(new[] { 0, -0.577390057, -0.729048947, 0.552981892, 0.753457112 }, db, "dbiases", Rel, Abs);
    }

    [Fact]
    public void R1_SampledSoftmaxWithAccidentalHitsRemoved_MatchesSpec()
    {
        var (loss, dx, dw, db) = RunSampledSoftmaxT1(removeHits: true);
        Close.Check(new[] { 1.685265064, 1.305817127 }, loss, "loss", Rel, Abs);
        Close.Check(new[] { 0.220873984, -0.462696722, -0.184797302, -0.468167079, -0.039329276, -0.042213828 }, dx, "dinputs", Rel, Abs);
        Close.Check(new[] { 0, 0, 0, -0.037536130, 0.162920944, -0.299286842, -0.291619579, 0, 0.364524474, 0.119508735, -0.085650222, 0.032620804, 0.209646974, -0.077270721, -0.097858435 }, dw, "dweights", Rel, Abs);
        Close.Check(new[] { 0, -0.704793863, -0.729048947, 0.619960171, 0.813882640 }, db, "dbiases", Rel, Abs);
    }

    [Fact]
    public void R1_Nce_MatchesSpec()
    {
        foreach (bool removeHits in new[] { false, true })
        {
            var p = new NceT1.CpuProgram();
            p.Weights.CopyFromIdOrder(W);
            p.Biases.CopyFromIdOrder(Bias);
            var loss = new float[2];
            p.ForwardBackward(2, X, new long[] { 1, 2 }, new long[] { 1, 3, 4 }, new[] { 0.678883135f, 0.481675267f },
                new[] { 0.678883135f, 0.373616368f, 0.305266798f }, Mask(removeHits), new[] { 1f, 0, 0, 0, 1, 0, 0, 0 }, loss);
            var dw = new float[15];
            p.WeightsGradient.CopyToDense(dw);
            var db = new float[5];
            p.BiasesGradient.CopyToDense(db);
            if (!removeHits)
            {
                Close.Check(new[] { 4.109246254, 3.971718550 }, loss, "nce loss", Rel, Abs);
                Close.Check(new[] { -0.078401254, -0.014601287, -0.200201743, -0.341262940, 0.200346308, -0.186620559 }, p.InputsGradient, "nce dinputs", Rel, Abs);
                Close.Check(new[] { 0, 0.682030126, -0.249649016, 1.431271191, 1.557227459 }, db, "nce dbiases", Rel, Abs);
                Close.Check(new[] { 0, 0, 0, 0.232953162, -0.026572592, -0.234724695, -0.099859606, 0, 0.124824508, 0.347176333, -0.150221429, -0.114749881, 0.403480893, -0.146273394, -0.193520154 }, dw, "nce dweights", Rel, Abs);
            }
            else
            {
                Close.Check(new[] { 3.273540974, 3.971718550 }, loss, "nce loss (hits removed)", Rel, Abs);
                Close.Check(new[] { 0.091528190, -0.297817027, -0.256844891, -0.341262940, 0.200346308, -0.186620559 }, p.InputsGradient, "nce dinputs (hits removed)", Rel, Abs);
                Close.Check(new[] { 0, 0.115598646, -0.249649016, 1.431271191, 1.557227459 }, db, "nce dbiases (hits removed)", Rel, Abs);
                Close.Check(new[] { 0, 0, 0, 0.176310014, 0.086713704, -0.404654139, -0.099859606, 0, 0.124824508, 0.347176333, -0.150221429, -0.114749881, 0.403480893, -0.146273394, -0.193520154 }, dw, "nce dweights (hits removed)", Rel, Abs);
            }
        }
    }

    [Fact]
    public void R2_SampledSoftmaxTwoTrueClasses_MatchesSpec()
    {
        foreach (bool removeHits in new[] { false, true })
        {
            var p = new SampledSoftmaxT2.CpuProgram();
            p.Weights.CopyFromIdOrder(W);
            p.Biases.CopyFromIdOrder(Bias);
            // Row 0 labels [1,2] vs S [1,3,4]: S[0] = 1 is a hit; row 1 labels [4,0]: S[2] = 4 is a hit.
            var mask = removeHits ? new[] { -FltMax, 0, 0, 0, 0, -FltMax } : new float[6];
            var loss = new float[2];
            p.ForwardBackward(2, X, new long[] { 1, 2, 4, 0 }, new long[] { 1, 3, 4 },
                new[] { 0.641653657f, 0.503451228f, 0.349004358f, 0.858662009f }, new[] { 0.641653657f, 0.412581474f, 0.349004358f },
                mask, new[] { 0.5f, 0.5f, 0, 0, 0, 0.5f, 0.5f, 0, 0, 0 }, loss);
            var db = new float[5];
            p.BiasesGradient.CopyToDense(db);
            var dw = new float[15];
            p.WeightsGradient.CopyToDense(dw);
            if (!removeHits)
            {
                Close.Check(new[] { 1.786991596, 1.797531128 }, loss, "loss", Rel, Abs);
                Close.Check(new[] { -0.130055184, -0.208119038, -0.023725182, -0.121474303, 0.079913580, -0.206980351 }, p.InputsGradient, "dinputs", Rel, Abs);
                Close.Check(new[] { -0.416897178, -0.116545380, -0.300254418, 0.430972421, 0.402724556 }, db, "dbiases", Rel, Abs);
                Close.Check(new[] { -0.166758871, 0, 0.208448589, 0.019142932, 0.043840723, -0.117090202, -0.030025442, 0.060050884, -0.090076325, 0.089115930, -0.055515359, 0.006575226, 0.088525451, -0.048376248, -0.007857288 }, dw, "dweights", Rel, Abs);
            }
            else
            {
                Close.Check(new[] { 1.635705709, 1.396424055 }, loss, "loss (hits removed)", Rel, Abs);
                Close.Check(new[] { -0.077798810, -0.266610382, -0.052099601, -0.144408312, 0.020653667, -0.062381829 }, p.InputsGradient, "dinputs (hits removed)", Rel, Abs);
                Close.Check(new[] { -0.375887829, -0.183352929, -0.267630105, 0.552006102, 0.274864761 }, db, "dbiases (hits removed)", Rel, Abs);
                Close.Check(new[] { -0.150355131, 0, 0.187943914, 0.027660027, 0.067334133, -0.177660066, -0.026763010, 0.053526021, -0.080289031, 0.123928472, -0.064582646, -0.017672468, 0.025529642, -0.056277508, 0.087677651 }, dw, "dweights (hits removed)", Rel, Abs);
            }
        }
    }

    [Fact]
    public void R4_FullSoftmaxAndFullSigmoid_MatchSpecSection12()
    {
        var softmax = new FullSparseSoftmax.CpuProgram();
        softmax.W.CopyFromIdOrder(W);
        softmax.B.CopyFromIdOrder(Bias);
        var loss = new float[2];
        softmax.Forward(2, X, new long[] { 1, 2 }, loss);
        Close.Check(new[] { 1.733604472, 1.318765799 }, loss, "full softmax", Rel, Abs);

        var sigmoid = new FullSigmoid.CpuProgram();
        sigmoid.W.CopyFromIdOrder(W);
        sigmoid.B.CopyFromIdOrder(Bias);
        sigmoid.Forward(2, X, new float[] { 0, 1, 0, 0, 0, 0, 0, 1, 0, 0 }, loss);
        Close.Check(new[] { 3.584726441, 3.247382884 }, loss, "full sigmoid", Rel, Abs);
    }

    [Fact]
    public void DivShardsOfSpecExample_HoldTheDocumentedIds()
    {
        // Spec 13 R0: div, 5 classes on shards [3,2] -> ids 0,1,2 in shard 0 and 3,4 in shard 1.
        var p = new SampledSoftmaxT1.CpuProgram();
        p.Weights.CopyFromIdOrder(W);
        Assert.Equal(3, p.Weights.ShardRows(0));
        Assert.Equal(2, p.Weights.ShardRows(1));
        Assert.Equal(W.AsSpan(9, 6).ToArray(), p.Weights.Shard(1).ToArray());
        // Mod, [3,2]: shard 0 holds ids 0,2,4 and shard 1 holds ids 1,3.
        var m = new SampledSoftmaxT2.CpuProgram();
        m.Weights.CopyFromIdOrder(W);
        Assert.Equal(new[] { W[0], W[1], W[2], W[6], W[7], W[8], W[12], W[13], W[14] }, m.Weights.Shard(0).ToArray());
    }

    private static float[] Mask(bool removeHits) => removeHits ? new[] { -FltMax, 0, 0, 0, 0, 0 } : new float[6];

    private static (float[] Loss, float[] DInputs, float[] DWeights, float[] DBiases) RunSampledSoftmaxT1(bool removeHits)
    {
        var p = new SampledSoftmaxT1.CpuProgram();
        p.Weights.CopyFromIdOrder(W);
        p.Biases.CopyFromIdOrder(Bias);
        var loss = new float[2];
        p.ForwardBackward(2, X, new long[] { 1, 2 }, new long[] { 1, 3, 4 }, new[] { 0.678883135f, 0.481675267f },
            new[] { 0.678883135f, 0.373616368f, 0.305266798f }, Mask(removeHits), new[] { 1f, 0, 0, 0, 1, 0, 0, 0 }, loss);
        var dw = new float[15];
        p.WeightsGradient.CopyToDense(dw);
        var db = new float[5];
        p.BiasesGradient.CopyToDense(db);
        return (loss, p.InputsGradient.ToArray(), dw, db);
    }
}
