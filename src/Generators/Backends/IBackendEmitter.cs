using GraphSampling.Generators.Models;
using GraphSampling.Planning;
using GraphSampling.Schema;

namespace GraphSampling.Generators.Backends
{
    /// <summary>How every generated file of one graph is written: the generator's version (in headers and
    /// [GeneratedCode]) and whether the compilation allows unsafe code ([SkipLocalsInit] needs it).</summary>
    internal sealed record EmitOptions(string Version, bool AllowUnsafe, bool GpuRuntime = false);

    /// <summary>
    /// One code generator behind the backend seam: it consumes the planner's output and writes one file per graph,
    /// <c>{HintName}.{FileSuffix}.g.cs</c>. Which ops it can generate is the core's policy (<see cref="OpSchemas"/>,
    /// <see cref="Schema.Backends"/>), not the emitter's.
    /// </summary>
    internal interface IBackendEmitter
    {
        /// <summary>The backend flag the op schemas name.</summary>
        Schema.Backends Target { get; }

        /// <summary>The file's suffix before ".g.cs": "Cpu" gives Samples.Graph.Cpu.g.cs.</summary>
        string FileSuffix { get; }

        /// <summary>Whether this backend writes a file for this plan in this compilation, beyond the op schemas' support
        /// flags (its runtime referenced; ops it generates only in some forms).</summary>
        bool CanEmit(ProgramPlan plan, EmitOptions options);

        string Emit(GraphHeader header, ProgramPlan plan, EmitOptions options);
    }
}
