using GraphSampling.Generators.Emit;
using GraphSampling.Generators.Models;
using GraphSampling.Planning;

namespace GraphSampling.Generators.Backends
{
    /// <summary>The CPU SIMD backend: a nested <c>CpuProgram</c> calling GraphSampling.Runtime's kernels.</summary>
    internal sealed class CpuBackend : IBackendEmitter
    {
        public Schema.Backends Target => Schema.Backends.Cpu;

        public string FileSuffix => "Cpu";

        public string Emit(GraphHeader header, ProgramPlan plan, EmitOptions options) =>
            new CpuEmitter(header, plan, options.Version, options.AllowUnsafe).Emit();
    }

    /// <summary>The backends the generator runs, in file order.</summary>
    internal static class BackendRegistry
    {
        public static readonly IBackendEmitter[] All = { new CpuBackend() };
    }
}
