using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using GraphSampling.Runtime.Gpu;
using GraphSampling.Runtime.Gpu.Gemm;
using GraphSampling.Runtime.Gpu.Sampling;
using GraphSampling.Runtime.Ops;
using GraphSampling.Runtime.Sampling;
using ILGPU;
using ILGPU.Runtime;

// The GPU measurements of issue 10, in one run on whatever device GpuContext.Create picks: each workload's three
// sampled-softmax GEMMs on the device (cuBLAS where present, and the project's tiled kernel) against the CPU backend's
// GEMM on the same machine, and the log-uniform unique sampler for 8,192 of 800,000 on the device against the CPU
// sampler (candidates checked equal). Times are minimums and medians of repeated calls, each ended by a device
// synchronize. --quick uses tiny shapes so that the script can be checked end to end on ILGPU's CPU accelerator.
// Usage: GraphSampling.GpuBench [--quick] [--out results.md]
bool quick = args.Contains("--quick");
int outAt = Array.IndexOf(args, "--out");
string? outPath = outAt >= 0 && outAt + 1 < args.Length ? args[outAt + 1] : null;
var report = new List<string>();
void Say(string line)
{
    Console.WriteLine(line);
    report.Add(line);
}

using var gpu = GpuContext.Create();
Say("# GPU benchmarks (" + DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" + (quick ? ", --quick shapes" : "") + ")");
Say("");
Say("device: " + gpu.Description + (gpu.FallbackReason != null ? " (" + gpu.FallbackReason + ")" : ""));
Say("CPU: " + Environment.ProcessorCount + " logical cores");
Say("");

// ---- GEMMs: logits = X·W_Sᵀ [B, S], dX = dZ·W_S [B, D], dW_S = dZᵀ·X [S, D] -----------------------------------------
var workloads = quick
    ? new[] { ("tiny", 16, 32, 48) }
    : new[] { ("w2v-nce", 128, 128, 64), ("lm-softmax", 256, 512, 8192), ("rec-softmax4", 512, 64, 2048), ("tapas", 128, 256, 4096) };
int reps = quick ? 3 : 20;
using var preferred = new DeviceGemm(gpu, preferCuBlas: true);
using var tiled = new DeviceGemm(gpu, preferCuBlas: false);
Say("GEMM paths: " + preferred.PathDescription + (preferred.Path != tiled.Path ? "; also timed: " + tiled.PathDescription : ""));
Say("");
Say("| workload | B x D x S | device (" + preferred.Path + ") ms min / median | GFLOP/s | " + (preferred.Path != tiled.Path ? "tiled kernel ms min | " : "") + "CPU backend ms min | CPU / device |");
Say("|---|---|---|---|" + (preferred.Path != tiled.Path ? "---|" : "") + "---|---|");
var rng = new Random(7);
foreach (var (name, b, d, s) in workloads)
{
    float[] x = Random(rng, b * d), w = Random(rng, s * d), dz = Random(rng, b * s);
    using var dx = gpu.Accelerator.Allocate1D(x);
    using var dw = gpu.Accelerator.Allocate1D(w);
    using var ddz = gpu.Accelerator.Allocate1D(dz);
    using var logits = gpu.Accelerator.Allocate1D<float>(b * s);
    using var dInputs = gpu.Accelerator.Allocate1D<float>(b * d);
    using var dWeights = gpu.Accelerator.Allocate1D<float>(s * d);
    void Step(DeviceGemm g)
    {
        g.Multiply(dx.View, d, false, dw.View, d, true, logits.View, s, b, s, d, false, "logits");
        g.Multiply(ddz.View, s, false, dw.View, d, false, dInputs.View, d, b, d, s, false, "dInputs");
        g.Multiply(ddz.View, s, true, dx.View, d, false, dWeights.View, d, s, d, b, false, "dWeights");
    }
    var device = Time(reps, () => { Step(preferred); gpu.Synchronize("gemm"); });
    var tiledTimes = preferred.Path != tiled.Path ? Time(reps, () => { Step(tiled); gpu.Synchronize("gemm"); }) : device;
    float[] cLogits = new float[b * s], cInputs = new float[b * d], cWeights = new float[s * d];
    var cpu = Time(Math.Max(3, reps / 4), () =>
    {
        Linear.MatMul(x, false, w, true, cLogits, b, s, d);
        Linear.MatMul(dz, false, w, false, cInputs, b, d, s);
        Linear.MatMul(dz, true, x, false, cWeights, s, d, b);
    });
    double flops = 3.0 * 2 * b * (double)d * s;
    Say($"| {name} | {b} x {d} x {s} | {Ms(device.Min)} / {Ms(device.Median)} | {flops / device.Min / 1e9:F0} | " + (preferred.Path != tiled.Path ? Ms(tiledTimes.Min) + " | " : "") + $"{Ms(cpu.Min)} | {cpu.Min / device.Min:F1}x |");
}
Say("");

// ---- The log-uniform unique sampler: 8,192 of 800,000 (the lm-softmax call) -------------------------------------------
int k = quick ? 64 : 8192;
long range = quick ? 1000 : 800_000;
int batch = quick ? 8 : 256;
var labels = Enumerable.Range(0, batch).Select(i => (long)rng.Next((int)range)).ToArray();
using var deviceLabels = gpu.Accelerator.Allocate1D(labels);
using var sampler = new DeviceCandidateSampler(gpu, DeviceSamplerKind.LogUniform, range, unique: true, seed: 87654321UL, stream: 5, numSampled: k, maxTrueClasses: batch);
var cpuSampler = new LogUniformSampler(range, unique: true, 87654321UL, 5);
long step = 0;
var samplerTimes = Time(quick ? 3 : 200, () => { sampler.Sample(step++, deviceLabels.View); gpu.Synchronize("sampler"); });
long cpuStep = 0;
var cpuCandidates = new long[k];
var cpuTrue = new float[batch];
var cpuCounts = new float[k];
var cpuTimes = Time(quick ? 3 : 50, () => cpuSampler.SampleCandidates(cpuStep++, labels, 1, cpuCandidates, cpuTrue, cpuCounts));
// The same call on both: step 3.
var deviceCandidates = new long[k];
int deviceTries = sampler.Sample(3, labels, deviceCandidates, new float[batch], new float[k]);
int cpuTries = cpuSampler.SampleCandidates(3, labels, 1, cpuCandidates, cpuTrue, cpuCounts);
bool same = deviceCandidates.SequenceEqual(cpuCandidates) && deviceTries == cpuTries;
Say($"log-uniform unique sampler, {k:N0} of {range:N0}, {batch} true classes: device {Us(samplerTimes.Min)} min / {Us(samplerTimes.Median)} median (target under 50 µs); "
    + $"CPU {Us(cpuTimes.Min)} min; candidates and num_tries equal to the CPU sampler's at step 3: {(same ? "yes" : "NO")} (num_tries {deviceTries:N0})");
Say("");
Say("Not measured yet: the GPU training step against its three cuBLAS GEMMs (the GPU emitter does not exist yet).");

if (outPath != null) File.WriteAllLines(outPath, report);
return same ? 0 : 1;

static float[] Random(Random rng, int n)
{
    var v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
    return v;
}

static (double Min, double Median) Time(int reps, Action action)
{
    action();   // warm-up: kernels compiled and loaded, buffers touched
    action();
    var times = new double[reps];
    for (int r = 0; r < reps; r++)
    {
        long t0 = Stopwatch.GetTimestamp();
        action();
        times[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }
    Array.Sort(times);
    return (times[0], times[reps / 2]);
}

static string Ms(double seconds) => (seconds * 1e3).ToString("F3", CultureInfo.InvariantCulture);

static string Us(double seconds) => (seconds * 1e6).ToString("F1", CultureInfo.InvariantCulture) + " µs";
