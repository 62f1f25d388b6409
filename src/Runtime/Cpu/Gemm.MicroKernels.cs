using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphSampling.Runtime.Cpu;

// Register-blocked GEMM micro-kernels: C[MR, NR] (+)= sum over p of A[:, p] * B[p, :], with A packed
// as [kc][MR] and B as [kc][NR]. Each B row is loaded once per p and each A element broadcast once,
// so a step costs MR * NR / width multiply-adds against NR / width + MR loads. The tile sizes keep
// accumulators + B vectors + one broadcast inside the register file (32 zmm, 16 ymm/xmm).
// The bodies are written out in full because the JIT does not unroll loops over accumulators.


/// <summary>8x32 tile on 512-bit vectors with fused multiply-add (16 zmm accumulators).</summary>
internal readonly unsafe struct Avx512Kernel : IMicroKernel
{
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;
    public static int MR => 8;
    public static int NR => 32;
    public static int KC => 256;
    public static int MC => 256;
    public static int NC => 4096;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, bool load)
    {
        Vector512<float> c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1, c6_0, c6_1, c7_0, c7_1;
        if (load)
        {
            c0_0 = Vector512.Load(c);
            c0_1 = Vector512.Load(c + 16);
            c1_0 = Vector512.Load(c + ldc);
            c1_1 = Vector512.Load(c + ldc + 16);
            c2_0 = Vector512.Load(c + 2 * ldc);
            c2_1 = Vector512.Load(c + 2 * ldc + 16);
            c3_0 = Vector512.Load(c + 3 * ldc);
            c3_1 = Vector512.Load(c + 3 * ldc + 16);
            c4_0 = Vector512.Load(c + 4 * ldc);
            c4_1 = Vector512.Load(c + 4 * ldc + 16);
            c5_0 = Vector512.Load(c + 5 * ldc);
            c5_1 = Vector512.Load(c + 5 * ldc + 16);
            c6_0 = Vector512.Load(c + 6 * ldc);
            c6_1 = Vector512.Load(c + 6 * ldc + 16);
            c7_0 = Vector512.Load(c + 7 * ldc);
            c7_1 = Vector512.Load(c + 7 * ldc + 16);
        }
        else
        {
            c0_0 = c0_1 = c1_0 = c1_1 = c2_0 = c2_1 = c3_0 = c3_1 = c4_0 = c4_1 = c5_0 = c5_1 = c6_0 = c6_1 = c7_0 = c7_1 = Vector512<float>.Zero;
        }

        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c0_0 = Vector512.FusedMultiplyAdd(a0, b0, c0_0);
            c0_1 = Vector512.FusedMultiplyAdd(a0, b1, c0_1);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c1_0 = Vector512.FusedMultiplyAdd(a1, b0, c1_0);
            c1_1 = Vector512.FusedMultiplyAdd(a1, b1, c1_1);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c2_0 = Vector512.FusedMultiplyAdd(a2, b0, c2_0);
            c2_1 = Vector512.FusedMultiplyAdd(a2, b1, c2_1);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c3_0 = Vector512.FusedMultiplyAdd(a3, b0, c3_0);
            c3_1 = Vector512.FusedMultiplyAdd(a3, b1, c3_1);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c4_0 = Vector512.FusedMultiplyAdd(a4, b0, c4_0);
            c4_1 = Vector512.FusedMultiplyAdd(a4, b1, c4_1);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c5_0 = Vector512.FusedMultiplyAdd(a5, b0, c5_0);
            c5_1 = Vector512.FusedMultiplyAdd(a5, b1, c5_1);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c6_0 = Vector512.FusedMultiplyAdd(a6, b0, c6_0);
            c6_1 = Vector512.FusedMultiplyAdd(a6, b1, c6_1);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c7_0 = Vector512.FusedMultiplyAdd(a7, b0, c7_0);
            c7_1 = Vector512.FusedMultiplyAdd(a7, b1, c7_1);
            a += 8;
            b += 32;
        }

        c0_0.Store(c);
        c0_1.Store(c + 16);
        c1_0.Store(c + ldc);
        c1_1.Store(c + ldc + 16);
        c2_0.Store(c + 2 * ldc);
        c2_1.Store(c + 2 * ldc + 16);
        c3_0.Store(c + 3 * ldc);
        c3_1.Store(c + 3 * ldc + 16);
        c4_0.Store(c + 4 * ldc);
        c4_1.Store(c + 4 * ldc + 16);
        c5_0.Store(c + 5 * ldc);
        c5_1.Store(c + 5 * ldc + 16);
        c6_0.Store(c + 6 * ldc);
        c6_1.Store(c + 6 * ldc + 16);
        c7_0.Store(c + 7 * ldc);
        c7_1.Store(c + 7 * ldc + 16);
    }
}

/// <summary>6x16 tile on 256-bit vectors with fused multiply-add (12 ymm accumulators).</summary>
internal readonly unsafe struct Avx2Kernel : IMicroKernel
{
    public static bool IsSupported => Vector256.IsHardwareAccelerated && Fma.IsSupported;
    public static int MR => 6;
    public static int NR => 16;
    public static int KC => 256;
    public static int MC => 120;
    public static int NC => 4096;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, bool load)
    {
        Vector256<float> c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1;
        if (load)
        {
            c0_0 = Vector256.Load(c);
            c0_1 = Vector256.Load(c + 8);
            c1_0 = Vector256.Load(c + ldc);
            c1_1 = Vector256.Load(c + ldc + 8);
            c2_0 = Vector256.Load(c + 2 * ldc);
            c2_1 = Vector256.Load(c + 2 * ldc + 8);
            c3_0 = Vector256.Load(c + 3 * ldc);
            c3_1 = Vector256.Load(c + 3 * ldc + 8);
            c4_0 = Vector256.Load(c + 4 * ldc);
            c4_1 = Vector256.Load(c + 4 * ldc + 8);
            c5_0 = Vector256.Load(c + 5 * ldc);
            c5_1 = Vector256.Load(c + 5 * ldc + 8);
        }
        else
        {
            c0_0 = c0_1 = c1_0 = c1_1 = c2_0 = c2_1 = c3_0 = c3_1 = c4_0 = c4_1 = c5_0 = c5_1 = Vector256<float>.Zero;
        }

        for (nint p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(a[0]);
            c0_0 = Vector256.FusedMultiplyAdd(a0, b0, c0_0);
            c0_1 = Vector256.FusedMultiplyAdd(a0, b1, c0_1);
            Vector256<float> a1 = Vector256.Create(a[1]);
            c1_0 = Vector256.FusedMultiplyAdd(a1, b0, c1_0);
            c1_1 = Vector256.FusedMultiplyAdd(a1, b1, c1_1);
            Vector256<float> a2 = Vector256.Create(a[2]);
            c2_0 = Vector256.FusedMultiplyAdd(a2, b0, c2_0);
            c2_1 = Vector256.FusedMultiplyAdd(a2, b1, c2_1);
            Vector256<float> a3 = Vector256.Create(a[3]);
            c3_0 = Vector256.FusedMultiplyAdd(a3, b0, c3_0);
            c3_1 = Vector256.FusedMultiplyAdd(a3, b1, c3_1);
            Vector256<float> a4 = Vector256.Create(a[4]);
            c4_0 = Vector256.FusedMultiplyAdd(a4, b0, c4_0);
            c4_1 = Vector256.FusedMultiplyAdd(a4, b1, c4_1);
            Vector256<float> a5 = Vector256.Create(a[5]);
            c5_0 = Vector256.FusedMultiplyAdd(a5, b0, c5_0);
            c5_1 = Vector256.FusedMultiplyAdd(a5, b1, c5_1);
            a += 6;
            b += 16;
        }

        c0_0.Store(c);
        c0_1.Store(c + 8);
        c1_0.Store(c + ldc);
        c1_1.Store(c + ldc + 8);
        c2_0.Store(c + 2 * ldc);
        c2_1.Store(c + 2 * ldc + 8);
        c3_0.Store(c + 3 * ldc);
        c3_1.Store(c + 3 * ldc + 8);
        c4_0.Store(c + 4 * ldc);
        c4_1.Store(c + 4 * ldc + 8);
        c5_0.Store(c + 5 * ldc);
        c5_1.Store(c + 5 * ldc + 8);
    }
}

/// <summary>6x8 tile on 128-bit vectors; multiply-add is fused only where the hardware has it.</summary>
internal readonly unsafe struct Vector128Kernel : IMicroKernel
{
    public static bool IsSupported => Vector128.IsHardwareAccelerated;
    public static int MR => 6;
    public static int NR => 8;
    public static int KC => 256;
    public static int MC => 96;
    public static int NC => 2048;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, bool load)
    {
        Vector128<float> c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1;
        if (load)
        {
            c0_0 = Vector128.Load(c);
            c0_1 = Vector128.Load(c + 4);
            c1_0 = Vector128.Load(c + ldc);
            c1_1 = Vector128.Load(c + ldc + 4);
            c2_0 = Vector128.Load(c + 2 * ldc);
            c2_1 = Vector128.Load(c + 2 * ldc + 4);
            c3_0 = Vector128.Load(c + 3 * ldc);
            c3_1 = Vector128.Load(c + 3 * ldc + 4);
            c4_0 = Vector128.Load(c + 4 * ldc);
            c4_1 = Vector128.Load(c + 4 * ldc + 4);
            c5_0 = Vector128.Load(c + 5 * ldc);
            c5_1 = Vector128.Load(c + 5 * ldc + 4);
        }
        else
        {
            c0_0 = c0_1 = c1_0 = c1_1 = c2_0 = c2_1 = c3_0 = c3_1 = c4_0 = c4_1 = c5_0 = c5_1 = Vector128<float>.Zero;
        }

        for (nint p = 0; p < kc; p++)
        {
            Vector128<float> b0 = Vector128.Load(b);
            Vector128<float> b1 = Vector128.Load(b + 4);
            Vector128<float> a0 = Vector128.Create(a[0]);
            c0_0 = Vector128.MultiplyAddEstimate(a0, b0, c0_0);
            c0_1 = Vector128.MultiplyAddEstimate(a0, b1, c0_1);
            Vector128<float> a1 = Vector128.Create(a[1]);
            c1_0 = Vector128.MultiplyAddEstimate(a1, b0, c1_0);
            c1_1 = Vector128.MultiplyAddEstimate(a1, b1, c1_1);
            Vector128<float> a2 = Vector128.Create(a[2]);
            c2_0 = Vector128.MultiplyAddEstimate(a2, b0, c2_0);
            c2_1 = Vector128.MultiplyAddEstimate(a2, b1, c2_1);
            Vector128<float> a3 = Vector128.Create(a[3]);
            c3_0 = Vector128.MultiplyAddEstimate(a3, b0, c3_0);
            c3_1 = Vector128.MultiplyAddEstimate(a3, b1, c3_1);
            Vector128<float> a4 = Vector128.Create(a[4]);
            c4_0 = Vector128.MultiplyAddEstimate(a4, b0, c4_0);
            c4_1 = Vector128.MultiplyAddEstimate(a4, b1, c4_1);
            Vector128<float> a5 = Vector128.Create(a[5]);
            c5_0 = Vector128.MultiplyAddEstimate(a5, b0, c5_0);
            c5_1 = Vector128.MultiplyAddEstimate(a5, b1, c5_1);
            a += 6;
            b += 8;
        }

        c0_0.Store(c);
        c0_1.Store(c + 4);
        c1_0.Store(c + ldc);
        c1_1.Store(c + ldc + 4);
        c2_0.Store(c + 2 * ldc);
        c2_1.Store(c + 2 * ldc + 4);
        c3_0.Store(c + 3 * ldc);
        c3_1.Store(c + 3 * ldc + 4);
        c4_0.Store(c + 4 * ldc);
        c4_1.Store(c + 4 * ldc + 4);
        c5_0.Store(c + 5 * ldc);
        c5_1.Store(c + 5 * ldc + 4);
    }
}

/// <summary>4x4 scalar tile: the fallback when no vector width is accelerated.</summary>
internal readonly unsafe struct ScalarKernel : IMicroKernel
{
    public static bool IsSupported => true;
    public static int MR => 4;
    public static int NR => 4;
    public static int KC => 256;
    public static int MC => 64;
    public static int NC => 1024;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, bool load)
    {
        float c0_0, c0_1, c0_2, c0_3, c1_0, c1_1, c1_2, c1_3, c2_0, c2_1, c2_2, c2_3, c3_0, c3_1, c3_2, c3_3;
        if (load)
        {
            c0_0 = c[0];
            c0_1 = c[1];
            c0_2 = c[2];
            c0_3 = c[3];
            c1_0 = (c + ldc)[0];
            c1_1 = (c + ldc)[1];
            c1_2 = (c + ldc)[2];
            c1_3 = (c + ldc)[3];
            c2_0 = (c + 2 * ldc)[0];
            c2_1 = (c + 2 * ldc)[1];
            c2_2 = (c + 2 * ldc)[2];
            c2_3 = (c + 2 * ldc)[3];
            c3_0 = (c + 3 * ldc)[0];
            c3_1 = (c + 3 * ldc)[1];
            c3_2 = (c + 3 * ldc)[2];
            c3_3 = (c + 3 * ldc)[3];
        }
        else
        {
            c0_0 = c0_1 = c0_2 = c0_3 = c1_0 = c1_1 = c1_2 = c1_3 = c2_0 = c2_1 = c2_2 = c2_3 = c3_0 = c3_1 = c3_2 = c3_3 = 0f;
        }

        for (nint p = 0; p < kc; p++)
        {
            float b0 = b[0];
            float b1 = b[1];
            float b2 = b[2];
            float b3 = b[3];
            float a0 = a[0];
            c0_0 = float.MultiplyAddEstimate(a0, b0, c0_0);
            c0_1 = float.MultiplyAddEstimate(a0, b1, c0_1);
            c0_2 = float.MultiplyAddEstimate(a0, b2, c0_2);
            c0_3 = float.MultiplyAddEstimate(a0, b3, c0_3);
            float a1 = a[1];
            c1_0 = float.MultiplyAddEstimate(a1, b0, c1_0);
            c1_1 = float.MultiplyAddEstimate(a1, b1, c1_1);
            c1_2 = float.MultiplyAddEstimate(a1, b2, c1_2);
            c1_3 = float.MultiplyAddEstimate(a1, b3, c1_3);
            float a2 = a[2];
            c2_0 = float.MultiplyAddEstimate(a2, b0, c2_0);
            c2_1 = float.MultiplyAddEstimate(a2, b1, c2_1);
            c2_2 = float.MultiplyAddEstimate(a2, b2, c2_2);
            c2_3 = float.MultiplyAddEstimate(a2, b3, c2_3);
            float a3 = a[3];
            c3_0 = float.MultiplyAddEstimate(a3, b0, c3_0);
            c3_1 = float.MultiplyAddEstimate(a3, b1, c3_1);
            c3_2 = float.MultiplyAddEstimate(a3, b2, c3_2);
            c3_3 = float.MultiplyAddEstimate(a3, b3, c3_3);
            a += 4;
            b += 4;
        }

        c[0] = c0_0;
        c[1] = c0_1;
        c[2] = c0_2;
        c[3] = c0_3;
        (c + ldc)[0] = c1_0;
        (c + ldc)[1] = c1_1;
        (c + ldc)[2] = c1_2;
        (c + ldc)[3] = c1_3;
        (c + 2 * ldc)[0] = c2_0;
        (c + 2 * ldc)[1] = c2_1;
        (c + 2 * ldc)[2] = c2_2;
        (c + 2 * ldc)[3] = c2_3;
        (c + 3 * ldc)[0] = c3_0;
        (c + 3 * ldc)[1] = c3_1;
        (c + 3 * ldc)[2] = c3_2;
        (c + 3 * ldc)[3] = c3_3;
    }
}
