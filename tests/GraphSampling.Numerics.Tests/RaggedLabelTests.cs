using System;
using System.Linq;
using GraphSampling.Ir;
using GraphSampling.Lowering;
using GraphSampling.Numerics.Tests.Graphs;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Reference;
using GraphSampling.Shapes;
using GraphSampling.Tests.Shared;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>
/// Ragged labels (numTrue a maximum, -1 padding) for sampled softmax, NCE and TAPAS: against the reference interpreter
/// (which evaluates the composite directly, skipping padding), against TF's loss with each row's own number of labels
/// (what a ragged row means), the primitives version bit for bit, the reference against finite differences, the default
/// samplers, refusals that change nothing, and no allocation.
/// </summary>
public sealed class RaggedLabelTests
{
    private static SampledLossProgram Make(string name) => SampledLossProgram.Named(name);

    /// <summary>Six rows of up to three labels: one real label at the start, padding first, a full row, padding on both
    /// sides, padding inside a row, and a repeated label (TF allows repeats; each counts).</summary>
    private static readonly long[][] Pattern =
    {
        new long[] { 3, -1, -1 },
        new long[] { -1, 7, 2 },
        new long[] { 1, 8, 4 },
        new long[] { -1, 9, -1 },
        new long[] { 6, -1, 10 },
        new long[] { 5, 5, -1 },
    };

    /// <summary>Labels of width t from <see cref="Pattern"/>: the first t columns, with a row that is all padding given
    /// its first real label instead.</summary>
    private static long[] RaggedLabels(int t, int batch)
    {
        var labels = new long[batch * t];
        for (int i = 0; i < batch; i++)
        {
            var row = Pattern[i].Take(t).ToArray();
            if (row.All(c => c == -1)) row[0] = Pattern[i].First(c => c != -1);
            row.CopyTo(labels, i * t);
        }
        return labels;
    }

    private sealed class Data
    {
        public Data(SampledLossProgram p, long[] labels, int batch, int seed)
        {
            var rng = new Random(seed);
            Labels = labels;
            Inputs = Close.Random(rng, batch * p.D);
            Sampled = Close.Ids(rng, p.K, p.C);
            Sampled[0] = FirstReal(labels);                 // an accidental hit
            Sampled[p.K - 1] = Sampled[1];                  // a repeated candidate
            TrueCounts = new float[batch * p.T];
            for (int i = 0; i < TrueCounts.Length; i++) TrueCounts[i] = labels[i] == -1 ? 0f : (float)(0.05 + 1.5 * rng.NextDouble());   // 0 at padding: allowed
            SampledCounts = Enumerable.Range(0, p.K).Select(_ => (float)(0.05 + 1.5 * rng.NextDouble())).ToArray();
            Weights = Close.Random(rng, p.C * p.D, 0.5);
            Biases = Close.Random(rng, p.C, 0.5);
            Upstream = Close.Random(rng, batch);
        }

        public float[] Inputs, TrueCounts, SampledCounts, Weights, Biases, Upstream;
        public long[] Labels, Sampled;

        private static long FirstReal(long[] labels) => labels.First(c => c != -1);

        public ReferenceFeeds Feeds() => new ReferenceFeeds()
            .Float("inputs", Close.ToDouble(Inputs)).Int("labels", Labels).Int("sampled", Sampled)
            .Float("trueCounts", Close.ToDouble(TrueCounts)).Float("sampledCounts", Close.ToDouble(SampledCounts))
            .Float("weights", Close.ToDouble(Weights)).Float("biases", Close.ToDouble(Biases));
    }

    private static float[] Run(SampledLossProgram p, Data d, int batch, long[]? labels = null, float[]? trueCounts = null)
    {
        p.Weights.CopyFromIdOrder(d.Weights);
        p.Biases.CopyFromIdOrder(d.Biases);
        var loss = new float[batch];
        p.ForwardBackward(batch, d.Inputs, labels ?? d.Labels, d.Sampled, trueCounts ?? d.TrueCounts, d.SampledCounts, loss, d.Upstream);
        return loss;
    }

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in new[] { nameof(RaggedSoftmax), nameof(RaggedNce), nameof(RaggedTapas) })
        {
            foreach (int batch in new[] { 6, 4, 1 }) data.Add(name, batch);
        }
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Ragged_loss_and_gradients_match_the_reference(string graph, int batch)
    {
        var p = Make(graph);
        var d = new Data(p, RaggedLabels(p.T, batch), batch, seed: graph.Length * 17 + batch);
        var loss = Run(p, d, batch);
        var r = new ReferenceInterpreter(p.Graph).Run(d.Feeds(), batch, Close.ToDouble(d.Upstream));
        Close.Loss(r.Output, loss, graph + " loss");
        Close.Gradient(r.Gradient("inputs")!, p.InputsGradient(), graph + " dinputs");
        ReferenceCase.SparseGradient(r, p.WeightsGradient);   // ids: the real labels and candidates only
        ReferenceCase.SparseGradient(r, p.BiasesGradient);
        Assert.DoesNotContain(-1L, p.WeightsGradient.Ids.ToArray());
    }

    /// <summary>Row by row, a ragged row with n real labels is TF's loss with numTrue = n over those labels (same
    /// candidates, counts and hits): here every row has n real labels at varying positions, against the TF graph of
    /// width n fed the compacted labels. Tolerance: the padded columns add exact zeros to each softmax sum, but the
    /// columns are summed in another order, so 2e-6 relative (Close) rather than bit equality.</summary>
    [Theory]
    [InlineData(nameof(RaggedSoftmax), nameof(TfSoftmaxT1), 1)]
    [InlineData(nameof(RaggedSoftmax), nameof(TfSoftmaxT2), 2)]
    [InlineData(nameof(RaggedNce), nameof(TfNceT1), 1)]
    [InlineData(nameof(RaggedNce), nameof(TfNceT2), 2)]
    [InlineData(nameof(RaggedTapas), nameof(TfTapasT1), 1)]
    public void A_ragged_row_is_TFs_loss_over_its_real_labels(string ragged, string tf, int n)
    {
        var r = Make(ragged);
        var t = Make(tf);
        const int batch = 6;
        var rng = new Random(40 + n);
        var labels = new long[batch * r.T];
        var compact = new long[batch * n];
        for (int i = 0; i < batch; i++)
        {
            // n real labels at positions that move from row to row; the rest padding.
            var positions = Enumerable.Range(0, r.T).OrderBy(j => (j * 7 + i * 3) % r.T).Take(n).OrderBy(j => j).ToArray();
            for (int j = 0; j < r.T; j++) labels[i * r.T + j] = -1;
            for (int m = 0; m < n; m++)
            {
                long c = rng.Next(r.C);
                labels[i * r.T + positions[m]] = c;
                compact[i * n + m] = c;
            }
        }
        var d = new Data(r, labels, batch, seed: 7 * n);
        var compactCounts = new float[batch * n];
        for (int i = 0, m = 0; i < labels.Length; i++) if (labels[i] != -1) compactCounts[m++] = d.TrueCounts[i];
        var raggedLoss = Run(r, d, batch);
        var tfLoss = Run(t, d, batch, compact, compactCounts);
        Close.Loss(Close.ToDouble(tfLoss), raggedLoss, "loss");
        Close.Gradient(Close.ToDouble(t.InputsGradient()), r.InputsGradient(), "dinputs");
        Assert.Equal(t.WeightsGradient.Ids.ToArray(), r.WeightsGradient.Ids.ToArray());
        Close.Gradient(Close.ToDouble(t.WeightsGradient.Rows), r.WeightsGradient.Rows, "dweights rows");
        Close.Gradient(Close.ToDouble(t.BiasesGradient.Rows), r.BiasesGradient.Rows, "dbiases rows");
    }

    /// <summary>A batch without padding is TF's own loss: bit for bit the non-ragged program.</summary>
    [Fact]
    public void Ragged_labels_without_padding_are_TF_bit_for_bit()
    {
        var r = Make(nameof(RaggedSoftmax));
        var t = Make(nameof(TfSoftmaxT3));
        var rng = new Random(5);
        var labels = Close.Ids(rng, 6 * 3, r.C);
        var d = new Data(r, labels, 6, seed: 12);
        Assert.Equal(Run(t, d, 6), Run(r, d, 6));
        Assert.Equal(t.InputsGradient(), r.InputsGradient());
        Assert.Equal(t.WeightsGradient.Ids.ToArray(), r.WeightsGradient.Ids.ToArray());
        Assert.Equal(t.WeightsGradient.Rows.ToArray(), r.WeightsGradient.Rows.ToArray());
        Assert.Equal(t.BiasesGradient.Rows.ToArray(), r.BiasesGradient.Rows.ToArray());
    }

    [Fact]
    public void The_composite_equals_the_hand_written_primitives_bit_for_bit()
    {
        var c = Make(nameof(RaggedSoftmax));
        var h = Make(nameof(HandRaggedSoftmax));
        Assert.Equal(h.Graph, CompositeLowering.Lower(ShapeInference.Infer(c.Graph)));
        foreach (int batch in new[] { 6, 3 })
        {
            var d = new Data(c, RaggedLabels(3, batch), batch, seed: 200 + batch);
            Assert.Equal(Run(h, d, batch), Run(c, d, batch));
            Assert.Equal(h.InputsGradient(), c.InputsGradient());
            Assert.Equal(h.WeightsGradient.Ids.ToArray(), c.WeightsGradient.Ids.ToArray());
            Assert.Equal(h.WeightsGradient.Rows.ToArray(), c.WeightsGradient.Rows.ToArray());
        }
    }

    /// <summary>The oracle itself: the reference's ragged weight gradient is the central difference of its loss (h = 1e-6
    /// in double: truncation error ~h², rounding ~1e-10, so 1e-6 relative plus 1e-7 absolute holds with margin).</summary>
    [Theory]
    [InlineData(nameof(RaggedSoftmax))]
    [InlineData(nameof(RaggedNce))]
    public void The_references_ragged_gradient_is_the_finite_difference_of_its_loss(string graph)
    {
        var p = Make(graph);
        var d = new Data(p, RaggedLabels(p.T, 6), 6, seed: 77);
        var graphIr = p.Graph;
        double Loss(double[] weights, out ReferenceResult result)
        {
            var feeds = d.Feeds().Float("weights", weights);
            result = new ReferenceInterpreter(graphIr).Run(feeds, 6, Close.ToDouble(d.Upstream));
            return result.Output.Select((v, i) => v * d.Upstream[i]).Sum();
        }
        var w = Close.ToDouble(d.Weights);
        Loss(w, out var at);
        var gradient = at.Gradient("weights")!;
        const double h = 1e-6;
        // Rows of real labels (3, 7, 9), a candidate's row, and row 0, which only a padded position could have reached.
        foreach (int i in new[] { 3 * p.D, 7 * p.D + 1, 9 * p.D + 2, (int)d.Sampled[2] * p.D + 3, 0 })
        {
            var plus = (double[])w.Clone();
            var minus = (double[])w.Clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (Loss(plus, out _) - Loss(minus, out _)) / (2 * h);
            Assert.True(Math.Abs(fd - gradient[i]) <= 1e-7 + 1e-6 * Math.Abs(fd), graph + " weights[" + i + "]: finite difference " + fd + ", gradient " + gradient[i]);
        }
    }

    [Fact]
    public void Bad_labels_are_refused_naming_the_row_and_nothing_changes()
    {
        var p = Make(nameof(RaggedSoftmax));
        var d = new Data(p, RaggedLabels(3, 6), 6, seed: 3);
        Run(p, d, 6);
        var before = p.InputsGradient();
        var weightIds = p.WeightsGradient.Ids.ToArray();
        var loss = new float[6];
        Array.Fill(loss, 42f);

        var empty = (long[])d.Labels.Clone();
        empty[2 * 3] = empty[2 * 3 + 1] = empty[2 * 3 + 2] = -1;
        var e = Assert.Throws<ArgumentException>(() => p.ForwardBackward(6, d.Inputs, empty, d.Sampled, d.TrueCounts, d.SampledCounts, loss, d.Upstream));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("row 2", e.Message);

        var below = (long[])d.Labels.Clone();
        below[4] = -2;
        var o = Assert.Throws<ArgumentOutOfRangeException>(() => p.ForwardBackward(6, d.Inputs, below, d.Sampled, d.TrueCounts, d.SampledCounts, loss, d.Upstream));
        Assert.Equal("labels", o.ParamName);
        Assert.Contains("[row 1, column 1]", o.Message);

        var zeroAtReal = (float[])d.TrueCounts.Clone();
        zeroAtReal[0] = 0;   // labels[0, 0] = 3 is real
        var z = Assert.Throws<ArgumentOutOfRangeException>(() => p.ForwardBackward(6, d.Inputs, d.Labels, d.Sampled, zeroAtReal, d.SampledCounts, loss, d.Upstream));
        Assert.Equal("trueCounts", z.ParamName);

        Assert.All(loss, v => Assert.Equal(42f, v));
        Assert.Equal(before, p.InputsGradient());
        Assert.Equal(weightIds, p.WeightsGradient.Ids.ToArray());
    }

    /// <summary>TF's default sampler over ragged labels: the same candidates as over any labels (they depend on the seed
    /// and step only), the real labels' expected counts of the non-ragged program, and 0 at padding.</summary>
    [Fact]
    public void The_default_sampler_draws_the_same_candidates_and_counts_padding_as_zero()
    {
        var ragged = new RaggedDefaultSampler.CpuProgram();
        var dense = new DenseDefaultSampler.CpuProgram();
        long[] labels = { 4, -1, -1, 0, 17, 3, -1, 49, -1, 2, 2, -1 };
        long[] filled = labels.Select(c => c == -1 ? 1L : c).ToArray();
        var rng = new Random(2);
        var inputs = Close.Random(rng, 4 * 4);
        var loss = new float[4];
        for (int step = 0; step < 3; step++)
        {
            ragged.ForwardBackward(4, inputs, labels, loss);
            dense.ForwardBackward(4, inputs, filled, loss);
            Assert.Equal(dense.LossSampler.LastCandidates.ToArray(), ragged.LossSampler.LastCandidates.ToArray());
            Assert.Equal(dense.LossSampler.LastNumTries, ragged.LossSampler.LastNumTries);
            var raggedCounts = ragged.LossSampler.LastTrueExpectedCounts.ToArray();
            var denseCounts = dense.LossSampler.LastTrueExpectedCounts.ToArray();
            for (int i = 0; i < labels.Length; i++) Assert.Equal(labels[i] == -1 ? 0f : denseCounts[i], raggedCounts[i]);
        }
        Assert.True(ragged.Step == 3 && dense.Step == 3);
    }

    [Fact]
    public void The_learned_unigram_does_not_count_padding()
    {
        var p = new RaggedLearnedUnigram.CpuProgram();
        long[] labels = { 4, -1, -1, 0, 17, 3, -1, 49, -1, 2, 2, -1 };
        var inputs = Close.Random(new Random(1), 4 * 4);
        var loss = new float[4];
        int before = p.LossSampler.TotalCount;
        p.ForwardBackward(4, inputs, labels, loss);
        Assert.Equal(before + labels.Count(c => c != -1), p.LossSampler.TotalCount);
        Assert.Equal(3, p.LossSampler.GetCount(2));   // counts start at 1; class 2 appears twice
        Assert.All(loss, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void A_warm_ragged_train_step_allocates_nothing()
    {
        var p = new RaggedSoftmax.CpuProgram();
        var d = new Data(Make(nameof(RaggedSoftmax)), RaggedLabels(3, 6), 6, seed: 9);
        var loss = new float[6];
        Assert.Equal(0, Allocations.AfterWarmUp(() => p.ForwardBackward(6, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, loss, d.Upstream)));
    }
}
