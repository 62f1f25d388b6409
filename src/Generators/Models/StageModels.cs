using GraphSampling.Autodiff;
using GraphSampling.Ir;
using GraphSampling.Planning;
using GraphSampling.Shapes;

namespace GraphSampling.Generators.Models
{
    // The result of each incremental stage after Parse. Every stage is a pure function of the one before, so each
    // result compares equal when its graph does, and an edit that leaves a graph unchanged stops the pipeline there.
    // A null payload means "nothing to generate" (the analyzers report the user's errors); Failure is a generator bug
    // (GS0001). IR equality ignores the users' variable names (the recorder cannot know them), but the emitted code
    // shows them, so each stage also carries its graph's node names.

    /// <summary>The user's names of a graph's nodes, in node order ("" for none): part of every stage's equality.</summary>
    internal static class NodeNames
    {
        public static EquatableArray<string> Of(IrGraph? graph)
        {
            if (graph == null) return EquatableArray<string>.Empty;
            var names = new string[graph.Nodes.Count];
            for (int i = 0; i < names.Length; i++) names[i] = graph.Nodes[i].Name ?? "";
            return new EquatableArray<string>(names);
        }
    }

    /// <summary>Stage 2: the declared IR (composite losses still single nodes).</summary>
    internal sealed record LoweredStage(GraphHeader Header, IrGraph? Declared, string? Failure)
    {
        public EquatableArray<string> Names { get; } = NodeNames.Of(Declared);
    }

    /// <summary>Stage 3: the front end's output, the lowered and inferred graph every backend consumes.</summary>
    internal sealed record InferredStage(GraphHeader Header, IrGraph? Declared, TypedGraph? Lowered, string? Failure)
    {
        public EquatableArray<string> Names { get; } = NodeNames.Of(Lowered?.Graph ?? Declared);
    }

    /// <summary>Stage 4: the backward nodes (null gradients: a graph with nothing to train).</summary>
    internal sealed record DifferentiatedStage(GraphHeader Header, IrGraph? Declared, TypedGraph? Lowered, GradientGraph? Gradients, string? Failure)
    {
        public EquatableArray<string> Names { get; } = NodeNames.Of(Gradients?.Graph ?? Lowered?.Graph ?? Declared);
    }

    /// <summary>Stage 5: the plan (schedule, buffers, checks).</summary>
    internal sealed record PlannedStage(GraphHeader Header, IrGraph? Declared, ProgramPlan? Plan, string? Failure)
    {
        public EquatableArray<string> Names { get; } = NodeNames.Of(Plan?.Graph ?? Declared);
    }

    /// <summary>What emission needs from the compilation: whether unsafe code is allowed ([SkipLocalsInit]) and whether
    /// GraphSampling.Runtime.Gpu is referenced (the GPU backend's file is written only then).</summary>
    internal readonly record struct CompilationFacts(bool AllowUnsafe, bool GpuRuntime);

    /// <summary>One generated file.</summary>
    internal sealed record GeneratedSource(string HintName, string Text);

    /// <summary>Stage 6: every file of one graph (or why there is none), equatable so unchanged graphs stay cached.</summary>
    internal sealed record EmittedGraph(string HintName, EquatableArray<GeneratedSource> Files, string? Failure);
}
