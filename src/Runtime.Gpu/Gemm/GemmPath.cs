namespace GraphSampling.Runtime.Gpu.Gemm
{
    /// <summary>Which implementation a <see cref="DeviceGemm"/> runs.</summary>
    public enum GemmPath
    {
        /// <summary>NVIDIA cuBLAS through ILGPU.Algorithms' binding (CUDA devices with libcublas present).</summary>
        CuBlas,

        /// <summary>The project's shared-memory tiled kernel (<see cref="GemmKernels.Tiled"/>).</summary>
        Tiled,
    }
}
