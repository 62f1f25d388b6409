using System;
using System.Runtime.CompilerServices;

namespace GraphSampling.Runtime.Cpu;

public static partial class Kernels
{
    /// <summary>
    /// <c>C = op(A) * op(B)</c>, or <c>C += op(A) * op(B)</c> when <paramref name="accumulate"/> is set,
    /// for row-major matrices with leading dimensions. <c>op(A)</c> is <c>[m, k]</c>: A is stored
    /// <c>[m, k]</c>, or <c>[k, m]</c> when <paramref name="transposeA"/>. <c>op(B)</c> is <c>[k, n]</c>:
    /// B is stored <c>[k, n]</c>, or <c>[n, k]</c> when <paramref name="transposeB"/>. C is <c>[m, n]</c>.
    /// Large products run on the GEMM worker threads; results are bitwise identical however the
    /// work is split, and warm calls allocate nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is negative, a leading dimension is smaller than its row width,
    /// a buffer is too short, or C overlaps A or B. Nothing is written when this is thrown.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMul(
        ReadOnlySpan<float> a, int lda, bool transposeA,
        ReadOnlySpan<float> b, int ldb, bool transposeB,
        Span<float> c, int ldc,
        int m, int n, int k, bool accumulate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        long aSize = RequiredLength(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a), nameof(lda));
        long bSize = RequiredLength(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, nameof(b), nameof(ldb));
        long cSize = RequiredLength(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        if (c.Slice(0, (int)cSize).Overlaps(a.Slice(0, (int)aSize)) || c.Slice(0, (int)cSize).Overlaps(b.Slice(0, (int)bSize)))
        {
            throw new ArgumentException("C must not overlap A or B.", nameof(c));
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    c.Slice(i * ldc, n).Clear();
                }
            }

            return;
        }

        unsafe
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            {
                var args = new GemmArgs
                {
                    A = pa,
                    Lda = lda,
                    TransposeA = transposeA,
                    B = pb,
                    Ldb = ldb,
                    TransposeB = transposeB,
                    C = pc,
                    Ldc = ldc,
                    M = m,
                    N = n,
                    K = k,
                    Accumulate = accumulate,
                };
                Gemm.Multiply(args, GemmWorkerPool.MaxParallelism);
            }
        }
    }

    /// <summary>Elements spanned by a row-major <c>[rows, cols]</c> matrix with leading dimension <paramref name="ld"/>, checked against <paramref name="length"/>.</summary>
    private static long RequiredLength(int length, int rows, int cols, int ld, string bufferName, string ldName)
    {
        if (ld < cols || ld < 0)
        {
            throw new ArgumentException($"Leading dimension {ld} is smaller than the row width {cols}.", ldName);
        }

        long required = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < required)
        {
            throw new ArgumentException($"Buffer has {length} elements but a [{rows}, {cols}] matrix with leading dimension {ld} needs {required}.", bufferName);
        }

        return required;
    }
}
