using System;

namespace GraphSampling.Runtime.Reference
{
    /// <summary>
    /// TF's id → (shard, row) mapping written directly from the formulas of spec 2.2, independently of
    /// <c>GraphSampling.Ir.PartitionMath</c>, so that tests can hold one against the other and the generated sharded
    /// storage can be compared with the reference's dense gradients.
    /// </summary>
    public static class ReferencePartition
    {
        /// <summary>
        /// The shard and local row of <paramref name="id"/> in a table of <paramref name="rows"/> ids split over
        /// <paramref name="shards"/>. One shard: a plain gather, the strategy unused and unchecked (spec 2.2).
        /// "mod": shard = id mod P, row = id div P. "div": q = N div P, r = N mod P,
        /// shard = max(id div (q+1), (id − r) div q), row = id mod (q+1) if shard &lt; r else (id − r) mod q.
        /// </summary>
        public static (int Shard, int Row) Locate(long id, int rows, int shards, Partition partition)
        {
            if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "A table needs at least one shard.");
            if (id < 0 || id >= rows) throw new ArgumentOutOfRangeException(nameof(id), id, "The id is outside [0, " + rows + ").");
            if (shards == 1) return (0, checked((int)id));
            long p = shards;
            switch (partition)
            {
                case Partition.Mod:
                    return ((int)RefMath.FloorMod(id, p), (int)RefMath.FloorDiv(id, p));
                case Partition.Div:
                {
                    long q = RefMath.FloorDiv(rows, p), r = RefMath.FloorMod(rows, p);
                    if (q == 0) throw new ArgumentException("\"div\" partitioning of " + rows + " ids over " + shards + " shards divides by zero (N < P).", nameof(shards));
                    long shard = Math.Max(RefMath.FloorDiv(id, q + 1), RefMath.FloorDiv(id - r, q));
                    long row = shard < r ? RefMath.FloorMod(id, q + 1) : RefMath.FloorMod(id - r, q);
                    return ((int)shard, (int)row);
                }
                default:
                    throw new ArgumentException("Unrecognized partition strategy: " + (int)partition + ".", nameof(partition));
            }
        }

        /// <summary>Rows held by each shard, counted by locating every id (not from a closed form).</summary>
        public static int[] ShardRows(int rows, int shards, Partition partition)
        {
            var counts = new int[shards];
            for (long id = 0; id < rows; id++) counts[Locate(id, rows, shards, partition).Shard]++;
            return counts;
        }

        /// <summary>
        /// Splits a dense table (<paramref name="rows"/> × <paramref name="cols"/>, id order) into its shards, each
        /// row-major in local-row order: what sharded storage holds.
        /// </summary>
        public static double[][] Split(double[] dense, int rows, int cols, int shards, Partition partition)
        {
            ArgumentNullException.ThrowIfNull(dense);
            if ((long)rows * cols != dense.Length) throw new ArgumentException("The table has " + dense.Length + " elements, not " + rows + " x " + cols + ".", nameof(dense));
            int[] counts = ShardRows(rows, shards, partition);
            var result = new double[shards][];
            for (int s = 0; s < shards; s++) result[s] = new double[counts[s] * cols];
            for (long id = 0; id < rows; id++)
            {
                var (shard, row) = Locate(id, rows, shards, partition);
                if (row >= counts[shard]) throw new InvalidOperationException("Internal error: id " + id + " maps past the end of shard " + shard + ".");
                Array.Copy(dense, id * cols, result[shard], (long)row * cols, cols);
            }
            return result;
        }
    }
}
