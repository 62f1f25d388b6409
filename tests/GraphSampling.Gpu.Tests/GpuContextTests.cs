using System;
using GraphSampling.Runtime.Gpu;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace GraphSampling.Gpu.Tests
{
    /// <summary>Device choice, its description, the fallback message, and errors that name the op.</summary>
    [Collection(GpuCollection.Name)]
    public sealed class GpuContextTests(GpuFixture fixture)
    {
        [Fact]
        public void CreateCpu_IsTheSmallCpuDevice_AndSaysSo()
        {
            GpuContext cpu = fixture.Get(GpuFixture.Cpu);
            Assert.False(cpu.IsCuda);
            Assert.Null(cpu.FallbackReason);
            Assert.Equal(4, cpu.Accelerator.WarpSize);
            Assert.True(cpu.Accelerator.MaxNumThreadsPerGroup <= 64);
            Assert.Contains("warp size 4", cpu.Description, StringComparison.Ordinal);
            Assert.Contains("CPU", cpu.Description, StringComparison.Ordinal);
        }

        [Fact]
        public void Create_PicksCudaWhenPresent_ElseFallsBackWithAReason()
        {
            using GpuContext context = GpuContext.Create();
            if (GpuContext.CudaAvailable())
            {
                Assert.True(context.IsCuda, context.FallbackReason);
                Assert.Null(context.FallbackReason);
                Assert.Contains("GiB of device memory", context.Description, StringComparison.Ordinal);
            }
            else
            {
                Assert.False(context.IsCuda);
                Assert.NotNull(context.FallbackReason);
                Assert.Contains("CPU accelerator", context.FallbackReason, StringComparison.Ordinal);
                Assert.Contains("CUDA", context.FallbackReason, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void KernelThatIlgpuRejects_FailsNamingTheOp()
        {
            GpuContext cpu = fixture.Get(GpuFixture.Cpu);
            var e = Assert.Throws<GpuOperationException>(() => KernelLoader.Load(
                cpu,
                "logits epilogue",
                (Action<Index1D, ArrayView<int>>)AllocatesAnArray,
                KernelGrouping.Implicit,
                acc => acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>>(AllocatesAnArray)));
            Assert.Equal("logits epilogue", e.Op);
            Assert.StartsWith("GPU op 'logits epilogue' failed: ", e.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void UnmarkedKernel_IsRefused_SoThePtxCheckCannotMissIt()
        {
            GpuContext cpu = fixture.Get(GpuFixture.Cpu);
            var e = Assert.Throws<InvalidOperationException>(() => KernelLoader.Load(
                cpu,
                "unmarked",
                (Action<Index1D, ArrayView<int>>)Unmarked,
                KernelGrouping.Implicit,
                acc => acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>>(Unmarked)));
            Assert.Contains("[DeviceKernel(KernelGrouping.Implicit)]", e.Message, StringComparison.Ordinal);
        }

        [DeviceKernel(KernelGrouping.Implicit)]
        private static void AllocatesAnArray(Index1D i, ArrayView<int> values)
        {
            // Managed allocation is not supported in kernels: ILGPU refuses to compile this.
            values[i] = new int[i.X + 1].Length;
        }

        private static void Unmarked(Index1D i, ArrayView<int> values) => values[i] = i;
    }
}
