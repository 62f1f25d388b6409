using ILGPU;

namespace GraphSampling.Runtime.Gpu.Gemm
{
    /// <summary>
    /// The project's own GEMM: a shared-memory tiled kernel, used on the CPU accelerator and wherever cuBLAS is not
    /// available. A group of 8×8 threads computes a 16×16 tile of C, each thread four elements (rows ty, ty + 8 and
    /// columns tx, tx + 8, so that neighbouring threads read neighbouring shared-memory words); the depth is walked in
    /// 16-wide slabs of A and B staged in shared memory. 64 threads per group fits ILGPU's small CPU device too.
    /// </summary>
    public static class GemmKernels
    {
        /// <summary>Edge of the C tile and of the depth slab.</summary>
        public const int Tile = 16;

        /// <summary>Threads per group along each axis.</summary>
        public const int Threads = 8;

        /// <summary>Launch on a grid of ceil(N / 16) × ceil(M / 16) groups of 8 × 8 threads.</summary>
        [DeviceKernel(KernelGrouping.Explicit)]
        public static void Tiled(GemmLaunch p, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
        {
            ArrayView<float> sa = SharedMemory.Allocate<float>(Tile * Tile); // sa[i, kk] = op(A)[row0 + i, k0 + kk]
            ArrayView<float> sb = SharedMemory.Allocate<float>(Tile * Tile); // sb[kk, j] = op(B)[k0 + kk, col0 + j]
            int tx = Group.IdxX;
            int ty = Group.IdxY;
            int thread = (ty * Threads) + tx;
            int row0 = Grid.IdxY * Tile;
            int col0 = Grid.IdxX * Tile;
            float c00 = 0.0f, c01 = 0.0f, c10 = 0.0f, c11 = 0.0f;

            for (int k0 = 0; k0 < p.K; k0 += Tile)
            {
                // 256 elements of each slab, four per thread; zeros outside the matrices keep the edge tiles exact.
                for (int l = 0; l < (Tile * Tile) / (Threads * Threads); l++)
                {
                    int e = thread + (l * Threads * Threads);
                    int hi = e / Tile;
                    int lo = e - (hi * Tile);
                    int m = row0 + hi;
                    int ka = k0 + lo;
                    sa[e] = m < p.M && ka < p.K ? a[p.TransposeA != 0 ? ((long)ka * p.Lda) + m : ((long)m * p.Lda) + ka] : 0.0f;
                    int kb = k0 + hi;
                    int n = col0 + lo;
                    sb[e] = kb < p.K && n < p.N ? b[p.TransposeB != 0 ? ((long)n * p.Ldb) + kb : ((long)kb * p.Ldb) + n] : 0.0f;
                }

                Group.Barrier();
                for (int kk = 0; kk < Tile; kk++)
                {
                    float a0 = sa[(ty * Tile) + kk];
                    float a1 = sa[((ty + Threads) * Tile) + kk];
                    float b0 = sb[(kk * Tile) + tx];
                    float b1 = sb[(kk * Tile) + tx + Threads];
                    c00 += a0 * b0;
                    c01 += a0 * b1;
                    c10 += a1 * b0;
                    c11 += a1 * b1;
                }

                Group.Barrier();
            }

            Store(p, c, row0 + ty, col0 + tx, c00);
            Store(p, c, row0 + ty, col0 + tx + Threads, c01);
            Store(p, c, row0 + ty + Threads, col0 + tx, c10);
            Store(p, c, row0 + ty + Threads, col0 + tx + Threads, c11);
        }

        private static void Store(in GemmLaunch p, ArrayView<float> c, int m, int n, float value)
        {
            if (m < p.M && n < p.N)
            {
                long index = ((long)m * p.Ldc) + n;
                c[index] = p.Accumulate != 0 ? c[index] + value : value;
            }
        }
    }
}
