using GraphSampling.Tests.Shared;
using System;
using GraphSampling.Runtime.Cpu;
using Xunit;

namespace GraphSampling.Runtime.Tests.Cpu;

/// <summary>Process-wide allocation counters are only meaningful while no other test runs.</summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;

/// <summary>Warm kernels allocate no managed memory, on the calling thread or (for threaded GEMM) anywhere.</summary>
[Collection(nameof(AllocationCollection))]
public sealed class AllocationTests
{
    [Fact]
    public void WarmKernels_AllocateNothingOnCallingThread()
    {
        float[] x = TestData.Uniform(64 * 300, 1);
        float[] y = TestData.Uniform(300, 2);
        float[] destination = new float[64 * 300];
        float[] rows = new float[64];
        var small = new GemmBuffers(128, 64, 128);
        var big = new GemmBuffers(256, 1024, 512);

        void RunAll()
        {
            Kernels.Map<ExpOperator>(x, destination);
            Kernels.Map<AddOperator>(x, destination, destination);
            Kernels.MapRowBroadcast<MultiplyOperator>(x, y, destination, 64, 300);
            Kernels.LogSumExpRows(x, rows, 64, 300);
            Kernels.SumRows(x, y, 64, 300);
            _ = Kernels.Sum(x) + Kernels.Dot(x, destination) + Kernels.Max(x);
            small.Run(transposeB: false);
            small.Run(transposeB: true);
            big.Run(transposeB: true);
            big.Run(transposeB: false);
        }

        // Warm-up: JIT, worker threads and per-thread packing buffers.
        Assert.Equal(0, Allocations.AfterWarmUp(RunAll, calls: 5));
    }

    [Fact]
    public void WarmThreadedMatMul_DoesNotGrowProcessAllocations()
    {
        // Both shapes are above the threading threshold; the small one is fast enough to repeat
        // a thousand times, so that even a 17-byte allocation per call (on any thread) would
        // exceed the allowance below.
        var big = new GemmBuffers(256, 1024, 512);
        var medium = new GemmBuffers(128, 256, 128);
        for (int i = 0; i < 3; i++)
        {
            big.Run(transposeB: true);
            medium.Run(transposeB: false);
        }

        // The counter is process-wide, so the test host's own work (it serialises result messages while this runs)
        // can land inside a window. That noise only adds, while an allocation per product shows in every window:
        // the smallest of a few windows is the measurement.
        var windows = new long[5];
        for (int attempt = 0; attempt < windows.Length; attempt++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < 10; i++)
            {
                big.Run(transposeB: true);
            }

            for (int i = 0; i < 1000; i++)
            {
                medium.Run(transposeB: false);
            }

            windows[attempt] = GC.GetTotalAllocatedBytes(precise: true) - before;
            if (windows[attempt] < 16 * 1024)
            {
                return;
            }
        }

        // The allowance covers runtime bookkeeping on other threads (tiered compilation, the test host).
        Assert.Fail($"process allocations grew by {string.Join(", ", windows)} bytes over 1010 threaded products in each of {windows.Length} windows");
    }

    private sealed class GemmBuffers(int m, int n, int k)
    {
        private readonly float[] a = TestData.Uniform(m * k, 3);
        private readonly float[] b = TestData.Uniform(k * n, 4);
        private readonly float[] c = new float[m * n];

        public void Run(bool transposeB) =>
            Kernels.MatMul(a, k, false, b, transposeB ? k : n, transposeB, c, n, m, n, k, accumulate: false);
    }
}
