using System;

namespace GraphSampling.Runtime.Cpu;

/// <summary>
/// A pass over independent rows, run in blocks of rows on <see cref="WorkerPool.Passes"/> when it is large enough that
/// waking a worker pays (<see cref="MinElementsPerThread"/> per thread), with a few blocks per thread so that a core
/// slowed by other work delays the pass by one block. Rows must not write to each other's memory; then the bits do not
/// depend on the split. A subclass holds the pass's arguments in fields it sets before <see cref="RunRows(int, int)"/>
/// and clears after; the object is made once, so a pass allocates nothing.
/// </summary>
internal abstract class RowParts : IParallelParts
{
    /// <summary>Below this many elements per thread, one thread does the whole pass.</summary>
    public const long MinElementsPerThread = 1 << 15;

    private const int PartsPerThread = 4;

    private int _rows;
    private int _rowsPerPart;

    /// <summary>Runs rows [0, <paramref name="rows"/>) of <paramref name="width"/> elements each, in parallel blocks or on this thread.</summary>
    protected void RunRows(int rows, int width)
    {
        long elements = (long)rows * width;
        int threads = (int)Math.Min(WorkerPool.MaxParallelism, Math.Max(1, elements / MinElementsPerThread));
        if (threads > 1 && WorkerPool.Passes.TryEnter())
        {
            try
            {
                int parts = Math.Min(rows, threads * PartsPerThread);
                _rows = rows;
                _rowsPerPart = (rows + parts - 1) / parts;
                WorkerPool.Passes.RunEntered(this, (rows + _rowsPerPart - 1) / _rowsPerPart, threads);
            }
            finally
            {
                WorkerPool.Passes.Exit();
            }

            return;
        }

        Rows(0, rows, 0);
    }

    /// <summary>Computes rows [<paramref name="begin"/>, <paramref name="end"/>); <paramref name="slot"/> indexes per-thread scratch.</summary>
    protected abstract void Rows(int begin, int end, int slot);

    void IParallelParts.Run(int part, int slot)
    {
        int begin = part * _rowsPerPart;
        Rows(begin, Math.Min(_rows, begin + _rowsPerPart), slot);
    }
}
