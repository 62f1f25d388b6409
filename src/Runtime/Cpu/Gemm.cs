using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphSampling.Runtime.Cpu;

/// <summary>A register-blocked GEMM micro-kernel and the cache-block sizes tuned for it.</summary>
internal unsafe interface IMicroKernel
{
    static abstract bool IsSupported { get; }

    /// <summary>Rows of the register tile (broadcast operand, from packed A).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the register tile (vector operand, from packed B).</summary>
    static abstract int NR { get; }

    /// <summary>Depth of one packed block: fixed for a kernel, so every element of C sees the same k-split.</summary>
    static abstract int KC { get; }

    /// <summary>Rows of A packed at once (kept in L2), a multiple of MR.</summary>
    static abstract int MC { get; }

    /// <summary>Columns of B packed at once, a multiple of NR.</summary>
    static abstract int NC { get; }

    /// <summary>
    /// <c>C[0..MR, 0..NR] = (load ? C : 0) + A * B</c> over <paramref name="kc"/> packed steps, one
    /// fused chain per element in increasing p.
    /// </summary>
    static abstract void Run(nint kc, float* a, float* b, float* c, nint ldc, bool load);
}

/// <summary>A validated product; the pointers are pinned by <see cref="Kernels.MatMul"/> for the whole call.</summary>
internal unsafe struct GemmArgs
{
    public float* A;
    public nint Lda;
    public bool TransposeA;
    public float* B;
    public nint Ldb;
    /// <summary>When set, stored row r of B starts at <c>B + BRowOffsets[r]</c> (rows of a table picked by id: the
    /// gather is the packing) and <see cref="Ldb"/> is unused.</summary>
    public int* BRowOffsets;
    public bool TransposeB;
    public float* C;
    public nint Ldc;
    /// <summary>When set, row i of C starts at <c>C + CRowOffsets[i]</c> (the rows of a sparse gradient's slots, any
    /// order) and <see cref="Ldc"/> is unused. The rows must not overlap.</summary>
    public int* CRowOffsets;
    public int M;
    public int N;
    public int K;
    public bool Accumulate;
}

/// <summary>
/// Blocked GEMM in the BLIS loop order: columns of C in NC panels, depth in KC blocks (B packed per
/// block), rows in MC blocks (A packed per block), then NR x MR register tiles. Work is split
/// across threads over disjoint rectangles of C only, and the KC split is fixed, so every element
/// is the same sequence of fused multiply-adds whatever the thread count: results are bitwise
/// deterministic.
/// </summary>
internal static unsafe class Gemm
{
    /// <summary>Below this many multiply-adds per thread, waking another thread costs more than it saves.</summary>
    internal const long MinWorkPerThread = 1L << 20;

    internal enum KernelKind
    {
        Avx512,
        Avx2,
        Vector128,
        Scalar,
    }

    internal static readonly KernelKind Kind =
        Avx512Kernel.IsSupported ? KernelKind.Avx512 :
        Avx2Kernel.IsSupported ? KernelKind.Avx2 :
        Vector128Kernel.IsSupported ? KernelKind.Vector128 :
        KernelKind.Scalar;

    /// <summary>Register tile of the selected kernel, as (MR, NR).</summary>
    internal static (int Mr, int Nr) Tile => Kind switch
    {
        KernelKind.Avx512 => (Avx512Kernel.MR, Avx512Kernel.NR),
        KernelKind.Avx2 => (Avx2Kernel.MR, Avx2Kernel.NR),
        KernelKind.Vector128 => (Vector128Kernel.MR, Vector128Kernel.NR),
        _ => (ScalarKernel.MR, ScalarKernel.NR),
    };

    /// <summary>Runs a validated product with m, n, k all positive.</summary>
    public static void Multiply(in GemmArgs args, int maxThreads)
    {
        (int tm, int tn) = ChooseGrid(args.M, args.N, args.K, maxThreads);
        int threads = tm * tn;
        if (threads > 1)
        {
            (tm, tn) = Subdivide(args.M, args.N, tm, tn);
            if (GemmWorkerPool.TryRun(args, tm, tn, threads))
            {
                return;
            }
        }

        RunBlock(args, 0, args.M, 0, args.N);
    }

    /// <summary>
    /// Splits C into a tm x tn grid of thread rectangles, choosing the shape that minimises the
    /// per-thread cost: multiply-adds plus the packing each thread repeats (every thread packs the
    /// A rows and B columns of its own rectangle).
    /// </summary>
    internal static (int Tm, int Tn) ChooseGrid(int m, int n, int k, int maxThreads)
    {
        long work = (long)m * n * k;
        int threads = (int)Math.Min(maxThreads, Math.Max(1, work / MinWorkPerThread));
        if (threads <= 1)
        {
            return (1, 1);
        }

        (int mr, int nr) = Tile;
        int rowUnits = (m + mr - 1) / mr;
        int colUnits = (n + nr - 1) / nr;
        (int Tm, int Tn) best = (1, 1);
        double bestCost = double.MaxValue;
        for (int tm = 1; tm <= threads; tm++)
        {
            int tn = threads / tm;
            if (tm > rowUnits || tn > colUnits)
            {
                continue;
            }

            double rows = (double)((rowUnits + tm - 1) / tm) * mr;
            double cols = (double)((colUnits + tn - 1) / tn) * nr;

            // Packing one element costs roughly as much as 16 multiply-adds in the micro-kernel.
            double cost = rows * cols * k + 16.0 * k * (rows + cols);
            if (cost < bestCost)
            {
                bestCost = cost;
                best = (tm, tn);
            }
        }

        return best;
    }

    /// <summary>Extent along the split dimension above which a thread's share is cut into several chunks.</summary>
    internal const int MinChunkExtent = 1024;

    /// <summary>
    /// Cuts each thread's share into up to four chunks that threads take dynamically, so that a
    /// core slowed by other work delays the product by one chunk, not by its whole share. Chunks
    /// stay at least <see cref="MinChunkExtent"/> wide along the split dimension, which keeps the
    /// packing each chunk repeats for the other operand to a couple of percent.
    /// </summary>
    internal static (int Tm, int Tn) Subdivide(int m, int n, int tm, int tn)
    {
        if (tn > 1)
        {
            tn *= Math.Clamp(n / tn / MinChunkExtent, 1, 4);
        }
        else if (tm > 1)
        {
            tm *= Math.Clamp(m / tm / MinChunkExtent, 1, 4);
        }

        return (tm, tn);
    }

    /// <summary>Computes the rectangle <c>[m0, m1) x [n0, n1)</c> of C on the calling thread.</summary>
    internal static void RunBlock(in GemmArgs args, int m0, int m1, int n0, int n1)
    {
        switch (Kind)
        {
            case KernelKind.Avx512:
                RunBlock<Avx512Kernel>(args, m0, m1, n0, n1);
                break;
            case KernelKind.Avx2:
                RunBlock<Avx2Kernel>(args, m0, m1, n0, n1);
                break;
            case KernelKind.Vector128:
                RunBlock<Vector128Kernel>(args, m0, m1, n0, n1);
                break;
            default:
                RunBlock<ScalarKernel>(args, m0, m1, n0, n1);
                break;
        }
    }

    /// <summary>Range of part <paramref name="index"/> when <paramref name="extent"/> is split <paramref name="parts"/> ways on <paramref name="tile"/> boundaries.</summary>
    internal static (int Begin, int End) Split(int extent, int tile, int parts, int index)
    {
        int units = (extent + tile - 1) / tile;
        int begin = (int)((long)units * index / parts) * tile;
        int end = (int)((long)units * (index + 1) / parts) * tile;
        return (Math.Min(begin, extent), Math.Min(end, extent));
    }

    internal static void RunBlock<TK>(in GemmArgs g, int m0, int m1, int n0, int n1)
        where TK : struct, IMicroKernel
    {
        if (m0 >= m1 || n0 >= n1)
        {
            return;
        }

        // Slivers are zero-padded to whole tiles, so round the block extents up after clamping.
        int mcMax = RoundUp(Math.Min(TK.MC, m1 - m0), TK.MR);
        int ncMax = RoundUp(Math.Min(TK.NC, n1 - n0), TK.NR);
        int kcMax = Math.Min(TK.KC, g.K);
        float* packA = GemmScratch.Get(mcMax * kcMax, kcMax * ncMax, TK.MR * TK.NR, out float* packB, out float* edge);

        for (int jc = n0; jc < n1; jc += TK.NC)
        {
            int nc = Math.Min(TK.NC, n1 - jc);
            for (int pc = 0; pc < g.K; pc += TK.KC)
            {
                int kc = Math.Min(TK.KC, g.K - pc);
                bool load = g.Accumulate || pc > 0;
                PackB<TK>(g, pc, kc, jc, nc, packB);
                for (int ic = m0; ic < m1; ic += TK.MC)
                {
                    int mc = Math.Min(TK.MC, m1 - ic);
                    PackA<TK>(g, ic, mc, pc, kc, packA);
                    for (int jr = 0; jr < nc; jr += TK.NR)
                    {
                        int nr = Math.Min(TK.NR, nc - jr);
                        float* bSliver = packB + (nint)jr * kc;
                        for (int ir = 0; ir < mc; ir += TK.MR)
                        {
                            int mr = Math.Min(TK.MR, mc - ir);
                            float* aSliver = packA + (nint)ir * kc;
                            if (g.CRowOffsets != null)
                            {
                                RunIndexedTile<TK>(kc, aSliver, bSliver, g.C, g.CRowOffsets + ic + ir, jc + jr, load, mr, nr, edge);
                                continue;
                            }

                            float* cTile = g.C + (nint)(ic + ir) * g.Ldc + jc + jr;
                            if (mr == TK.MR && nr == TK.NR)
                            {
                                TK.Run(kc, aSliver, bSliver, cTile, g.Ldc, load);
                            }
                            else
                            {
                                RunEdge<TK>(kc, aSliver, bSliver, cTile, g.Ldc, load, mr, nr, edge);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// A partial tile runs the full kernel on a scratch tile (packed operands are zero-padded), so
    /// its valid elements see exactly the arithmetic of a full tile.
    /// </summary>
    private static void RunEdge<TK>(nint kc, float* a, float* b, float* c, nint ldc, bool load, int mr, int nr, float* edge)
        where TK : struct, IMicroKernel
    {
        if (load)
        {
            for (int i = 0; i < mr; i++)
            {
                new ReadOnlySpan<float>(c + i * ldc, nr).CopyTo(new Span<float>(edge + i * TK.NR, nr));
            }
        }

        TK.Run(kc, a, b, edge, TK.NR, load);
        for (int i = 0; i < mr; i++)
        {
            new ReadOnlySpan<float>(edge + i * TK.NR, nr).CopyTo(new Span<float>(c + i * ldc, nr));
        }
    }

    /// <summary>
    /// A tile whose C rows lie anywhere (<c>c + rowOffsets[i] + column</c>): computed on the scratch tile as a partial
    /// tile is, then copied to its rows, so each element sees exactly the arithmetic of a dense product.
    /// </summary>
    private static void RunIndexedTile<TK>(nint kc, float* a, float* b, float* c, int* rowOffsets, int column, bool load, int mr, int nr, float* edge)
        where TK : struct, IMicroKernel
    {
        if (load)
        {
            for (int i = 0; i < mr; i++)
            {
                new ReadOnlySpan<float>(c + rowOffsets[i] + column, nr).CopyTo(new Span<float>(edge + i * TK.NR, nr));
            }
        }

        TK.Run(kc, a, b, edge, TK.NR, load);
        for (int i = 0; i < mr; i++)
        {
            new ReadOnlySpan<float>(edge + i * TK.NR, nr).CopyTo(new Span<float>(c + rowOffsets[i] + column, nr));
        }
    }

    /// <summary>Packs rows [ic, ic + mc) x depth [pc, pc + kc) of op(A) into MR-row slivers laid out [kc][MR], zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA<TK>(in GemmArgs g, int ic, int mc, int pc, int kc, float* dst)
        where TK : struct, IMicroKernel
    {
        var rows = new StridedRows(g.A, g.Lda);
        if (g.TransposeA)
        {
            // A is stored [k, m]: each depth step is a contiguous run of rows.
            PackContiguous(rows, pc, ic, mc, kc, TK.MR, dst);
        }
        else
        {
            PackTransposing(rows, ic, pc, mc, kc, TK.MR, dst);
        }
    }

    /// <summary>Packs depth [pc, pc + kc) x columns [jc, jc + nc) of op(B) into NR-column slivers laid out [kc][NR], zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB<TK>(in GemmArgs g, int pc, int kc, int jc, int nc, float* dst)
        where TK : struct, IMicroKernel
    {
        if (g.BRowOffsets != null)
        {
            PackB<TK, IndexedRows>(new IndexedRows(g.B, g.BRowOffsets), g.TransposeB, pc, kc, jc, nc, dst);
        }
        else
        {
            PackB<TK, StridedRows>(new StridedRows(g.B, g.Ldb), g.TransposeB, pc, kc, jc, nc, dst);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackB<TK, TRows>(TRows rows, bool transposeB, int pc, int kc, int jc, int nc, float* dst)
        where TK : struct, IMicroKernel
        where TRows : struct, IRows
    {
        if (transposeB)
        {
            // B is stored [n, k]: each column of op(B) is a contiguous run of depth.
            PackTransposing(rows, jc, pc, nc, kc, TK.NR, dst);
        }
        else
        {
            PackContiguous(rows, pc, jc, nc, kc, TK.NR, dst);
        }
    }

    /// <summary>Where a stored row of an operand starts.</summary>
    private interface IRows
    {
        float* Row(nint row);
    }

    /// <summary>Rows a fixed number of floats apart (the leading dimension).</summary>
    private readonly struct StridedRows(float* first, nint ld) : IRows
    {
        public float* Row(nint row) => first + (row * ld);
    }

    /// <summary>Rows anywhere in a table, by element offset.</summary>
    private readonly struct IndexedRows(float* table, int* offsets) : IRows
    {
        public float* Row(nint row) => table + offsets[row];
    }

    /// <summary>
    /// Source rows <c>firstRow + p</c> are depth steps, each holding <paramref name="extent"/> contiguous values from
    /// <paramref name="column"/>; sliver s gets <c>dst[s * width * kc + p * width + r] = row(firstRow + p)[column + s * width + r]</c>,
    /// zero-padded to <paramref name="width"/>. Rows are read front to back once, which the prefetcher follows even
    /// for large power-of-two strides.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackContiguous<TRows>(TRows rows, nint firstRow, nint column, int extent, int kc, int width, float* dst)
        where TRows : struct, IRows
    {
        int full = extent / width * width;
        int rest = extent - full;
        nint sliverStride = (nint)width * kc;
        for (int p = 0; p < kc; p++, dst += width)
        {
            float* src = rows.Row(firstRow + p) + column;
            float* d = dst;
            int s = 0;
            for (; s < full; s += width, d += sliverStride)
            {
                Unsafe.CopyBlockUnaligned(d, src + s, (uint)(width * sizeof(float)));
            }

            if (rest > 0)
            {
                new ReadOnlySpan<float>(src + s, rest).CopyTo(new Span<float>(d, rest));
                new Span<float>(d + rest, width - rest).Clear();
            }
        }
    }

    /// <summary>
    /// Source rows <c>firstRow + i</c> are the <paramref name="extent"/> outputs, each holding <paramref name="kc"/>
    /// contiguous depth values from <paramref name="column"/>; sliver s gets
    /// <c>dst[s * width * kc + p * width + r] = row(firstRow + s * width + r)[column + p]</c>, zero-padded. Groups of
    /// four rows and four depth steps are transposed in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackTransposing<TRows>(TRows rows, nint firstRow, nint column, int extent, int kc, int width, float* dst)
        where TRows : struct, IRows
    {
        for (int s = 0; s < extent; s += width, dst += (nint)width * kc)
        {
            int count = Math.Min(width, extent - s);
            int r = 0;
            if (Sse.IsSupported)
            {
                int kc4 = kc & ~3;
                for (; r + 4 <= count; r += 4)
                {
                    nint first = firstRow + s + r;
                    float* s0 = rows.Row(first) + column;
                    float* s1 = rows.Row(first + 1) + column;
                    float* s2 = rows.Row(first + 2) + column;
                    float* s3 = rows.Row(first + 3) + column;
                    float* d = dst + r;
                    int p = 0;
                    for (; p < kc4; p += 4, d += 4 * width)
                    {
                        Vector128<float> r0 = Sse.LoadVector128(s0 + p);
                        Vector128<float> r1 = Sse.LoadVector128(s1 + p);
                        Vector128<float> r2 = Sse.LoadVector128(s2 + p);
                        Vector128<float> r3 = Sse.LoadVector128(s3 + p);
                        Vector128<float> t0 = Sse.UnpackLow(r0, r1);
                        Vector128<float> t1 = Sse.UnpackLow(r2, r3);
                        Vector128<float> t2 = Sse.UnpackHigh(r0, r1);
                        Vector128<float> t3 = Sse.UnpackHigh(r2, r3);
                        Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
                        Sse.Store(d + width, Sse.MoveHighToLow(t1, t0));
                        Sse.Store(d + 2 * width, Sse.MoveLowToHigh(t2, t3));
                        Sse.Store(d + 3 * width, Sse.MoveHighToLow(t3, t2));
                    }

                    for (; p < kc; p++, d += width)
                    {
                        d[0] = s0[p];
                        d[1] = s1[p];
                        d[2] = s2[p];
                        d[3] = s3[p];
                    }
                }
            }

            for (; r < count; r++)
            {
                float* sr = rows.Row(firstRow + s + r) + column;
                float* d = dst + r;
                for (int p = 0; p < kc; p++)
                {
                    d[(nint)p * width] = sr[p];
                }
            }

            for (; r < width; r++)
            {
                float* d = dst + r;
                for (int p = 0; p < kc; p++)
                {
                    d[(nint)p * width] = 0f;
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
