using System;
using GraphSampling.Runtime.Buffers;
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
    
        /// <summary>
        /// <c>op(a) · op(lookup(table, ids))</c> without the lookup's copy: B's stored rows are the table rows of
        /// <paramref name="ids"/> (<c>[n, k]</c> when <paramref name="transposeB"/>, else <c>[k, n]</c>), read by the GEMM's
        /// packing where they lie (any sharding). Bit-identical to <c>Gather.Rows</c> then <c>MatMul</c>. An id outside
        /// [0, rows) throws before anything is written, naming the table and the position, as the lookup would.
        /// </summary>
        public static void MatMulRows(ReadOnlySpan<float> a, int lda, bool transposeA, ParameterTable table, ReadOnlySpan<long> ids, bool transposeB, Span<float> c, int ldc, int m, int n, int k)
        {
            int storedRows = transposeB ? n : k;
            if (ids.Length < storedRows) throw new ArgumentException("'" + table.Name + "': " + storedRows + " ids are needed for the rows of B but " + ids.Length + " are given.", nameof(ids));
            Span<int> offsets = RowOffsetScratch(storedRows);
            long rows = table.Rows;
            for (int r = 0; r < storedRows; r++)
            {
                long id = ids[r];
                if ((ulong)id >= (ulong)rows) Gather.ThrowIdOutOfRange(table, id, r);
                offsets[r] = table.RowOffset(id);
            }
            Kernels.MatMulRows(a, lda, transposeA, table.Data, offsets, transposeB, c, ldc, m, n, k, accumulate: false);
        }

        [ThreadStatic]
        private static int[]? rowOffsets;

        /// <summary>The calling thread's offsets buffer, grown once to the largest lookup (so warm calls allocate nothing).</summary>
        private static Span<int> RowOffsetScratch(int count)
        {
            int[]? buffer = rowOffsets;
            if (buffer == null || buffer.Length < count) rowOffsets = buffer = new int[Math.Max(count, 64)];
            return buffer.AsSpan(0, count);
        }
    }
}
