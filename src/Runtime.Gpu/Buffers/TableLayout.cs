namespace GraphSampling.Runtime.Gpu.Buffers
{
    /// <summary>The shape and partition of a device-resident table, passed to kernels by value.</summary>
    public struct TableLayout
    {
        /// <summary>Number of ids.</summary>
        public int Rows;

        /// <summary>Floats per row.</summary>
        public int Width;

        /// <summary>Number of shards.</summary>
        public int Shards;

        /// <summary>1 for <see cref="GraphSampling.Partition.Mod"/>, 0 for <see cref="GraphSampling.Partition.Div"/>.</summary>
        public int Mod;

        /// <summary>
        /// The row of <paramref name="id"/> within the shards laid back to back (as <see cref="GraphSampling.Runtime.Buffers.ParameterTable.Data"/>):
        /// <see cref="GraphSampling.Ir.PartitionMath.Map"/> plus the shard's first row.
        /// </summary>
        public readonly long StorageRow(long id, ILGPU.ArrayView<int> shardStart)
        {
            if (Shards == 1)
            {
                return id;
            }

            int shard;
            long row;
            if (Mod != 0)
            {
                shard = (int)(id % Shards);
                row = id / Shards;
            }
            else
            {
                long q = Rows / Shards;
                long r = Rows % Shards;
                long cut = r * (q + 1);
                if (id < cut)
                {
                    shard = (int)(id / (q + 1));
                    row = id % (q + 1);
                }
                else
                {
                    shard = (int)(r + ((id - cut) / q));
                    row = (id - cut) % q;
                }
            }

            return shardStart[shard] + row;
        }
    }
}
