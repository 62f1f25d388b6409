using FsCheck;
using FsCheck.Fluent;
using GraphSampling.Ir;
using GraphSampling.Shapes;
using Xunit;

namespace GraphSampling.Graph.Tests;

/// <summary>FsCheck properties of the shared shape rules.</summary>
public sealed class ShapePropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void Broadcast_IsCommutative()
    {
        var dims = Gen.Elements(1, 2, 3);
        var shapes = Gen.ListOf(dims).Where(l => l.Count <= 3).Select(l => Shape.Of(false, System.Linq.Enumerable.ToArray(l)));
        Prop.ForAll(Arb.From(shapes), Arb.From(shapes), (a, b) =>
        {
            var ab = ShapeInference.Broadcast(a, b, out _);
            var ba = ShapeInference.Broadcast(b, a, out _);
            return (ab == null && ba == null) || (ab != null && ab.Equals(ba));
        }).Check(Config);
    }

    [Fact]
    public void PartitionMap_IsABijectionOntoTheShards()
    {
        var cases = from rows in Gen.Choose(1, 60)
                    from shards in Gen.Choose(1, rows)
                    from mod in Gen.Elements(true, false)
                    select (rows, shards, mod ? Partition.Mod : Partition.Div);
        Prop.ForAll(Arb.From(cases), c =>
        {
            var (rows, shards, partition) = c;
            var seen = new System.Collections.Generic.HashSet<(int, int)>();
            for (long id = 0; id < rows; id++)
            {
                PartitionMath.Map(id, rows, shards, partition, out int s, out int r);
                if (r < 0 || r >= PartitionMath.ShardRows(rows, shards, partition, s) || !seen.Add((s, r))) return false;
                if (PartitionMath.IdOf(s, r, rows, shards, partition) != id) return false;
            }
            return true;
        }).Check(Config);
    }

    [Fact]
    public void ReducedShape_DropsExactlyOneAxis()
    {
        var cases = from rank in Gen.Choose(1, 4)
                    from axis in Gen.Choose(0, rank - 1)
                    from keep in Gen.Elements(true, false)
                    select (rank, axis, keep);
        Prop.ForAll(Arb.From(cases), c =>
        {
            var dims = new int[c.rank];
            for (int i = 0; i < dims.Length; i++) dims[i] = i + 2;
            var r = ShapeInference.ReducedShape(Shape.Of(true, dims), c.axis, c.keep);
            long expected = Shape.Of(false, dims).Capacity / dims[c.axis];
            return r.Capacity == expected && r.Rank == (c.keep ? c.rank : c.rank - 1) && r.Batched == (c.axis != 0);
        }).Check(Config);
    }
}
