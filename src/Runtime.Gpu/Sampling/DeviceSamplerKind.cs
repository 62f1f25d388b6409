namespace GraphSampling.Runtime.Gpu.Sampling
{
    /// <summary>The proposal distributions the device samplers implement.</summary>
    public enum DeviceSamplerKind
    {
        /// <summary>TF <c>uniform_candidate_sampler</c> (<see cref="GraphSampling.Runtime.Sampling.UniformSampler"/>).</summary>
        Uniform,

        /// <summary>TF <c>log_uniform_candidate_sampler</c> (<see cref="GraphSampling.Runtime.Sampling.LogUniformSampler"/>).</summary>
        LogUniform,
    }
}
