using System;
using GraphSampling.Runtime.Gpu;
using Xunit;

namespace GraphSampling.Gpu.Tests
{
    /// <summary>
    /// One CPU-accelerator context (and one CUDA context where a device exists) for the whole run: creating a context
    /// and compiling kernels is the slow part on the CPU accelerator, and ILGPU caches compiled kernels per context.
    /// </summary>
    public sealed class GpuFixture : IDisposable
    {
        private readonly Lazy<GpuContext> _cpu = new(GpuContext.CreateCpu);
        private readonly Lazy<bool> _cudaPresent = new(GpuContext.CudaAvailable);
        private readonly Lazy<GpuContext> _cuda = new(GpuContext.Create);

        /// <summary>The backends every device test runs on.</summary>
        public static TheoryData<string> Backends => new() { Cpu, Cuda };

        public const string Cpu = "cpu-accelerator";
        public const string Cuda = "cuda";

        /// <summary>The context for a backend; skips the test with "no CUDA device" only when CUDA is asked for and absent.</summary>
        public GpuContext Get(string backend)
        {
            if (backend == Cpu)
            {
                return _cpu.Value;
            }

            Assert.SkipUnless(_cudaPresent.Value, "no CUDA device");
            GpuContext cuda = _cuda.Value;
            Assert.True(cuda.IsCuda, "A CUDA device was detected but the context fell back: " + cuda.FallbackReason);
            return cuda;
        }

        public void Dispose()
        {
            if (_cpu.IsValueCreated)
            {
                _cpu.Value.Dispose();
            }

            if (_cuda.IsValueCreated)
            {
                _cuda.Value.Dispose();
            }
        }
    }

    /// <summary>Device tests share the fixture and run one at a time (one accelerator stream).</summary>
    [CollectionDefinition(Name)]
    public sealed class GpuCollection : ICollectionFixture<GpuFixture>
    {
        public const string Name = "Gpu";
    }
}
