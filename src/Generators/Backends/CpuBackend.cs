using GraphSampling.Generators.Emit;
using GraphSampling.Generators.Models;
using GraphSampling.Ir;
using GraphSampling.Planning;

namespace GraphSampling.Generators.Backends
{
    /// <summary>The CPU SIMD backend: a nested <c>CpuProgram</c> calling GraphSampling.Runtime's kernels.</summary>
    internal sealed class CpuBackend : IBackendEmitter
    {
        public Schema.Backends Target => Schema.Backends.Cpu;

        public string FileSuffix => "Cpu";

        public bool CanEmit(ProgramPlan plan, EmitOptions options) => true;

        public string Emit(GraphHeader header, ProgramPlan plan, EmitOptions options) =>
            new CpuEmitter(header, plan, options.Version, options.AllowUnsafe).Emit();
    }

    /// <summary>
    /// The ILGPU backend: a nested <c>GpuProgram</c> calling GraphSampling.Runtime.Gpu's device ops, written only when
    /// the compilation references that assembly and the graph uses only the kinds the schemas mark for
    /// <see cref="Schema.Backends.Gpu"/>, in the forms <see cref="Declines"/> does not refuse.
    /// </summary>
    internal sealed class GpuBackend : IBackendEmitter
    {
        public Schema.Backends Target => Schema.Backends.Gpu;

        public string FileSuffix => "Gpu";

        public bool CanEmit(ProgramPlan plan, EmitOptions options) => options.GpuRuntime && Declines(plan) == null;

        public string Emit(GraphHeader header, ProgramPlan plan, EmitOptions options) =>
            new GpuEmitter(header, plan, options.Version, options.AllowUnsafe).Emit();

        /// <summary>Why the GPU emitter cannot write this plan although every kind is supported (a form v1 does not
        /// generate), or null.</summary>
        internal static string? Declines(ProgramPlan plan)
        {
            foreach (var node in plan.Graph.Nodes)
            {
                var a = node.Attributes;
                switch (node.Kind)
                {
                    case OpKind.EmbeddingLookup when !double.IsNaN(a.Double("maxNorm")):
                    case OpKind.EmbeddingRowsGrad when !double.IsNaN(a.Double("maxNorm")):
                        return "t" + node.Id + ": EmbeddingLookup with maxNorm (no device ClipRows yet)";
                    case OpKind.UniformCandidateSampler when a.Flag("raggedTrueClasses"):
                    case OpKind.LogUniformCandidateSampler when a.Flag("raggedTrueClasses"):
                        return "t" + node.Id + ": a sampler with ragged true classes (padding labels: no device sampler yet)";
                    case OpKind.SampledValues when plan.SampledValuesCheckedInStep.Contains(node.Id):
                        return "t" + node.Id + ": SampledValues with expected counts computed in the graph (checked in the step: no device check yet)";
                    case OpKind.ComputeAccidentalHits when plan.FusedInto(node.Id) < 0:
                        return "t" + node.Id + ": ComputeAccidentalHits as a mask of its own (the device applies hits only in a fused group)";
                }
            }
            return null;
        }
    }

    /// <summary>The backends the generator runs, in file order.</summary>
    internal static class BackendRegistry
    {
        public static readonly IBackendEmitter[] All = { new CpuBackend(), new GpuBackend() };
    }
}
