namespace GraphSampling.Runtime.Cpu;

/// <summary>
/// A product as a grid of chunks on <see cref="WorkerPool.Gemm"/>: the chunks are taken dynamically, and which thread
/// computes a chunk does not change its bits (see <see cref="Gemm"/>). The grid is one reusable object, written only
/// while the pool is held, so publishing a product allocates nothing.
/// </summary>
internal static class GemmWorkerPool
{
    private static readonly Grid Chunks = new();

    /// <summary>Threads a product may use: the workers plus the caller.</summary>
    public static int MaxParallelism => WorkerPool.MaxParallelism;

    /// <summary>
    /// Runs the product as a <paramref name="tm"/> x <paramref name="tn"/> grid of chunks taken
    /// dynamically by <paramref name="threads"/> threads (the caller included); false if the pool is busy.
    /// </summary>
    public static bool TryRun(in GemmArgs args, int tm, int tn, int threads)
    {
        WorkerPool pool = WorkerPool.Gemm;
        if (!pool.TryEnter())
        {
            return false;
        }

        try
        {
            Chunks.Args = args;
            Chunks.Rows = tm;
            Chunks.Columns = tn;
            pool.RunEntered(Chunks, tm * tn, threads);
            return true;
        }
        finally
        {
            Chunks.Args = default;   // drop the caller's pointers
            pool.Exit();
        }
    }

    private sealed class Grid : IParallelParts
    {
        public GemmArgs Args;
        public int Rows;
        public int Columns;

        public void Run(int part, int slot)
        {
            (int mr, int nr) = Gemm.Tile;
            int row = part / Columns;
            int column = part % Columns;
            (int m0, int m1) = Gemm.Split(Args.M, mr, Rows, row);
            (int n0, int n1) = Gemm.Split(Args.N, nr, Columns, column);
            Gemm.RunBlock(Args, m0, m1, n0, n1);
        }
    }
}
