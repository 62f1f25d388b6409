using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GraphSampling.Runtime.Cpu;
using Xunit;

namespace GraphSampling.Runtime.Tests.Cpu;

/// <summary>
/// Reports which vector widths this process accelerates and which GEMM kernel it selected, so the
/// ISA matrix runs (DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0, DOTNET_EnableHWIntrinsic=0) can be
/// told apart in the test log. It asserts only that the selection is consistent with the report.
/// </summary>
public sealed class IsaReportTests
{
    [Fact]
    public void ReportAcceleratedWidths()
    {
        string report =
            $"Vector512={Vector512.IsHardwareAccelerated} Vector256={Vector256.IsHardwareAccelerated} " +
            $"Vector128={Vector128.IsHardwareAccelerated} Vector<float>.Count={Vector<float>.Count} " +
            $"Avx512F={Avx512F.IsSupported} Avx2={Avx2.IsSupported} Fma={Fma.IsSupported} Sse={Sse.IsSupported} " +
            $"GEMM kernel={Gemm.Kind} tile={Gemm.Tile} threads={GemmWorkerPool.MaxParallelism} " +
            $"env EnableAVX512={Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") ?? "-"} " +
            $"EnableAVX512F={Environment.GetEnvironmentVariable("DOTNET_EnableAVX512F") ?? "-"} " +
            $"EnableAVX2={Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") ?? "-"} " +
            $"EnableHWIntrinsic={Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") ?? "-"}";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine("[ISA] " + report);

        Gemm.KernelKind expected =
            Avx512Kernel.IsSupported ? Gemm.KernelKind.Avx512 :
            Avx2Kernel.IsSupported ? Gemm.KernelKind.Avx2 :
            Vector128Kernel.IsSupported ? Gemm.KernelKind.Vector128 :
            Gemm.KernelKind.Scalar;
        Assert.Equal(expected, Gemm.Kind);
    }
}
