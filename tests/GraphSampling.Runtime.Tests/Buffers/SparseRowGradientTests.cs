using System;
using System.Linq;
using GraphSampling.Runtime.Buffers;
using Xunit;

namespace GraphSampling.Runtime.Tests.Buffers;

/// <summary>The sparse row gradient: unique ids ascending whatever the order and repeats they arrive in, rows summed in
/// the order they are added, and the id sort at every table size (one, two and three radix passes).</summary>
public sealed class SparseRowGradientTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 0)]
    [InlineData(10, 7)]
    [InlineData(100, 32)]                 // the last list sorted by insertion
    [InlineData(100, 33)]                 // the first by radix
    [InlineData(2_000, 1_500)]            // one 11-bit pass
    [InlineData(3_000_000, 5_000)]        // two passes
    [InlineData(int.MaxValue, 20_000)]    // three passes
    public void SortIds_SortsDistinctIdsAscending(int tableRows, int count)
    {
        var rng = new Random(tableRows ^ count);
        var set = new System.Collections.Generic.HashSet<long>();
        while (set.Count < count) set.Add((long)(rng.NextDouble() * tableRows));
        var ids = set.ToArray();
        var scratch = new long[count];
        SparseRowGradient.SortIds(ids, scratch, tableRows);
        Assert.Equal(set.OrderBy(x => x).ToArray(), ids);
    }

    [Fact]
    public void Rows_AreSummedPerUniqueId_InTheOrderAdded()
    {
        var g = new SparseRowGradient("w", tableRows: 50, width: 2, maxIds: 8);
        long[] sampled = { 40, 3, 17 }, labels = { 3, 3, 49 };
        float[] sampledRows = { 1, 2, 3, 4, 5, 6 }, labelRows = { 0.5f, 0.25f, 10, 20, 7, 8 };
        for (int round = 0; round < 2; round++)   // a second step reuses the storage
        {
            g.Begin();
            g.AddIds(sampled);
            g.AddIds(labels);
            g.Seal();
            g.AddRows(sampled, sampledRows);
            g.AddRows(labels, labelRows);
            Assert.Equal(new long[] { 3, 17, 40, 49 }, g.Ids.ToArray());
            Assert.Equal(new float[] { 3f + 0.5f + 10f, 4f + 0.25f + 20f, 5, 6, 1, 2, 7, 8 }, g.Rows.ToArray());
        }
    }
}
