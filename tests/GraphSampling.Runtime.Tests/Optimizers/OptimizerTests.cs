using System;
using System.Linq;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Optimizers;
using GraphSampling.Tests.Shared;
using Xunit;

namespace GraphSampling.Runtime.Tests.Optimizers;

/// <summary>
/// The optimizers against their formulas, written out here in double and independently of the code under test (three
/// steps, float32 tolerance 1e-6 relative), sparse updates against the dense update for the rows present, LazyAdam's
/// untouched rows and moments left alone, clipping by global norm, weight decay on touched rows only, the schedules, and
/// no allocation after warm-up.
/// </summary>
public sealed class OptimizerTests
{
    private const int Rows = 5, Width = 19;   // two vectors of 8 and a tail of 3: both loops of each row kernel
    private static readonly long[] Touched = { 1, 3 };

    private static ParameterTable Table(int seed)
    {
        var t = new ParameterTable("w", Rows, Width, shards: 2, partition: GraphSampling.Partition.Mod);
        var rng = new Random(seed);
        t.CopyFromIdOrder(Enumerable.Range(0, Rows * Width).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray());
        return t;
    }

    private static float[] Dense(ParameterTable t)
    {
        var d = new float[Rows * Width];
        t.CopyToIdOrder(d);
        return d;
    }

    /// <summary>Gradient of step s, element i (deterministic, of both signs).</summary>
    private static float G(int s, int i) => (float)(Math.Sin(1.7 * s + 0.9 * i) * (1 + 0.3 * s));

    private static SparseRowGradient Sparse(int s)
    {
        var g = new SparseRowGradient("w", Rows, Width, Touched.Length);
        g.Begin();
        g.AddIds(Touched);
        g.Seal();
        var rows = new float[Touched.Length * Width];
        for (int r = 0; r < Touched.Length; r++)
            for (int j = 0; j < Width; j++) rows[r * Width + j] = G(s, (int)Touched[r] * Width + j);
        g.AddRows(Touched, rows);
        return g;
    }

    private static float[] DenseGradient(int s, bool onlyTouched)
    {
        var g = new float[Rows * Width];
        for (int i = 0; i < g.Length; i++) g[i] = !onlyTouched || Touched.Contains(i / Width) ? G(s, i) : 0f;
        return g;
    }

    /// <summary>Runs three steps with the optimizer, dense or sparse.</summary>
    private static float[] Run(Optimizer o, bool sparse, int seed = 1)
    {
        var t = Table(seed);
        for (int s = 0; s < 3; s++)
        {
            o.BeginStep();
            if (sparse) o.Update(t, Sparse(s));
            else o.Update(t, DenseGradient(s, onlyTouched: false));
            o.EndStep();
        }
        return Dense(t);
    }

    /// <summary>The formulas in double, element by element; <paramref name="rows"/> says which rows get a gradient.</summary>
    private static double[] Expected(string kind, Func<int, bool> rows, double lr = 0.1, double mu = 0.9, bool nesterov = false, double wd = 0, double init = 0.1, double eps = 1e-7)
    {
        var w = Dense(Table(1)).Select(v => (double)v).ToArray();
        var a = new double[w.Length];
        var b = new double[w.Length];
        if (kind == "adagrad") Array.Fill(a, init);
        for (int s = 0; s < 3; s++)
        {
            for (int i = 0; i < w.Length; i++)
            {
                bool has = rows(i / Width);
                if (!has && kind != "adam") continue;   // lazy: untouched rows and their state stay
                double g = has ? G(s, i) + wd * w[i] : 0;
                switch (kind)
                {
                    case "momentum":
                        a[i] = mu * a[i] + g;
                        w[i] -= lr * (nesterov ? g + mu * a[i] : a[i]);
                        break;
                    case "adagrad":
                        a[i] += g * g;
                        w[i] -= lr * g / (Math.Sqrt(a[i]) + eps);
                        break;
                    default:   // adam and lazyadam
                        a[i] = 0.9 * a[i] + 0.1 * g;
                        b[i] = 0.999 * b[i] + 0.001 * g * g;
                        double mh = a[i] / (1 - Math.Pow(0.9, s + 1)), vh = b[i] / (1 - Math.Pow(0.999, s + 1));
                        w[i] -= lr * mh / (Math.Sqrt(vh) + 1e-8);
                        break;
                }
            }
        }
        return w;
    }

    private static void Close(double[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = 1e-6 * Math.Abs(expected[i]) + 1e-6;   // float32 steps of O(1) values
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }

    /// <summary>
    /// A sparse update large enough to run in parallel blocks of rows (1,000 rows of 128) gives, on every touched row, the
    /// bits of the dense update of the same gradient (which runs row by row on one thread), and leaves every other row:
    /// a row updated twice, skipped or raced would differ.
    /// </summary>
    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("adagrad")]
    [InlineData("lazyadam")]
    public void A_parallel_sparse_update_gives_the_dense_updates_bits_on_touched_rows(string kind)
    {
        const int rows = 3000, width = 128, touchedCount = 1000;
        var rng = new Random(5);
        var ids = Enumerable.Range(0, rows).OrderBy(_ => rng.Next()).Take(touchedCount).ToArray();
        var initial = Enumerable.Range(0, rows * width).Select(i => (float)Math.Cos(0.37 * i)).ToArray();
        ParameterTable NewTable()
        {
            var t = new ParameterTable("w", rows, width, shards: 3, partition: GraphSampling.Partition.Div);
            t.CopyFromIdOrder(initial);
            return t;
        }
        Optimizer? New() => kind switch { "momentum" => new Momentum(0.1f, 0.9f), "adagrad" => new Adagrad(0.1f), "lazyadam" => new LazyAdam(0.01f), _ => null };
        ParameterTable sparseTable = NewTable(), denseTable = NewTable();
        Optimizer? sparseOptimizer = New(), denseOptimizer = New();
        var gradient = new SparseRowGradient("w", rows, width, touchedCount);
        for (int step = 0; step < 2; step++)
        {
            var dense = new float[rows * width];
            var rowsOfStep = new float[touchedCount * width];
            for (int r = 0; r < touchedCount; r++)
                for (int j = 0; j < width; j++) rowsOfStep[r * width + j] = dense[ids[r] * width + j] = G(step, r * width + j);
            gradient.Begin();
            gradient.AddIds(ids.Select(i => (long)i).ToArray());
            gradient.Seal();
            gradient.AddRows(ids.Select(i => (long)i).ToArray(), rowsOfStep);
            if (sparseOptimizer is null)
            {
                Sgd.Apply(sparseTable, gradient, 0.1f);
                Sgd.Apply(denseTable, dense, 0.1f);
                continue;
            }
            sparseOptimizer.BeginStep();
            sparseOptimizer.Update(sparseTable, gradient);
            sparseOptimizer.EndStep();
            denseOptimizer!.BeginStep();
            denseOptimizer.Update(denseTable, dense);
            denseOptimizer.EndStep();
        }
        var touched = ids.ToHashSet();
        for (int id = 0; id < rows; id++)
        {
            var expected = touched.Contains(id) ? denseTable.Row(id).ToArray() : initial.AsSpan(id * width, width).ToArray();
            Assert.True(expected.AsSpan().SequenceEqual(sparseTable.Row(id)), kind + ": row " + id + (touched.Contains(id) ? " (touched)" : " (untouched)"));
        }
    }

    [Fact]
    public void Momentum_plain_and_Nesterov_follow_their_formulas_dense_and_sparse()
    {
        Close(Expected("momentum", _ => true), Run(new Momentum(0.1f, 0.9f), sparse: false), "momentum dense");
        Close(Expected("momentum", _ => true, nesterov: true), Run(new Momentum(0.1f, 0.9f, nesterov: true), sparse: false), "nesterov dense");
        Close(Expected("momentum", r => Touched.Contains(r)), Run(new Momentum(0.1f, 0.9f), sparse: true), "momentum sparse");
        Close(Expected("momentum", _ => true, mu: 0), Run(new Momentum(0.1f), sparse: false), "plain SGD");
    }

    [Fact]
    public void Adagrad_follows_TFs_defaults_and_PyTorchs()
    {
        Close(Expected("adagrad", _ => true), Run(new Adagrad(0.1f), sparse: false), "adagrad dense (TF)");
        Close(Expected("adagrad", r => Touched.Contains(r)), Run(new Adagrad(0.1f), sparse: true), "adagrad sparse (TF)");
        Close(Expected("adagrad", _ => true, init: 0, eps: 1e-10), Run(Adagrad.PyTorch(0.1f), sparse: false), "adagrad dense (PyTorch)");
    }

    [Fact]
    public void Adam_with_a_sparse_gradient_is_dense_Adam_and_LazyAdam_touches_only_the_rows_present()
    {
        Close(Expected("adam", _ => true), Run(new Adam(0.1f), sparse: false), "adam dense");
        // Dense semantics for a sparse gradient: equal to dense Adam with zero rows for the untouched ids.
        Close(Expected("adam", r => Touched.Contains(r)), Run(new Adam(0.1f), sparse: true), "adam sparse");
        var adam = Table(1);
        var dense = new Adam(0.1f);
        var fromSparse = Table(1);
        var sparse = new Adam(0.1f);
        for (int s = 0; s < 3; s++)
        {
            dense.BeginStep(); dense.Update(adam, DenseGradient(s, onlyTouched: true)); dense.EndStep();
            sparse.BeginStep(); sparse.Update(fromSparse, Sparse(s)); sparse.EndStep();
        }
        Assert.Equal(Dense(adam), Dense(fromSparse));   // bit for bit
        // Lazy: untouched rows and their moments are left alone; touched rows follow the formula.
        var lazy = new LazyAdam(0.1f);
        var lazyTable = Table(1);
        var before = Dense(lazyTable);
        for (int s = 0; s < 3; s++) { lazy.BeginStep(); lazy.Update(lazyTable, Sparse(s)); lazy.EndStep(); }
        var after = Dense(lazyTable);
        var expected = Expected("lazyadam", r => Touched.Contains(r));
        for (int i = 0; i < after.Length; i++)
        {
            if (Touched.Contains(i / Width)) Assert.True(Math.Abs(expected[i] - after[i]) <= 1e-6 * Math.Abs(expected[i]) + 1e-6, "lazy adam touched [" + i + "]");
            else
            {
                Assert.Equal(before[i], after[i]);
                Assert.Equal(0f, lazy.StateOf(lazyTable, 0)[i]);
                Assert.Equal(0f, lazy.StateOf(lazyTable, 1)[i]);
            }
        }
    }

    [Fact]
    public void Weight_decay_is_L2_and_a_sparse_gradient_decays_only_its_rows()
    {
        Close(Expected("momentum", _ => true, mu: 0, wd: 0.01), Run(new Momentum(0.1f) { WeightDecay = 0.01f }, sparse: false), "decay dense");
        Close(Expected("momentum", r => Touched.Contains(r), mu: 0, wd: 0.01), Run(new Momentum(0.1f) { WeightDecay = 0.01f }, sparse: true), "decay sparse");
    }

    [Fact]
    public void Clipping_by_global_norm_scales_every_gradient_of_the_step()
    {
        var a = Table(1);
        var b = Table(2);
        var ga = DenseGradient(0, onlyTouched: false);
        var gb = Sparse(0);
        double squares = Optimizer.SquaredNorm(ga) + Optimizer.SquaredNorm(gb);
        double norm = Math.Sqrt(squares);
        var clipped = new Momentum(0.1f) { ClipGlobalNorm = (float)(norm / 4) };
        clipped.BeginStep(squares);
        clipped.Update(a, ga);
        clipped.Update(b, gb);
        clipped.EndStep();
        Assert.Equal(norm, clipped.LastGlobalNorm, 12);
        // The same as plain SGD on gradients scaled by clip / norm = 1/4.
        var wa = Dense(Table(1));
        var updated = Dense(a);
        for (int i = 0; i < wa.Length; i++)
        {
            double expected = wa[i] - 0.1 * (ga[i] * ((float)(norm / 4) / norm));
            Assert.True(Math.Abs(expected - updated[i]) <= 1e-6 * Math.Abs(expected) + 1e-7, "clipped [" + i + "]: expected " + expected + ", got " + updated[i]);
        }
        // Below the limit nothing is scaled.
        var loose = new Momentum(0.1f) { ClipGlobalNorm = (float)(norm * 2) };
        var c = Table(1);
        loose.BeginStep(squares);
        loose.Update(c, ga);
        loose.EndStep();
        var plain = Table(1);
        Sgd.Apply(plain, ga, 0.1f);
        Assert.Equal(Dense(plain), Dense(c));
    }

    [Fact]
    public void Schedules_give_their_rates()
    {
        Assert.Equal(0.5f, LearningRateSchedule.Constant(0.5f).At(1000));
        var warm = LearningRateSchedule.LinearWarmup(1f, 4);
        Assert.Equal(new[] { 0.25f, 0.5f, 0.75f, 1f, 1f }, Enumerable.Range(0, 5).Select(t => warm.At(t)).ToArray());
        var inv = LearningRateSchedule.InverseSqrt(1f, 4);
        Assert.Equal(0.5f, inv.At(1));
        Assert.Equal(1f, inv.At(3));
        Assert.Equal((float)Math.Sqrt(4.0 / 16), inv.At(15));
        var cos = LearningRateSchedule.Cosine(1f, 10, finalRate: 0.1f);
        Assert.Equal(1f, cos.At(0));
        Assert.Equal(0.55f, cos.At(5), 6);
        Assert.Equal(0.1f, cos.At(10));
        Assert.Equal(0.1f, cos.At(99));
        // An optimizer takes its rate from the schedule at its step count.
        var o = new Momentum(warm);
        var t = Table(1);
        for (int s = 0; s < 3; s++) { o.BeginStep(); o.Update(t, DenseGradient(s, false)); o.EndStep(); }
        Assert.Equal(0.75f, o.CurrentLearningRate);
        Assert.Equal(3, o.Steps);
    }

    [Fact]
    public void Bad_use_is_refused_with_the_table_named()
    {
        var o = new Adam(0.1f);
        var t = Table(1);
        Assert.Throws<InvalidOperationException>(() => o.Update(t, DenseGradient(0, false)));   // outside a step
        o.BeginStep();
        var e = Assert.Throws<ArgumentException>(() => o.Update(t, new float[3]));
        Assert.Contains("'w'", e.Message);
        var other = new SparseRowGradient("v", Rows + 1, Width, 2);
        Assert.Throws<ArgumentException>(() => o.Update(t, other));
        Assert.Throws<InvalidOperationException>(() => o.BeginStep());
        o.EndStep();
        Assert.Throws<ArgumentOutOfRangeException>(() => new Momentum(0.1f, momentum: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Momentum(float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(0.1f) { WeightDecay = -1 });
    }

    [Fact]
    public void A_warm_step_allocates_nothing()
    {
        foreach (Optimizer o in new Optimizer[] { new Momentum(0.1f, 0.9f), new Adagrad(0.1f), new Adam(0.1f), new LazyAdam(0.1f) })
        {
            var t = Table(1);
            var sparse = Sparse(0);
            var dense = DenseGradient(0, false);
            Assert.Equal(0, Allocations.AfterWarmUp(() =>
            {
                o.BeginStep(Optimizer.SquaredNorm(sparse));
                o.Update(t, sparse);
                o.Update(t, dense);
                o.EndStep();
            }));
        }
    }
}
