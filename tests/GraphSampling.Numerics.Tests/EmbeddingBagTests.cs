using System;
using System.Linq;
using GraphSampling.Numerics.Tests.Graphs;
using GraphSampling.Runtime.Reference;
using GraphSampling.Tests.Shared;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>EmbeddingLookupSparse (TF embedding_lookup_sparse over -1-padded ids): every combiner against the reference,
/// the reference's gradient against finite differences, padding anywhere in a row, and bad ids refused.</summary>
public sealed class EmbeddingBagTests
{
    private const int B = BagsOfIds.B, L = BagsOfIds.L, V = BagsOfIds.V, D = BagsOfIds.D, C = BagsOfIds.C;

    /// <summary>Rows with 6, 3, 0 (empty), 1 and 2 real ids; padding at the end, and once inside a row.</summary>
    private static readonly long[] Ids =
    {
        0, 5, 12, 5, 7, 3,
        2, 9, 11, -1, -1, -1,
        -1, -1, -1, -1, -1, -1,
        8, -1, -1, -1, -1, -1,
        4, -1, 10, -1, -1, -1,
    };

    [Theory]
    [InlineData(5)]
    [InlineData(3)]
    public void Loss_and_sparse_gradients_match_the_reference(int batch)
    {
        var graph = BagsOfIds.RecordGraph();
        var c = new ReferenceCase(graph, seed: batch);
        var p = new BagsOfIds.CpuProgram();
        c.Table(p.Table);
        c.Table(p.Output);
        var ids = c.GivenIds("ids", Ids.Take(batch * L).ToArray());
        var weights = c.Positive("weights", batch * L);
        var labels = c.Ids("labels", batch, C);
        var expected = c.Run(batch, Enumerable.Repeat(1f, batch).ToArray());
        var loss = new float[batch];
        p.ForwardBackward(batch, ids, weights, labels, loss);
        Close.Loss(expected.Output, loss, "loss");
        ReferenceCase.SparseGradient(expected, p.TableGradient);   // ids: the real ones only, de-duplicated
        Assert.DoesNotContain(-1L, p.TableGradient.Ids.ToArray());
        ReferenceCase.DenseGradient(expected, "output", p.OutputGradient);
    }

    [Fact]
    public void The_references_table_gradient_is_the_finite_difference_of_its_loss()
    {
        var graph = BagsOfIds.RecordGraph();
        var rng = new Random(3);
        var table = Close.ToDouble(Close.Random(rng, V * D, 0.5));
        var output = Close.ToDouble(Close.Random(rng, C * D, 0.5));
        var weights = Close.ToDouble(Enumerable.Range(0, B * L).Select(_ => (float)(0.2 + rng.NextDouble())).ToArray());
        var labels = Close.Ids(rng, B, C);
        double Loss(double[] t, out ReferenceResult result)
        {
            var feeds = new ReferenceFeeds();
            feeds.Float("table", t);
            feeds.Float("output", output);
            feeds.Float("weights", weights);
            feeds.Int("ids", Ids);
            feeds.Int("labels", labels);
            result = new ReferenceInterpreter(graph).Run(feeds, B, Enumerable.Repeat(1.0, B).ToArray());
            return result.Output.Sum();
        }
        Loss(table, out var at);
        var gradient = at.Gradient("table")!;
        const double h = 1e-6;
        foreach (int i in new[] { 0, 5 * D + 1, 12 * D + 3, 8 * D, 1 * D + 2 })   // rows read once, twice, and never (row 1)
        {
            var plus = (double[])table.Clone();
            var minus = (double[])table.Clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (Loss(plus, out _) - Loss(minus, out _)) / (2 * h);
            Assert.True(Math.Abs(fd - gradient[i]) <= 1e-7 + 1e-6 * Math.Abs(fd), "table[" + i + "]: finite difference " + fd + ", gradient " + gradient[i]);
        }
        Assert.Equal(0, gradient[1 * D + 2]);
    }

    [Fact]
    public void Trainable_weights_get_their_gradient_for_every_combiner()
    {
        var graph = BagsWithWeightGradients.RecordGraph();
        var c = new ReferenceCase(graph, seed: 8);
        var p = new BagsWithWeightGradients.CpuProgram();
        c.Table(p.Table);
        c.Table(p.Output);
        var ids = c.GivenIds("ids", Ids);
        var weights = c.Positive("weights", B * L);
        var labels = c.Ids("labels", B, C);
        var expected = c.Run(B, Enumerable.Repeat(1f, B).ToArray());
        var loss = new float[B];
        p.ForwardBackward(B, ids, weights, labels, loss);
        Close.Loss(expected.Output, loss, "loss");
        ReferenceCase.DenseGradient(expected, "weights", p.WeightsGradient);
        ReferenceCase.SparseGradient(expected, p.TableGradient);

        // The reference's weight gradient against finite differences of its own loss.
        double Loss(double[] w)
        {
            var feeds = new ReferenceFeeds();
            feeds.Float("table", Close.ToDouble(Close.Dense(p.Table)));
            feeds.Float("output", Close.ToDouble(Close.Dense(p.Output)));
            feeds.Float("weights", w);
            feeds.Int("ids", Ids);
            feeds.Int("labels", labels);
            return new ReferenceInterpreter(graph).Run(feeds, B, null).Output.Sum();
        }
        var w0 = Close.ToDouble(weights);
        var gradient = expected.Gradient("weights")!;
        const double h = 1e-6;
        foreach (int i in new[] { 0, 3, 7, 18, 19, 24, 26 })   // rows of 6, 3, 1 and 2 ids; 19 is padding (both 0)
        {
            var plus = (double[])w0.Clone();
            var minus = (double[])w0.Clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (Loss(plus) - Loss(minus)) / (2 * h);
            Assert.True(Math.Abs(fd - gradient[i]) <= 1e-7 + 1e-6 * Math.Abs(fd), "weights[" + i + "]: finite difference " + fd + ", gradient " + gradient[i]);
        }
        Assert.Equal(0f, p.WeightsGradient[2 * L + 1]);   // a padding slot
    }

    [Fact]
    public void Only_minus_one_pads_other_ids_out_of_range_are_refused_naming_the_position()
    {
        var p = new BagsOfIds.CpuProgram();
        var loss = new float[B];
        var weights = Enumerable.Repeat(1f, B * L).ToArray();
        var labels = new long[B];
        var bad = (long[])Ids.Clone();
        bad[2 * L + 4] = -2;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.Forward(B, bad, weights, labels, loss));
        Assert.Contains("ids[row 2, column 4] = -2", e.Message);
        Assert.Contains("not -1", e.Message);
        bad[2 * L + 4] = V;
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Forward(B, bad, weights, labels, loss));
    }

    [Fact]
    public void A_warm_training_step_with_bags_allocates_nothing()
    {
        var p = new BagsOfIds.CpuProgram();
        p.Table.InitializeUniform(0.5f, seed: 1);
        p.Output.InitializeUniform(0.5f, seed: 2);
        var weights = Enumerable.Repeat(1f, B * L).ToArray();
        var labels = new long[B];
        var loss = new float[B];
        Assert.Equal(0, Allocations.AfterWarmUp(() => p.ForwardBackward(B, Ids, weights, labels, loss)));
    }

    [Fact]
    public void A_table_read_through_a_bag_and_densely_gets_both_gradients()
    {
        var graph = BagAndDenseRead.RecordGraph();
        var c = new ReferenceCase(graph, seed: 21);
        var p = new BagAndDenseRead.CpuProgram();
        c.Table(p.Table);
        var ids = c.GivenIds("ids", Ids);
        var weights = c.Positive("weights", B * L);
        var labels = c.Ids("labels", B, V);
        var expected = c.Run(B, Enumerable.Repeat(1f, B).ToArray());
        var loss = new float[B];
        p.ForwardBackward(B, ids, weights, labels, loss);
        Close.Loss(expected.Output, loss, "loss");
        ReferenceCase.DenseGradient(expected, "table", p.TableGradient);   // the matmul's dense part plus the bag's rows
    }

    [Fact]
    public void A_table_read_by_a_lookup_and_a_bag_gets_one_sparse_gradient()
    {
        var graph = BagAndLookupOfOneTable.RecordGraph();
        var c = new ReferenceCase(graph, seed: 22);
        var p = new BagAndLookupOfOneTable.CpuProgram();
        c.Table(p.Table);
        var ids = c.GivenIds("ids", Ids);
        var weights = c.Positive("weights", B * L);
        var labels = c.GivenIds("labels", new long[] { 1, 6, 12, 1, 0 });   // 1 and 6 are not among the bags' ids
        var expected = c.Run(B, Enumerable.Repeat(1f, B).ToArray());
        var loss = new float[B];
        p.ForwardBackward(B, ids, weights, labels, loss);
        Close.Loss(expected.Output, loss, "loss");
        ReferenceCase.SparseGradient(expected, p.TableGradient);   // ids: the bags' real ids and the labels, de-duplicated
        Assert.DoesNotContain(-1L, p.TableGradient.Ids.ToArray());
    }

    [Fact]
    public void Ids_shared_by_a_bag_and_a_plain_lookup_refuse_padding()
    {
        var p = new IdsSharedByBagAndLookup.CpuProgram();
        var weights = Enumerable.Repeat(1f, B * L).ToArray();
        var loss = new float[B];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => p.Forward(B, Ids, weights, loss));
        Assert.Equal("ids", e.ParamName);
        Assert.Contains("ids[row 1, column 3] = -1 is outside [0, 13)", e.Message);
        var full = Ids.Select(id => id == -1 ? 0L : id).ToArray();
        p.Forward(B, full, weights, loss);
        Assert.All(loss, v => Assert.True(float.IsFinite(v)));
    }
}
