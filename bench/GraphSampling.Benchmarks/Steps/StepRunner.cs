using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Cpu;
using GraphSampling.Runtime.Sampling;

namespace GraphSampling.Benchmarks.Steps;

/// <summary>
/// Times one training step (forward + backward, sparse class-table gradients, candidates given) of each anchor workload
/// the way shared/bench/torch_anchor.py does: fixed data, a warm-up, then 11 timed steps, median and minimum.
/// Prints one JSON line per workload, in the anchor's format, so bench/compare.sh can pair them.
/// The accidental-hit mask is computed inside every timed step, as the anchor does (by the composite loss itself, or
/// by C# for the primitive versions that take it as data).
/// </summary>
public static class StepRunner
{
    private const int Reps = 11;

    /// <summary>Every workload: the anchor's five (composite losses) and the three primitive versions they replace.</summary>
    public static readonly string[] All =
    {
        "w2v-nce", "lm-softmax", "rec-softmax4", "tapas", "lm-full-softmax",
        "w2v-nce-primitives", "lm-softmax-primitives", "rec-softmax4-primitives",
    };

    public static void Run(string[] names)
    {
        foreach (var name in names.Length > 0 ? names : All)
        {
            var (step, shape) = Step(name);
            var times = name == "lm-full-softmax" ? Time(step, reps: 2, warmForTiers: false) : Time(step);
            Report(name, times, shape, GemmMilliseconds(shape, name == "lm-full-softmax" ? 1 : 5));
        }
    }

    /// <summary>
    /// <c>steps-cold workload</c>: a fresh program's first steps, one by one, against the steady state reached after the
    /// usual warm-up, in this process. The first call pays the one-time costs (JIT of every method it reaches, first
    /// touch of the workspace) and is reported on its own; the next 100 show how soon the kernels run at full speed.
    /// Run each workload in its own process (bench/compare.sh does): kernels another workload has already warmed would
    /// hide the start-up cost.
    /// </summary>
    public static void RunCold(string name)
    {
        var (step, _) = Step(name);
        const int steps = 101;
        var times = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            long t = Stopwatch.GetTimestamp();
            step();
            times[i] = Stopwatch.GetElapsedTime(t).TotalSeconds;
        }
        double next100 = 0, worst = 0;
        for (int i = 1; i < steps; i++)
        {
            next100 += times[i];
            worst = Math.Max(worst, times[i]);
        }
        var steady = Time(step);
        Array.Sort(steady);
        double median = steady[steady.Length / 2];
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "{{\"workload\": \"{0}\", \"impl\": \"graphsampling\", \"first_step_ms\": {1:F2}, \"next100_mean_ms\": {2:F3}, \"next100_worst_ms\": {3:F3}, \"steady_ms\": {4:F3}, \"next100_over_steady\": {5:F2}}}",
            name, times[0] * 1e3, next100 / (steps - 1) * 1e3, worst * 1e3, median * 1e3, next100 / (steps - 1) / median));
    }

    /// <summary><c>steps-loop workload seconds</c>: warms up, prints "ready", then runs steps for that long (for a
    /// profiler attached after the set-up, e.g. <c>perf record -p</c>).</summary>
    public static void RunLoop(string name, double seconds)
    {
        var (step, _) = Step(name);
        Time(step, reps: 1);
        Console.WriteLine("ready");
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds) step();
    }

    /// <summary>A workload's step (data made once, outside it) and its GEMM shape.</summary>
    private static (Action Step, GemmShape Shape) Step(string name)
    {
        switch (name)
        {
            case "w2v-nce": return (W2vNceStep(), new GemmShape(W2vNce.B, W2vNce.D, W2vNce.K));
            case "lm-softmax": return (LmSoftmaxStep(), new GemmShape(LmSoftmax.B, LmSoftmax.D, LmSoftmax.K));
            case "rec-softmax4": return (RecSoftmax4Step(), new GemmShape(RecSoftmax4.B, RecSoftmax4.D, RecSoftmax4.K));
            case "tapas": return (TapasStep(), new GemmShape(Tapas.B, Tapas.D, Tapas.K));
            case "lm-full-softmax": return (LmFullStep(), new GemmShape(LmFullSoftmax.B, LmFullSoftmax.D, LmFullSoftmax.C));
            case "w2v-nce-primitives": return (W2vNcePrimitivesStep(), new GemmShape(W2vNce.B, W2vNce.D, W2vNce.K));
            case "lm-softmax-primitives": return (LmSoftmaxPrimitivesStep(), new GemmShape(LmSoftmax.B, LmSoftmax.D, LmSoftmax.K));
            case "rec-softmax4-primitives": return (RecSoftmax4PrimitivesStep(), new GemmShape(RecSoftmax4.B, RecSoftmax4.D, RecSoftmax4.K));
            default: throw new ArgumentException("Unknown workload '" + name + "'; expected one of " + string.Join(", ", All) + ".");
        }
    }

    /// <summary>The step's three products: logits [B, S] = x [B, D] · W_S^T, dx = dLogits · W_S, dW_S = dLogits^T · x.</summary>
    private readonly record struct GemmShape(int B, int D, int S)
    {
        public double Flops => 3.0 * 2 * B * D * S;
    }

    /// <summary>
    /// The time of the step's three GEMMs alone at the project's own GEMM rate (Kernels.MatMul, the kernel the steps call),
    /// measured here, in the same run: the floor a step cannot beat without a faster GEMM. The minimum of
    /// <paramref name="reps"/> after a warm-up.
    /// </summary>
    private static double GemmMilliseconds(GemmShape g, int reps)
    {
        var rng = new Random(3);
        float[] x = Fill(rng, g.B * g.D), w = Fill(rng, g.S * g.D), logits = new float[g.B * g.S], dx = new float[g.B * g.D], dw = new float[g.S * g.D];
        void Products()
        {
            Kernels.MatMul(x, g.D, false, w, g.D, true, logits, g.S, g.B, g.S, g.D, accumulate: false);
            Kernels.MatMul(logits, g.S, false, w, g.D, false, dx, g.D, g.B, g.D, g.S, accumulate: false);
            Kernels.MatMul(logits, g.S, true, x, g.D, false, dw, g.D, g.S, g.D, g.B, accumulate: false);
        }
        var times = Time(Products, reps, warmForTiers: reps > 1);
        Array.Sort(times);
        return times[0] * 1e3;

        static float[] Fill(Random rng, int n)
        {
            var v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() - 0.5);
            return v;
        }
    }

    private static void Report(string name, double[] times, GemmShape shape, double gemmMs)
    {
        Array.Sort(times);
        double median = times[times.Length / 2], min = times[0];
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "{{\"workload\": \"{0}\", \"impl\": \"graphsampling\", \"step_ms\": {1:F2}, \"step_ms_min\": {2:F2}, \"gflops\": {3:F1}, \"gemm_ms\": {4:F2}, \"step_over_gemm\": {5:F2}}}",
            name, median * 1e3, min * 1e3, shape.Flops / min / 1e9, gemmMs, min * 1e3 / gemmMs));
    }

    private static double[] Time(Action step, int reps = Reps, bool warmForTiers = true)
    {
        // .NET compiles methods in tiers: quick code first, optimised code once a method is hot. Some vector loops
        // reach their optimised code only after about a second of steps (measured: w2v-nce 2.2 ms per step before,
        // 0.13 ms after). A training run's steady state is the optimised code, so warm up for 50 steps and 2 s before
        // timing. (The anchor's kernels are native code and need one warm-up step.) A step of seconds (the full
        // softmax) is its own warm-up: one step, as the anchor does.
        long start = Stopwatch.GetTimestamp();
        if (warmForTiers)
        {
            for (int i = 0; i < 50 || Stopwatch.GetElapsedTime(start).TotalSeconds < 2.0; i++) step();
        }
        else
        {
            step();
        }
        var times = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            long t = Stopwatch.GetTimestamp();
            step();
            times[i] = Stopwatch.GetElapsedTime(t).TotalSeconds;
        }
        return times;
    }

    /// <summary>The data the anchor uses: Gaussian inputs, W ~ 0.05 N(0,1), zero biases, uniform labels, and a
    /// log-uniform unique candidate set with TF's expected counts.</summary>
    private sealed class Data
    {
        public float[] Inputs = Array.Empty<float>();
        public long[] Labels = Array.Empty<long>();
        public long[] Sampled = Array.Empty<long>();
        public float[] TrueCounts = Array.Empty<float>();
        public float[] SampledCounts = Array.Empty<float>();
        public float[] Targets = Array.Empty<float>();
        public float[] Loss = Array.Empty<float>();

        public Data(int b, int d, int c, int k, int t, ParameterTable weights)
        {
            var rng = new Random(7);
            Inputs = Gaussian(rng, b * d, 1.0);
            var w = Gaussian(rng, 1 << 20, 0.05);
            var data = weights.Data;
            for (int i = 0; i < data.Length; i += w.Length) w.AsSpan(0, Math.Min(w.Length, data.Length - i)).CopyTo(data.Slice(i));
            Labels = new long[b * t];
            for (int i = 0; i < Labels.Length; i++) Labels[i] = rng.Next(c);
            // The library's own sampler and expected counts (TF's, with float probabilities), not a second copy here.
            Sampled = new long[k];
            TrueCounts = new float[b * t];
            SampledCounts = new float[k];
            new LogUniformSampler(c, unique: true, seed: 7, stream: 0).SampleCandidates(0, Labels, t, Sampled, TrueCounts, SampledCounts);
            Targets = new float[b * (t + k)];
            for (int i = 0; i < b; i++)
            for (int j = 0; j < t; j++) Targets[i * (t + k) + j] = 1f / t;
            Loss = new float[b];
        }

        private static float[] Gaussian(Random rng, int n, double scale)
        {
            var r = new float[n];
            for (int i = 0; i < n; i++) r[i] = (float)(scale * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            return r;
        }
    }

    /// <summary>Rebuilds the [B, K] accidental-hit mask: -FLT_MAX where a row's true class is a sampled candidate.</summary>
    private sealed class HitMask
    {
        private readonly Dictionary<long, int> _position;
        public readonly float[] Mask;
        private readonly int _b, _t, _k;

        public HitMask(int b, int t, int k)
        {
            _b = b;
            _t = t;
            _k = k;
            Mask = new float[b * k];
            _position = new Dictionary<long, int>(k);
        }

        public void Build(long[] labels, long[] sampled)
        {
            _position.Clear();
            for (int j = 0; j < _k; j++) _position[sampled[j]] = j;
            Array.Clear(Mask);
            for (int i = 0; i < _b; i++)
            for (int t = 0; t < _t; t++)
            {
                if (_position.TryGetValue(labels[i * _t + t], out int j)) Mask[i * _k + j] = -float.MaxValue;
            }
        }
    }

    // ---- The composite losses (Workloads.cs) -------------------------------------------------------------------

    private static Action W2vNceStep()
    {
        var p = new W2vNce.CpuProgram();
        var d = new Data(W2vNce.B, W2vNce.D, W2vNce.C, W2vNce.K, W2vNce.T, p.Weights);
        return () => p.ForwardBackward(W2vNce.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.Loss);
    }

    private static Action LmSoftmaxStep()
    {
        var p = new LmSoftmax.CpuProgram();
        var d = new Data(LmSoftmax.B, LmSoftmax.D, LmSoftmax.C, LmSoftmax.K, LmSoftmax.T, p.Weights);
        return () => p.ForwardBackward(LmSoftmax.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.Loss);
    }

    private static Action RecSoftmax4Step()
    {
        var p = new RecSoftmax4.CpuProgram();
        var d = new Data(RecSoftmax4.B, RecSoftmax4.D, RecSoftmax4.C, RecSoftmax4.K, RecSoftmax4.T, p.Weights);
        return () => p.ForwardBackward(RecSoftmax4.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.Loss);
    }

    private static Action TapasStep()
    {
        var p = new Tapas.CpuProgram();
        var d = new Data(Tapas.B, Tapas.D, Tapas.C, Tapas.K, Tapas.T, p.Weights);
        return () => p.ForwardBackward(Tapas.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.Loss);
    }

    /// <summary>The full softmax over 800,000 classes: a step takes seconds, so Run gives it 1 warm-up and 2 timed steps, as the anchor.</summary>
    private static Action LmFullStep()
    {
        var p = new LmFullSoftmax.CpuProgram();
        var d = new Data(LmFullSoftmax.B, LmFullSoftmax.D, LmFullSoftmax.C, 1, 1, p.Weights);
        return () => p.ForwardBackward(LmFullSoftmax.B, d.Inputs, d.Labels, d.Loss);
    }

    // ---- The same steps written with primitives (PrimitiveWorkloads.cs) ----------------------------------------

    private static Action W2vNcePrimitivesStep()
    {
        var p = new W2vNcePrimitives.CpuProgram();
        var d = new Data(W2vNce.B, W2vNce.D, W2vNce.C, W2vNce.K, W2vNce.T, p.Weights);
        return () => p.ForwardBackward(W2vNce.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.Targets, d.Loss);
    }

    /// <summary>The ForwardBackward of a primitive sampled-softmax workload (every one has this input list).</summary>
    private delegate void SampledSoftmaxStep(int batch, ReadOnlySpan<float> inputs, ReadOnlySpan<long> labels, ReadOnlySpan<long> sampled,
        ReadOnlySpan<float> trueCounts, ReadOnlySpan<float> sampledCounts, ReadOnlySpan<float> hitMask, ReadOnlySpan<float> targets, Span<float> output);

    private static Action LmSoftmaxPrimitivesStep()
    {
        var p = new LmSoftmaxPrimitives.CpuProgram();
        return TimeSampledSoftmax(LmSoftmax.B, LmSoftmax.D, LmSoftmax.C, LmSoftmax.K, LmSoftmax.T, p.Weights, p.ForwardBackward);
    }

    private static Action RecSoftmax4PrimitivesStep()
    {
        var p = new RecSoftmax4Primitives.CpuProgram();
        return TimeSampledSoftmax(RecSoftmax4.B, RecSoftmax4.D, RecSoftmax4.C, RecSoftmax4.K, RecSoftmax4.T, p.Weights, p.ForwardBackward);
    }

    /// <summary>A primitive sampled-softmax step, the hit mask rebuilt inside each step as the anchor does.</summary>
    private static Action TimeSampledSoftmax(int b, int dim, int c, int k, int t, ParameterTable weights, SampledSoftmaxStep step)
    {
        var d = new Data(b, dim, c, k, t, weights);
        var hits = new HitMask(b, t, k);
        return () =>
        {
            hits.Build(d.Labels, d.Sampled);
            step(b, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, hits.Mask, d.Targets, d.Loss);
        };
    }
}
