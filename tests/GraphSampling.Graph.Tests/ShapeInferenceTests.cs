using System;
using GraphSampling.Ir;
using GraphSampling.Shapes;
using Xunit;

namespace GraphSampling.Graph.Tests;

/// <summary>Shape and dtype rules on graphs recorded from the DSL (the same rules the analyzers run).</summary>
public sealed class ShapeInferenceTests
{
    private static TypedGraph Infer(Func<GraphBuilder, Tensor<float>> define) => ShapeInference.Infer(GraphBuilder.Record(define));

    private static ShapeError SingleError(Func<GraphBuilder, Tensor<float>> define)
    {
        var typed = Infer(define);
        return Assert.Single(typed.Errors);
    }

    [Fact]
    public void Classifier_InfersBatchedShapes()
    {
        var typed = Infer(g =>
        {
            var x = g.Input<float>("x", 8, 4);
            var w = g.Parameter("w", 10, 4);
            var logits = g.MatMul(x, w, transposeB: true);
            return g.SparseSoftmaxCrossEntropyWithLogits(g.Input<long>("labels", 8), logits);
        });
        Assert.True(typed.Succeeded);
        Assert.Equal("float[B=8, 10]", typed.TypeOf(2).ToString());
        Assert.Equal("float[B=8]", typed.OutputType.ToString());
    }

    [Fact]
    public void MatMulInnerMismatch_NamesOpVariablesAndShapes()
    {
        var e = SingleError(g => g.ReduceSum(g.MatMul(g.Input<float>("h", 4, 128), g.Parameter("W", 256, 7)), axis: 1));
        Assert.Equal(ShapeErrorIds.DimensionMismatch, e.Id);
        Assert.Equal("b", e.Argument);
        Assert.Contains("'h' is [B=4, 128]", e.Message);
        Assert.Contains("'W' is [256, 7]", e.Message);
        Assert.StartsWith("MatMul", e.Message);
    }

    [Fact]
    public void LookupOfNonParameter_IsReportedOnParams()
    {
        var e = SingleError(g => g.ReduceSum(g.EmbeddingLookup(g.Input<float>("x", 4, 3), g.Input<long>("ids", 4)), axis: 1));
        Assert.Equal(ShapeErrorIds.NotAParameter, e.Id);
        Assert.Equal("params", e.Argument);
    }

    [Fact]
    public void BatchedOperandAgainstFixedRows_IsABatchError()
    {
        var e = SingleError(g => g.ReduceSum(g.Input<float>("x", 4, 3) + g.SideInput<float>("fixed", 4, 3), axis: 1));
        Assert.Equal(ShapeErrorIds.BatchDimension, e.Id);
    }

    [Fact]
    public void TwoBatchSizes_AreRejected()
    {
        var e = SingleError(g => g.ReduceSum(g.Input<float>("x", 4, 3), axis: 1) + g.ReduceSum(g.Input<float>("y", 5, 3), axis: 1));
        Assert.Equal(ShapeErrorIds.BatchDimension, e.Id);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("quote\"")]
    [InlineData("1digit")]
    [InlineData("")]
    [InlineData("__reserved")]
    public void InvalidNames_AreRejectedBeforeTheyReachGeneratedCode(string name)
    {
        var e = SingleError(g => g.ReduceSum(g.Input<float>(name, 4, 3), axis: 1));
        Assert.Equal(ShapeErrorIds.InvalidAttribute, e.Id);
        Assert.Equal("name", e.Argument);
    }

    [Fact]
    public void UniqueSamplingBeyondTheRange_IsASamplingRangeError()
    {
        var e = SingleError(g =>
        {
            var labels = g.Labels("labels", 4);
            var s = g.LogUniformCandidateSampler(labels, numTrue: 1, numSampled: 10, unique: true, rangeMax: 5);
            return g.ReduceSum(s.TrueExpectedCount, axis: 1);
        });
        Assert.Equal(ShapeErrorIds.SamplingRange, e.Id);
        Assert.Equal("numSampled", e.Argument);
    }

    [Fact]
    public void IntTensorWhereFloatIsNeeded_IsADtypeError()
    {
        var e = SingleError(g =>
        {
            _ = g.Input<long>("a", 4, 2) + g.Input<long>("b", 4, 2);
            return g.Log(g.Input<float>("x", 4));
        });
        Assert.Equal(ShapeErrorIds.DTypeMismatch, e.Id);
        Assert.Equal("x", e.Argument);
        Assert.Contains("'a' must be float", e.Message);
    }

    [Fact]
    public void MatMulOfTwoRowBatchedOperands_IsAnInnerDimensionMismatch()
    {
        var e = SingleError(g => g.ReduceSum(g.MatMul(g.Input<float>("x", 4, 2), g.Input<float>("y", 4, 2)), axis: 1));
        Assert.Equal(ShapeErrorIds.DimensionMismatch, e.Id);
    }

    [Fact]
    public void BroadcastAboveRankFour_IsARankError()
    {
        var e = SingleError(g => g.ReduceSum(g.ReduceSum(g.ReduceSum(g.ReduceSum(g.BiasAdd(g.Input<float>("x", 8, 2, 3, 4, 5), g.Parameter("b", 5)), axis: 4), axis: 3), axis: 2), axis: 1));
        Assert.Equal(ShapeErrorIds.RankMismatch, e.Id);
        Assert.Equal("value", e.Argument);
    }

    [Fact]
    public void SampledIdsBeyondTheTable_AreASamplingRangeError()
    {
        // A Mod-sharded table of 10 rows would silently read the wrong row for candidate 10, so this must not compile.
        var e = SingleError(g =>
        {
            var w = g.Parameter("w", 10, 4, shards: 2, partition: Partition.Mod);
            var s = g.UniformCandidateSampler(g.Labels("labels", 4), numTrue: 1, numSampled: 3, unique: true, rangeMax: 12);
            return g.ReduceSum(g.MatMul(g.Input<float>("x", 4, 4), g.EmbeddingLookup(w, s.SampledCandidates), transposeB: true), axis: 1);
        });
        Assert.Equal(ShapeErrorIds.SamplingRange, e.Id);
        Assert.Equal("ids", e.Argument);
        Assert.Contains("up to 11", e.Message);
    }

    [Fact]
    public void TopKIndicesIntoASmallerTable_AreASamplingRangeError()
    {
        var e = SingleError(g =>
        {
            var top = g.TopK(g.Input<float>("scores", 4, 9), 2);
            return g.ReduceSum(g.ReduceSum(g.EmbeddingLookup(g.Parameter("w", 8, 3), top.Indices), axis: 2), axis: 1);
        });
        Assert.Equal(ShapeErrorIds.SamplingRange, e.Id);
        Assert.True(ShapeInference.Infer(GraphBuilder.Record(g =>
        {
            var top = g.TopK(g.Input<float>("scores", 4, 9), 2);
            return g.ReduceSum(g.ReduceSum(g.EmbeddingLookup(g.Parameter("w", 9, 3), top.Indices), axis: 2), axis: 1);
        })).Succeeded);
    }

    [Fact]
    public void Broadcast_FollowsNumpyRulesAndKeepsTheBatchLeading()
    {
        var a = Shape.Of(true, 8, 1, 3);
        var b = Shape.Of(false, 5, 1);
        var s = ShapeInference.Broadcast(a, b, out var problem);
        Assert.Null(problem);
        Assert.Equal("[B=8, 5, 3]", s!.ToString());
        Assert.Null(ShapeInference.Broadcast(Shape.Of(false, 3), Shape.Of(true, 8, 3, 2), out problem));
        Assert.Equal("dims", problem);
    }
}
