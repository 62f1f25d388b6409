using System;

namespace GraphSampling.Ir
{
    /// <summary>
    /// TF's id -> (shard, row) mapping for a table of <c>rows</c> ids split over <c>shards</c> (spec 2.2). One
    /// implementation serves shape rules, generated code, the runtime storage and the reference interpreter.
    /// </summary>
    public static class PartitionMath
    {
        /// <summary>Rows held by shard <paramref name="shard"/>: for Div the first rows mod P shards get one more; for Mod,
        /// ceil((rows - shard) / P).</summary>
        public static int ShardRows(int rows, int shards, Partition partition, int shard)
        {
            if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "A parameter needs at least one shard.");
            if (shard < 0 || shard >= shards) throw new ArgumentOutOfRangeException(nameof(shard), shard, "Shard index must be in [0, " + shards + ").");
            if (shards == 1) return rows;
            if (partition == Partition.Div)
            {
                int q = rows / shards, r = rows % shards;
                return shard < r ? q + 1 : q;
            }
            return (rows - shard + shards - 1) / shards;
        }

        /// <summary>Maps a valid id (0 &lt;= id &lt; rows) to its shard and local row.</summary>
        public static void Map(long id, int rows, int shards, Partition partition, out int shard, out int row)
        {
            if (shards == 1)
            {
                shard = 0;
                row = (int)id;
                return;
            }
            if (partition == Partition.Mod)
            {
                shard = (int)(id % shards);
                row = (int)(id / shards);
                return;
            }
            long q = rows / shards, r = rows % shards;
            // Ids below r*(q+1) live in the first r shards of q+1 rows; the rest in shards of q rows.
            long cut = r * (q + 1);
            if (id < cut)
            {
                shard = (int)(id / (q + 1));
                row = (int)(id % (q + 1));
            }
            else
            {
                shard = (int)(r + (id - cut) / q);
                row = (int)((id - cut) % q);
            }
        }

        /// <summary>Inverse of <see cref="Map"/>: the id stored at (shard, row).</summary>
        public static long IdOf(int shard, int row, int rows, int shards, Partition partition)
        {
            if (shards == 1) return row;
            if (partition == Partition.Mod) return (long)row * shards + shard;
            long q = rows / shards, r = rows % shards;
            return shard < r ? shard * (q + 1) + row : r * (q + 1) + (shard - r) * q + row;
        }
    }
}
