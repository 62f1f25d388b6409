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
    public static TheoryData<string> Graphs => new(PlannedGraphs.Names);

    [Theory, MemberData(nameof(Graphs))]
    public void ValuesLiveAtTheSameTime_NeverShareMemory(string name)
    {
        var plan = PlannedGraphs.Named(name);
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
            // A fused intermediate reads its inputs when its group's one pass runs, at the group's root; a loss gradient
            // computed in its loss's pass reads (and writes) at the loss.
            int at = plan.FusedInto(node.Id) >= 0 ? plan.FusedInto(node.Id) : plan.LossComputing(node.Id) >= 0 ? plan.LossComputing(node.Id) : node.Id;
            if (plan.LossComputing(node.Id) >= 0 && first.ContainsKey(new ValueRef(node.Id))) first[new ValueRef(node.Id)] = plan.LossComputing(node.Id);
            foreach (var input in node.Inputs)
            {
                var owner = plan.Owner(input);
                if (last.ContainsKey(owner)) last[owner] = Math.Max(last[owner], at);
            }
            // A producer that writes into a view writes into its owner's memory at its own step.
            var own = new ValueRef(node.Id);
            if (plan.SlotOf(own).Kind == BufferKind.View && node.Kind != OpKind.Slice && first.ContainsKey(plan.Owner(own)))
                first[plan.Owner(own)] = Math.Min(first[plan.Owner(own)], node.Id);
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
