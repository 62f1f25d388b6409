using System;
using System.Collections.Generic;
using System.Linq;
using GraphSampling.Autodiff;
using GraphSampling.Ir;
using GraphSampling.Lowering;
using GraphSampling.Planning;
using Xunit;

namespace GraphSampling.Graph.Tests;

/// <summary>The buffer plan by liveness: values whose lifetimes overlap never share memory, values read after a call
/// (the output, dense gradients, constants, the upstream gradient) share with nothing, and reuse makes the workspace
/// smaller than one slot per value.</summary>
public sealed class BufferPlanTests
{
    private const int B = 16, D = 8, C = 200;

    public static TheoryData<string> Graphs => new() { "softmax", "nce-dense-inputs", "tapas", "full" };

    private static ProgramPlan Plan(string name)
    {
        var declared = GraphBuilder.Record(g =>
        {
            var x = g.Input<float>("x", B, D);
            var labels = g.Labels("labels", B, 2);
            var w = g.Parameter("w", C, D, shards: 3, partition: Partition.Mod);
            var b = g.Parameter("b", C);
            switch (name)
            {
                case "softmax": return g.SampledSoftmaxLoss(w, b, labels, x, 20, C, 2, seed: 3);
                case "nce-dense-inputs": return g.NceLoss(w, b, labels, g.MatMul(x, g.Parameter("proj", D, D)), 20, C, 2);
                case "tapas": return g.RankSampledSoftmaxLoss(w, b, labels, x, 40, 10, C, 2, null, 0.5, true);
                default: return g.ReduceLogSumExp(g.BiasAdd(g.MatMul(x, w, transposeB: true), b), axis: 1);
            }
        });
        var lowered = GraphLowering.Run(declared).Lowered!;
        var gradients = GradientRules.Differentiate(lowered);
        return ProgramPlan.Create(lowered, gradients);
    }

    [Theory, MemberData(nameof(Graphs))]
    public void ValuesLiveAtTheSameTime_NeverShareMemory(string name)
    {
        var plan = Plan(name);
        var graph = plan.Graph;
        int end = graph.Nodes.Count;
        // Lifetimes as a reader of the schedule sees them: written at the producing step, read by every step that reads
        // the value or a view of it; the values read after the call are live throughout.
        var first = new Dictionary<ValueRef, int>();
        var last = new Dictionary<ValueRef, int>();
        var workspace = new List<ValueRef>();
        foreach (var node in graph.Nodes)
        {
            for (int o = 0; o < plan.Typed.OutputCount(node.Id); o++)
            {
                var v = new ValueRef(node.Id, o);
                var kind = plan.SlotOf(v).Kind;
                if (kind != BufferKind.Float && kind != BufferKind.Long) continue;
                workspace.Add(v);
                first[v] = last[v] = node.Id;
            }
        }
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs)
            {
                var owner = plan.Owner(input);
                if (last.ContainsKey(owner)) last[owner] = Math.Max(last[owner], node.Id);
            }
        }
        // The output is copied out after the backward pass (live from its step to the end); the others are written
        // before the forward pass or read by the caller after any later call (live throughout).
        if (last.ContainsKey(plan.Owner(graph.Output))) last[plan.Owner(graph.Output)] = end;
        var pinned = new List<ValueRef> { plan.Owner(plan.Gradients!.Seed) };
        pinned.AddRange(plan.ConstantNodes.Select(id => plan.Owner(new ValueRef(id))));
        pinned.AddRange(plan.Gradients.Targets.Where(t => !t.Sparse).Select(t => plan.Owner(t.Gradient)));
        foreach (var p in pinned.Where(first.ContainsKey))
        {
            first[p] = -1;
            last[p] = end;
        }

        foreach (var v in workspace)
        {
            var slot = plan.SlotOf(v);
            long slab = slot.Kind == BufferKind.Float ? plan.FloatWorkspace : plan.LongWorkspace;
            Assert.True(slot.Offset >= 0 && slot.Offset + slot.Capacity <= slab, v + " lies outside its slab");
        }
        int overlapping = 0;
        for (int i = 0; i < workspace.Count; i++)
        {
            for (int j = i + 1; j < workspace.Count; j++)
            {
                ValueRef a = workspace[i], b = workspace[j];
                BufferSlot sa = plan.SlotOf(a), sb = plan.SlotOf(b);
                if (sa.Kind != sb.Kind) continue;
                bool sameTime = first[a] <= last[b] && first[b] <= last[a];
                bool sameMemory = sa.Offset < sb.Offset + sb.Capacity && sb.Offset < sa.Offset + sa.Capacity;
                Assert.False(sameTime && sameMemory, a + " [" + first[a] + ", " + last[a] + "] and " + b + " [" + first[b] + ", " + last[b] + "] share memory");
                if (sameMemory) overlapping++;
            }
        }
        // The plan does reuse: some values share memory, and the slab is smaller than one slot per value.
        Assert.True(overlapping > 0, "no two values share memory");
        Assert.True(plan.FloatWorkspace < plan.UnsharedFloatWorkspace, plan.FloatWorkspace + " floats is not below " + plan.UnsharedFloatWorkspace);
    }
}
