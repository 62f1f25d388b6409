using System.Collections.Generic;
using GraphSampling.Ir;
using Xunit;

namespace GraphSampling.Graph.Tests;

/// <summary>TF's id -> (shard, row) mapping (spec 2.2 and 13 R0).</summary>
public sealed class PartitionMathTests
{
    private static List<List<long>> Layout(int rows, int shards, Partition partition)
    {
        var layout = new List<List<long>>();
        for (int p = 0; p < shards; p++) layout.Add(new List<long>(new long[PartitionMath.ShardRows(rows, shards, partition, p)]));
        for (long id = 0; id < rows; id++)
        {
            PartitionMath.Map(id, rows, shards, partition, out int shard, out int row);
            layout[shard][row] = id;
        }
        return layout;
    }

    [Fact]
    public void Div_13IdsOn5Shards_MatchesSpecExample()
    {
        var expected = new[] { new long[] { 0, 1, 2 }, new long[] { 3, 4, 5 }, new long[] { 6, 7, 8 }, new long[] { 9, 10 }, new long[] { 11, 12 } };
        var layout = Layout(13, 5, Partition.Div);
        for (int p = 0; p < 5; p++) Assert.Equal(expected[p], layout[p].ToArray());
    }

    [Fact]
    public void Mod_13IdsOn5Shards_MatchesSpecExample()
    {
        var expected = new[] { new long[] { 0, 5, 10 }, new long[] { 1, 6, 11 }, new long[] { 2, 7, 12 }, new long[] { 3, 8 }, new long[] { 4, 9 } };
        var layout = Layout(13, 5, Partition.Mod);
        for (int p = 0; p < 5; p++) Assert.Equal(expected[p], layout[p].ToArray());
    }

    [Theory]
    [InlineData(5, 2, Partition.Div, new[] { 0, 0, 0, 1, 0, 2, 1, 0, 1, 1 })]      // R0: div [3,2]
    [InlineData(5, 2, Partition.Mod, new[] { 0, 0, 1, 0, 0, 1, 1, 1, 0, 2 })]      // R0: mod [3,2]
    [InlineData(7, 3, Partition.Div, new[] { 0, 0, 0, 1, 0, 2, 1, 0, 1, 1, 2, 0, 2, 1 })] // R0: div [3,2,2]
    public void Map_MatchesSpecWorkedPairs(int rows, int shards, Partition partition, int[] pairs)
    {
        for (int id = 0; id < rows; id++)
        {
            PartitionMath.Map(id, rows, shards, partition, out int shard, out int row);
            Assert.Equal((pairs[2 * id], pairs[2 * id + 1]), (shard, row));
            Assert.Equal(id, PartitionMath.IdOf(shard, row, rows, shards, partition));
        }
    }

    [Fact]
    public void DivShard_MatchesTheSpecFormula()
    {
        // spec 2.2: shard = max(id div (q+1), (id - r) div q); row = id mod (q+1) if shard < r else (id - r) mod q.
        for (int rows = 1; rows <= 40; rows++)
        for (int shards = 1; shards <= rows; shards++)
        {
            if (shards == 1) continue;
            int q = rows / shards, r = rows % shards;
            for (long id = 0; id < rows; id++)
            {
                long s = System.Math.Max(id / (q + 1), (id - r) / q);
                long row = s < r ? id % (q + 1) : (id - r) % q;
                PartitionMath.Map(id, rows, shards, Partition.Div, out int shard, out int actualRow);
                Assert.Equal((s, row), ((long)shard, (long)actualRow));
            }
        }
    }
}
