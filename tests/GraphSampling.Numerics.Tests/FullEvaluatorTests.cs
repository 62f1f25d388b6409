using System;
using System.Linq;
using GraphSampling.Numerics.Tests.Graphs;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Cpu;
using GraphSampling.Runtime.Evaluation;
using GraphSampling.Tests.Shared;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>Evaluation over every class in chunks (issue 8, item 4): spec 12's losses, exact ranks and top-k, any chunk
/// size and sharding, refusals that keep the last results, and no allocation once warm.</summary>
public sealed class FullEvaluatorTests
{
    private static readonly float[] X = SpecData.X;
    private static readonly float[] W = SpecData.W;
    private static readonly float[] Bias = SpecData.Bias;

    private static ParameterTable Table(string name, int rows, int width, int shards, Partition partition, float[] idOrder)
    {
        var t = new ParameterTable(name, rows, width, shards, partition);
        t.CopyFromIdOrder(idOrder);
        return t;
    }

    [Theory]
    [InlineData(1, 1, Partition.Div)]
    [InlineData(2, 1, Partition.Div)]
    [InlineData(4096, 2, Partition.Div)]
    [InlineData(2, 2, Partition.Mod)]
    public void Spec_R4_full_softmax_and_full_sigmoid_at_any_chunk_and_sharding(int chunk, int shards, Partition partition)
    {
        var e = new FullEvaluator(maxBatch: 2, dim: 3, topK: 2, chunkClasses: chunk, sigmoidLoss: true);
        e.Evaluate(2, X, Table("w", 5, 3, shards, partition, W), Table("b", 5, 1, shards, partition, Bias), new long[] { 1, 2 });
        // spec 13, R4 (float64 values; float32 evaluation within 1e-6 relative)
        Close.Check(new[] { 1.733604472, 1.318765799 }, e.SoftmaxLoss, "full softmax", 1e-6, 1e-6);
        Close.Check(new[] { 3.584726441, 3.247382884 }, e.SigmoidLoss, "full sigmoid", 1e-6, 1e-6);
    }

    [Fact]
    public void The_loss_is_the_generated_full_softmax_programs()
    {
        var program = new FullSparseSoftmax.CpuProgram();
        program.W.CopyFromIdOrder(W);
        program.B.CopyFromIdOrder(Bias);
        var loss = new float[2];
        program.Forward(2, X, new long[] { 1, 2 }, loss);
        var e = new FullEvaluator(2, 3, topK: 1, chunkClasses: 2);
        e.Evaluate(2, X, program.W, program.B, new long[] { 1, 2 });
        Close.Check(Close.ToDouble(loss), e.SoftmaxLoss, "evaluator vs generated program", 1e-6, 1e-7);
    }

    [Theory]
    [InlineData(1, Partition.Div, 64, 9)]
    [InlineData(3, Partition.Div, 100, 9)]
    [InlineData(3, Partition.Mod, 7, 9)]
    [InlineData(4, Partition.Mod, 4096, 9)]
    [InlineData(1, Partition.Div, 1, 9)]
    [InlineData(2, Partition.Mod, 300, 150)]   // three blocks of true-logit products (64, 64, 22 rows)
    [InlineData(1, Partition.Div, 1000, 150)]  // 150,000 logits a chunk: the fold runs in parallel parts (WorkerPool.Passes)
    [InlineData(2, Partition.Mod, 1000, 150)]  // parallel parts over both shards' chunks
    public void Ranks_and_top_k_are_exactly_those_of_the_full_logits_and_losses_match_double(int shards, Partition partition, int chunk, int batch)
    {
        int B = batch;
        const int D = 13, C = 1000, K = 10;
        var rng = new Random(shards * 31 + chunk);
        var x = Close.Random(rng, B * D);
        var w = Close.Random(rng, C * D);
        var b = Close.Random(rng, C, 0.5);
        // Ties the rank and top-k must break by id: class 17 is a copy of class 3, class 600 of class 599.
        Array.Copy(w, 3 * D, w, 17 * D, D); b[17] = b[3];
        Array.Copy(w, 599 * D, w, 600 * D, D); b[600] = b[599];
        var labels = Close.Ids(rng, B, C);
        labels[0] = 17; labels[1] = 3; labels[2] = 600;

        var e = new FullEvaluator(B, D, K, chunk, sigmoidLoss: true);
        e.Evaluate(B, x, Table("w", C, D, shards, partition, w), Table("b", C, 1, shards, partition, b), labels);

        // The full [B, C] logits through the same GEMM, then every metric by brute force.
        var logits = new float[B * C];
        Kernels.MatMul(x, D, false, w, D, true, logits, C, B, C, D, accumulate: false);
        for (int i = 0; i < B; i++) for (int c = 0; c < C; c++) logits[i * C + c] += b[c];
        for (int i = 0; i < B; i++)
        {
            var row = logits.AsSpan(i * C, C).ToArray();
            var order = Enumerable.Range(0, C).OrderByDescending(c => row[c]).ThenBy(c => c).ToArray();
            Assert.Equal(order.Take(K).Select(c => (long)c), e.TopIds.Slice(i * K, K).ToArray());
            Assert.Equal(order.Take(K).Select(c => row[c]), e.TopValues.Slice(i * K, K).ToArray());
            Assert.Equal(Array.IndexOf(order, (int)labels[i]) + 1, e.Ranks[i]);

            double max = row.Max(), sum = row.Sum(z => Math.Exp(z - max));
            double softmax = max + Math.Log(sum) - row[labels[i]];
            double sigmoid = row.Sum(z => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)))) - row[labels[i]];
            Close.Check(new[] { softmax }, e.SoftmaxLoss.Slice(i, 1), "softmax row " + i, 1e-6, 1e-7);
            // Summing 1,000 float terms: a few ulps of the total, so 2e-6 relative.
            Close.Check(new[] { sigmoid }, e.SigmoidLoss.Slice(i, 1), "sigmoid row " + i, 2e-6, 1e-6);
        }
        // The tied copies rank just after their originals (equal logits: the lower id first).
        int RankOf(int row, int c) => Array.IndexOf(Enumerable.Range(0, C).OrderByDescending(j => logits[row * C + j]).ThenBy(j => j).ToArray(), c) + 1;
        Assert.Equal(logits[17], logits[3]);
        Assert.Equal(RankOf(0, 3) + 1, e.Ranks[0]);
        Assert.Equal(RankOf(2, 599) + 1, e.Ranks[2]);
    }

    [Fact]
    public void Equal_logits_everywhere_rank_by_id()
    {
        var e = new FullEvaluator(3, 4, topK: 5, chunkClasses: 16);
        e.Evaluate(3, new float[12], new ParameterTable("w", 100, 4, 3, Partition.Mod), null, new long[] { 0, 42, 99 });
        Assert.Equal(new long[] { 1, 43, 100 }, e.Ranks.ToArray());
        for (int i = 0; i < 3; i++) Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, e.TopIds.Slice(i * 5, 5).ToArray());
    }

    [Fact]
    public void Without_labels_only_top_k_is_computed()
    {
        var e = new FullEvaluator(2, 3, topK: 3);
        e.Evaluate(2, X, Table("w", 5, 3, 1, Partition.Div, W), Table("b", 5, 1, 1, Partition.Div, Bias), default);
        Assert.True(e.Ranks.IsEmpty);
        Assert.True(e.SoftmaxLoss.IsEmpty);
        Assert.Equal(6, e.TopIds.Length);
    }

    [Fact]
    public void Bad_input_is_refused_naming_it_and_the_last_results_stay()
    {
        var w = Table("w", 5, 3, 1, Partition.Div, W);
        var bias = Table("b", 5, 1, 1, Partition.Div, Bias);
        var e = new FullEvaluator(2, 3, topK: 2);
        e.Evaluate(2, X, w, bias, new long[] { 1, 2 });
        var loss = e.SoftmaxLoss.ToArray();
        var top = e.TopIds.ToArray();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => e.Evaluate(2, X, w, bias, new long[] { 1, 5 }));
        Assert.Contains("labels", error.Message);
        Assert.Contains("[0, 5)", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Evaluate(3, X, w, bias, new long[] { 1, 2, 3 }));
        Assert.Contains("inputs", Assert.ThrowsAny<ArgumentException>(() => e.Evaluate(2, new float[] { 0, 0, 0, float.NaN, 0, 0 }, w, bias, new long[] { 1, 2 })).Message);
        Assert.Contains("sharded the same way", Assert.Throws<ArgumentException>(() => e.Evaluate(2, X, w, Table("b", 5, 1, 2, Partition.Div, Bias), new long[] { 1, 2 })).Message);
        Assert.Contains("width 3", Assert.Throws<ArgumentException>(() => new FullEvaluator(2, 4, 1).Evaluate(2, new float[8], w, null, default)).Message);

        var poisoned = Table("w", 5, 3, 1, Partition.Div, W);
        poisoned.Row(4)[0] = float.PositiveInfinity;   // both rows have x[0] > 0: +inf logits
        Assert.Contains("Row 0", Assert.Throws<InvalidOperationException>(() => e.Evaluate(2, X, poisoned, bias, new long[] { 1, 2 })).Message);
        Assert.Equal(loss, e.SoftmaxLoss.ToArray());
        Assert.Equal(top, e.TopIds.ToArray());
    }

    [Theory]
    [InlineData(4, 512)]
    [InlineData(64, 2048)]   // 131,072 logits a chunk: the parallel fold
    public void A_warm_evaluation_allocates_nothing(int B, int chunk)
    {
        const int D = 8, C = 3000;
        var rng = new Random(2);
        var w = new ParameterTable("w", C, D, 2, Partition.Mod);
        w.CopyFromIdOrder(Close.Random(rng, C * D));
        var x = Close.Random(rng, B * D);
        var labels = Close.Ids(rng, B, C);
        var e = new FullEvaluator(B, D, topK: 20, chunkClasses: chunk, sigmoidLoss: true);
        var metrics = new RankingMetrics(1, 5, 10);
        Assert.Equal(0, Allocations.AfterWarmUp(() =>
        {
            e.Evaluate(B, x, w, null, labels);
            metrics.Add(e);
        }));
    }

    [Fact]
    public void Metrics_count_recall_at_k_mrr_and_the_mean_loss()
    {
        var m = new RankingMetrics(1, 3);
        m.Add(new long[] { 1, 2, 5, 3 }, new float[] { 1f, 2f, 3f, 4f });
        Assert.Equal(4, m.Count);
        Assert.Equal(0.25, m.Accuracy);
        Assert.Equal(0.25, m.Recall(1));
        Assert.Equal(0.75, m.Recall(3));
        Assert.Equal((1 + 0.5 + 0.2 + 1 / 3.0) / 4, m.MeanReciprocalRank, 12);
        Assert.Equal(2.5, m.MeanLoss);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Recall(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(new long[] { 0 }));
        m.Reset();
        Assert.Equal(0, m.Count);
        Assert.True(double.IsNaN(m.Accuracy));
    }
}
