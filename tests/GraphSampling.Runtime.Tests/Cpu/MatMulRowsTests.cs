using System;
using GraphSampling.Ir;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Cpu;
using GraphSampling.Runtime.Ops;
using Xunit;

namespace GraphSampling.Runtime.Tests.Cpu;

/// <summary>
/// The GEMM with rows picked by id, on both sides. B: a MatMul whose B is rows of a table picked by id, read by the GEMM's packing where they lie: it must give exactly the
/// bits of gathering the rows first and multiplying the dense copy (the packed values are the same, so the arithmetic
/// is), for both layouts of B, partial tiles, repeated ids, threaded sizes and every sharding; bad offsets and ids are
/// refused before anything is written. C: a product added row by row into a sparse gradient's slots
/// (<see cref="SparseRowGradient.AddProduct"/>) gives the bits of making the product and adding it with AddRows. Runs
/// under every SIMD width in CI (the ISA matrix).
/// </summary>
public sealed class MatMulRowsTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 13, 5)]
    [InlineData(32, 20, 16)]
    [InlineData(25, 65, 257)]
    [InlineData(97, 129, 513)]
    [InlineData(256, 700, 128)]   // large enough for the GEMM's worker threads
    public void Rows_read_in_place_give_the_bits_of_the_gathered_copy(int m, int n, int k)
    {
        foreach (bool transposeB in new[] { true, false })
        {
            foreach (bool transposeA in new[] { false, true })
            {
                int stored = transposeB ? n : k, width = (transposeB ? k : n) + 3;   // table rows wider than B's rows
                const int tableRows = 1000;
                float[] table = TestData.Uniform(tableRows * width, seed: m + n + k);
                float[] a = TestData.Uniform(m * k, seed: m * 7 + k);
                var rng = new Random(m * 31 + n);
                var offsets = new int[stored];
                for (int r = 0; r < stored; r++) offsets[r] = rng.Next(tableRows) * width + (r % 4);   // rows and column shifts
                offsets[stored - 1] = offsets[0];   // a repeated row

                int rowLength = transposeB ? k : n, ldb = rowLength;
                float[] gathered = new float[stored * ldb];
                for (int r = 0; r < stored; r++) Array.Copy(table, offsets[r], gathered, r * ldb, rowLength);
                int lda = transposeA ? m : k;
                float[] expected = new float[m * n], actual = new float[m * n];
                Kernels.MatMul(a, lda, transposeA, gathered, ldb, transposeB, expected, n, m, n, k, accumulate: false);
                Kernels.MatMulRows(a, lda, transposeA, table, offsets, transposeB, actual, n, m, n, k, accumulate: false);
                Assert.Equal(expected, actual);

                // Accumulating adds onto C exactly as the dense product does.
                float[] c0 = TestData.Uniform(m * n, seed: 3);
                float[] expectedAcc = (float[])c0.Clone(), actualAcc = (float[])c0.Clone();
                Kernels.MatMul(a, lda, transposeA, gathered, ldb, transposeB, expectedAcc, n, m, n, k, accumulate: true);
                Kernels.MatMulRows(a, lda, transposeA, table, offsets, transposeB, actualAcc, n, m, n, k, accumulate: true);
                Assert.Equal(expectedAcc, actualAcc);
            }
        }
    }

    [Theory]
    [InlineData(1, Partition.Div)]
    [InlineData(3, Partition.Div)]
    [InlineData(4, Partition.Mod)]
    public void Lookup_by_id_of_any_sharding_equals_gather_then_matmul(int shards, Partition partition)
    {
        const int rows = 503, d = 24, batch = 9, k = 40;
        var table = new ParameterTable("w", rows, d, shards, partition);
        table.CopyFromIdOrder(TestData.Uniform(rows * d, seed: shards));
        var rng = new Random(shards);
        var ids = new long[k];
        for (int i = 0; i < k; i++) ids[i] = rng.Next(rows);
        ids[5] = rows - 1;
        ids[6] = 0;
        float[] x = TestData.Uniform(batch * d, seed: 11), dLogits = TestData.Uniform(batch * k, seed: 12);
        float[] gathered = new float[k * d];
        Gather.Rows(table, ids, gathered);

        // logits = x · Wsᵀ (B stored [k, d], transposed) and dX = dLogits · Ws (B stored [k, d], as is).
        float[] logits = new float[batch * k], expectedLogits = new float[batch * k];
        Linear.MatMul(x, false, gathered, true, expectedLogits, batch, k, d);
        Linear.MatMulRows(x, d, false, table, ids, true, logits, k, batch, k, d);
        Assert.Equal(expectedLogits, logits);
        float[] dx = new float[batch * d], expectedDx = new float[batch * d];
        Linear.MatMul(dLogits, false, gathered, false, expectedDx, batch, d, k);
        Linear.MatMulRows(dLogits, k, false, table, ids, false, dx, d, batch, d, k);
        Assert.Equal(expectedDx, dx);
    }

    [Fact]
    public void Bad_ids_and_offsets_are_refused_naming_them_and_nothing_is_written()
    {
        var table = new ParameterTable("classes", 10, 4, 1, Partition.Div);
        float[] x = TestData.Uniform(2 * 4, seed: 1);
        float[] c = TestData.Filled(2 * 3, 5f);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Linear.MatMulRows(x, 4, false, table, new long[] { 1, 10, 2 }, true, c, 3, 2, 3, 4));
        Assert.Contains("position 1", e.Message);
        Assert.Contains("'classes'", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Linear.MatMulRows(x, 4, false, table, new long[] { -1, 0, 2 }, true, c, 3, 2, 3, 4));
        Assert.Contains("3 ids are needed", Assert.Throws<ArgumentException>(() => Linear.MatMulRows(x, 4, false, table, new long[] { 1, 2 }, true, c, 3, 2, 3, 4)).Message);
        Assert.Equal(TestData.Filled(2 * 3, 5f), c);

        float[] data = new float[40];
        var bad = Assert.Throws<ArgumentException>(() => Kernels.MatMulRows(x, 4, false, data, new[] { 0, 37, 4 }, true, c, 3, 2, 3, 4, accumulate: false));
        Assert.Contains("position 1", bad.Message);
        Assert.Equal("bRowOffsets", bad.ParamName);
        Assert.Throws<ArgumentException>(() => Kernels.MatMulRows(x, 4, false, data, new[] { 0, 4 }, true, c, 3, 2, 3, 4, accumulate: false));
        Assert.Throws<ArgumentException>(() => Kernels.MatMulRows(x, 4, false, data, new[] { 0, 4, 8 }, true, data.AsSpan(0, 6), 3, 2, 3, 4, accumulate: false));
        Assert.Equal(TestData.Filled(2 * 3, 5f), c);
    }

    [Fact]
    public void A_warm_call_allocates_nothing()
    {
        var table = new ParameterTable("w", 300, 16, 2, Partition.Mod);
        table.CopyFromIdOrder(TestData.Uniform(300 * 16, seed: 4));
        var ids = new long[64];
        for (int i = 0; i < ids.Length; i++) ids[i] = (i * 37) % 300;
        float[] x = TestData.Uniform(8 * 16, seed: 5), logits = new float[8 * 64];
        Assert.Equal(0, GraphSampling.Tests.Shared.Allocations.AfterWarmUp(() => Linear.MatMulRows(x, 16, false, table, ids, true, logits, 64, 8, 64, 16)));
    }

    [Theory]
    [InlineData(20, 16, 32)]
    [InlineData(700, 64, 128)]   // threaded: chunks of rows land in slots all over the gradient
    [InlineData(33, 19, 7)]      // partial tiles everywhere
    public void A_product_added_into_the_slots_equals_the_product_added_as_rows(int candidates, int width, int batch)
    {
        const int tableRows = 5000;
        var rng = new Random(candidates + width);
        var ids = new long[candidates];
        var seen = new System.Collections.Generic.HashSet<long>();
        for (int i = 0; i < candidates; i++)
        {
            long id;
            do id = rng.Next(tableRows); while (!seen.Add(id));
            ids[i] = id;
        }
        var labels = new long[batch];
        for (int i = 0; i < batch; i++) labels[i] = i % 3 == 0 ? ids[rng.Next(candidates)] : rng.Next(tableRows);   // some accidental hits
        float[] dLogits = TestData.Uniform(batch * (candidates + 1), seed: 1);   // [B, 1 + K]: the sampled columns are a view
        float[] x = TestData.Uniform(batch * width, seed: 2);
        float[] trueRows = TestData.Uniform(batch * width, seed: 3);

        // dW = dLogits[:, 1:]ᵀ · x, then the true rows: made and added, against added straight into the slots.
        float[] product = new float[candidates * width];
        Kernels.MatMul(dLogits.AsSpan(1), candidates + 1, true, x, width, false, product, width, candidates, width, batch, accumulate: false);
        var expected = new SparseRowGradient("w", tableRows, width, candidates + batch);
        var actual = new SparseRowGradient("w", tableRows, width, candidates + batch);
        foreach (var g in new[] { expected, actual })
        {
            g.Begin();
            g.AddIds(ids);
            g.AddIds(labels);
            g.Seal();
        }
        expected.AddRows(ids, product);
        actual.AddProduct(ids, dLogits.AsSpan(1), candidates + 1, true, x, width, false, batch);
        expected.AddRows(labels, trueRows);
        actual.AddRows(labels, trueRows);
        Assert.Equal(expected.Ids.ToArray(), actual.Ids.ToArray());
        Assert.Equal(expected.Rows.ToArray(), actual.Rows.ToArray());
    }

    [Fact]
    public void AddProduct_refuses_repeated_ids_ids_not_added_and_a_call_before_seal_leaving_the_rows()
    {
        var g = new SparseRowGradient("w", 10, 2, 8);
        float[] a = TestData.Uniform(3 * 2, seed: 1), b = TestData.Uniform(2 * 2, seed: 2);   // op(a) [3, 2] · b [2, 2]
        g.Begin();
        g.AddIds(new long[] { 1, 4, 7 });
        Assert.Contains("before Seal", Assert.Throws<InvalidOperationException>(() => g.AddProduct(new long[] { 1, 4, 7 }, a, 2, false, b, 2, false, 2)).Message);
        g.Seal();
        g.AddRows(new long[] { 4 }, new[] { 1f, 2f });
        var before = g.Rows.ToArray();
        var repeated = Assert.Throws<InvalidOperationException>(() => g.AddProduct(new long[] { 1, 4, 1 }, a, 2, false, b, 2, false, 2));
        Assert.Contains("an id repeats", repeated.Message);
        Assert.False(g.TryAddProduct(new long[] { 1, 4, 1 }, a, 2, false, b, 2, false, 2));
        Assert.Contains("position 1", Assert.Throws<ArgumentException>(() => g.AddProduct(new long[] { 1, 5, 7 }, a, 2, false, b, 2, false, 2)).Message);
        Assert.Equal(before, g.Rows.ToArray());
    }

    [Fact]
    public void A_warm_AddProduct_allocates_nothing()
    {
        var g = new SparseRowGradient("w", 400, 16, 64);
        var ids = new long[48];
        for (int i = 0; i < ids.Length; i++) ids[i] = (i * 7) % 400;
        float[] a = TestData.Uniform(8 * 48, seed: 1), x = TestData.Uniform(8 * 16, seed: 2);
        Assert.Equal(0, GraphSampling.Tests.Shared.Allocations.AfterWarmUp(() =>
        {
            g.Begin();
            g.AddIds(ids);
            g.Seal();
            g.AddProduct(ids, a, 48, true, x, 16, false, 8);
        }));
    }
}
