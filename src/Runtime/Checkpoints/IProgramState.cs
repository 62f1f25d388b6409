using System.Collections.Generic;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Sampling;

namespace GraphSampling.Runtime.Checkpoints
{
    /// <summary>
    /// What a training run must keep to resume exactly: every generated program implements it (explicitly, so it adds no
    /// member names a graph's own names could collide with). <see cref="Checkpoint"/> saves and loads it.
    /// </summary>
    public interface IProgramState
    {
        /// <summary>The graph's name of each parameter, in declaration order: what a checkpoint keys tables by (a shared
        /// table may carry another program's name).</summary>
        IReadOnlyList<string> ParameterNames { get; }

        /// <summary>The program's parameter tables, in the order of <see cref="ParameterNames"/>.</summary>
        IReadOnlyList<ParameterTable> Parameters { get; }

        /// <summary>The program's samplers, in graph order (only learned-unigram samplers carry state of their own; the
        /// others are pure functions of seed and <see cref="Step"/>).</summary>
        IReadOnlyList<CandidateSampler> Samplers { get; }

        /// <summary>The sampling step (0, and only 0, for a program without samplers).</summary>
        long Step { get; set; }
    }
}
