using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace GraphSampling.Runtime.Cpu;

/// <summary>
/// Dedicated GEMM threads (processor count minus one, created on the first parallel product).
/// A product is published in one reusable descriptor (static fields, so publishing allocates
/// nothing); the calling thread takes chunks alongside the workers and then waits for the last
/// one. One product uses the pool at a time: a concurrent caller that finds it busy
/// computes on its own thread instead, which gives the same bits (see <see cref="Gemm"/>).
/// </summary>
internal static class GemmWorkerPool
{
    private static readonly object Gate = new();
    private static readonly ManualResetEventSlim Done = new(false);
    private static SemaphoreSlim[]? starts;
    private static GemmArgs job;
    private static int gridRows;
    private static int gridColumns;
    private static int pending;
    private static int nextChunk;
    private static Exception? failure;

    /// <summary>Threads a product may use: the workers plus the caller.</summary>
    public static int MaxParallelism { get; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// Runs the product as a <paramref name="tm"/> x <paramref name="tn"/> grid of chunks taken
    /// dynamically by <paramref name="threads"/> threads (the caller included); false if the pool is busy.
    /// </summary>
    public static bool TryRun(in GemmArgs args, int tm, int tn, int threads)
    {
        if (!Monitor.TryEnter(Gate))
        {
            return false;
        }

        try
        {
            SemaphoreSlim[] signals = starts ??= StartWorkers();
            int workers = Math.Min(Math.Min(threads, tm * tn), signals.Length + 1) - 1;
            job = args;
            gridRows = tm;
            gridColumns = tn;
            nextChunk = 0;
            failure = null;
            Done.Reset();
            Volatile.Write(ref pending, workers);
            for (int w = 0; w < workers; w++)
            {
                signals[w].Release();
            }

            try
            {
                RunChunks();
            }
            finally
            {
                // The caller's buffers are pinned only for this call: never return while a worker still reads them.
                if (workers > 0)
                {
                    Done.Wait();
                }
            }

            if (failure is Exception error)
            {
                failure = null;
                ExceptionDispatchInfo.Throw(error);
            }

            return true;
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    /// <summary>Takes chunks until none are left; which thread computes a chunk does not change its bits.</summary>
    private static void RunChunks()
    {
        (int mr, int nr) = Gemm.Tile;
        int chunks = gridRows * gridColumns;
        for (int index = Interlocked.Increment(ref nextChunk) - 1; index < chunks; index = Interlocked.Increment(ref nextChunk) - 1)
        {
            int row = index / gridColumns;
            int column = index % gridColumns;
            (int m0, int m1) = Gemm.Split(job.M, mr, gridRows, row);
            (int n0, int n1) = Gemm.Split(job.N, nr, gridColumns, column);
            Gemm.RunBlock(job, m0, m1, n0, n1);
        }
    }

    private static SemaphoreSlim[] StartWorkers()
    {
        var signals = new SemaphoreSlim[MaxParallelism - 1];
        for (int w = 0; w < signals.Length; w++)
        {
            signals[w] = new SemaphoreSlim(0);
            var thread = new Thread(WorkerLoop, maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                Name = $"GraphSampling GEMM {w + 1}",
            };
            thread.Start(signals[w]);
        }

        return signals;
    }

    private static void WorkerLoop(object? state)
    {
        var signal = (SemaphoreSlim)state!;
        while (true)
        {
            signal.Wait();
            try
            {
                RunChunks();
            }
            catch (Exception error)
            {
                failure = error;
            }

            if (Interlocked.Decrement(ref pending) == 0)
            {
                Done.Set();
            }
        }
    }
}
