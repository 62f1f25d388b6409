using System;
using System.Collections.Generic;
using System.Diagnostics;
using GraphSampling.Benchmarks.Steps;
using System.Globalization;
using System.IO;
using System.Linq;
using GraphSampling.GpuBench;
using GraphSampling.Runtime.Gpu;
using GraphSampling.Runtime.Gpu.Gemm;
using GraphSampling.Runtime.Gpu.Sampling;
using GraphSampling.Runtime.Ops;
using GraphSampling.Runtime.Sampling;
using ILGPU;
using ILGPU.Runtime;

// The GPU measurements of issue 10, in one run on whatever device GpuContext.Create picks: each workload's three
// sampled-softmax GEMMs on the device (cuBLAS where present, and the project's tiled kernel) against the CPU backend's
// GEMM on the same machine, the log-uniform unique sampler for 8,192 of 800,000 on the device against the CPU
// sampler (candidates checked equal), and each workload's generated training step (GpuProgram.ForwardBackward,
// candidates given) against its three device GEMMs and against the CPU backend's step (CpuProgram.ForwardBackward). Times are minimums and medians of repeated calls, each ended by a device
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
// The step workloads' shapes (Workloads.cs; the Quick* graphs with --quick), S the sampled count (tapas: before resampling).
var workloads = quick
    ? new[] { ("w2v-nce", QuickW2vNce.B, QuickW2vNce.D, QuickW2vNce.K), ("lm-softmax", QuickLmSoftmax.B, QuickLmSoftmax.D, QuickLmSoftmax.K), ("rec-softmax4", QuickRecSoftmax4.B, QuickRecSoftmax4.D, QuickRecSoftmax4.K), ("tapas", QuickTapas.B, QuickTapas.D, QuickTapas.K) }
    : new[] { ("w2v-nce", W2vNce.B, W2vNce.D, W2vNce.K), ("lm-softmax", LmSoftmax.B, LmSoftmax.D, LmSoftmax.K), ("rec-softmax4", RecSoftmax4.B, RecSoftmax4.D, RecSoftmax4.K), ("tapas", Tapas.B, Tapas.D, Tapas.K) };
var deviceGemmMs = new Dictionary<string, double>();
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
    deviceGemmMs[name] = device.Min * 1e3;
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
// ---- The training step: the generated GpuProgram against its GEMMs and against the CpuProgram ------------------------
// A step is ForwardBackward with the candidates given (fed SampledValues, as the anchor times it): the host checks, the
// inputs' upload, every device op, the wait for the device and the loss's download. The CPU step is the generated
// CpuProgram's on this machine's cores, warmed up for its optimised code (2 s) as bench/GraphSampling.Benchmarks does.
Say("Training step (ForwardBackward, candidates given; device GEMMs: " + preferred.Path + "):");
Say("");
Say("| workload | GPU step ms min / median | its 3 device GEMMs ms min | GPU step / GEMMs | CPU step ms min / median | GPU / CPU (min) | max loss rel. diff |");
Say("|---|---|---|---|---|---|---|");
bool lossesAgree = true;
foreach (var make in StepCases.All(quick))
{
    using var c = make(gpu);
    var cpuStepTimes = Time(quick ? 3 : 11, c.Cpu, warmSeconds: quick ? 0 : 2);
    string gemmMs = deviceGemmMs.TryGetValue(c.Name, out double g) ? g.ToString("F3", CultureInfo.InvariantCulture) : "-";
    if (c.Gpu is null)
    {
        Say($"| {c.Name} | no GpuProgram (CPU-only: TAPAS's learned-unigram sampler, TopK, Gather and Divide have no device step) | {gemmMs} | - | {Ms(cpuStepTimes.Min)} / {Ms(cpuStepTimes.Median)} | - | - |");
        continue;
    }

    var gpuStepTimes = Time(quick ? 3 : 20, c.Gpu);
    double worst = 0;
    for (int i = 0; i < c.Data.CpuLoss.Length; i++)
    {
        worst = Math.Max(worst, Math.Abs(c.Data.GpuLoss[i] - (double)c.Data.CpuLoss[i]) / Math.Max(1e-6, Math.Abs((double)c.Data.CpuLoss[i])));
    }

    lossesAgree &= worst <= 1e-3 && !double.IsNaN(worst);
    Say($"| {c.Name} | {Ms(gpuStepTimes.Min)} / {Ms(gpuStepTimes.Median)} | {gemmMs} | {gpuStepTimes.Min * 1e3 / g:F2} | {Ms(cpuStepTimes.Min)} / {Ms(cpuStepTimes.Median)} | {gpuStepTimes.Min / cpuStepTimes.Min:F3} | {worst:E1} |");
}

Say("");
Say("GPU / CPU below 1 means the device step is faster. The losses of the two programs are compared on the same tables and data (tolerance 1e-3 relative).");

if (outPath != null) File.WriteAllLines(outPath, report);
return same && lossesAgree ? 0 : 1;

static float[] Random(Random rng, int n)
{
    var v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
    return v;
}

static (double Min, double Median) Time(int reps, Action action, double warmSeconds = 0)
{
    action();   // warm-up: kernels compiled and loaded, buffers touched (and, for CPU code, its optimised tier)
    action();
    long start = Stopwatch.GetTimestamp();
    while (Stopwatch.GetElapsedTime(start).TotalSeconds < warmSeconds) action();
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
