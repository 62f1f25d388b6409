using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace GraphSampling.Runtime.Cpu;

/// <summary>
/// Work cut into independent parts for a <see cref="WorkerPool"/>: part p must compute the same bits whichever thread
/// runs it, and parts must not write to each other's memory.
/// </summary>
internal interface IParallelParts
{
    /// <summary>
    /// Computes part <paramref name="part"/>. <paramref name="slot"/> is in <c>[0, MaxParallelism)</c> and no two parts
    /// running at the same time share it, so it can index per-thread scratch.
    /// </summary>
    void Run(int part, int slot);
}

/// <summary>
/// Dedicated threads (processor count minus one, created on the first parallel loop) that take the parts of one loop at
/// a time. The work is an object the caller keeps and the loop is published in fields, so a loop allocates nothing. The
/// calling thread takes parts alongside the workers (slot 0) and then waits for the last one. A caller that finds the
/// pool busy gets <c>false</c> from <see cref="TryEnter"/> and runs its parts on its own thread, which gives the same
/// bits. There are two pools, so that a GEMM called inside a parallel pass never waits on the pass that called it.
/// </summary>
internal sealed class WorkerPool
{
    /// <summary>The GEMM's threads (<see cref="Gemm"/>).</summary>
    public static WorkerPool Gemm { get; } = new("GraphSampling GEMM");

    /// <summary>The threads of the non-GEMM passes (the evaluator's fold).</summary>
    public static WorkerPool Passes { get; } = new("GraphSampling parallel");

    /// <summary>Threads a loop may use: the workers plus the caller, and so the number of slots.</summary>
    public static int MaxParallelism { get; } = Math.Max(1, Environment.ProcessorCount);

    private readonly object _gate = new();
    private readonly ManualResetEventSlim _done = new(false);
    private readonly string _threadName;
    private SemaphoreSlim[]? _starts;
    private IParallelParts? _job;
    private int _partCount;
    private int _pending;
    private int _nextPart;
    private Exception? _failure;

    private WorkerPool(string threadName) => _threadName = threadName;

    /// <summary>Runs parts <c>[0, parts)</c> on up to <paramref name="threads"/> threads, or all on this one if the pool is busy.</summary>
    public void Run(IParallelParts work, int parts, int threads)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Math.Min(threads, parts) > 1 && TryEnter())
        {
            try
            {
                RunEntered(work, parts, threads);
            }
            finally
            {
                Exit();
            }

            return;
        }

        for (int part = 0; part < parts; part++)
        {
            work.Run(part, 0);
        }
    }

    /// <summary>Takes the pool for one loop; false if another caller holds it. A true return must be paired with <see cref="Exit"/>.</summary>
    public bool TryEnter() => Monitor.TryEnter(_gate);

    /// <summary>Gives the pool back.</summary>
    public void Exit() => Monitor.Exit(_gate);

    /// <summary>Runs parts <c>[0, parts)</c> on up to <paramref name="threads"/> threads; the caller holds the pool (<see cref="TryEnter"/>).</summary>
    public void RunEntered(IParallelParts work, int parts, int threads)
    {
        SemaphoreSlim[] signals = _starts ??= StartWorkers();
        int workers = Math.Min(Math.Min(threads, parts), signals.Length + 1) - 1;
        _job = work;
        _partCount = parts;
        _nextPart = 0;
        _failure = null;
        _done.Reset();
        Volatile.Write(ref _pending, workers);
        for (int w = 0; w < workers; w++)
        {
            signals[w].Release();
        }

        try
        {
            RunParts(0);
        }
        finally
        {
            // The work's buffers belong to the caller (pinned only for its call): never return while a worker uses them.
            if (workers > 0)
            {
                _done.Wait();
            }

            _job = null;
        }

        if (_failure is Exception error)
        {
            _failure = null;
            ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>Takes parts until none are left.</summary>
    private void RunParts(int slot)
    {
        IParallelParts work = _job!;
        int parts = _partCount;
        for (int part = Interlocked.Increment(ref _nextPart) - 1; part < parts; part = Interlocked.Increment(ref _nextPart) - 1)
        {
            work.Run(part, slot);
        }
    }

    private SemaphoreSlim[] StartWorkers()
    {
        var signals = new SemaphoreSlim[MaxParallelism - 1];
        for (int w = 0; w < signals.Length; w++)
        {
            signals[w] = new SemaphoreSlim(0);
            var thread = new Thread(WorkerLoop, maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                Name = $"{_threadName} {w + 1}",
            };
            thread.Start((signals[w], w + 1));
        }

        return signals;
    }

    private void WorkerLoop(object? state)
    {
        (SemaphoreSlim signal, int slot) = ((SemaphoreSlim, int))state!;
        while (true)
        {
            signal.Wait();
            try
            {
                RunParts(slot);
            }
            catch (Exception error)
            {
                _failure = error;
            }

            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _done.Set();
            }
        }
    }
}
