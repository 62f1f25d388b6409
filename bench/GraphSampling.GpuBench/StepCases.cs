using System;
using GraphSampling.Benchmarks.Steps;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Gpu;
using GraphSampling.Runtime.Sampling;

namespace GraphSampling.GpuBench;

/// <summary>One workload's training step on both backends: the generated CpuProgram's and GpuProgram's ForwardBackward
/// (candidates given, the GPU program on the CPU program's tables, uploaded once), the shapes of its three GEMMs, and
/// both losses for a check. No GpuProgram (Gpu null) where the graph has an op without a device step.</summary>
internal sealed class StepCase(string name, (int B, int D, int S) gemm, Action cpu, Action? gpu, StepData data, IDisposable? device) : IDisposable
{
    public string Name { get; } = name;

    public (int B, int D, int S) Gemm { get; } = gemm;

    public Action Cpu { get; } = cpu;

    public Action? Gpu { get; } = gpu;

    public StepData Data { get; } = data;

    public void Dispose() => device?.Dispose();
}

/// <summary>The anchor's data (bench/GraphSampling.Benchmarks/Steps/StepRunner.cs): Gaussian inputs, W ~ 0.05 N(0,1),
/// zero biases, uniform labels, a log-uniform unique candidate set with TF's expected counts (seed 7).</summary>
internal sealed class StepData
{
    public StepData(int b, int d, int c, int k, int t, ParameterTable weights)
    {
        var rng = new Random(7);
        Inputs = Gaussian(rng, b * d, 1.0);
        var w = Gaussian(rng, 1 << 20, 0.05);
        var data = weights.Data;
        for (int i = 0; i < data.Length; i += w.Length) w.AsSpan(0, Math.Min(w.Length, data.Length - i)).CopyTo(data.Slice(i));
        Labels = new long[b * t];
        for (int i = 0; i < Labels.Length; i++) Labels[i] = rng.Next(c);
        Sampled = new long[k];
        TrueCounts = new float[b * t];
        SampledCounts = new float[k];
        new LogUniformSampler(c, unique: true, seed: 7, stream: 0).SampleCandidates(0, Labels, t, Sampled, TrueCounts, SampledCounts);
        CpuLoss = new float[b];
        GpuLoss = new float[b];
    }

    public float[] Inputs { get; }

    public long[] Labels { get; }

    public long[] Sampled { get; }

    public float[] TrueCounts { get; }

    public float[] SampledCounts { get; }

    public float[] CpuLoss { get; }

    public float[] GpuLoss { get; }

    private static float[] Gaussian(Random rng, int n, double scale)
    {
        var r = new float[n];
        for (int i = 0; i < n; i++) r[i] = (float)(scale * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        return r;
    }
}

/// <summary>The workloads' step cases, made one at a time (lm-softmax's table is 1.6 GB on each side).</summary>
internal static class StepCases
{
    public static Func<GpuContext, StepCase>[] All(bool quick) => quick
        ? new Func<GpuContext, StepCase>[] { MakeQuickW2vNce, MakeQuickLmSoftmax, MakeQuickRecSoftmax4, MakeQuickTapas }
        : new Func<GpuContext, StepCase>[] { MakeW2vNce, MakeLmSoftmax, MakeRecSoftmax4, MakeTapas };


    private static StepCase MakeW2vNce(GpuContext gpu)
    {
        var cpu = new W2vNce.CpuProgram();
        var d = new StepData(W2vNce.B, W2vNce.D, W2vNce.C, W2vNce.K, W2vNce.T, cpu.Weights);
        var device = new W2vNce.GpuProgram(gpu, cpu.Weights, cpu.Biases);
        return new StepCase("w2v-nce", (W2vNce.B, W2vNce.D, W2vNce.K), () => cpu.ForwardBackward(W2vNce.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.CpuLoss),
            () => device.ForwardBackward(W2vNce.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.GpuLoss), d, device);
    }

    private static StepCase MakeQuickW2vNce(GpuContext gpu)
    {
        var cpu = new QuickW2vNce.CpuProgram();
        var d = new StepData(QuickW2vNce.B, QuickW2vNce.D, QuickW2vNce.C, QuickW2vNce.K, QuickW2vNce.T, cpu.Weights);
        var device = new QuickW2vNce.GpuProgram(gpu, cpu.Weights, cpu.Biases);
        return new StepCase("w2v-nce", (QuickW2vNce.B, QuickW2vNce.D, QuickW2vNce.K), () => cpu.ForwardBackward(QuickW2vNce.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.CpuLoss),
            () => device.ForwardBackward(QuickW2vNce.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.GpuLoss), d, device);
    }

    private static StepCase MakeLmSoftmax(GpuContext gpu)
    {
        var cpu = new LmSoftmax.CpuProgram();
        var d = new StepData(LmSoftmax.B, LmSoftmax.D, LmSoftmax.C, LmSoftmax.K, LmSoftmax.T, cpu.Weights);
        var device = new LmSoftmax.GpuProgram(gpu, cpu.Weights, cpu.Biases);
        return new StepCase("lm-softmax", (LmSoftmax.B, LmSoftmax.D, LmSoftmax.K), () => cpu.ForwardBackward(LmSoftmax.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.CpuLoss),
            () => device.ForwardBackward(LmSoftmax.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.GpuLoss), d, device);
    }

    private static StepCase MakeQuickLmSoftmax(GpuContext gpu)
    {
        var cpu = new QuickLmSoftmax.CpuProgram();
        var d = new StepData(QuickLmSoftmax.B, QuickLmSoftmax.D, QuickLmSoftmax.C, QuickLmSoftmax.K, QuickLmSoftmax.T, cpu.Weights);
        var device = new QuickLmSoftmax.GpuProgram(gpu, cpu.Weights, cpu.Biases);
        return new StepCase("lm-softmax", (QuickLmSoftmax.B, QuickLmSoftmax.D, QuickLmSoftmax.K), () => cpu.ForwardBackward(QuickLmSoftmax.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.CpuLoss),
            () => device.ForwardBackward(QuickLmSoftmax.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.GpuLoss), d, device);
    }

    private static StepCase MakeRecSoftmax4(GpuContext gpu)
    {
        var cpu = new RecSoftmax4.CpuProgram();
        var d = new StepData(RecSoftmax4.B, RecSoftmax4.D, RecSoftmax4.C, RecSoftmax4.K, RecSoftmax4.T, cpu.Weights);
        var device = new RecSoftmax4.GpuProgram(gpu, cpu.Weights, cpu.Biases);
        return new StepCase("rec-softmax4", (RecSoftmax4.B, RecSoftmax4.D, RecSoftmax4.K), () => cpu.ForwardBackward(RecSoftmax4.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.CpuLoss),
            () => device.ForwardBackward(RecSoftmax4.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.GpuLoss), d, device);
    }

    private static StepCase MakeQuickRecSoftmax4(GpuContext gpu)
    {
        var cpu = new QuickRecSoftmax4.CpuProgram();
        var d = new StepData(QuickRecSoftmax4.B, QuickRecSoftmax4.D, QuickRecSoftmax4.C, QuickRecSoftmax4.K, QuickRecSoftmax4.T, cpu.Weights);
        var device = new QuickRecSoftmax4.GpuProgram(gpu, cpu.Weights, cpu.Biases);
        return new StepCase("rec-softmax4", (QuickRecSoftmax4.B, QuickRecSoftmax4.D, QuickRecSoftmax4.K), () => cpu.ForwardBackward(QuickRecSoftmax4.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.CpuLoss),
            () => device.ForwardBackward(QuickRecSoftmax4.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.GpuLoss), d, device);
    }

    private static StepCase MakeTapas(GpuContext gpu)
    {
        var cpu = new Tapas.CpuProgram();
        var d = new StepData(Tapas.B, Tapas.D, Tapas.C, Tapas.K, Tapas.T, cpu.Weights);
        return new StepCase("tapas", (Tapas.B, Tapas.D, Tapas.K), () => cpu.ForwardBackward(Tapas.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.CpuLoss), null, d, null);
    }

    private static StepCase MakeQuickTapas(GpuContext gpu)
    {
        var cpu = new QuickTapas.CpuProgram();
        var d = new StepData(QuickTapas.B, QuickTapas.D, QuickTapas.C, QuickTapas.K, QuickTapas.T, cpu.Weights);
        return new StepCase("tapas", (QuickTapas.B, QuickTapas.D, QuickTapas.K), () => cpu.ForwardBackward(QuickTapas.B, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, d.CpuLoss), null, d, null);
    }
}
