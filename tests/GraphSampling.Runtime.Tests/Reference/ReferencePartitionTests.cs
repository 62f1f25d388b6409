using System;
using System.Collections.Generic;
using GraphSampling.Ir;
using GraphSampling.Runtime.Reference;
using Xunit;

namespace GraphSampling.Runtime.Tests.Reference
{
    /// <summary>Spec 2.2 / R0 partition examples through both PartitionMath (shared IR code) and ReferencePartition (the
    /// spec's own formula), and the two held against each other exhaustively.</summary>
    public sealed class ReferencePartitionTests
    {
        /// <summary>The ids each shard holds, in local-row order.</summary>
        private static List<List<long>> Layout(int rows, int shards, Partition partition, bool usePartitionMath)
        {
            var layout = new List<List<long>>();
            for (int s = 0; s < shards; s++) layout.Add(new List<long>());
            for (long id = 0; id < rows; id++)
            {
                int shard, row;
                if (usePartitionMath) PartitionMath.Map(id, rows, shards, partition, out shard, out row);
                else (shard, row) = ReferencePartition.Locate(id, rows, shards, partition);
                Assert.Equal(layout[shard].Count, row); // ids arrive in increasing order, so local rows fill 0, 1, 2, ...
                layout[shard].Add(id);
            }
            return layout;
        }

        private static long[][] ToArrays(List<List<long>> layout) => layout.ConvertAll(l => l.ToArray()).ToArray();

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Div_13IdsOn5Shards_MatchesSpecExample(bool usePartitionMath)
        {
            long[][] expected = { new long[] { 0, 1, 2 }, new long[] { 3, 4, 5 }, new long[] { 6, 7, 8 }, new long[] { 9, 10 }, new long[] { 11, 12 } };
            Assert.Equal(expected, ToArrays(Layout(13, 5, Partition.Div, usePartitionMath)));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Mod_13IdsOn5Shards_MatchesSpecExample(bool usePartitionMath)
        {
            long[][] expected = { new long[] { 0, 5, 10 }, new long[] { 1, 6, 11 }, new long[] { 2, 7, 12 }, new long[] { 3, 8 }, new long[] { 4, 9 } };
            Assert.Equal(expected, ToArrays(Layout(13, 5, Partition.Mod, usePartitionMath)));
        }

        public static TheoryData<int, int, Partition, int[]> R0Layouts() => new TheoryData<int, int, Partition, int[]>
        {
            // (shard, row) per id, flattened: R0 "div, 5 classes on shards [3,2]", "mod, 5 classes on shards [3,2]",
            // "div, 7 classes on shards [3,2,2]".
            { 5, 2, Partition.Div, new[] { 0, 0, 0, 1, 0, 2, 1, 0, 1, 1 } },
            { 5, 2, Partition.Mod, new[] { 0, 0, 1, 0, 0, 1, 1, 1, 0, 2 } },
            { 7, 3, Partition.Div, new[] { 0, 0, 0, 1, 0, 2, 1, 0, 1, 1, 2, 0, 2, 1 } },
        };

        [Theory]
        [MemberData(nameof(R0Layouts))]
        public void R0_ShardAndRowPerId_MatchSpec(int rows, int shards, Partition partition, int[] expected)
        {
            var fromReference = new List<int>();
            var fromPartitionMath = new List<int>();
            for (long id = 0; id < rows; id++)
            {
                var (s, r) = ReferencePartition.Locate(id, rows, shards, partition);
                fromReference.Add(s);
                fromReference.Add(r);
                PartitionMath.Map(id, rows, shards, partition, out int s2, out int r2);
                fromPartitionMath.Add(s2);
                fromPartitionMath.Add(r2);
            }
            Assert.Equal(expected, fromReference);
            Assert.Equal(expected, fromPartitionMath);
        }

        [Fact]
        public void PartitionMath_AgreesWithSpecFormula_ForAllSmallLayouts()
        {
            foreach (var partition in new[] { Partition.Mod, Partition.Div })
            {
                for (int shards = 1; shards <= 8; shards++)
                {
                    for (int rows = shards; rows <= 40; rows++)
                    {
                        int[] counts = ReferencePartition.ShardRows(rows, shards, partition);
                        for (int s = 0; s < shards; s++)
                        {
                            Assert.True(counts[s] == PartitionMath.ShardRows(rows, shards, partition, s), partition + " " + rows + "/" + shards + " shard " + s);
                            // Spec 2.2's validity rule: div shards hold q+1 rows for p < r, else q; mod shards hold ceil((N−p)/P).
                            int expected = partition == Partition.Div
                                ? rows / shards + (s < rows % shards ? 1 : 0)
                                : (int)Math.Ceiling((rows - s) / (double)shards);
                            Assert.Equal(expected, counts[s]);
                        }
                        for (long id = 0; id < rows; id++)
                        {
                            var (s, r) = ReferencePartition.Locate(id, rows, shards, partition);
                            PartitionMath.Map(id, rows, shards, partition, out int s2, out int r2);
                            Assert.True(s == s2 && r == r2, partition + " " + rows + "/" + shards + " id " + id + ": spec (" + s + "," + r + "), PartitionMath (" + s2 + "," + r2 + ")");
                            Assert.Equal(id, PartitionMath.IdOf(s, r, rows, shards, partition));
                        }
                    }
                }
            }
        }

        [Fact]
        public void OneShard_IgnoresTheStrategy()
        {
            Assert.Equal((0, 3), ReferencePartition.Locate(3, 5, 1, (Partition)9));
            PartitionMath.Map(3, 5, 1, (Partition)9, out int s, out int r);
            Assert.Equal((0, 3), (s, r));
        }

        [Fact]
        public void Div_FewerIdsThanShards_Throws()
        {
            Assert.Throws<ArgumentException>(() => ReferencePartition.Locate(0, 2, 3, Partition.Div));
            var g = new TestGraph();
            ValueRef p = g.Parameter("W", new long[] { 2, 3 }, 3, Partition.Div);
            var e = Assert.Throws<InvalidOperationException>(() => new ReferenceInterpreter(g.Build(p)));
            Assert.Contains("t0 'W'", e.Message);
            // "mod" with fewer ids than shards is only a layout with empty shards.
            var g2 = new TestGraph();
            ValueRef p2 = g2.Parameter("W", new long[] { 2, 3 }, 3, Partition.Mod);
            Assert.Equal(new[] { 1, 1, 0 }, ReferencePartition.ShardRows(2, 3, Partition.Mod));
            Assert.Equal(6, new ReferenceInterpreter(g2.Build(p2)).Run(new ReferenceFeeds().Float("W", new double[6]), 0).Output.Length);
        }

        [Fact]
        public void UnknownStrategy_IsRejectedOnlyWithSeveralShards()
        {
            var g = new TestGraph();
            ValueRef p = g.Parameter("W", new long[] { 4, 2 }, 2, (Partition)5);
            var e = Assert.Throws<InvalidOperationException>(() => new ReferenceInterpreter(g.Build(p)));
            Assert.Contains("Unrecognized partition strategy", e.Message);
            var g1 = new TestGraph();
            ValueRef p1 = g1.Parameter("W", new long[] { 4, 2 }, 1, (Partition)5);
            Assert.NotNull(new ReferenceInterpreter(g1.Build(p1)));
        }

        [Fact]
        public void Split_Div7On3_PlacesRowsByShard()
        {
            double[] dense = { 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5 }; // row id = first element
            double[][] shards = ReferencePartition.Split(dense, 7, 2, 3, Partition.Div);
            Assert.Equal(new double[] { 0, 0.5, 1, 1.5, 2, 2.5 }, shards[0]);
            Assert.Equal(new double[] { 3, 3.5, 4, 4.5 }, shards[1]);
            Assert.Equal(new double[] { 5, 5.5, 6, 6.5 }, shards[2]);
            double[][] mod = ReferencePartition.Split(dense, 7, 2, 3, Partition.Mod);
            Assert.Equal(new double[] { 0, 0.5, 3, 3.5, 6, 6.5 }, mod[0]);
            Assert.Equal(new double[] { 1, 1.5, 4, 4.5 }, mod[1]);
            Assert.Equal(new double[] { 2, 2.5, 5, 5.5 }, mod[2]);
        }
    }
}
