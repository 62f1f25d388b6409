using System;
using GraphSampling.Numerics.Tests.Graphs;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>
/// Every op, generated for the CPU, against the reference interpreter: forward output and all gradients, at the
/// declared batch and below it, with random data and a random upstream gradient.
/// </summary>
public sealed class GeneratedVsReferenceTests
{
    public static TheoryData<int> Batches => new() { 1, 3, 5 };

    [Theory, MemberData(nameof(Batches))]
    public void A_graph_written_with_helpers_MatchesReference(int batch)
    {
        const int D = HelperLayers.D;
        var p = new HelperLayers.CpuProgram();
        var c = new ReferenceCase(HelperLayers.RecordGraph(), seed: 40 + batch);
        c.Table(p.W1);
        c.Table(p.B1);
        c.Table(p.W2);
        c.Table(p.B2);
        var x = c.Floats("x", batch * D);
        var labels = c.Ids("labels", batch, HelperLayers.C);
        var g = Close.Random(c.Rng, batch);
        var loss = new float[batch];
        p.ForwardBackward(batch, x, labels, loss, g);
        var r = c.Run(batch, g);
        Close.Loss(r.Output, loss, "loss");
        ReferenceCase.DenseGradient(r, "x", p.XGradient);
        ReferenceCase.DenseGradient(r, "w1", p.W1Gradient);
        ReferenceCase.DenseGradient(r, "b1", p.B1Gradient);
        ReferenceCase.DenseGradient(r, "w2", p.W2Gradient);
        ReferenceCase.DenseGradient(r, "b2", p.B2Gradient);
    }

    [Theory, MemberData(nameof(Batches))]
    public void FullSoftmax_MatchesReference(int batch)
    {
        const int B = FullSoftmax.B, D = FullSoftmax.D, C = FullSoftmax.C;
        var p = new FullSoftmax.CpuProgram();
        var c = new ReferenceCase(FullSoftmax.RecordGraph(), seed: batch);
        c.Table(p.W);
        c.Table(p.B);
        var x = c.Floats("x", batch * D);
        var labels = c.Floats("labels", batch * C);   // soft labels of any sign exercise both gradients
        var g = Close.Random(c.Rng, batch);
        var loss = new float[batch];
        p.ForwardBackward(batch, x, labels, loss, g);
        var r = c.Run(batch, g);
        Close.Loss(r.Output, loss, "loss");
        ReferenceCase.DenseGradient(r, "x", p.XGradient);
        ReferenceCase.DenseGradient(r, "labels", p.LabelsGradient);
        ReferenceCase.DenseGradient(r, "w", p.WGradient);
        ReferenceCase.DenseGradient(r, "b", p.BGradient);
        Assert.True(batch <= B);
    }

    [Theory, MemberData(nameof(Batches))]
    public void SampledSoftmaxPrimitives_MatchReference(int batch)
    {
        const int D = SampledSoftmaxT2.D, C = SampledSoftmaxT2.C, T = SampledSoftmaxT2.T, K = SampledSoftmaxT2.K;
        batch = Math.Min(batch, SampledSoftmaxT2.B);
        var p = new SampledSoftmaxT2.CpuProgram();
        var c = new ReferenceCase(SampledSoftmaxT2.RecordGraph(), seed: 10 + batch);
        c.Table(p.Weights);
        c.Table(p.Biases);
        var inputs = c.Floats("inputs", batch * D);
        var labels = c.Ids("labels", batch * T, C);
        var sampled = c.Ids("sampled", K, C);
        var trueCounts = c.Positive("trueCounts", batch * T);
        var sampledCounts = c.Positive("sampledCounts", K);
        var mask = new float[batch * K];
        mask[0] = -float.MaxValue;
        c.Given("mask", mask);
        var soft = c.Given("softLabels", SoftLabels(batch, T, K));
        var g = Close.Random(c.Rng, batch);
        var loss = new float[batch];
        p.ForwardBackward(batch, inputs, labels, sampled, trueCounts, sampledCounts, mask, soft, loss, g);
        var r = c.Run(batch, g);
        Close.Loss(r.Output, loss, "loss");
        ReferenceCase.DenseGradient(r, "inputs", p.InputsGradient);
        ReferenceCase.DenseGradient(r, "trueCounts", p.TrueCountsGradient);
        ReferenceCase.DenseGradient(r, "sampledCounts", p.SampledCountsGradient);
        ReferenceCase.DenseGradient(r, "mask", p.MaskGradient);
        ReferenceCase.SparseGradient(r, p.WeightsGradient);
        ReferenceCase.SparseGradient(r, p.BiasesGradient);
    }

    [Theory, MemberData(nameof(Batches))]
    public void ClippedBagOfWords_MatchesReference(int batch)
    {
        const int W = ClippedBagOfWords.W, V = ClippedBagOfWords.V, C = ClippedBagOfWords.C;
        var p = new ClippedBagOfWords.CpuProgram();
        var c = new ReferenceCase(ClippedBagOfWords.RecordGraph(), seed: 20 + batch);
        c.Table(p.Table, scale: 0.6);   // rows of norm above and below maxNorm = 0.5
        c.Table(p.Output);
        var tokens = c.Ids("tokens", batch * W, V);
        var labels = c.Ids("labels", batch, C);
        var g = Close.Random(c.Rng, batch);
        var loss = new float[batch];
        p.ForwardBackward(batch, tokens, labels, loss, g);
        var r = c.Run(batch, g);
        Close.Loss(r.Output, loss, "loss");
        ReferenceCase.SparseGradient(r, p.TableGradient);
        ReferenceCase.DenseGradient(r, "output", p.OutputGradient);
    }

    [Theory, MemberData(nameof(Batches))]
    public void ModTableReadDenselyAndThroughLookup_MatchesReference(int batch)
    {
        batch = Math.Min(batch, ModTableDenseAndSparse.B);
        const int V = ModTableDenseAndSparse.V, D = ModTableDenseAndSparse.D;
        var p = new ModTableDenseAndSparse.CpuProgram();
        var c = new ReferenceCase(ModTableDenseAndSparse.RecordGraph(), seed: 30 + batch);
        c.Table(p.Table);
        var ids = c.Ids("ids", batch, V);
        var x = c.Floats("x", batch * D);
        var labels = c.Ids("labels", batch, V);
        var g = Close.Random(c.Rng, batch);
        var loss = new float[batch];
        p.ForwardBackward(batch, ids, x, labels, loss, g);
        var r = c.Run(batch, g);
        Close.Loss(r.Output, loss, "loss");
        ReferenceCase.DenseGradient(r, "table", p.TableGradient);
        ReferenceCase.DenseGradient(r, "x", p.XGradient);
    }

    [Theory, MemberData(nameof(Batches))]
    public void ElementwiseZoo_MatchesReference(int batch)
    {
        const int N = ElementwiseZoo.N;
        var p = new ElementwiseZoo.CpuProgram();
        var c = new ReferenceCase(ElementwiseZoo.RecordGraph(), seed: 40 + batch);
        c.Table(p.V);
        c.Table(p.U);
        var x = c.Floats("x", batch * N);
        var y = c.Floats("y", batch);
        var positive = c.Positive("positive", batch * N);
        var g = Close.Random(c.Rng, batch);
        var output = new float[batch];
        p.ForwardBackward(batch, x, y, positive, output, g);
        var r = c.Run(batch, g);
        Close.Loss(r.Output, output, "output");
        ReferenceCase.DenseGradient(r, "x", p.XGradient);
        ReferenceCase.DenseGradient(r, "y", p.YGradient);
        ReferenceCase.DenseGradient(r, "positive", p.PositiveGradient);
        ReferenceCase.DenseGradient(r, "v", p.VGradient);
        ReferenceCase.DenseGradient(r, "u", p.UGradient);
    }

    [Theory, MemberData(nameof(Batches))]
    public void DataZoo_MatchesReference(int batch)
    {
        const int N = DataZoo.N, V = DataZoo.V;
        var p = new DataZoo.CpuProgram();
        var c = new ReferenceCase(DataZoo.RecordGraph(), seed: 60 + batch);
        c.Table(p.Table);
        var x = c.Floats("x", batch * N, scale: 3);
        var ids = c.GivenIds("ids", new long[] { 4, 1, 4 });
        var rowIds = c.Ids("rowIds", batch, V);
        var g = Close.Random(c.Rng, batch);
        var output = new float[batch];
        p.ForwardBackward(batch, x, ids, rowIds, output, g);
        var r = c.Run(batch, g);
        Close.Loss(r.Output, output, "output");
        ReferenceCase.DenseGradient(r, "x", p.XGradient);
        ReferenceCase.DenseGradient(r, "table", p.TableGradient);
    }

    [Theory, MemberData(nameof(Batches))]
    public void MatMulTransposes_MatchReference(int batch)
    {
        batch = Math.Min(batch, MatMulTransposes.B);
        const int D = MatMulTransposes.D;
        var p = new MatMulTransposes.CpuProgram();
        var c = new ReferenceCase(MatMulTransposes.RecordGraph(), seed: 50 + batch);
        c.Table(p.W);
        c.Table(p.Wt);
        c.Table(p.Z);
        var x = c.Floats("x", batch * D);
        var g = Close.Random(c.Rng, batch);
        var output = new float[batch];
        p.ForwardBackward(batch, x, output, g);
        var r = c.Run(batch, g);
        Close.Loss(r.Output, output, "output");
        ReferenceCase.DenseGradient(r, "x", p.XGradient);
        ReferenceCase.DenseGradient(r, "w", p.WGradient);
        ReferenceCase.DenseGradient(r, "wt", p.WtGradient);
        ReferenceCase.DenseGradient(r, "z", p.ZGradient);
    }

    [Theory, MemberData(nameof(Batches))]
    public void SparseToDense_MatchesReference(int batch)
    {
        batch = Math.Min(batch, SparseToDenseGraph.B);
        const int D = SparseToDenseGraph.D, E = SparseToDenseGraph.E;
        var p = new SparseToDenseGraph.CpuProgram();
        var c = new ReferenceCase(SparseToDenseGraph.RecordGraph(), seed: 60 + batch);
        c.Table(p.Values);
        var x = c.Floats("x", batch * D);
        var targets = c.Floats("targets", batch * E);
        // (1,2) appears twice: the later value wins and the earlier one gets no gradient.
        var indices = c.GivenIds("indices", new long[] { 0, 0, 1, 2, 2, 3, 1, 2, 0, 3 });
        var g = Close.Random(c.Rng, batch);
        var output = new float[batch];
        p.ForwardBackward(batch, x, targets, indices, output, g);
        var r = c.Run(batch, g);
        Close.Loss(r.Output, output, "output");
        ReferenceCase.DenseGradient(r, "values", p.ValuesGradient);
        ReferenceCase.DenseGradient(r, "x", p.XGradient);
        Assert.Equal(0f, p.ValuesGradient[1]);
    }

    [Theory, MemberData(nameof(Batches))]
    public void TopK_MatchesReference(int batch)
    {
        batch = Math.Min(batch, TopKGraph.B);
        var p = new TopKGraph.CpuProgram();
        var c = new ReferenceCase(TopKGraph.RecordGraph(), seed: 70 + batch);
        var x = c.Floats("x", batch * TopKGraph.N);
        var output = new float[batch];
        p.Forward(batch, x, output);
        Close.Loss(c.Run(batch, null).Output, output, "top-k sum");
    }

    [Fact]
    public void ShardedTable_EqualsUnshardedTable()
    {
        const int B = ShardedTable.B, V = ShardedTable.V, D = ShardedTable.D;
        var rng = new Random(3);
        var table = Close.Random(rng, V * D);
        var ids = Close.Ids(rng, B * 2, V);
        var x = Close.Random(rng, B * D);
        var sharded = new ShardedTable.CpuProgram();
        var plain = new UnshardedTable.CpuProgram();
        sharded.Table.CopyFromIdOrder(table);
        plain.Table.CopyFromIdOrder(table);
        // Spec 2.2: 13 ids on 5 Div shards hold [[0,1,2],[3,4,5],[6,7,8],[9,10],[11,12]].
        Assert.Equal(new[] { 3, 3, 3, 2, 2 }, new[] { sharded.Table.ShardRows(0), sharded.Table.ShardRows(1), sharded.Table.ShardRows(2), sharded.Table.ShardRows(3), sharded.Table.ShardRows(4) });
        Assert.Equal(table.AsSpan(11 * D, 2 * D).ToArray(), sharded.Table.Shard(4).ToArray());
        var a = new float[B];
        var b = new float[B];
        sharded.ForwardBackward(B, ids, x, a);
        plain.ForwardBackward(B, ids, x, b);
        Assert.Equal(b, a);
        Assert.Equal(plain.TableGradient.Ids.ToArray(), sharded.TableGradient.Ids.ToArray());
        Assert.Equal(plain.TableGradient.Rows.ToArray(), sharded.TableGradient.Rows.ToArray());
        Assert.Equal(plain.XGradient.ToArray(), sharded.XGradient.ToArray());
    }

    private static float[] SoftLabels(int batch, int t, int k)
    {
        var y = new float[batch * (t + k)];
        for (int i = 0; i < batch; i++)
        for (int j = 0; j < t; j++) y[i * (t + k) + j] = 1f / t;
        return y;
    }
}
