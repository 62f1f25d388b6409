using System;
using GraphSampling.Runtime.Cpu;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>MatMul for dense row-major operands: op(a) [m,k] x op(b) [k,n] -> c [m,n].</summary>
    public static class Linear
    {
        public static void MatMul(ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB, Span<float> c, int m, int n, int k)
        {
            // Row-major storage: a is [m,k] (or [k,m] transposed), b is [k,n] (or [n,k] transposed).
            int lda = transposeA ? m : k;
            int ldb = transposeB ? k : n;
            Kernels.MatMul(a, lda, transposeA, b, ldb, transposeB, c, n, m, n, k, accumulate: false);
        }

        /// <summary>As <see cref="MatMul(ReadOnlySpan{float}, bool, ReadOnlySpan{float}, bool, Span{float}, int, int, int)"/>
        /// with explicit row strides: an operand or the result may be rows inside a wider buffer (a view).</summary>
        public static void MatMul(ReadOnlySpan<float> a, int lda, bool transposeA, ReadOnlySpan<float> b, int ldb, bool transposeB, Span<float> c, int ldc, int m, int n, int k) =>
            Kernels.MatMul(a, lda, transposeA, b, ldb, transposeB, c, ldc, m, n, k, accumulate: false);
    }
}
