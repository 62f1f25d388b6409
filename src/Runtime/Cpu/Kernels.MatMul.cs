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

        if (IsEmpty(c, ldc, m, n, k, accumulate))
        {
            return;
        }

        unsafe
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            {
                Multiply(pa, lda, transposeA, pb, ldb, null, transposeB, pc, ldc, null, m, n, k, accumulate);
            }
        }
    }

    /// <summary>
    /// As <see cref="MatMul"/>, with the stored rows of B taken from <paramref name="table"/> at element offsets
    /// <paramref name="bRowOffsets"/> instead of a dense matrix: B is stored <c>[n, k]</c> (row j at offset j) when
    /// <paramref name="transposeB"/>, else <c>[k, n]</c> (depth step p at offset p). This is a MatMul with a gathered
    /// operand (rows of an embedding table picked by id) without the gathered copy: the GEMM's packing reads the rows
    /// where they lie, and the result is bit-identical to gathering first.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="MatMul"/>; or there are fewer offsets than stored rows of B, or
    /// an offset's row does not lie inside <paramref name="table"/> (naming its position). Nothing is written then.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMulRows(
        ReadOnlySpan<float> a, int lda, bool transposeA,
        ReadOnlySpan<float> table, ReadOnlySpan<int> bRowOffsets, bool transposeB,
        Span<float> c, int ldc,
        int m, int n, int k, bool accumulate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        long aSize = RequiredLength(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a), nameof(lda));
        long cSize = RequiredLength(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        int storedRows = transposeB ? n : k, rowLength = transposeB ? k : n;
        if (bRowOffsets.Length < storedRows)
        {
            throw new ArgumentException($"B has {storedRows} stored rows but only {bRowOffsets.Length} row offsets are given.", nameof(bRowOffsets));
        }

        for (int r = 0; r < storedRows; r++)
        {
            if ((uint)bRowOffsets[r] > (uint)Math.Max(0, table.Length - rowLength))
            {
                throw new ArgumentException($"Row offset {bRowOffsets[r]} at position {r} does not leave a row of {rowLength} inside the table of {table.Length} floats.", nameof(bRowOffsets));
            }
        }

        if (c.Slice(0, (int)cSize).Overlaps(a.Slice(0, (int)aSize)) || c.Slice(0, (int)cSize).Overlaps(table))
        {
            throw new ArgumentException("C must not overlap A or the table.", nameof(c));
        }

        if (IsEmpty(c, ldc, m, n, k, accumulate))
        {
            return;
        }

        unsafe
        {
            fixed (float* pa = a)
            fixed (float* pb = table)
            fixed (int* offsets = bRowOffsets)
            fixed (float* pc = c)
            {
                Multiply(pa, lda, transposeA, pb, 0, offsets, transposeB, pc, ldc, null, m, n, k, accumulate);
            }
        }
    }

    /// <summary>
    /// <c>C[rows] += op(A) · op(B)</c> where row i of the result is added to <c>c + cRowOffsets[i]</c>: the product lands
    /// in rows that lie anywhere in <paramref name="c"/> (a sparse gradient's slots) with no [m, n] copy, and each element
    /// is <c>C + (the product's chain)</c> exactly as a dense accumulating product computes it. The caller guarantees the
    /// m rows of n floats are distinct and do not overlap (threads write them at once); they are checked to lie inside
    /// <paramref name="c"/>.
    /// </summary>
    internal static void MatMulAddToRows(
        ReadOnlySpan<float> a, int lda, bool transposeA,
        ReadOnlySpan<float> b, int ldb, bool transposeB,
        Span<float> c, ReadOnlySpan<int> cRowOffsets,
        int m, int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        long aSize = RequiredLength(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a), nameof(lda));
        long bSize = RequiredLength(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, nameof(b), nameof(ldb));
        if (cRowOffsets.Length < m) throw new ArgumentException($"C has {m} rows but only {cRowOffsets.Length} row offsets are given.", nameof(cRowOffsets));
        for (int r = 0; r < m; r++)
        {
            if ((uint)cRowOffsets[r] > (uint)Math.Max(0, c.Length - n))
            {
                throw new ArgumentException($"Row offset {cRowOffsets[r]} at position {r} does not leave a row of {n} inside C of {c.Length} floats.", nameof(cRowOffsets));
            }
        }

        if (c.Overlaps(a.Slice(0, (int)aSize)) || c.Overlaps(b.Slice(0, (int)bSize)))
        {
            throw new ArgumentException("C must not overlap A or B.", nameof(c));
        }

        if (m == 0 || n == 0 || k == 0)
        {
            return;   // adding an empty product changes nothing
        }

        unsafe
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            fixed (int* offsets = cRowOffsets)
            {
                Multiply(pa, lda, transposeA, pb, ldb, null, transposeB, pc, 0, offsets, m, n, k, accumulate: true);
            }
        }
    }

    /// <summary>Handles a product with no multiply-adds (m, n or k zero): C is cleared, or kept when accumulating.</summary>
    private static bool IsEmpty(Span<float> c, int ldc, int m, int n, int k, bool accumulate)
    {
        if (m != 0 && n != 0 && k != 0)
        {
            return false;
        }

        if (m != 0 && n != 0 && !accumulate)
        {
            for (int i = 0; i < m; i++)
            {
                c.Slice(i * ldc, n).Clear();
            }
        }

        return true;
    }

    private static unsafe void Multiply(float* a, int lda, bool transposeA, float* b, int ldb, int* bRowOffsets, bool transposeB, float* c, int ldc, int* cRowOffsets, int m, int n, int k, bool accumulate)
    {
        var args = new GemmArgs
        {
            A = a,
            Lda = lda,
            TransposeA = transposeA,
            B = b,
            Ldb = ldb,
            BRowOffsets = bRowOffsets,
            TransposeB = transposeB,
            C = c,
            Ldc = ldc,
            CRowOffsets = cRowOffsets,
            M = m,
            N = n,
            K = k,
            Accumulate = accumulate,
        };
        Gemm.Multiply(args, GemmWorkerPool.MaxParallelism);
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
