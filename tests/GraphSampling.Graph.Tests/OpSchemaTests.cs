using System;
using System.Linq;
using System.Reflection;
using GraphSampling.Ir;
using GraphSampling.Schema;
using Xunit;

namespace GraphSampling.Graph.Tests;

/// <summary>The op schemas agree with the DSL: every kind has one, every user-facing kind has a [GraphOp] method, and
/// the output names of multi-output ops are the properties of their C# result types.</summary>
public sealed class OpSchemaTests
{
    private static readonly OpKind[] DslKinds = typeof(GraphBuilder).GetMethods(BindingFlags.Public | BindingFlags.Instance)
        .Concat(typeof(Tensor<float>).GetMethods(BindingFlags.Public | BindingFlags.Static))
        .Select(m => m.GetCustomAttribute<GraphOpAttribute>())
        .Where(a => a != null)
        .Select(a => a!.Kind)
        .Distinct()
        .ToArray();

    [Fact]
    public void EveryKind_HasASchema()
    {
        foreach (OpKind kind in Enum.GetValues<OpKind>()) Assert.Equal(kind, OpSchemas.Of(kind).Kind);
        Assert.False(OpSchemas.TryGet((OpKind)999, out _));
        Assert.False(OpSchemas.IsGenerated((OpKind)999));
    }

    [Fact]
    public void UserFacingKinds_AreExactlyThoseWithADslMethod()
    {
        var userFacing = OpSchemas.All.Where(s => s.UserFacing).Select(s => s.Kind).OrderBy(k => k).ToArray();
        // Negate and the other backward kinds have no DSL method; every DSL method names a user-facing kind.
        Assert.Equal(userFacing, DslKinds.OrderBy(k => k).ToArray());
    }

    [Fact]
    public void MultiOutputSchemas_NameTheirResultTypesProperties()
    {
        Assert.Equal(typeof(SampledValues).GetProperties().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal),
            OpSchemas.Of(OpKind.LogUniformCandidateSampler).Outputs.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(typeof(TopKResult).GetProperties().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal),
            OpSchemas.Of(OpKind.TopK).Outputs.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(1, OpSchemas.Of(OpKind.SampledValues).OutputIndex("TrueExpectedCount"));
        Assert.Equal(-1, OpSchemas.Of(OpKind.TopK).OutputIndex("Nope"));
    }

    [Fact]
    public void EveryUserFacingKind_IsGeneratedOnTheCpu_AndDifferentiabilityMatchesItsGradientRule()
    {
        foreach (var s in OpSchemas.All.Where(s => s.UserFacing)) Assert.True(OpSchemas.IsGenerated(s.Kind), s.Kind + " is not generated");
        Assert.True(OpSchemas.Of(OpKind.MatMul).Differentiable);
        Assert.False(OpSchemas.Of(OpKind.TopK).Differentiable);
        Assert.False(OpSchemas.Of(OpKind.StopGradient).Differentiable);
        Assert.False(OpSchemas.Of(OpKind.Constant).Differentiable);
        Assert.Equal(OpCategory.Sampler, OpSchemas.Of(OpKind.FixedUnigramCandidateSampler).Category);
    }
}
