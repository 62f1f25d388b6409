using System;
using System.Collections.Generic;
using System.Linq;
using GraphSampling.Autodiff;
using GraphSampling.Ir;
using GraphSampling.Lowering;
using GraphSampling.Planning;
using GraphSampling.Shapes;
using Xunit;

namespace GraphSampling.Graph.Tests;

/// <summary>
/// The fusion planner's schedule: the sampled-logits chain (bias add, hit mask, log-Q subtraction) is one pass written
/// into its columns of the concatenated logits, the backward slices of the logits gradient are read where they lie, no
/// fused intermediate is read from outside its group, and a composite gets the same schedule as the primitives it
/// stands for.
/// </summary>
public sealed class FusionPlannerTests
{
    private const int B = 6, D = 4, C = 11;

    private static ProgramPlan Plan(Func<GraphBuilder, Tensor<float>> define) => PlannedGraphs.Plan(define);

    /// <summary>The schedule without node names: per node its step kind and op; per group its arithmetic, members and
    /// operand layouts; per view where it lies.</summary>
    private static List<string> Signature(ProgramPlan plan)
    {
        var lines = new List<string>();
        foreach (var node in plan.Graph.Nodes)
        {
            var step = Schedule.StepOf(plan, node.Id);
            string line = node.Id + " " + step + " " + node.Kind;
            var group = plan.GroupAt(node.Id);
            if (group != null)
                line += " " + Schedule.Expression(plan, group) + " members " + string.Join(",", group.Nodes) + " layouts " + string.Join(",", group.Operands.Select(o => o.Value + ":" + o.Layout));
            var slot = plan.SlotOf(new ValueRef(node.Id));
            if (slot.Kind == BufferKind.View) line += " view of " + slot.AliasOf + " at " + slot.Offset + " stride " + slot.Stride;
            lines.Add(line);
        }
        return lines;
    }

    [Theory, MemberData(nameof(CompositeLoweringTests.Cases), MemberType = typeof(CompositeLoweringTests))]
    public void CompositeAndHandWrittenPrimitives_GetTheSameSchedule(CompositeLoweringTests.Case c)
    {
        var composite = Signature(Plan(g => CompositeLoweringTests.Composite(g, c)));
        var hand = Signature(Plan(g => CompositeLoweringTests.HandWritten(g, c)));
        Assert.Equal(hand, composite);
        Assert.Contains(composite, l => l.Contains(" Fused "));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void SampledLogits_AreOnePass_WrittenIntoTheirColumnsOfTheLogits(bool hits, bool logQ)
    {
        var plan = Plan(g => g.SampledSoftmaxLoss(g.Parameter("w", C, D), g.Parameter("b", C), g.Labels("labels", B), g.Input<float>("x", B, D), 5, C, 1, removeAccidentalHits: hits, seed: 2, subtractLogQ: logQ));
        var graph = plan.Graph;
        var concat = graph.Nodes.First(n => n.Kind == OpKind.Concat && plan.TypeOf(new ValueRef(n.Id)).DType == DType.Float32 && n.Id < plan.ForwardCount && !plan.IsConstant(n.Id));
        var sampledRoot = concat.Inputs[1].Node;
        var group = plan.GroupAt(sampledRoot);
        Assert.NotNull(group);

        // BiasAdd, then the mask, then − log Q: one group over [B, K], the products full, the biases and log counts per column.
        var kinds = group!.Nodes.Select(id => graph[id].Kind).ToList();
        Assert.Contains(OpKind.BiasAdd, kinds);
        Assert.Equal(logQ, kinds.Contains(OpKind.Subtract));
        Assert.Equal(hits ? 1 : 0, group.Hits.Count);
        Assert.Equal(FusedLayout.Full, group.Operands[0].Layout);
        Assert.Equal(OpKind.MatMul, graph[group.Operands[0].Value.Node].Kind);
        Assert.All(group.Operands.Skip(1), o => Assert.Equal(FusedLayout.Row, o.Layout));
        // The stored mask is never made: the group sets the hit cells itself.
        foreach (int h in group.Hits) Assert.Equal(StepKind.FusedAway, Schedule.StepOf(plan, h));

        // Both halves of the logits are written by their producers into the concat's buffer.
        var sampledSlot = plan.SlotOf(new ValueRef(sampledRoot));
        Assert.Equal(BufferKind.View, sampledSlot.Kind);
        Assert.Equal(concat.Id, sampledSlot.AliasOf.Node);
        Assert.Equal(1, sampledSlot.Offset);
        Assert.Equal(6, sampledSlot.Stride);
        if (logQ) Assert.Equal(StepKind.NoCopy, Schedule.StepOf(plan, concat.Id));

        // Backward: the sampled slice of the logits gradient is read in place by the MatMuls and the bias row sum.
        var slice = graph.Nodes.Single(n => n.Kind == OpKind.Slice && n.Attributes.Int("begin") == 1);
        Assert.Equal(StepKind.NoCopy, Schedule.StepOf(plan, slice.Id));
        Assert.True(graph.Nodes.Count(n => n.Kind == OpKind.MatMul && n.Inputs.Contains(new ValueRef(slice.Id))) == 2);
    }

    [Fact]
    public void SampledWeights_AreNeverStored_TheirMatMulsReadTheTableRows()
    {
        var plan = Plan(g => g.SampledSoftmaxLoss(g.Parameter("w", C, D), g.Parameter("b", C), g.Labels("labels", B), g.Input<float>("x", B, D), 5, C, 1, seed: 2));
        var graph = plan.Graph;
        // The [K, D] lookup of the sampled rows: read by the logits product (as Bᵀ) and the input gradient's (as B) only.
        var sampled = graph.Nodes.Single(n => n.Kind == OpKind.EmbeddingLookup && plan.TypeOf(n.Inputs[0]).Shape.Rank == 2 && !plan.TypeOf(n.Inputs[1]).Shape.Batched);
        Assert.True(plan.IsReadFromTable(sampled.Id));
        Assert.Equal(BufferKind.Elided, plan.SlotOf(new ValueRef(sampled.Id)).Kind);
        Assert.Equal(StepKind.NoCopy, Schedule.StepOf(plan, sampled.Id));
        var readers = graph.Nodes.Where(n => n.Inputs.Contains(new ValueRef(sampled.Id))).ToList();
        Assert.Equal(2, readers.Count);
        Assert.All(readers, r => Assert.Equal((OpKind.MatMul, 1), (r.Kind, r.Inputs.ToList().IndexOf(new ValueRef(sampled.Id)))));
        Assert.Contains(Schedule.Lines(plan), l => l.Contains("(no copy: its MatMuls read the rows from w)"));
        // The true rows ([B, 1, D], read by a product and sum) are gathered as before.
        Assert.All(graph.Nodes.Where(n => n.Kind == OpKind.EmbeddingLookup && n.Id != sampled.Id), n => Assert.False(plan.IsReadFromTable(n.Id)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_sampled_weight_gradient_is_added_into_the_sparse_gradient_only_for_distinct_candidates(bool unique)
    {
        var plan = Plan(g =>
        {
            var labels = g.Labels("labels", B);
            var sampler = g.UniformCandidateSampler(labels, 1, 5, unique, C, seed: 3);
            return g.SampledSoftmaxLoss(g.Parameter("w", C, D), g.Parameter("b", C), labels, g.Input<float>("x", B, D), 5, C, 1, sampledValues: sampler);
        });
        var graph = plan.Graph;
        var weightGradient = graph.Nodes.Single(n => n.Kind == OpKind.SparseRowGradient && plan.TypeOf(new ValueRef(n.Id)).Shape.Rank == 2);
        var taking = graph.Nodes.Where(n => plan.RowGradientTaking(n.Id) >= 0).ToList();
        if (!unique)
        {
            // Repeated candidates must be summed in position order: the product is made and added as rows.
            Assert.Empty(taking);
            return;
        }
        var product = Assert.Single(taking);
        Assert.Equal(OpKind.MatMul, product.Kind);
        Assert.Equal(weightGradient.Id, plan.RowGradientTaking(product.Id));
        Assert.Equal(BufferKind.Elided, plan.SlotOf(new ValueRef(product.Id)).Kind);
        // Its rows are the gradient's first list, whose ids are the sampler's candidates.
        Assert.Equal(OpKind.UniformCandidateSampler, graph[weightGradient.Inputs[0].Node].Kind);
        Assert.Equal(product.Id, plan.Owner(weightGradient.Inputs[1]).Node);
        Assert.Contains(Schedule.Lines(plan), l => l.Contains("each row added straight into its id's slot of t" + weightGradient.Id));
    }

    [Fact]
    public void Fed_candidates_keep_the_product_and_its_rows()
    {
        // Fed ids may repeat; checking them each step measured slower than the copy (docs/performance.md).
        var plan = Plan(g =>
        {
            var values = g.SampledValues(g.SideInput<long>("sampled", 5), g.Input<float>("trueCounts", B, 1), g.SideInput<float>("sampledCounts", 5));
            return g.SampledSoftmaxLoss(g.Parameter("w", C, D), g.Parameter("b", C), g.Labels("labels", B), g.Input<float>("x", B, D), 5, C, 1, sampledValues: values);
        });
        Assert.DoesNotContain(plan.Graph.Nodes, n => plan.RowGradientTaking(n.Id) >= 0 || plan.RowGradientChecksIds(n.Id));
    }

    [Fact]
    public void A_lookup_with_another_reader_a_max_norm_or_batched_ids_is_gathered()
    {
        // Read by a MatMul and by a reduction: the copy is needed.
        var shared = Plan(g =>
        {
            var rows = g.EmbeddingLookup(g.Parameter("w", C, D), g.SideInput<long>("ids", 5));
            var logits = g.BiasAdd(g.MatMul(g.Input<float>("x", B, D), rows, transposeB: true), g.ReduceSum(rows, 1));
            return g.SparseSoftmaxCrossEntropyWithLogits(g.Input<long>("y", B), logits);
        });
        Assert.DoesNotContain(shared.Graph.Nodes, n => shared.IsReadFromTable(n.Id));

        // Clipped rows are not the table's rows.
        var clipped = Plan(g => g.SparseSoftmaxCrossEntropyWithLogits(g.Input<long>("y", B), g.MatMul(g.Input<float>("x", B, D), g.EmbeddingLookup(g.Parameter("w", C, D), g.SideInput<long>("ids", 5), maxNorm: 1.0), transposeB: true)));
        Assert.DoesNotContain(clipped.Graph.Nodes, n => clipped.IsReadFromTable(n.Id));

        // Without the reduction the same lookup is read in place.
        var alone = Plan(g => g.SparseSoftmaxCrossEntropyWithLogits(g.Input<long>("y", B), g.MatMul(g.Input<float>("x", B, D), g.EmbeddingLookup(g.Parameter("w", C, D), g.SideInput<long>("ids", 5)), transposeB: true)));
        Assert.Single(alone.Graph.Nodes, n => alone.IsReadFromTable(n.Id));
    }

    public static TheoryData<string> Graphs => new(PlannedGraphs.Names);

    [Theory, MemberData(nameof(Graphs))]
    public void FusedIntermediates_AreReadOnlyInsideTheirGroup_AndTakeNoMemory(string name)
    {
        var plan = PlannedGraphs.Named(name);
        var graph = plan.Graph;
        Assert.NotEmpty(plan.FusedGroups);
        foreach (var group in plan.FusedGroups)
        {
            Assert.Equal(group.Root, group.Nodes[group.Nodes.Count - 1]);
            Assert.InRange(group.Operands.Count, 1, FusionPlanner.MaxOperands);
            foreach (int member in group.Nodes.Where(m => m != group.Root).Concat(group.Hits))
            {
                Assert.Equal(BufferKind.Elided, plan.SlotOf(new ValueRef(member)).Kind);
                Assert.NotEqual(graph.Output.Node, member);
                foreach (var reader in graph.Nodes.Where(n => n.Inputs.Any(i => i.Node == member)))
                    Assert.True(group.Nodes.Contains(reader.Id), "t" + member + " (fused into t" + group.Root + ") is read by t" + reader.Id);
            }
            // Operands come from outside the group, each once, and every member's shape is the root's.
            Assert.Equal(group.Operands.Count, group.Operands.Select(o => o.Value).Distinct().Count());
            Assert.DoesNotContain(group.Operands, o => group.Nodes.Contains(o.Value.Node));
            Assert.All(group.Nodes, m => Assert.Equal(plan.TypeOf(new ValueRef(group.Root)).Shape, plan.TypeOf(new ValueRef(m)).Shape));
        }
    }

    [Fact]
    public void EveryElementwiseOpOfTheSchema_CanBeFused()
    {
        // A new elementwise op must say what its fused form is (FusionPlanner.FusedOpOf) and how each backend writes it.
        var elementwise = GraphSampling.Schema.OpSchemas.All.Where(s => s.Category == GraphSampling.Schema.OpCategory.Elementwise).ToList();
        Assert.NotEmpty(elementwise);
        Assert.All(elementwise, s => Assert.NotNull(FusionPlanner.FusedOpOf(s.Kind)));
        Assert.Null(FusionPlanner.FusedOpOf(OpKind.MatMul));
    }

    [Fact]
    public void Layouts_FollowNumpyAlignment()
    {
        var output = Shape.Of(false, 4, 5);
        Assert.Equal(FusedLayout.Full, FusionPlanner.LayoutOf(Shape.Of(false, 4, 5), output));
        Assert.Equal(FusedLayout.Row, FusionPlanner.LayoutOf(Shape.Of(false, 5), output));
        Assert.Equal(FusedLayout.Row, FusionPlanner.LayoutOf(Shape.Of(false, 1, 5), output));
        Assert.Equal(FusedLayout.Column, FusionPlanner.LayoutOf(Shape.Of(false, 4, 1), output));
        Assert.Equal(FusedLayout.Scalar, FusionPlanner.LayoutOf(Shape.Scalar, output));
        Assert.Equal(FusedLayout.Scalar, FusionPlanner.LayoutOf(Shape.Of(false, 1, 1), output));
        Assert.Null(FusionPlanner.LayoutOf(Shape.Of(false, 4), output));          // [4] aligns with the columns, not the rows
        Assert.Null(FusionPlanner.LayoutOf(Shape.Of(false, 2, 4, 5), output));    // a higher rank is not a broadcast operand
    }
}
