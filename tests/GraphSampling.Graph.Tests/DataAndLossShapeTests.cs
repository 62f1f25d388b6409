using System;
using System.Linq;
using GraphSampling.Autodiff;
using GraphSampling.Ir;
using GraphSampling.Shapes;
using Xunit;

namespace GraphSampling.Graph.Tests;

/// <summary>Shape rules of Constant, Gather, Divide, rank-1 TopK and SampledValues, and of the four composite losses:
/// each error at the argument it concerns, as the analyzers report it.</summary>
public sealed class DataAndLossShapeTests
{
    private static TypedGraph Infer(Func<GraphBuilder, Tensor<float>> define) => ShapeInference.Infer(GraphBuilder.Record(define));

    private static ShapeError Error(Func<GraphBuilder, Tensor<float>> define) => Assert.Single(Infer(define).Errors);

    [Fact]
    public void Constants_HaveTheirDeclaredShapeAndDtype()
    {
        var typed = Infer(g =>
        {
            var x = g.Input<float>("x", 8, 3);
            var scalar = g.Constant(2.5);
            var matrix = g.Constant([1.0, 2, 3, 4, 5, 6], 2, 3);
            var rows = g.Fill<float>(8, 0.5, 3);
            var ids = g.Zeros<long>(8);
            return g.ReduceSum(x / scalar + rows + g.Gather(matrix, ids), axis: 1);
        });
        Assert.True(typed.Succeeded, string.Join("; ", typed.Errors));
        Assert.Equal("float[]", typed.TypeOf(1).ToString());
        Assert.Equal("float[2, 3]", typed.TypeOf(2).ToString());
        Assert.Equal("float[B=8, 3]", typed.TypeOf(3).ToString());
        Assert.Equal("long[B=8]", typed.TypeOf(4).ToString());
    }

    [Fact]
    public void ConstantErrors_AreAtTheirArguments()
    {
        var count = Error(g => g.Constant([1.0, 2, 3], 2, 2));
        Assert.Equal(("values", ShapeErrorIds.DimensionMismatch), (count.Argument, count.Id));
        var nan = Error(g => g.Constant(double.NaN, 2));
        Assert.Equal(("value", ShapeErrorIds.InvalidAttribute), (nan.Argument, nan.Id));
        var huge = Error(g => g.Constant(1e300, 2));
        Assert.Equal("value", huge.Argument);
        var dims = Error(g => g.Constant(1, 0));
        Assert.Equal("dims", dims.Argument);
    }

    [Fact]
    public void Gather_ShapesFollowTf()
    {
        var typed = Infer(g =>
        {
            var table = g.SideInput<float>("table", 5, 3, 2);
            var fixedIds = g.SideInput<long>("fixedIds", 4);
            var batchIds = g.Input<long>("batchIds", 8, 2);
            var rowsPicked = g.Gather(table, fixedIds, axis: 1);                 // [5, 4, 2]
            var batchPicked = g.Gather(table, batchIds);                         // [B, 2, 3, 2]
            var x = g.Input<float>("x", 8, 7);
            var columns = g.Gather(x, fixedIds, axis: -1);                       // [B, 4]
            return g.ReduceSum(columns, axis: 1) + g.ReduceSum(g.Reshape(batchPicked, [8, 12]), axis: 1) + g.ReduceSum(g.Reshape(rowsPicked, [40]), axis: 0);
        });
        Assert.True(typed.Succeeded, string.Join("; ", typed.Errors));
        Assert.Equal("float[5, 4, 2]", typed.TypeOf(3).ToString());
        Assert.Equal("float[B=8, 2, 3, 2]", typed.TypeOf(4).ToString());
        Assert.Equal("float[B=8, 4]", typed.TypeOf(6).ToString());
    }

    [Fact]
    public void GatherErrors_AreAtTheirArguments()
    {
        var axis = Error(g => g.Gather(g.SideInput<float>("t", 5), g.SideInput<long>("i", 2), axis: 1));
        Assert.Equal(("axis", ShapeErrorIds.InvalidAttribute), (axis.Argument, axis.Id));
        var batchAxis = Error(g => g.ReduceSum(g.Gather(g.Input<float>("x", 8, 3), g.SideInput<long>("i", 2)), axis: 1));
        Assert.Equal(("axis", ShapeErrorIds.BatchDimension), (batchAxis.Argument, batchAxis.Id));
        var batchInside = Error(g => g.ReduceSum(g.Gather(g.SideInput<float>("t", 5, 3), g.Input<long>("i", 8), axis: 1), axis: 0));
        Assert.Equal(("indices", ShapeErrorIds.BatchDimension), (batchInside.Argument, batchInside.Id));
        // Indices computed in the graph are range-checked at compile time: top-k of 6 cannot index 5 entries.
        var range = Error(g => g.Gather(g.SideInput<float>("t", 5), g.TopK(g.SideInput<float>("s", 6), 2).Indices));
        Assert.Equal(("indices", ShapeErrorIds.SamplingRange), (range.Argument, range.Id));
    }

    [Fact]
    public void TopK_OfAVector_GivesIndicesAGatherAccepts()
    {
        var typed = Infer(g =>
        {
            var scores = g.SideInput<float>("scores", 9);
            var ids = g.SideInput<long>("ids", 9);
            var top = g.TopK(scores, 4);
            var picked = g.Gather(ids, top.Indices);
            var w = g.Parameter("w", 100, 2);
            return g.ReduceSum(g.EmbeddingLookup(w, picked), axis: 1);
        });
        Assert.True(typed.Succeeded, string.Join("; ", typed.Errors));
        Assert.Equal("float[4]", typed.TypeOf(new ValueRef(2, 0)).ToString());
        Assert.Equal("long[4]", typed.TypeOf(new ValueRef(2, 1)).ToString());
        var batchAxis = Error(g => g.TopK(g.Input<float>("x", 8), 2).Values);
        Assert.Equal(ShapeErrorIds.BatchDimension, batchAxis.Id);
    }

    [Fact]
    public void Divide_Broadcasts_AndIsDifferentiable()
    {
        var typed = Infer(g => g.ReduceSum(g.Input<float>("x", 8, 3) / g.Parameter("scale", 3), axis: 1));
        Assert.True(typed.Succeeded);
        var grads = GradientRules.Differentiate(typed);
        Assert.Equal(new[] { "scale", "x" }, grads.Targets.Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal("float[3]", grads.Typed.TypeOf(grads.Targets.Single(t => t.Name == "scale").Gradient).ToString());
    }

    [Fact]
    public void GatherOfAFloatTable_GetsADenseScatterGradient_ConstantsNone()
    {
        var typed = Infer(g =>
        {
            var table = g.Parameter("table", 6, 3);
            var picked = g.Gather(table, g.Input<long>("ids", 8));
            return g.ReduceSum(picked * g.Fill<float>(8, 2, 3), axis: 1);
        });
        Assert.True(typed.Succeeded, string.Join("; ", typed.Errors));
        var grads = GradientRules.Differentiate(typed);
        var target = Assert.Single(grads.Targets);
        Assert.Equal("table", target.Name);
        Assert.False(target.Sparse);
        Assert.Equal(OpKind.GatherGrad, grads.Graph[target.Gradient.Node].Kind);
    }

    [Fact]
    public void SampledValuesErrors_AreAtTheirArguments()
    {
        var counts = Error(g => g.SampledValues(g.SideInput<long>("s", 4), g.Input<float>("qt", 8, 1), g.SideInput<float>("qs", 5)).SampledExpectedCount);
        Assert.Equal(("sampledExpectedCount", ShapeErrorIds.DimensionMismatch), (counts.Argument, counts.Id));
        var batched = Error(g => g.SampledValues(g.Input<long>("s", 8), g.Input<float>("qt", 8, 1), g.SideInput<float>("qs", 8)).SampledExpectedCount);
        Assert.Equal(("sampledCandidates", ShapeErrorIds.BatchDimension), (batched.Argument, batched.Id));
    }

    // ---- The composite losses: item 5 of the issue, each at the offending argument ----------------------------

    private const int B = 8, D = 4, C = 20;

    private static ShapeError LossError(Func<GraphBuilder, Tensor<float>, Tensor<float>, Tensor<long>, Tensor<float>, Tensor<float>> loss, int numTrue = 1)
        => Error(g => loss(g, g.Parameter("w", C, D), g.Parameter("b", C), g.Labels("labels", B, numTrue), g.Input<float>("x", B, D)));

    private static SampledValues Fed(GraphBuilder g, int k, int numTrue = 1) =>
        g.SampledValues(g.SideInput<long>("s", k), g.Input<float>("qt", B, numTrue), g.SideInput<float>("qs", k));

    [Fact]
    public void NumSampledDifferentFromTheSampledValues_IsAtNumSampled()
    {
        var e = LossError((g, w, b, l, x) => g.SampledSoftmaxLoss(w, b, l, x, numSampled: 6, numClasses: C, sampledValues: Fed(g, 5)));
        Assert.Equal(("numSampled", ShapeErrorIds.DimensionMismatch), (e.Argument, e.Id));
        Assert.Contains("5 candidates", e.Message);
    }

    [Fact]
    public void NumClassesDifferentFromTheWeights_IsAtNumClasses()
    {
        var e = LossError((g, w, b, l, x) => g.NceLoss(w, b, l, x, numSampled: 5, numClasses: C + 1));
        Assert.Equal(("numClasses", ShapeErrorIds.DimensionMismatch), (e.Argument, e.Id));
    }

    [Fact]
    public void NumTrueDifferentFromTheLabels_IsAtNumTrue()
    {
        var e = LossError((g, w, b, l, x) => g.SampledSoftmaxLoss(w, b, l, x, numSampled: 5, numClasses: C, numTrue: 2), numTrue: 3);
        Assert.Equal(("numTrue", ShapeErrorIds.DimensionMismatch), (e.Argument, e.Id));
        Assert.Contains("[B=8, 3]", e.Message);
    }

    [Fact]
    public void SparseSoftmaxWithSeveralTrueClasses_IsAtLabels()
    {
        var e = LossError((g, w, b, l, x) => g.SampledSparseSoftmaxLoss(w, b, l, x, numSampled: 5, numClasses: C), numTrue: 2);
        Assert.Equal(("labels", ShapeErrorIds.DimensionMismatch), (e.Argument, e.Id));
    }

    [Fact]
    public void TapasErrors_ComeInTfsOrder()
    {
        // numSampled > numClasses is reported first, even when numResampled is also wrong (spec 9).
        var tooMany = LossError((g, w, b, l, x) => g.RankSampledSoftmaxLoss(w, b, l, x, C + 1, C + 2, C, 1, null, 1.0, true));
        Assert.Equal(("numSampled", ShapeErrorIds.SamplingRange), (tooMany.Argument, tooMany.Id));
        var resampled = LossError((g, w, b, l, x) => g.RankSampledSoftmaxLoss(w, b, l, x, 8, 8, C, 1, null, 1.0, true));
        Assert.Equal(("numResampled", ShapeErrorIds.SamplingRange), (resampled.Argument, resampled.Id));
        foreach (double tau in new[] { 0.0, -1.0, double.NaN, double.PositiveInfinity })
        {
            var t = LossError((g, w, b, l, x) => g.RankSampledSoftmaxLoss(w, b, l, x, 8, 4, C, 1, null, tau, true));
            Assert.Equal(("resamplingTemperature", ShapeErrorIds.InvalidAttribute), (t.Argument, t.Id));
        }
    }

    [Fact]
    public void TheDefaultSamplerCannotDrawMoreUniqueClassesThanThereAre()
    {
        var e = LossError((g, w, b, l, x) => g.SampledSoftmaxLoss(w, b, l, x, numSampled: C + 1, numClasses: C));
        Assert.Equal(("numSampled", ShapeErrorIds.SamplingRange), (e.Argument, e.Id));
        // Fed values may repeat classes, so more candidates than classes is allowed there (TF allows it).
        var typed = Infer(g => g.NceLoss(g.Parameter("w", C, D), g.Parameter("b", C), g.Labels("labels", B), g.Input<float>("x", B, D), C + 4, C, sampledValues: Fed(g, C + 4)));
        Assert.True(typed.Succeeded, string.Join("; ", typed.Errors));
    }

    [Fact]
    public void SampledValuesThatDoNotFitTheLoss_AreAtSampledValues()
    {
        var trueCounts = LossError((g, w, b, l, x) => g.SampledSoftmaxLoss(w, b, l, x, 5, C, numTrue: 2, sampledValues: Fed(g, 5, numTrue: 1)), numTrue: 2);
        Assert.Equal(("sampledValues", ShapeErrorIds.DimensionMismatch), (trueCounts.Argument, trueCounts.Id));
        // Candidates from a sampler over a larger range than the class table.
        var range = LossError((g, w, b, l, x) => g.SampledSoftmaxLoss(w, b, l, x, 5, C,
            sampledValues: g.UniformCandidateSampler(l, numTrue: 1, numSampled: 5, unique: true, rangeMax: C + 10)));
        Assert.Equal(("sampledValues", ShapeErrorIds.SamplingRange), (range.Argument, range.Id));
    }

    [Fact]
    public void WeightsAndBiasesMustBeParameters()
    {
        var e = Error(g => g.NceLoss(g.SideInput<float>("w", C, D), g.Parameter("b", C), g.Labels("labels", B), g.Input<float>("x", B, D), 5, C));
        Assert.Equal(("weights", ShapeErrorIds.NotAParameter), (e.Argument, e.Id));
    }

    [Fact]
    public void RaggedLabelsWithAGivenSampler_NeedTheSamplerToTakePadding()
    {
        var e = Error(g =>
        {
            var labels = g.Labels("labels", B, numTrue: 2);
            var s = g.LogUniformCandidateSampler(labels, 2, 5, true, C);
            return g.SampledSoftmaxLoss(g.Parameter("w", C, D), g.Parameter("b", C), labels, g.Input<float>("x", B, D), 5, C, numTrue: 2, sampledValues: s, raggedLabels: true);
        });
        Assert.Equal(("raggedLabels", ShapeErrorIds.InvalidAttribute), (e.Argument, e.Id));
        Assert.Contains("raggedTrueClasses", e.Message);
        var typed = Infer(g =>
        {
            var labels = g.Labels("labels", B, numTrue: 2);
            var s = g.LogUniformCandidateSampler(labels, 2, 5, true, C, raggedTrueClasses: true);
            return g.SampledSoftmaxLoss(g.Parameter("w", C, D), g.Parameter("b", C), labels, g.Input<float>("x", B, D), 5, C, numTrue: 2, sampledValues: s, raggedLabels: true);
        });
        Assert.True(typed.Succeeded, string.Join("; ", typed.Errors));
    }

    [Fact]
    public void RaggedLabelPrimitives_CheckTheirArguments()
    {
        var maxNorm = Error(g => g.ReduceSum(g.EmbeddingLookup(g.Parameter("w", C, D), g.Labels("labels", B), maxNorm: 1.0, padding: true), axis: 2));
        Assert.Equal(("padding", ShapeErrorIds.InvalidAttribute), (maxNorm.Argument, maxNorm.Id));
        var shapes = Error(g => g.ReduceSum(g.MaskPadding(g.Labels("labels", B, numTrue: 2), g.Input<float>("x", B, 3), -1.0), axis: 1));
        Assert.Equal(("x", ShapeErrorIds.DimensionMismatch), (shapes.Argument, shapes.Id));
        var dtype = Error(g => g.ReduceSum(g.LabelWeights(g.Input<long>("labels", B)), axis: 0));
        Assert.Equal(("labels", ShapeErrorIds.RankMismatch), (dtype.Argument, dtype.Id));
        var typed = Infer(g => g.ReduceSum(g.LabelWeights(g.Labels("labels", B, numTrue: 3)), axis: 1));
        Assert.Equal("float[B=" + B + ", 3]", typed.TypeOf(1).ToString());
    }
}
