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
        /// <summary>The program's parameter tables, in declaration order.</summary>
        IReadOnlyList<ParameterTable> Parameters { get; }

        /// <summary>The program's samplers, in graph order (only learned-unigram samplers carry state of their own; the
        /// others are pure functions of seed and <see cref="Step"/>).</summary>
        IReadOnlyList<CandidateSampler> Samplers { get; }

        /// <summary>The sampling step (0, and only 0, for a program without samplers).</summary>
        long Step { get; set; }
    }
}
