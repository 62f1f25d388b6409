using System;
using System.Runtime.CompilerServices;
using GraphSampling.Ir;

namespace GraphSampling.Runtime.Buffers
{
    /// <summary>
    /// A trainable float table of <see cref="Rows"/> ids x <see cref="Width"/> floats, split over shards by TF's
    /// partition strategy (spec 2.2). All shards live back to back in one array, shard 0 first, so that under
    /// <see cref="Partition.Div"/> (or one shard) the array is the table in id order and can feed a MatMul directly.
    /// </summary>
    public sealed class ParameterTable
    {
        private readonly float[] _data;
        private readonly int[] _shardStart;   // first row of each shard within _data, plus the total at the end

        public ParameterTable(string name, int rows, int width, int shards = 1, Partition partition = Partition.Div)
        {
            if (rows <= 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "A table needs at least one row.");
            if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "A row needs at least one float.");
            if (shards < 1 || shards > rows) throw new ArgumentOutOfRangeException(nameof(shards), shards, "Need 1 <= shards <= rows (" + rows + ").");
            if ((long)rows * width > Limits.MaxElements)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), rows, "Table '" + name + "' of " + rows + " x " + width + " would hold " + Limits.Count((long)rows * width)
                    + " floats, more than one array can index (" + Limits.MaxElementsText + "): split it into tables of fewer rows.");
            }
            Name = name;
            Rows = rows;
            Width = width;
            Shards = shards;
            Partition = partition;
            _shardStart = new int[shards + 1];
            for (int p = 0; p < shards; p++) _shardStart[p + 1] = _shardStart[p] + PartitionMath.ShardRows(rows, shards, partition, p);
            _data = GC.AllocateArray<float>(rows * width, pinned: true);
        }

        /// <summary>
        /// The table a program's constructor uses for a parameter: <paramref name="shared"/> itself (the same object, no
        /// copy) when given, after checking that it has the declared rows, width, shards and partition; otherwise a new
        /// zero table. A mismatch throws naming the constructor argument and both layouts, so two programs never read one
        /// table with different layouts.
        /// </summary>
        public static ParameterTable SharedOrNew(ParameterTable? shared, string argument, string name, int rows, int width, int shards, Partition partition)
        {
            if (shared is null) return new ParameterTable(name, rows, width, shards, partition);
            if (shared.Rows != rows || shared.Width != width || shared.Shards != shards || shared.Partition != partition)
            {
                throw new ArgumentException("Cannot share table '" + shared.Name + "' (" + Describe(shared.Rows, shared.Width, shared.Shards, shared.Partition)
                    + ") as parameter '" + name + "', which the graph declares as " + Describe(rows, width, shards, partition) + ".", argument);
            }
            return shared;
        }

        private static string Describe(int rows, int width, int shards, Partition partition) =>
            rows + " x " + width + ", " + shards + " shard(s), " + partition;

        public string Name { get; }
        public int Rows { get; }
        public int Width { get; }
        public int Shards { get; }
        public Partition Partition { get; }

        /// <summary>True when <see cref="Data"/> is the table in id order (one shard, or Div).</summary>
        public bool IsIdOrdered => Shards == 1 || Partition == Partition.Div;

        /// <summary>Every shard, back to back.</summary>
        public Span<float> Data => _data;

        public int ShardRows(int shard) => _shardStart[shard + 1] - _shardStart[shard];

        /// <summary>The rows of one shard, in local row order (TF's shard variable).</summary>
        public Span<float> Shard(int shard)
        {
            if ((uint)shard >= (uint)Shards) throw new ArgumentOutOfRangeException(nameof(shard), shard, "Shard must be in [0, " + Shards + ").");
            return _data.AsSpan(_shardStart[shard] * Width, ShardRows(shard) * Width);
        }

        /// <summary>Offset of id's row in <see cref="Data"/>; the id must be in range.</summary>
        public int RowOffset(long id)
        {
            PartitionMath.Map(id, Rows, Shards, Partition, out int shard, out int row);
            return (_shardStart[shard] + row) * Width;
        }

        /// <summary>The row of one id.</summary>
        public Span<float> Row(long id)
        {
            if ((ulong)id >= (ulong)Rows) throw new ArgumentOutOfRangeException(nameof(id), id, "Id must be in [0, " + Rows + ") for '" + Name + "'.");
            return _data.AsSpan(RowOffset(id), Width);
        }

        /// <summary>Loads the table from a dense [Rows, Width] array in id order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void CopyFromIdOrder(ReadOnlySpan<float> dense)
        {
            if (dense.Length != Rows * Width) throw new ArgumentException("Expected " + Rows * Width + " floats for '" + Name + "' but got " + dense.Length + ".", nameof(dense));
            if (IsIdOrdered) { dense.CopyTo(_data); return; }
            for (long id = 0; id < Rows; id++) dense.Slice((int)id * Width, Width).CopyTo(_data.AsSpan(RowOffset(id), Width));
        }

        /// <summary>Writes the table as a dense [Rows, Width] array in id order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void CopyToIdOrder(Span<float> dense)
        {
            if (dense.Length < Rows * Width) throw new ArgumentException("Need " + Rows * Width + " floats for '" + Name + "' but got " + dense.Length + ".", nameof(dense));
            if (IsIdOrdered) { _data.AsSpan().CopyTo(dense); return; }
            for (long id = 0; id < Rows; id++) _data.AsSpan(RowOffset(id), Width).CopyTo(dense.Slice((int)id * Width, Width));
        }

        /// <summary>Fills the table with values uniform in [-scale, scale) from a seeded generator (deterministic).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void InitializeUniform(float scale, int seed)
        {
            var rng = new Random(seed);
            for (int i = 0; i < _data.Length; i++) _data[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        }
    }
}
